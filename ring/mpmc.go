package ring

// MPMC is a bounded FIFO queue for any number of producer and consumer
// goroutines: Dmitry Vyukov's bounded MPMC queue, in which each slot carries
// a sequence number that hands it from producer to consumer, and producers
// and consumers each claim positions with a compare-and-swap.
//
// Create one with [NewMPMC]; the zero value is not usable, and an MPMC must
// not be copied.
//
// A successful enqueue of v synchronizes before the dequeue that returns v,
// in the terms of [the Go memory model].
//
// Memory: Cap() slots of 8 bytes (the sequence number) plus the size of T,
// rounded up to T's alignment; a slot over half a cache line is padded to
// a whole number of false-sharing blocks (pad.Size). On amd64 that is 16
// bytes a slot for an int or a pointer, 24 for a string or an interface,
// 32 for a 24-byte struct, and 128 for any T of 32 to 120 bytes; and about
// 900 bytes for the padded positions and the rest of its state.
//
// [the Go memory model]: https://go.dev/ref/mem
type MPMC[T any] struct {
	queue[T]
	c vyukov[T] // the core, which queue points at
}

// NewMPMC returns an empty MPMC queue that holds at least capacity items;
// the capacity is rounded up to a power of two. It panics if capacity is
// less than 1 or more than 1<<40 (1<<30 on 32-bit platforms), if its
// slots would take more than 128 TiB (2 GiB on 32-bit platforms), or if
// an option is nil.
func NewMPMC[T any](capacity int, opts ...Option) *MPMC[T] {
	return newMPMCAt[T](capacity, 0, opts)
}

func newMPMCAt[T any](capacity int, start uint64, opts []Option) *MPMC[T] {
	q := new(MPMC[T])
	q.c.init(capacity, start, [2]bool{}, opts)
	q.queue = queue[T]{vyukov: &q.c, s: &q.c.state}
	return q
}
