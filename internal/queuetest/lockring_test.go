package queuetest

import (
	"context"
	"math/bits"
	"sync"
	"testing"

	"github.com/ringq/ringq/internal/qerr"
	"github.com/ringq/ringq/internal/wait"
)

// lockRing is a second known-good queue, for the parts of the suite that
// ChanQueue cannot reach: a ring of a power-of-two size under a mutex, with
// batches, 64-bit positions that can start anywhere (NewAt), a capacity
// rounded up (not ExactCap), and the module's wait policy.
//
// Invariants, under mu: head <= tail <= head+len(buf) in modular
// arithmetic; the items are buf[head&mask], …, buf[(tail-1)&mask]; every
// other slot is zero.
type lockRing[T any] struct {
	mu       sync.Mutex
	buf      []T
	mask     uint64
	head     uint64 // position of the next item to dequeue
	tail     uint64 // position of the next item to enqueue
	closed   bool
	notEmpty wait.Event
	notFull  wait.Event
}

func newLockRing[T any](capacity int, start uint64) *lockRing[T] {
	if capacity < 1 {
		panic("queuetest: capacity < 1")
	}
	n := 1 << bits.Len(uint(capacity-1))
	return &lockRing[T]{buf: make([]T, n), mask: uint64(n - 1), head: start, tail: start}
}

// lockRingFactory describes lockRing to Run.
var lockRingFactory = Factory{
	Name:       "lockring",
	New:        func(c int) Queue[uint64] { return newLockRing[uint64](c, 0) },
	NewPointer: func(c int) Queue[*Item] { return newLockRing[*Item](c, 0) },
	NewAt:      func(c int, start uint64) Queue[uint64] { return newLockRing[uint64](c, start) },
}

func TestLockRing(t *testing.T) { Run(t, lockRingFactory) }

// TestLockRingSPSC runs the suite as for a single-producer,
// single-consumer queue, which takes its other paths.
func TestLockRingSPSC(t *testing.T) {
	f := lockRingFactory
	f.Name, f.SingleProducer, f.SingleConsumer = "lockring-spsc", true, true
	Run(t, f)
}

func FuzzLockRing(f *testing.F) { Fuzz(f, lockRingFactory) }

func (q *lockRing[T]) TryEnqueueBatch(vs []T) int {
	q.mu.Lock()
	n := 0
	if !q.closed {
		n = min(len(vs), len(q.buf)-int(q.tail-q.head))
		for _, v := range vs[:n] {
			q.buf[q.tail&q.mask] = v
			q.tail++
		}
	}
	q.mu.Unlock()
	if n > 0 {
		q.notEmpty.Notify(n)
	}
	return n
}

func (q *lockRing[T]) TryDequeueBatch(dst []T) int {
	var zero T
	q.mu.Lock()
	n := min(len(dst), int(q.tail-q.head))
	for i := range dst[:n] {
		dst[i] = q.buf[q.head&q.mask]
		q.buf[q.head&q.mask] = zero
		q.head++
	}
	q.mu.Unlock()
	if n > 0 {
		q.notFull.Notify(n)
	}
	return n
}

func (q *lockRing[T]) EnqueueBatch(vs []T) (int, error) {
	return q.EnqueueBatchContext(context.Background(), vs)
}

func (q *lockRing[T]) EnqueueBatchContext(ctx context.Context, vs []T) (int, error) {
	if ctx == nil {
		panic(nilContext)
	}
	if len(vs) == 0 {
		if q.isClosed() {
			return 0, qerr.ErrClosed
		}
		return 0, nil
	}
	var b wait.Backoff
	n := 0
	for {
		n += q.TryEnqueueBatch(vs[n:])
		if n == len(vs) {
			return n, nil
		}
		if q.isClosed() {
			return n, qerr.ErrClosed
		}
		if err := b.Wait(ctx, &q.notFull, q.canEnqueue); err != nil {
			return n, err
		}
	}
}

func (q *lockRing[T]) DequeueBatch(dst []T) (int, error) {
	return q.DequeueBatchContext(context.Background(), dst)
}

func (q *lockRing[T]) DequeueBatchContext(ctx context.Context, dst []T) (int, error) {
	if ctx == nil {
		panic(nilContext)
	}
	if len(dst) == 0 {
		if q.isClosed() && q.Len() == 0 {
			return 0, qerr.ErrClosed
		}
		return 0, nil
	}
	var b wait.Backoff
	for {
		if n := q.TryDequeueBatch(dst); n > 0 {
			return n, nil
		}
		if q.isClosed() && q.Len() == 0 {
			return 0, qerr.ErrClosed
		}
		if err := b.Wait(ctx, &q.notEmpty, q.canDequeue); err != nil {
			return 0, err
		}
	}
}

func (q *lockRing[T]) TryEnqueue(v T) bool { return q.TryEnqueueBatch([]T{v}) == 1 }

func (q *lockRing[T]) TryDequeue() (T, bool) {
	var dst [1]T
	n := q.TryDequeueBatch(dst[:])
	return dst[0], n == 1
}

func (q *lockRing[T]) Enqueue(v T) error { return q.EnqueueContext(context.Background(), v) }

func (q *lockRing[T]) EnqueueContext(ctx context.Context, v T) error {
	_, err := q.EnqueueBatchContext(ctx, []T{v})
	return err
}

func (q *lockRing[T]) Dequeue() (T, error) { return q.DequeueContext(context.Background()) }

func (q *lockRing[T]) DequeueContext(ctx context.Context) (T, error) {
	var dst [1]T
	_, err := q.DequeueBatchContext(ctx, dst[:])
	return dst[0], err
}

func (q *lockRing[T]) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.notEmpty.NotifyAll()
	q.notFull.NotifyAll()
}

func (q *lockRing[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return int(q.tail - q.head)
}

func (q *lockRing[T]) Cap() int { return len(q.buf) }

func (q *lockRing[T]) isClosed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

func (q *lockRing[T]) canEnqueue() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed || q.tail-q.head < uint64(len(q.buf))
}

func (q *lockRing[T]) canDequeue() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed || q.tail != q.head
}
