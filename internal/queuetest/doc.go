// Package queuetest is the conformance suite that every queue in ringq
// passes: the baselines in atomicsem, the rings in ring, the adapters in the
// bench module, and a channel-backed reference queue, ChanQueue, that proves
// the suite itself on a queue known to be correct.
//
// A queue's tests describe it with a Factory and hand it to Run, and to
// Fuzz for a go test -fuzz target:
//
//	var mpmc = queuetest.Factory{
//		Name:       "MPMC",
//		New:        func(c int) queuetest.Queue[uint64] { return ring.NewMPMC[uint64](c) },
//		NewPointer: func(c int) queuetest.Queue[*queuetest.Item] { return ring.NewMPMC[*queuetest.Item](c) },
//		NewAt:      func(c int, start uint64) queuetest.Queue[uint64] { return ring.NewMPMCAt[uint64](c, start) },
//	}
//
//	func TestMPMC(t *testing.T)  { queuetest.Run(t, mpmc) }
//	func FuzzMPMC(f *testing.F) { queuetest.Fuzz(f, mpmc) }
//
// Run checks, each in a subtest of its own: sequential behaviour against a
// model (Sequential); exactly-once, per-producer FIFO delivery under every
// shape of producers and consumers the queue allows (Stress); that Try
// calls fail only on a full or empty queue (NoSpuriousFailure) and see
// every enqueue and dequeue that has returned (NoLazyPublication); Close,
// its wakeups and no leaked goroutines (Close); wakeups at capacities 1
// and 2 and at GOMAXPROCS=1 (Wakeup); deadlines and cancellation (Context);
// linearizability of short concurrent histories, with porcupine
// (Linearizable); zero allocation (Allocs); that a dequeued pointer is not
// kept alive (Collectable); the wrap of the position counters (Wraparound,
// with Factory.NewAt); and the batch methods of a BatchQueue (Batch, and
// within the others).
//
// # The contract in detail
//
// Where the contract in the README leaves a choice, the suite holds
// queues to this:
//
//   - Close takes effect in two steps within the call: from the first,
//     enqueues may fail; from the second, they must, and a dequeue on a
//     drained queue reports ErrClosed. An enqueue racing with Close may
//     succeed after another was refused, but never after a dequeue has
//     reported the queue drained; every item that got in comes out.
//   - A call with an already-cancelled context may succeed if it need not
//     wait; one that would wait returns ctx.Err() and changes nothing. A
//     batch enqueue is held to more: with a done context it adds the
//     longest prefix that fits at once, and returns ctx.Err() with the
//     count if that is not all; whenever it gives up, the items it added
//     stay.
//   - Alone in the queue, a batch call moves all it can: the longest
//     prefix that fits, or min(len(dst), Len()) items. Under concurrency it
//     moves at least one item unless none can move, and never more than
//     can. An empty batch returns 0 at once, without waiting: with
//     ErrClosed where a longer one would fail at once with it (an enqueue
//     on a closed queue, a dequeue on a closed and drained one), and with
//     no error otherwise, whatever its context.
//   - A failed TryDequeue, and a dequeue that fails, return the zero value.
//
// # Scale
//
// Under the race detector and under -short the suite does less of each
// check; allocation counts are skipped under -race, which allocates on its
// own. With RINGQ_SOAK=n in the environment (n such as 1e9) Run also moves
// n items through each shape of producers and consumers and prints what it
// checked. The goroutine-leak checks assume that no test runs in parallel
// with Run.
package queuetest
