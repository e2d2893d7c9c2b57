package queuetest

import (
	"context"
	"sync"

	"github.com/ringq/ringq/internal/qerr"
)

// ChanQueue is a bounded FIFO queue built on a buffered channel: the
// reference queue that proves the suite on a queue known to be correct. It
// keeps the whole Queue contract, without batches; it is not fast. The zero
// value is not usable: make one with NewChanQueue.
//
// A ChanQueue must not be copied after first use.
//
// A successful Enqueue of v synchronizes before the Dequeue that returns v,
// in the words of [the Go memory model], because a channel send does before
// the receive that completes it.
//
// Invariants: done is closed when Close begins and sealed when it ends; mu
// is held for reading by every send in flight and for writing by Close
// between the two, so once sealed is closed no send is in flight and none
// can start, and a receiver that finds ch empty knows it is drained.
//
// [the Go memory model]: https://go.dev/ref/mem
type ChanQueue[T any] struct {
	ch     chan T
	done   chan struct{} // closed when Close begins; wakes blocked senders
	sealed chan struct{} // closed when Close ends; no send can follow
	mu     sync.RWMutex  // read-held by senders, write-held by Close
	once   sync.Once
}

// NewChanQueue returns an empty queue that holds capacity items. It panics
// if capacity < 1.
func NewChanQueue[T any](capacity int) *ChanQueue[T] {
	if capacity < 1 {
		panic("queuetest: capacity < 1")
	}
	return &ChanQueue[T]{
		ch:     make(chan T, capacity),
		done:   make(chan struct{}),
		sealed: make(chan struct{}),
	}
}

// TryEnqueue adds v unless the queue is full or closed and reports whether
// it did. It never blocks, except for the moment Close holds the lock.
// It may be called from any goroutine.
func (q *ChanQueue[T]) TryEnqueue(v T) bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closing() {
		return false
	}
	select {
	case q.ch <- v:
		return true
	default:
		return false
	}
}

// TryDequeue removes and returns the oldest item and true, or the zero value
// and false if the queue is empty. It may be called from any goroutine.
func (q *ChanQueue[T]) TryDequeue() (T, bool) {
	select {
	case v := <-q.ch:
		return v, true
	default:
		var zero T
		return zero, false
	}
}

// Enqueue adds v, waiting while the queue is full. It returns ErrClosed if
// the queue is closed before v gets in. It may be called from any goroutine.
func (q *ChanQueue[T]) Enqueue(v T) error {
	return q.EnqueueContext(context.Background(), v)
}

// EnqueueContext is Enqueue that gives up when ctx is done, returning
// ctx.Err(). It may be called from any goroutine.
func (q *ChanQueue[T]) EnqueueContext(ctx context.Context, v T) error {
	if ctx == nil {
		panic(nilContext)
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closing() {
		return qerr.ErrClosed
	}
	select {
	case q.ch <- v:
		return nil
	default:
	}
	select {
	case q.ch <- v:
		return nil
	case <-q.done:
		return qerr.ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Dequeue removes and returns the oldest item, waiting while the queue is
// empty. Once the queue is closed and drained it returns ErrClosed. It may
// be called from any goroutine.
func (q *ChanQueue[T]) Dequeue() (T, error) {
	return q.DequeueContext(context.Background())
}

// DequeueContext is Dequeue that gives up when ctx is done, returning
// ctx.Err(). It may be called from any goroutine.
func (q *ChanQueue[T]) DequeueContext(ctx context.Context) (T, error) {
	if ctx == nil {
		panic(nilContext)
	}
	select {
	case v := <-q.ch:
		return v, nil
	default:
	}
	var zero T
	select {
	case v := <-q.ch:
		return v, nil
	case <-q.done:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	// Close has begun: wait for the sends in flight, then drain.
	<-q.sealed
	select {
	case v := <-q.ch:
		return v, nil
	default:
		return zero, qerr.ErrClosed
	}
}

// Close closes the queue: enqueues fail from then on, and dequeues drain
// what is left, then fail. Every blocked call returns. Close may be called
// from any goroutine, any number of times; it returns once no enqueue can
// succeed any more.
func (q *ChanQueue[T]) Close() {
	q.once.Do(func() {
		close(q.done)
		// Wait out the sends in flight: each holds mu for reading, and
		// every later one sees done closed.
		q.mu.Lock()
		//lint:ignore SA2001 the lock is a barrier: it returns once every send in flight has let go
		q.mu.Unlock()
		close(q.sealed)
	})
}

// Len returns the number of items in the queue. It may be called from any
// goroutine.
func (q *ChanQueue[T]) Len() int { return len(q.ch) }

// Cap returns the number of items the queue holds when full.
func (q *ChanQueue[T]) Cap() int { return cap(q.ch) }

// closing reports whether Close has begun.
func (q *ChanQueue[T]) closing() bool {
	select {
	case <-q.done:
		return true
	default:
		return false
	}
}

// nilContext is what ChanQueue's Context methods panic with when given a
// nil ctx, a caller's bug.
const nilContext = "queuetest: nil Context"
