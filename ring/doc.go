// Package ring provides bounded FIFO queues for passing values between
// goroutines, in place of a buffered channel where the channel's lock costs
// too much. No mutex guards them: producers and consumers meet on atomic
// positions and slots.
//
//   - [SPSC]: one producer and one consumer (Lamport's ring with cached
//     opposite indices; under 32 slots, Vyukov's, which is faster there);
//   - [MPSC]: many producers and one consumer;
//   - [MPMC]: many producers and many consumers (Vyukov's bounded queue).
//
// Every queue has non-blocking Try methods, blocking methods that wait with
// the queue's [WaitPolicy], batch methods that claim and publish many slots
// at once, Context variants of every blocking method, an iterator (All)
// for a consumer that ranges over a queue as over a channel, Close and
// Closed. Capacities are rounded up to a power of two; Cap reports the
// real one.
//
// # Choosing a queue
//
// Use [MPMC] when more than one goroutine dequeues, [MPSC] when one does
// and more than one enqueues, and [SPSC] between one producer and one
// consumer. On a 2-core AMD EPYC (KVM), an SPSC of 32 slots or more
// moved single items at 5.4 ns, against 7 for MPSC and MPMC, 64-byte
// items at 15-27 ns against 58-63, and batches (TryEnqueueBatch,
// DequeueBatch and the rest) at 0.8-1.4 ns an item, against 6-9; a
// smaller SPSC is MPSC's ring, and as fast. BENCHMARKS.md in the
// repository has the figures, machine by machine.
//
// # Contract
//
// Items leave in the order they entered (with many producers, in each
// producer's order), each exactly once. TryEnqueue fails only when the queue
// is full or closed and TryDequeue only when it is empty, never because
// another goroutine won a race. Once Enqueue has returned, a dequeue that
// starts afterwards sees the item. After Close, enqueues fail with
// [ErrClosed], every item accepted before is still delivered, and dequeues
// return ErrClosed once the queue is drained; every blocked goroutine wakes
// up.
// Dequeued slots are zeroed, so a queue never keeps a dequeued pointer alive.
// A Context method given a nil Context panics with "ring: nil Context" once
// it has to wait; one that need not wait does not look at its Context.
//
// In the terms of [the Go memory model], a successful enqueue of v
// synchronizes before the dequeue that returns v.
//
// # Progress
//
// The Try methods never park, but an MPSC or MPMC operation (and one on
// an SPSC of fewer than 32 slots, a Vyukov ring too) may wait, as
// crossbeam's ArrayQueue does: one that finds its slot claimed by a peer
// that has not yet finished with it (a producer between its claim and its
// publish, a consumer between its claim and its release, a window of a few
// stores) spins and yields until that peer is done, so that Try fails
// only when the queue really is full or empty; and one that loses a
// compare-and-swap to a peer yields once before it tries again (a batch
// spins briefly first). Like every bounded queue of Vyukov's design, these
// are therefore not lock-free in the strict sense: a goroutine descheduled
// inside that window holds up the goroutines that need its slot until it
// runs again.
//
// An SPSC must be used by one producer and one consumer at a time, and an
// MPSC by one consumer: two goroutines that enqueue (or dequeue) at once
// where one is allowed break the queue, which may lose or duplicate items
// or leave a dequeue spinning for ever. The race detector reports such
// use: in race builds every call of such a side begins with a plain write
// to a word of that side, on which two goroutines at once race, even
// where the ring itself would take them (an SPSC of fewer than 32 slots,
// built as an MPSC, takes many producers without harm).
//
// [the Go memory model]: https://go.dev/ref/mem
package ring
