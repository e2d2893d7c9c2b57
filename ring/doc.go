// Package ring provides bounded, lock-free FIFO queues for passing values
// between goroutines, in place of a buffered channel where the channel's
// lock costs too much:
//
//   - [SPSC]: one producer and one consumer (Lamport's ring with cached
//     opposite indices);
//   - [MPSC]: many producers and one consumer;
//   - [MPMC]: many producers and many consumers (Vyukov's bounded queue).
//
// Every queue has non-blocking Try methods, blocking methods that wait with
// the queue's [WaitPolicy], batch methods that claim and publish many slots
// at once, Context variants of every blocking method, and Close. Capacities are rounded up to a power
// of two; Cap reports the real one.
//
// # Choosing a queue
//
// Use [MPMC] when more than one goroutine dequeues, [MPSC] when one does
// and more than one enqueues, and [SPSC] between one producer and one
// consumer. On ringq's 2-core test machine, SPSC moved single items at
// 4.6 ns, against 7-8 for MPSC and MPMC, 64-byte items at 15-27 ns
// against 58-63, and batches (TryEnqueueBatch, DequeueBatch and the rest)
// at 0.8-1.4 ns an item, against 6-9. BENCHMARKS.md in the repository has
// the figures, machine by machine.
//
// # Contract
//
// Items leave in the order they entered (with many producers, in each
// producer's order), each exactly once. TryEnqueue fails only when the queue
// is full and TryDequeue only when it is empty, never because another
// goroutine won a race. Once Enqueue has returned, a dequeue that starts
// afterwards sees the item. After Close, enqueues fail with [ErrClosed],
// every item accepted before is still delivered, and dequeues return
// ErrClosed once the queue is drained; every blocked goroutine wakes up.
// Dequeued slots are zeroed, so a queue never keeps a dequeued pointer alive.
//
// In the terms of [the Go memory model], a successful enqueue of v
// synchronizes before the dequeue that returns v.
//
// # Positions
//
// Each queue counts positions in 64-bit integers that grow without bound
// and wrap around: the producers' position (tail) and the consumers'
// position (head). Positions advance in steps of 2 so that bit 0 of the
// tail can carry the closed mark: Close sets it with one atomic OR, and a
// producer claims a position with a compare-and-swap that fails once the
// mark is set. The consumers therefore know exactly where the accepted items
// end, even while a producer that claimed a slot before Close is still
// writing it. (crossbeam's channels keep a mark bit in their tail for the
// same reason.)
//
// [the Go memory model]: https://go.dev/ref/mem
package ring
