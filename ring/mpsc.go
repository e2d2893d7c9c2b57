package ring

// MPSC is a bounded FIFO queue for any number of producer goroutines and a
// single consumer. Its producers claim slots as [MPMC]'s do, with Vyukov's
// per-slot sequence numbers; its consumer owns the head and advances it with
// a plain atomic store, never a compare-and-swap. Only one goroutine at a
// time may call the dequeue methods; the race detector reports two that
// do so at once.
//
// Create one with [NewMPSC]; the zero value is not usable, and an MPSC must
// not be copied.
//
// A successful enqueue of v synchronizes before the dequeue that returns v,
// in the terms of [the Go memory model].
//
// Memory: the same as an [MPMC] of the same capacity.
//
// [the Go memory model]: https://go.dev/ref/mem
type MPSC[T any] struct {
	queue[T]
	c vyukov[T] // the core, which queue points at
}

// NewMPSC returns an empty MPSC queue that holds at least capacity items;
// the capacity is rounded up to a power of two. It panics if capacity is
// less than 1 or more than 1<<40 (1<<30 on 32-bit platforms), if its
// slots would take more than 128 TiB (2 GiB on 32-bit platforms), or if
// an option is nil.
func NewMPSC[T any](capacity int, opts ...Option) *MPSC[T] {
	return newMPSCAt[T](capacity, 0, opts)
}

func newMPSCAt[T any](capacity int, start uint64, opts []Option) *MPSC[T] {
	q := new(MPSC[T])
	q.c.init(capacity, start, [2]bool{consumers: true}, opts)
	q.queue = queue[T]{vyukov: &q.c, s: &q.c.state}
	return q
}
