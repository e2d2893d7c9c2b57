package atomicsem

import "context"

// MPMCBuffer is a bounded FIFO queue for any number of producer and
// consumer goroutines: the classic bounded buffer of two semaphores, room
// (free slots) and items (published items), around a circular array, with
// a mutex around each slot and index update. It is ringq's baseline for the
// multi-producer multi-consumer rings. The zero value is not usable; make
// one with NewMPMCBuffer.
//
// An MPMCBuffer must not be copied after first use.
//
// In the terminology of [the Go memory model], a successful Enqueue of v
// synchronizes before the Dequeue that returns v, and that Dequeue
// synchronizes before the enqueue that reuses v's slot. The same holds for
// every enqueue and dequeue method.
//
// It is the classic two-semaphore bounded buffer with a mutex around the
// slot and index update, for any number of producers and consumers, with
// three changes so that every call takes effect at one instant, as the
// queue contract asks. The release of items that publishes an item is
// made under the mutex, so that items are published in slot order and an
// enqueue that Close refuses leaves no hole. A dequeue takes its unit of
// items under the mutex with its slot, so that a consumer delayed between
// the two cannot get a younger item than one that came after it. And
// TryEnqueue fails only when items says full, not while a slot is in
// transit between the two semaphores.
//
// [the Go memory model]: https://go.dev/ref/mem
type MPMCBuffer[T any] struct {
	b buffer[T]
}

// NewMPMCBuffer returns an empty buffer that holds capacity items. It
// panics if capacity < 1.
func NewMPMCBuffer[T any](capacity int) *MPMCBuffer[T] {
	q := new(MPMCBuffer[T])
	q.b.init(capacity, true)
	return q
}

// TryEnqueue adds v unless the buffer is full or closed and reports whether
// it did. It never waits for room and never allocates. It may wait for the
// mutex, held for one slot update at a time, and for the calls in the
// middle of an enqueue or dequeue that hold a slot, which wait for nothing
// but the mutex, rather than fail while the buffer is not full. It may be
// called from any goroutine.
func (q *MPMCBuffer[T]) TryEnqueue(v T) bool { return q.b.tryEnqueue(v) }

// TryDequeue removes and returns the oldest item and true, or the zero
// value and false if the buffer is empty. It never waits for an item, only
// for the mutex. It may be called from any goroutine.
func (q *MPMCBuffer[T]) TryDequeue() (T, bool) { return q.b.tryDequeue() }

// Enqueue adds v, waiting while the buffer is full. It returns ErrClosed if
// the buffer is closed before v is in. It may be called from any goroutine.
func (q *MPMCBuffer[T]) Enqueue(v T) error { return q.b.enqueue(context.Background(), v) }

// Dequeue removes and returns the oldest item, waiting while the buffer is
// empty. Once the buffer is closed and drained it returns ErrClosed. It
// may be called from any goroutine.
func (q *MPMCBuffer[T]) Dequeue() (T, error) { return q.b.dequeue(context.Background()) }

// EnqueueContext is Enqueue that gives up when ctx is done, returning
// ctx.Err(). It may be called from any goroutine.
func (q *MPMCBuffer[T]) EnqueueContext(ctx context.Context, v T) error {
	return q.b.enqueue(ctx, v)
}

// DequeueContext is Dequeue that gives up when ctx is done, returning
// ctx.Err(). It may be called from any goroutine.
func (q *MPMCBuffer[T]) DequeueContext(ctx context.Context) (T, error) {
	return q.b.dequeue(ctx)
}

// Close closes the buffer: enqueues fail from then on, dequeues drain what
// is left and then fail, and every blocked call returns. An enqueue in
// flight either gets its item in before Close, and the item is delivered,
// or returns ErrClosed. Close never blocks; it may be called from any
// goroutine, any number of times.
func (q *MPMCBuffer[T]) Close() { q.b.close() }

// Closed reports whether Close has been called. Once it has, no enqueue
// succeeds, so a TryDequeue that starts after Closed reported true and
// fails means that the buffer is drained for good. It may be called from
// any goroutine.
func (q *MPMCBuffer[T]) Closed() bool { return q.b.items.closed() }

// Len returns the number of items in the buffer, in [0, Cap()]. It is
// exact even while other calls are in flight: it reads the count of items,
// which changes at the instants enqueues and dequeues take effect. It may
// be called from any goroutine.
func (q *MPMCBuffer[T]) Len() int { return q.b.items.available() }

// Cap returns the number of items the buffer holds when full: the capacity
// it was made with. It may be called from any goroutine.
func (q *MPMCBuffer[T]) Cap() int { return len(q.b.slots) }
