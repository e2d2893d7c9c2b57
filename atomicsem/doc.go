// Package atomicsem holds ringq's baselines: a bounded counting semaphore
// built on one atomic counter, and the two classic bounded buffers built
// from such semaphores, against which the lock-free rings of package ring
// are measured.
//
// They are the two semaphore designs of the classic producer–consumer
// bounded buffer, done right. They are complete queues, tested by the same
// conformance suite as the rings and fine to use, but slower than the
// rings; they are here to measure against:
//
//   - [SPSCBuffer], for one producer and one consumer: a circular array
//     between a semaphore of free slots (room) and one of published items
//     (items).
//   - [MPMCBuffer], for any number of each: the same with a mutex around
//     the slot and index update.
//
// Both keep ringq's whole queue contract, Close included: enqueues fail
// with [ErrClosed] once the buffer is closed, every item whose enqueue
// succeeded is delivered, and dequeues drain the buffer before they fail.
// Every wait goes through ringq's one wait policy, so the baselines spin,
// yield and park exactly as the rings do.
package atomicsem

import "github.com/ringq/ringq/internal/qerr"

// ErrClosed is returned by the blocking methods of a closed buffer: by an
// enqueue at once, and by a dequeue once the buffer is drained. It is the
// ErrClosed of every ringq queue.
var ErrClosed = qerr.ErrClosed
