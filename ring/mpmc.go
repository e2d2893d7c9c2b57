package ring

import "context"

// MPMC is a bounded FIFO queue for any number of producer and consumer
// goroutines: Dmitry Vyukov's bounded MPMC queue, in which each slot carries
// a sequence number that hands it from producer to consumer, and producers
// and consumers each claim positions with a compare-and-swap.
//
// Create one with [NewMPMC]; the zero value is not usable. An MPMC must not
// be copied after first use.
//
// A successful enqueue of v synchronizes before the dequeue that returns v,
// in the terms of [the Go memory model].
//
// Memory: Cap() slots of 8 bytes (the sequence number) plus the size of T,
// rounded up to T's alignment, and about 750 bytes for the padded positions.
//
// [the Go memory model]: https://go.dev/ref/mem
type MPMC[T any] struct {
	vyukov[T]
}

// NewMPMC returns an empty MPMC queue that holds at least capacity items;
// the capacity is rounded up to a power of two. It panics if capacity is
// less than 1 or more than 1<<40.
func NewMPMC[T any](capacity int, opts ...Option) *MPMC[T] {
	q := new(MPMC[T])
	q.init(capacity, 0, false, opts)
	return q
}

// TryEnqueue adds v unless the queue is full or closed, and reports whether
// it did. It never blocks for long: it may wait only for a consumer that
// is in the middle of freeing the slot v needs, so that it never fails
// because another goroutine won a race. Producers may call it from any
// goroutine.
func (q *vyukov[T]) TryEnqueue(v T) bool { return q.enqueue(v) == done }

// Enqueue adds v, waiting while the queue is full. It returns ErrClosed,
// and does not add v, if the queue is closed first.
func (q *vyukov[T]) Enqueue(v T) error { return q.EnqueueContext(context.Background(), v) }

// EnqueueContext adds v, waiting while the queue is full. It returns
// ctx.Err() if ctx is done first, and ErrClosed if the queue is closed
// first; in both cases v is not added.
func (q *vyukov[T]) EnqueueContext(ctx context.Context, v T) error {
	st := q.enqueue(v)
	if st == done {
		return nil
	}
	return enqueueFrom(ctx, &q.state, st, q.enqueue, v)
}

// TryEnqueueBatch adds the longest prefix of vs that fits, with one claim
// of consecutive slots, and returns its length: 0 only if the queue is
// full or closed, or vs is empty.
func (q *vyukov[T]) TryEnqueueBatch(vs []T) int {
	n, _ := q.enqueueBatch(vs)
	return n
}

// EnqueueBatch adds all of vs in order, waiting for room as often as it
// must. Another producer's items may come between two of its claims. It
// returns how many items were added, and ErrClosed if the queue was closed
// before all were.
func (q *vyukov[T]) EnqueueBatch(vs []T) (int, error) {
	return enqueueAll(&q.state, vs, q.enqueueBatch)
}

// TryDequeue removes and returns the oldest item, unless the queue is empty.
// It never blocks for long: it may wait only for a producer that is in the
// middle of publishing the oldest item, so that it never fails because
// another goroutine won a race. With an MPSC, only the single consumer may
// call it.
func (q *vyukov[T]) TryDequeue() (T, bool) {
	v, st := q.dequeue()
	return v, st == done
}

// Dequeue removes and returns the oldest item, waiting while the queue is
// empty. It returns ErrClosed once the queue is closed and drained.
func (q *vyukov[T]) Dequeue() (T, error) { return q.DequeueContext(context.Background()) }

// DequeueContext removes and returns the oldest item, waiting while the
// queue is empty. It returns ctx.Err() if ctx is done first, and ErrClosed
// once the queue is closed and drained.
func (q *vyukov[T]) DequeueContext(ctx context.Context) (T, error) {
	v, st := q.dequeue()
	if st == done {
		return v, nil
	}
	return dequeueFrom(ctx, &q.state, st, q.dequeue)
}

// TryDequeueBatch removes up to len(dst) of the oldest items into a prefix
// of dst, with one claim of consecutive slots, and returns how many: 0 only
// if the queue is empty or dst is.
func (q *vyukov[T]) TryDequeueBatch(dst []T) int {
	n, _ := q.dequeueBatch(dst)
	return n
}

// DequeueBatch removes up to len(dst) of the oldest items into a prefix of
// dst, waiting until there is at least one, and returns how many. It returns
// ErrClosed once the queue is closed and drained. It returns at once if dst
// is empty.
func (q *vyukov[T]) DequeueBatch(dst []T) (int, error) {
	return dequeueSome(&q.state, dst, q.dequeueBatch)
}
