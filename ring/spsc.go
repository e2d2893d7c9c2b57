package ring

import (
	"context"
)

// SPSC is a bounded FIFO queue for one producer goroutine and one consumer
// goroutine: Lamport's ring buffer, with the producer's and the consumer's
// positions on cache lines of their own, and each side keeping a cached
// copy of the other's position that it reloads only when the copy says the
// ring is full or empty (Erik Rigtorp's SPSCQueue,
// https://rigtorp.se/ringbuffer/). A batch is published with one update of
// a position.
//
// Only one goroutine at a time may call the enqueue methods, and only one
// the dequeue methods; Close, Len and Cap may be called from any goroutine.
// Create one with [NewSPSC]; the zero value is not usable. An SPSC must
// not be copied after first use.
//
// A successful enqueue of v synchronizes before the dequeue that returns v,
// in the terms of [the Go memory model].
//
// Memory: Cap() slots of T and about 750 bytes for the padded positions.
//
// [the Go memory model]: https://go.dev/ref/mem
type SPSC[T any] struct {
	buf  []T
	mask uint64 // len(buf) - 1
	state
}

// NewSPSC returns an empty SPSC queue that holds at least capacity items;
// the capacity is rounded up to a power of two. It panics if capacity is
// less than 1 or more than 1<<40.
func NewSPSC[T any](capacity int, opts ...Option) *SPSC[T] {
	return newSPSCAt[T](capacity, 0, opts)
}

func newSPSCAt[T any](capacity int, start uint64, opts []Option) *SPSC[T] {
	n := roundCapacity(capacity)
	q := &SPSC[T]{buf: make([]T, n), mask: uint64(n - 1)}
	q.state.init(n, start, opts)
	return q
}

// room returns how many items the producer can add at tail t, reloading
// the cached head only when the cache says there is no room for want.
func (q *SPSC[T]) room(t uint64, want int) int {
	free := int((q.headCache + q.span - t) / step)
	if free < want {
		q.headCache = q.head.Load()
		free = int((q.headCache + q.span - t) / step)
	}
	return free
}

// publish moves the tail from t past n filled slots, unless Close has
// marked it, in which case the n slots are cleared again and not published.
func (q *SPSC[T]) publish(t uint64, n int) status {
	if !q.tail.CompareAndSwap(t, t+uint64(n)*step) {
		q.clear(t, n)
		return closed
	}
	q.notEmpty.Notify(n)
	return done
}

func (q *SPSC[T]) enqueue(v T) status {
	t := q.tail.Load()
	if t&closedMark != 0 {
		return closed
	}
	if q.room(t, 1) == 0 {
		return retry
	}
	q.buf[index(t, q.mask)] = v
	return q.publish(t, 1)
}

func (q *SPSC[T]) enqueueBatch(vs []T) (int, status) {
	t := q.tail.Load()
	if t&closedMark != 0 {
		return 0, closed
	}
	if len(vs) == 0 {
		return 0, done
	}
	n := min(len(vs), q.room(t, len(vs)))
	if n == 0 {
		return 0, retry
	}
	i := int(index(t, q.mask))
	k := copy(q.buf[i:], vs[:n])
	copy(q.buf, vs[k:n])
	if st := q.publish(t, n); st != done {
		return 0, st // Close won: none of the n got in
	}
	return n, done
}

// ready returns how many items the consumer can take at head h, reloading
// the cached tail only when the cache says there are fewer than want. It
// reports closed when there are none and the queue is closed.
func (q *SPSC[T]) ready(h uint64, want int) (int, status) {
	avail := int((q.tailCache - h) / step)
	if avail < want {
		t := q.tail.Load()
		q.tailCache = t &^ closedMark
		avail = int((q.tailCache - h) / step)
		if avail == 0 {
			if t&closedMark != 0 {
				return 0, closed
			}
			return 0, retry
		}
	}
	return avail, done
}

func (q *SPSC[T]) dequeue() (T, status) {
	h := q.head.Load()
	if _, st := q.ready(h, 1); st != done {
		var zero T
		return zero, st
	}
	s := &q.buf[index(h, q.mask)]
	v := *s
	var zero T
	*s = zero
	q.head.Store(h + step)
	q.notFull.Notify(1)
	return v, done
}

func (q *SPSC[T]) dequeueBatch(dst []T) (int, status) {
	if len(dst) == 0 {
		return 0, done
	}
	h := q.head.Load()
	avail, st := q.ready(h, len(dst))
	if st != done {
		return 0, st
	}
	n := min(len(dst), avail)
	i := int(index(h, q.mask))
	k := copy(dst[:n], q.buf[i:])
	copy(dst[k:n], q.buf)
	q.clear(h, n)
	q.head.Store(h + uint64(n)*step)
	q.notFull.Notify(n)
	return n, done
}

// clear zeroes the n slots from position p on.
func (q *SPSC[T]) clear(p uint64, n int) {
	i := int(index(p, q.mask))
	j := min(i+n, len(q.buf))
	clear(q.buf[i:j])
	clear(q.buf[:n-(j-i)])
}

// TryEnqueue adds v unless the queue is full or closed, and reports whether
// it did. It never blocks. It must only be called by the single producer.
func (q *SPSC[T]) TryEnqueue(v T) bool { return q.enqueue(v) == done }

// Enqueue adds v, waiting while the queue is full. It returns ErrClosed,
// and does not add v, if the queue is closed first. It must only be called
// by the single producer.
func (q *SPSC[T]) Enqueue(v T) error { return q.EnqueueContext(context.Background(), v) }

// EnqueueContext adds v, waiting while the queue is full. It returns
// ctx.Err() if ctx is done first, and ErrClosed if the queue is closed
// first; in both cases v is not added. It must only be called by the single
// producer.
func (q *SPSC[T]) EnqueueContext(ctx context.Context, v T) error {
	st := q.enqueue(v)
	if st == done {
		return nil
	}
	return enqueueFrom(ctx, &q.state, st, q.enqueue, v)
}

// TryEnqueueBatch adds the longest prefix of vs that fits and publishes it
// with one update of the tail, and returns its length: 0 only if the queue
// is full or closed, or vs is empty. It must only be called by the single
// producer.
func (q *SPSC[T]) TryEnqueueBatch(vs []T) int {
	n, _ := q.enqueueBatch(vs)
	return n
}

// EnqueueBatch adds all of vs in order, waiting for room as often as it
// must. It returns how many items were added, and ErrClosed if the queue
// was closed before all were. It must only be called by the single
// producer.
func (q *SPSC[T]) EnqueueBatch(vs []T) (int, error) {
	return enqueueAll(&q.state, vs, q.enqueueBatch)
}

// TryDequeue removes and returns the oldest item, unless the queue is
// empty. It never blocks. It must only be called by the single consumer.
func (q *SPSC[T]) TryDequeue() (T, bool) {
	v, st := q.dequeue()
	return v, st == done
}

// Dequeue removes and returns the oldest item, waiting while the queue is
// empty. It returns ErrClosed once the queue is closed and drained. It must
// only be called by the single consumer.
func (q *SPSC[T]) Dequeue() (T, error) { return q.DequeueContext(context.Background()) }

// DequeueContext removes and returns the oldest item, waiting while the
// queue is empty. It returns ctx.Err() if ctx is done first, and ErrClosed
// once the queue is closed and drained. It must only be called by the
// single consumer.
func (q *SPSC[T]) DequeueContext(ctx context.Context) (T, error) {
	v, st := q.dequeue()
	if st == done {
		return v, nil
	}
	return dequeueFrom(ctx, &q.state, st, q.dequeue)
}

// TryDequeueBatch removes up to len(dst) of the oldest items into a prefix
// of dst, freeing their slots with one update of the head, and returns how
// many: 0 only if the queue is empty or dst is. It must only be called by
// the single consumer.
func (q *SPSC[T]) TryDequeueBatch(dst []T) int {
	n, _ := q.dequeueBatch(dst)
	return n
}

// DequeueBatch removes up to len(dst) of the oldest items into a prefix of
// dst, waiting until there is at least one, and returns how many. It
// returns ErrClosed once the queue is closed and drained, and returns at
// once if dst is empty. It must only be called by the single consumer.
func (q *SPSC[T]) DequeueBatch(dst []T) (int, error) {
	return dequeueSome(&q.state, dst, q.dequeueBatch)
}
