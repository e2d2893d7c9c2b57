package ring

import (
	"sync/atomic"
	"time"

	"github.com/ringq/ringq/internal/wait"
	"github.com/ringq/ringq/pad"
)

// state is what every ring has besides its slots: the two positions, each
// on cache lines of its own, the wait policy and the two Events that
// blocked goroutines park on. Both cores embed it.
//
// Invariants, in wrapping arithmetic:
//   - head <= tail&^closedMark <= head+span;
//   - tail and head are multiples of step, but for closedMark in tail;
//   - once closedMark is set in tail it stays set and tail never moves.
type state struct {
	span      uint64 // step * capacity: one lap of positions
	policy    wait.Policy
	patience  bool          // the sides' waits learn patience from their views (see own)
	eager     bool          // the sides' waits poll their slots eagerly: a Vyukov ring's (see await)
	fenceless bool          // a Lamport SPSC that publishes its positions with plain stores while unguarded (see fenceless.go)
	relaxSpan uint64        // a fenceless SPSC: step * relaxAfter
	relaxGap  time.Duration // a fenceless SPSC: minFenceGap
	solo      [2]bool       // whether the producers' side, and the consumers', is for one goroutine at a time (see mark)
	notEmpty  wait.Event    // consumers park here
	notFull   wait.Event    // producers park here

	// Each position has a padded block of its own (see package pad). The
	// views are private to one side: the producer reads prod.pos on every
	// enqueue and the consumer cons.pos on every dequeue, and each writes
	// its view when it reloads the other's position, after a wait, (the
	// consumer) when it reaches ahead, and (own) when it moves its own
	// position.
	//
	// What one side of an SPSC touches on every item, besides the
	// positions and the slots, sits on one cache line: the producer's
	// publishing, tailGuard, prod.pos and prod.own, and the consumer's
	// headGuard, cons.pos and cons.own, given a core that starts on a
	// pad.Size block, as newLamportAt's does (TestSideFieldsShareALine).
	// A goroutine that moves to another CPU, as one that waits by yielding
	// often does, finds each line it needs on the CPU it left; two lines
	// on a side cost a miss more. Laid out so, single items moved through
	// an SPSC 14% faster on ringq's 2-core Intel Xeon, and a consumer fed
	// an item every 10 µs under WaitYield got it 7% sooner at the median
	// there and 3% sooner on 16 cores, where throughput stayed level
	// (bench/results/side-lines.txt).
	_          [2]uint64     // puts the producer's four fields below on one line
	tail       pad.Uint64    // next position to fill | closedMark; producers write it
	publishing atomic.Uint64 // a fenceless SPSC: 1 while its producer publishes (see fenceless.go)
	tailGuard  atomic.Uint64 // a fenceless SPSC: guardClose | guardPark, or 0 while the producer may publish plainly
	prod       view          // SPSC: the producer's view of head
	head       pad.Uint64    // next position to empty; consumers write it
	headGuard  atomic.Uint64 // a fenceless SPSC: 1 while its consumer must fence its stores of the head
	cons       view          // SPSC: the consumer's view of tail
	_          [pad.Size - 8]byte

	marks [2]uint64 // what mark writes, in race builds only: after the rest, so as not to move it
}

// view is what one side of an SPSC knows of the other side's position.
// Only that side reads or writes it; the Vyukov cores, whose sides learn
// of each other from the slots, do not use it.
type view struct {
	pos       uint64        // the other side's position at its last reading (tail without closedMark)
	own       uint64        // the side's own position as it last moved it: the tail without closedMark (see publishFenced), or the head (see moveHead)
	found     int           // the free slots (producer) or items (consumer) that reading found
	half      int           // half the ring's slots
	level     int           // the Patience of the side's waits while the other side streams (see learn)
	patience  int           // the Patience of the side's next wait: level, or 0
	sink      byte          // SPSC's consumer: what reachRead loaded
	guarded   bool          // a fenceless SPSC: whether this side's guard on the other side is set (see fenceless.go)
	quietFrom uint64        // a fenceless SPSC: own, when this side last parked, was made, or counted again (see mayRelax)
	fencedAt  time.Duration // a fenceless SPSC: when this side last called fenceAll, since epoch
}

// init starts s for a ring of capacity slots whose positions start at
// start. viewed says whether the sides keep views of each other (a Lamport
// ring), solo which sides are for one goroutine at a time.
func (s *state) init(capacity int, start uint64, viewed bool, solo [2]bool, opts []Option) {
	start &^= closedMark
	s.span = step * uint64(capacity)
	o := buildOptions(opts)
	s.policy = o.policy
	if s.policy == wait.Park { // a Yield-policy waiter never parks
		s.notEmpty.Init()
		s.notFull.Init()
	}
	s.tail.Store(start)
	s.head.Store(start)
	s.prod.pos = start
	s.prod.own = start
	s.cons.pos = start
	s.cons.own = start
	s.solo = solo
	if s.fenceless = viewed && fencePlatform && !o.noMembarrier && (o.fencelessAnyway || fencesCostly()); s.fenceless {
		// Guarded, until the sides have moved items for a while and the
		// process has registered for membarrier (see fenceless.go).
		s.relaxSpan, s.relaxGap = step*relaxAfter, minFenceGap
		s.tailGuard.Store(guardPark)
		s.headGuard.Store(1)
		for _, v := range []*view{&s.prod, &s.cons} {
			v.guarded, v.quietFrom, v.fencedAt = true, start, -minFenceGap // it has never fenced
		}
		registerFence()
	}
	s.eager = !viewed
	s.patience = viewed && capacity >= minPatientCap
	if s.patience {
		for _, v := range []*view{&s.prod, &s.cons} {
			v.half, v.level = capacity/2, firstPatience
		}
	}
}

// Sides, for mark.
const (
	producers = iota
	consumers
)

// mark tells the race detector that a call of side (producers or
// consumers) has begun, when that side of the queue is for one goroutine
// at a time: it writes a word of the side's with a plain store, so that
// two goroutines whose calls are not ordered by a happens-before edge
// (two producers of an SPSC, two consumers of an MPSC) race on it, and
// -race reports them. The writes are first in each call, before the call
// reads anything another goroutine wrote, so that one goroutine handing a
// side to another (by a channel, or through the queue itself) orders them.
// A Lamport ring's own fields are reported without it, but a Vyukov ring
// tolerates two producers, so an SPSC of fewer than minLamportCap slots
// would lose its report, and two consumers of one may spin for ever.
// Outside race builds raceEnabled is a false constant, and the inlined
// call leaves no trace.
func (s *state) mark(side int) {
	if raceEnabled && s.solo[side] {
		s.marks[side]++
	}
}

// own returns v, a side's view, for that side's waits to learn patience
// from (see await): nil if the sides keep no views (viewed, at init), or
// the ring is too small for patience to pay (minPatientCap).
func (s *state) own(v *view) *view {
	if !s.patience {
		return nil
	}
	return v
}

// canEnqueue reports whether an enqueue could succeed now, or the queue is
// closed: the condition a parked producer waits for.
func (s *state) canEnqueue() bool {
	t := s.tail.Load()
	return t&closedMark != 0 || s.roomAt(t, s.head.Load())
}

// roomAt reports whether a producer that read the tail t, and then the
// head h, may find room. Other goroutines may have moved both in between,
// the head past t: then there was room, and the difference is negative,
// so it is compared signed (as an unsigned one it read as full, and a
// producer could park with room in the queue and no wakeup to come). A
// false answer is exact: the tail was at least t when h was read, so the
// queue was full then, and room needs a dequeue, which wakes a producer.
func (s *state) roomAt(t, h uint64) bool {
	return int64(t-h) < int64(s.span)
}

// canDequeue reports whether a dequeue could succeed now, or the queue is
// closed: the condition a parked consumer waits for.
func (s *state) canDequeue() bool { return s.tail.Load() != s.head.Load() }

// closed reports whether Close has been called.
func (s *state) closed() bool { return s.tail.Load()&closedMark != 0 }

// drained reports whether the queue is closed and every item in it has
// been claimed by a consumer: what an empty batch dequeue reports.
func (s *state) drained() bool {
	t := s.tail.Load()
	return t&closedMark != 0 && t&^closedMark == s.head.Load()
}

func (s *state) close() {
	if s.fenceless {
		s.guardTail(guardClose)
	}
	s.tail.Or(closedMark)
	s.notEmpty.NotifyAll()
	s.notFull.NotifyAll()
}

// len returns the number of items, clamped to [0, cap]. The head is read
// first: it never passes the tail, so the difference is never negative
// (the lower clamp is a guard, and a test caught a Len below zero when the
// loads were swapped); but the tail may move on by more than a lap's room
// between the two loads, so the upper clamp is needed.
func (s *state) len() int {
	h := s.head.Load()
	n := int64(s.tail.Load()&^closedMark-h) / step
	return int(min(max(n, 0), int64(s.cap())))
}

func (s *state) cap() int { return int(s.span / step) }
