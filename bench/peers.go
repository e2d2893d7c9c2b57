package bench

import (
	"time"

	"github.com/Workiva/go-datastructures/queue"
	"github.com/puzpuzpuz/xsync/v4"
)

func newXsyncSPSC[T any](capacity int) Queue[T] {
	return NewSpinning[T](xsync.NewSPSCQueue[T](capacity))
}

func newXsyncMPMC[T any](capacity int) Queue[T] {
	return NewSpinning[T](xsync.NewMPMCQueue[T](capacity))
}

// workiva adapts Workiva's RingBuffer, which holds interface{} values: each
// item that is not a pointer is boxed, which allocates. Its own Put and Get
// block (retrying with runtime.Gosched), so they are used as they are.
type workiva[T any] struct{ rb *queue.RingBuffer }

func newWorkiva[T any](capacity int) Queue[T] {
	return workiva[T]{queue.NewRingBuffer(uint64(capacity))}
}

// TryEnqueue offers v once.
func (w workiva[T]) TryEnqueue(v T) bool {
	ok, err := w.rb.Offer(v)
	return ok && err == nil
}

// TryDequeue polls once: Poll checks the timeout only after a failed try.
func (w workiva[T]) TryDequeue() (T, bool) {
	x, err := w.rb.Poll(time.Nanosecond)
	if err != nil {
		var zero T
		return zero, false
	}
	return x.(T), true
}

// Enqueue is the RingBuffer's Put, which retries with runtime.Gosched.
func (w workiva[T]) Enqueue(v T) error { return w.rb.Put(v) }

// Dequeue is the RingBuffer's Get, which retries with runtime.Gosched.
func (w workiva[T]) Dequeue() (T, error) {
	x, err := w.rb.Get()
	if err != nil {
		var zero T
		return zero, err
	}
	return x.(T), nil
}
