package atomicsem

import "context"

// SPSCBuffer is a bounded FIFO queue for one producer goroutine and one
// consumer goroutine: the classic bounded buffer of two semaphores, room
// (free slots) and items (published items), around a circular array. It
// is ringq's baseline for the single-producer single-consumer rings. The
// zero value is not usable; make one with NewSPSCBuffer.
//
// An SPSCBuffer must not be copied after first use.
//
// In the terminology of [the Go memory model], a successful Enqueue of v
// synchronizes before the Dequeue that returns v, and that Dequeue
// synchronizes before the enqueue that reuses v's slot. The same holds for
// every enqueue and dequeue method.
//
// It is the classic two-semaphore bounded buffer for one producer and one
// consumer: acquire room, write the slot, release items; acquire items,
// read the slot, release room. Items starts at 0 with the capacity as its
// limit; Close refuses the release of items after it, so that an enqueue
// in flight either publishes before Close or fails; and TryEnqueue fails
// only when the buffer is full, not while the consumer has taken an item
// but not yet released its slot.
//
// [the Go memory model]: https://go.dev/ref/mem
type SPSCBuffer[T any] struct {
	b buffer[T]
}

// NewSPSCBuffer returns an empty buffer that holds capacity items. It
// panics if capacity < 1.
func NewSPSCBuffer[T any](capacity int) *SPSCBuffer[T] {
	q := new(SPSCBuffer[T])
	q.b.init(capacity, false)
	return q
}

// TryEnqueue adds v unless the buffer is full or closed and reports whether
// it did. It never waits for room and never allocates; if the consumer is
// in the middle of a dequeue that frees a slot, it waits for that dequeue,
// which itself waits for nothing, rather than fail while the buffer is not
// full. It must only be called by the single producer.
func (q *SPSCBuffer[T]) TryEnqueue(v T) bool { return q.b.tryEnqueue(v) }

// TryDequeue removes and returns the oldest item and true, or the zero
// value and false if the buffer is empty. It never blocks. It must only be
// called by the single consumer.
func (q *SPSCBuffer[T]) TryDequeue() (T, bool) { return q.b.tryDequeue() }

// Enqueue adds v, waiting while the buffer is full. It returns ErrClosed if
// the buffer is closed before v is in. It must only be called by the
// single producer.
func (q *SPSCBuffer[T]) Enqueue(v T) error { return q.b.enqueue(context.Background(), v) }

// Dequeue removes and returns the oldest item, waiting while the buffer is
// empty. Once the buffer is closed and drained it returns ErrClosed. It
// must only be called by the single consumer.
func (q *SPSCBuffer[T]) Dequeue() (T, error) { return q.b.dequeue(context.Background()) }

// EnqueueContext is Enqueue that gives up when ctx is done, returning
// ctx.Err(). It must only be called by the single producer.
func (q *SPSCBuffer[T]) EnqueueContext(ctx context.Context, v T) error {
	return q.b.enqueue(ctx, v)
}

// DequeueContext is Dequeue that gives up when ctx is done, returning
// ctx.Err(). It must only be called by the single consumer.
func (q *SPSCBuffer[T]) DequeueContext(ctx context.Context) (T, error) {
	return q.b.dequeue(ctx)
}

// Close closes the buffer: enqueues fail from then on, dequeues drain what
// is left and then fail, and every blocked call returns. An enqueue in
// flight either gets its item in before Close, and the item is delivered,
// or returns ErrClosed. Close never blocks; it may be called from any
// goroutine, any number of times.
func (q *SPSCBuffer[T]) Close() { q.b.close() }

// Closed reports whether Close has been called. Once it has, no enqueue
// succeeds, so a TryDequeue that starts after Closed reported true and
// fails means that the buffer is drained for good. It may be called from
// any goroutine.
func (q *SPSCBuffer[T]) Closed() bool { return q.b.items.closed() }

// Len returns the number of items in the buffer, in [0, Cap()]. It is
// exact even while other calls are in flight: it reads the count of items,
// which changes at the instants enqueues and dequeues take effect. It may
// be called from any goroutine.
func (q *SPSCBuffer[T]) Len() int { return q.b.items.available() }

// Cap returns the number of items the buffer holds when full: the capacity
// it was made with. It may be called from any goroutine.
func (q *SPSCBuffer[T]) Cap() int { return len(q.b.slots) }
