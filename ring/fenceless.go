package ring

import "runtime"

// Fenceless publishing.
//
// On amd64 an atomic store, and a compare-and-swap, is a locked
// instruction, a full fence, which waits until every store before it has
// reached the cache. A Lamport SPSC pays one on each side for every item
// (the producer's compare-and-swap of the tail, the consumer's store of
// the head), and on ringq's 2-core Intel Xeon, where a locked instruction
// takes 9-11 ns, those two were the difference between single items at
// 19.5 ns and at 12.0, with plain stores on both sides in a throwaway
// build (bench/results/fenceless.txt). A plain store is a release store
// under x86-TSO (see storeRelease), which is all that handing over an
// item needs. Each fence is there for something else:
//
//   - the head's, for a producer that parks: a consumer stores the head
//     and then reads whether a producer is parked, and a producer that
//     parks registers and then reads the head. Each side stores, then
//     loads, and without a fence both loads can run before the other's
//     store is seen: the producer parks on a full queue, the consumer
//     wakes nobody, and the wakeup is lost. The tail's is the same for a
//     consumer that parks.
//   - the tail's compare-and-swap, for Close: it fails once Close has set
//     closedMark, so that a producer never publishes past the mark, and
//     the consumers know where the accepted items end.
//
// Under the WaitYield policy nobody parks, so only Close needs the tail's
// fence, and Close happens once in a queue's life. So a Lamport SPSC with
// WaitYield is fenceless where the kernel lets it fence other threads
// (canFenceAll): both positions are published with plain stores, and
// Close pays instead, once, with a handshake. The producer publishes
// with plainPublish:
//
//	publishing = 1; if closing == 0 { tail = next }; publishing = 0
//
// and Close (awaitPublish) does:
//
//	closing = 1; fenceAll(); wait until publishing == 0; then set closedMark
//
// Why nothing is lost: fenceAll splits the producer's run at the point
// where its thread executes the barrier. If the producer stored
// publishing = 1 before that point, the store is visible once fenceAll
// returns, and Close waits until the producer clears it; its store of
// the tail, if it made one, is visible before its publishing = 0, and
// Close's closedMark goes on top of it. If it stored publishing = 1 after
// that point, its load of closing, which follows, sees Close's store,
// made before fenceAll, and it does not publish. So the tail never moves
// once the mark is set, as with the compare-and-swap: an enqueue that
// returns nil has its item before the mark, and one that sees closing
// returns ErrClosed.
//
// It is the asymmetric pattern that membarrier(2) was added to Linux for,
// and that userspace RCU's membarrier flavour uses: the frequent side
// runs without fences, the rare side pays for a barrier on every running
// thread of the process. The price is Close's: a system call, an
// interrupt of every CPU that runs one of the process's threads, and a
// wait for a producer that the operating system took off its CPU inside
// those few instructions. The barrier is not a formality:
// with Close's fenceAll taken out, queuetest's Close tests found a tail
// whose mark a producer's store had wiped within 30 runs on ringq's
// 2-core machine, and its consumers spun for ever.
//
// Measured there, in this package's benchmarks: single items through an
// SPSC with WaitYield took 13.8 ns against 19.2 (5.1 times the channel's
// speed, against 4.1), batches of 64 4% less, and WaitPark's queues did
// not move (bench/results/fenceless.txt).
//
// Why not under WaitPark: a waiter about to park would then pay the
// fence instead, a barrier of the whole process before each park (2.9 µs
// there, and an interrupt of every CPU that runs the process), and where
// items come now and then nearly every wait parks. Most of the gain is
// the tail's (19.5 to 14.4 ns with it alone under WaitYield; under
// WaitPark, 18.4 to 15.7 at most), and only a parking consumer needs
// that one. So a WaitPark SPSC could publish its tail
// plainly until its consumer first parks: the consumer, registered,
// would set a fenced bit beside closing, fenceAll and wait for
// publishing to clear, and the producer, finding a bit set, would fall
// back to the compare-and-swap (which also serves Close: it fails once
// the mark is set), clearing the fenced bit again, with a locked
// instruction and a look at the waiters, after some thousands of
// publishes with no consumer parked. Not attempted yet: it changes the
// park path, which wants a run on 16 cores.

// awaitPublish is Close's side of the handshake: after it, no producer
// is inside plainPublish, and none will publish again.
func (s *state) awaitPublish() {
	s.closing.Store(1)
	fenceAll()
	for s.publishing.Load() != 0 {
		runtime.Gosched() // the producer is inside plainPublish: a few instructions
	}
}
