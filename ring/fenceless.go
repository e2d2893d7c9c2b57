package ring

import (
	"runtime"
	"sync/atomic"
	"time"
)

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
// Parks and Closes are rare next to items, so an SPSC makes them pay
// instead, where the kernel lets a thread fence the others (fenceAll,
// Linux's membarrier(2)): the asymmetric pattern that membarrier was added
// for, and that userspace RCU's membarrier flavour uses. The frequent side
// runs without fences; the rare side pays for a barrier on every running
// thread of the process. Each side has a guard word that the other side
// writes and it reads (tailGuard for the producer, headGuard for the
// consumer); while a side's guard is nonzero it keeps its fences, as a
// fenced SPSC does.
//
// The producer publishes with plainPublish:
//
//	publishing = 1; if tailGuard == 0 { tail = next }; publishing = 0
//
// and, finding the guard set, with the compare-and-swap and a look at
// the parked consumers (publishFenced). The consumer moves the head with
// a plain store and then reads headGuard; finding it set, it stores the
// head again with a fence, and then looks at the parked producers, as it
// always does (moveHead; one that finds the guard set before it stores
// makes just the locked store). A fenceAll call splits each of the other
// threads' runs at the point where that thread executes the barrier:
// what it stored before that point is visible once fenceAll returns, and
// what it loads after it sees what the caller stored before the call.
//
// Close (guardTail) sets guardClose in tailGuard, calls fenceAll (if the
// process has registered for it: until then no side has dropped its
// fences) and waits until publishing is 0; then it sets closedMark. A
// producer that set publishing before the barrier point is waited for,
// and its store of the tail, if it made one, is visible before its
// publishing = 0, so the mark goes on top of it; one that set it after
// that point sees the guard and takes the compare-and-swap, which fails
// once the mark is set. So the tail never moves once the mark is set, and
// an enqueue that returns nil has its item before the mark. With fenceAll
// taken out, queuetest's Close tests found a tail whose mark a producer's
// store had wiped within 30 runs on ringq's 2-core machine, and its
// consumers spun for ever.
//
// A consumer about to park registers on notEmpty, and then, in the check
// that follows (consumerReady, with guardTail), sets guardPark in
// tailGuard, calls fenceAll and waits until publishing is 0 before it
// reads the tail. A publish that set publishing before the barrier point
// has stored its tail by the time the consumer reads it; one that set it
// after sees the guard, and its compare-and-swap and look at the waiters
// find the consumer registered (it registered before the call). A
// producer about to park (producerReady) registers on notFull, sets
// headGuard and calls fenceAll before it reads the head. A consumer that
// stored the head before its barrier point made the store visible; one
// that stored it after reads headGuard after that point, sees it set, and
// fences before it looks for the producer, which registered before the
// call. The
// consumer reads the guard again after its plain store: a consumer that
// read it only before, found it clear and was then preempted could store
// the head, and look for parked producers, with no fence between, in the
// middle of a later park. While a side's guard stays set, later parks of
// the other side need no fenceAll: the fences of the guarded side and the
// locked instruction of the registration are the classic pairing.
//
// The guards stay set until the side that set them has moved relaxAfter
// items without parking, finds the other side streaming, and last called
// fenceAll at least minFenceGap ago (mayRelax): a fenceAll costs about
// 2.9 µs on ringq's 2-core Intel Xeon and interrupts every CPU that runs
// a thread of the process, so a side that parks every few hundred items,
// as a consumer fed now and then does, parks on a guarded queue and pays
// no fenceAll. Every SPSC starts guarded: the process registers for
// membarrier in the background at the first one (registerFence), and no
// side lets go of a guard before that has succeeded. Race builds run the
// same protocol with Go's atomic operations, which the detector sees.
//
// Where locked instructions are cheap, all this costs more than the fences
// it saves, so an SPSC is fenceless only where they are costly
// (fencesCostly, measured once, by the first SPSC to ask): where a
// compare-and-swap takes at least 1.5 times as long as plainPublish. On
// ringq's 2-core Intel Xeon a compare-and-swap takes 9-11 ns; on its
// 2-core AMD EPYC one took 2.3 ns and a plainPublish 3.3, and single
// items through a fenceless SPSC took a third longer there, 7.2 ns
// against 5.4 once it kept its fences (bench/results/fence-cost.txt).
//
// Measured on ringq's 2-core Intel Xeon, in this package's benchmarks:
// single items through an SPSC under WaitYield took 13.8 ns against 19.2
// with Close's handshake alone (bench/results/fenceless.txt), and under
// WaitPark, with the guards, 15.2 ns against 19.9; a ping-pong through two
// one-slot Lamport rings stayed level, once sides that take turns kept
// their guards (bench/results/fenceless-park.txt). On a 16-core Xeon,
// where a fenceAll interrupts up to fifteen other CPUs, single items moved
// 14% faster than through the same SPSC WithoutMembarrier (16 runs,
// p=0.001). A consumer fed an item every 10 µs got it as soon under
// WaitPark (44 runs; the 13% later of an earlier set, at p=0.03 in 24
// comparisons, did not come back), and 8% later under WaitYield, on 2
// cores too; 7-8% once each side's fields shared a line, for reasons not
// found (bench/results/without-membarrier-16core.txt, side-lines.txt).

// Bits of tailGuard.
const (
	guardClose = 1 << iota // Close has begun
	guardPark              // the consumer may park
)

// relaxAfter is how many items a side of an SPSC moves without parking
// before it lets the other side go without fences again, and minFenceGap
// how long after its last fenceAll (see mayRelax); tests make some SPSCs
// let go at once (state.relaxSpan, state.relaxGap).
const (
	relaxAfter  = 1 << 12
	minFenceGap = time.Millisecond
)

// The calibration of fencesCostly: calibrationRounds rounds of
// calibrationOps publishes each way; fences are costly where the locked
// publishes take lockedPlainRatio times as long as the plain ones.
const (
	calibrationRounds = 5
	calibrationOps    = 1000
	lockedPlainRatio  = 1.5
)

// costlyFences is fencesCostly's verdict on calibrationOps publishes
// that took locked with a compare-and-swap and plain with plainPublish.
func costlyFences(locked, plain time.Duration) bool {
	return float64(locked) >= lockedPlainRatio*float64(plain)
}

// epoch is what the sides time their fenceAll calls from: time.Since
// reads the monotonic clock.
var epoch = time.Now()

// The states of the process's membarrier registration (registerFence).
const (
	fenceUnknown = iota
	fenceRegistering
	fenceRegistered
	fenceRefused
)

var fenceState atomic.Uint32

// fenceReady reports whether fenceAll works in this process: whether its
// registration, which the first SPSC started, has succeeded.
func fenceReady() bool { return fenceState.Load() == fenceRegistered }

// guardTail is the handshake of Close (bit guardClose) and of a consumer
// about to park (guardPark) with the producer: it sets bit in tailGuard,
// and after it no producer is inside a plain publish, and none will start
// one while the bit is set. If the process never registered for
// membarrier, no side ever let go of its guard, and the producer never
// published plainly: then the bit is enough. (A consumer that finds its
// guard down has seen the registration succeed: mayRelax lets go of a
// guard only then.)
func (s *state) guardTail(bit uint64) {
	s.tailGuard.Or(bit)
	if fenceReady() {
		fenceAll()
	}
	for s.publishing.Load() != 0 {
		runtime.Gosched() // the producer is inside plainPublish: a few instructions
	}
}

// consumerReady is canDequeue for a consumer of a fenceless SPSC that has
// registered to park: it makes sure that the producer either has
// published visibly or will look for it, first.
func (s *state) consumerReady() bool {
	v := &s.cons
	if !v.guarded {
		s.guardTail(guardPark)
		v.guarded, v.fencedAt = true, time.Since(epoch)
	}
	v.quietFrom = v.own
	return s.canDequeue()
}

// producerReady is canEnqueue for a producer of a fenceless SPSC that has
// registered to park, as consumerReady is for a consumer.
func (s *state) producerReady() bool {
	v := &s.prod
	if !v.guarded {
		s.headGuard.Store(1)
		fenceAll()
		v.guarded, v.fencedAt = true, time.Since(epoch)
	}
	v.quietFrom = v.own
	return s.canEnqueue()
}

// mayRelax reports whether a side of a fenceless SPSC, whose view is v
// and whose own position is at pos, may let go of the guard it set on the
// other side: once it has moved relaxAfter items since it last parked, a
// look at the other side's position has just found several items (or free
// slots) at once, the other side streams, and its last fenceAll is
// minFenceGap old. Only the side calls it, and only while it is not
// registered to park.
//
// Why only when the other side streams: where the two sides take turns,
// as in a ping-pong, the fences measured faster than plain stores, a
// Lamport ring of one slot's round trip taking 775 ns with them against
// 936 once the guards were down (bench/results/fenceless-park.txt). On a
// locked instruction the core waits until its store owns the line; a
// plain store waits in the store buffer while the core goes on, and
// reached the other side later here.
//
// Why not sooner than minFenceGap: each fenceAll interrupts every CPU
// that runs a thread of the process, and a side that streams a few
// thousand items and then parks, again and again, would call it every few
// tens of microseconds. So a side calls it at most once a millisecond;
// one that finds it too soon counts relaxAfter items again.
func (s *state) mayRelax(v *view, pos uint64) bool {
	if pos-v.quietFrom < s.relaxSpan || v.found < patientAfter || !fenceReady() {
		return false
	}
	if time.Since(epoch)-v.fencedAt < s.relaxGap {
		v.quietFrom = pos
		return false
	}
	return true
}

// relaxTail lets the producer of a fenceless SPSC publish without fences
// again, if the consumer, at head h, may (see mayRelax).
func (s *state) relaxTail(h uint64) {
	if s.mayRelax(&s.cons, h) {
		s.tailGuard.And(^uint64(guardPark))
		s.cons.guarded = false
	}
}

// relaxHead lets the consumer of a fenceless SPSC store the head without
// fences again, if the producer, at tail t, may (see mayRelax).
func (s *state) relaxHead(t uint64) {
	if s.mayRelax(&s.prod, t) {
		s.headGuard.Store(0)
		s.prod.guarded = false
	}
}
