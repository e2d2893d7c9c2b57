package queuetest

import "context"

// Queue is ringq's queue contract, which every queue in the module
// implements. See README.md for the contract in prose.
type Queue[T any] interface {
	TryEnqueue(v T) bool
	TryDequeue() (T, bool)
	Enqueue(v T) error
	Dequeue() (T, error)
	EnqueueContext(ctx context.Context, v T) error
	DequeueContext(ctx context.Context) (T, error)
	Close()
	Len() int
	Cap() int
}

// BatchQueue is the batch extension of the contract that the rings in
// package ring implement. Run checks it whenever a queue has it.
type BatchQueue[T any] interface {
	Queue[T]
	TryEnqueueBatch(vs []T) int
	TryDequeueBatch(dst []T) int
	EnqueueBatch(vs []T) (int, error)
	DequeueBatch(dst []T) (int, error)
	EnqueueBatchContext(ctx context.Context, vs []T) (int, error)
	DequeueBatchContext(ctx context.Context, dst []T) (int, error)
}

// Closer is what a queue has that reports whether it is closed: the
// rings and the atomicsem buffers. Run checks it whenever a queue has it:
// false until Close, true from then on, and once it is true no enqueue
// succeeds.
type Closer interface {
	Closed() bool
}

// Item is the pointer target of the queues that Factory.NewPointer makes.
type Item struct{ N uint64 }

// Factory describes a queue implementation to Run.
type Factory struct {
	// Name labels the implementation in test names.
	Name string
	// New returns an empty queue of at least the given capacity. Cap()
	// reports the real one.
	New func(capacity int) Queue[uint64]
	// NewPointer returns a queue of pointers, for the test that dequeued
	// pointers are not kept alive by the queue.
	NewPointer func(capacity int) Queue[*Item]
	// NewAt, when set, returns a queue whose internal positions start at
	// start, so that tests can cross the wraparound of the 64-bit
	// counters. Implementations without counters leave it nil.
	NewAt func(capacity int, start uint64) Queue[uint64]
	// SingleProducer and SingleConsumer say that at most one goroutine
	// may enqueue, or dequeue, at a time.
	SingleProducer, SingleConsumer bool
	// ExactCap says that Cap() equals the capacity asked for; otherwise
	// it may be larger (the rings round up to a power of two).
	ExactCap bool
}
