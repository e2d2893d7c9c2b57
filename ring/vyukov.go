package ring

import (
	"reflect"
	"runtime"
	"sync/atomic"
	"unsafe"

	"github.com/ringq/ringq/internal/wait"
	"github.com/ringq/ringq/pad"
)

// slot is one cell of a Vyukov ring. Its sequence number says whose turn
// it is: for the position p that maps to this slot,
//
//	seq == p         the slot is free for the producer of p;
//	seq == p+1       the item of p is in val, ready for its consumer;
//	seq == p+span    the consumer of p is done; free for the next lap.
//
// Positions are even (see "Positions" in position.go), so p+1 is
// never a position and the three states cannot be confused.
//
// A slot takes 8 bytes plus T's size, rounded up to T's alignment, and
// slotType pads it where that pays.
type slot[T any] struct {
	seq atomic.Uint64
	val T
}

// vyukov is MPSC and MPMC, which differ only in how a consumer claims a
// position: Dmitry Vyukov's bounded MPMC queue
// (https://www.1024cores.net/home/lock-free-algorithms/queues/bounded-mpmc-queue),
// with a closed mark in the tail and Try methods that never fail
// spuriously.
//
// The Try methods' attempts are strict (see await): to tell a full or
// empty queue from a peer in the middle of its operation, they read the
// other side's position. A blocking call makes loose attempts while it
// spins, which poll only the slot: a consumer that keeps up with its
// producers then no longer pulls the tail's line away from them on every
// poll, nor a producer the head's from the consumers. That made 64-byte
// items 28-56% faster and 8-byte ones 5-15%, on this module's 2-core
// machine (bench/results/loose-attempts.txt). A producer's loose attempts
// also leave a free slot alone until the consumers are some way ahead
// (see roomAhead).
//
// A claim that loses its compare-and-swap to a peer backs off before it
// tries again, as a contended compare-and-swap loop should: the winner
// needs the line to move on, and an immediate retry takes it away. A
// single item's claim yields the processor at once (runtime.Gosched, as
// Workiva's RingBuffer does); a batch's, which loses less often, pauses.
// On a 16-core machine, where every producer had retried on the same line
// at once, MPMC 4x4 went from 249-274 ns an item to 51-60 with a pause
// (two spin rounds, then a yield) and to 31-34 with a yield at once, and
// MPSC 4x1 from 252-295 to 105-139 and then 51-55; on ringq's 2-core
// machine, where races are rare, the pause made MPMC 2x2 to 8x8 6-18%
// faster, and the yield at once changed nothing more
// (bench/results/lost-race.txt).
//
// Invariants, besides state's: every position in [head, tail) has been
// claimed by a producer, and its item is published (seq == p+1) once that
// producer is done; a slot is free for position p (seq == p) once the
// consumer of p-span is done, which may be after head has passed p-span.
type vyukov[T any] struct {
	base           unsafe.Pointer // the first slot of an array of slotType[T]()
	stride         uintptr        // the distance between two slots in bytes
	mask           uint64         // the number of slots - 1
	single         bool           // one consumer (MPSC): claims need no compare-and-swap
	claimFree      bool           // a producer's batch claims only free slots (see enqueueBatch)
	claimPublished bool           // a consumer's batch claims only published items (see dequeueBatch)
	scanMax        uint64         // the largest batch that looks at its slots first (see maxScanBatch)
	state
}

// roomAhead is how many free slots, from its own on, the loose attempts
// of a blocking single-item enqueue want before they claim one. In a full
// ring a producer's next slot is the one a consumer has just freed, and
// the slots after it, on the same cache line (four 16-byte slots of 8-byte
// items), are the ones that consumer reads next: a producer that takes
// each slot the moment it is freed pulls that line away from the consumer
// at every item. Waiting, while it spins, until 16 slots are free lets the
// consumers get a few lines ahead first. Its strict attempts, from its
// first yield on, take a single free slot, so the wait never outlasts the
// spin stage, and no Try method waits so; nor does a ring of fewer than
// 4*roomAhead slots, or a batch. The first attempt of an enqueue of up to
// bigItem bytes (queue.put's copy of enqueue's common case) takes a free
// slot at once, so only a producer that has found its slot taken waits
// for room: waiting there too, at every slot, measured 9-18% slower, and
// at the first slot of each line level or slower (room-ahead.txt, part
// 8). A larger item's first attempt is a loose claimSlot, which waits.
//
// On ringq's 2-core Intel Xeon, ring's own benchmarks moved single items
// 15% faster through MPSC at 4x1 and 6% at 8x1, and 8-20% faster through
// MPMC at 1x1, 4x4 and 8x8, against the channel's speed in the same runs
// from 2.1 to 2.6 times (MPSC 4x1) and from 2.8 to 3.2 (MPMC 4x4); MPSC 1x1
// and MPMC 2x2 were level, and so were the shapes with one producer and
// many consumers, in the bench module's harness; of 16, 32 and 64 free
// slots, 16 did best at most shapes. 64-byte items, whose slots share no
// line, went faster with the rule at the median at 10 of 11 shapes too
// (MPMC 1x1 by 20%, p=0.02; the others p>0.05), so the line is not all of
// why it helps; the rest was not found (bench/results/room-ahead.txt). On a
// 16-core machine the same rule measured level or better, and on the 2-core
// AMD EPYC level (bench/results/full-ring-16core.txt, part 4).
//
// Consumers have no such rule: one that left a published item alone until
// the item 15 on was published too held a lone item for the rest of its
// spin stage, and the ping-pong's p50 through MPSC and MPMC went from
// 515-626 ns to 804-957 there; one that did so only after it had seen a
// stream was no faster (bench/results/items-ahead.txt).
const roomAhead = 16

// slotType returns the type of one element of the slot array for T: a
// slot[T] of at most half a cache line as it is, and a larger one padded
// to a whole number of pad.Size blocks, the false-sharing distance (two
// lines on amd64, whose prefetcher fetches lines in pairs).
//
// Small slots are not padded apart, so that a consumer that trails the
// producer takes two or more items with each line it fetches: padding
// 16-byte slots (8-byte items) to a line measured 2.7 times slower
// (geomean over 1x1 to 8x8, bench/results/slot-padding.txt), and padding
// 24-byte ones (strings, interfaces) to 80 bytes 2.7 times as slow
// (bench/results/slot-stride.txt). A larger slot gets a block of its own:
// unpadded, a 72-byte slot of a 64-byte item straddles lines shared with
// both neighbours, and measured 4 to 5 times slower
// (bench/results/slot-padding-wide.txt); 40- and 56-byte slots moved
// batches 1.3-1.9 times as fast 128 bytes apart as 64 bytes apart, and
// single items as fast (slot-stride.txt). The type is built with reflect,
// since its padding depends on T's size; the garbage collector learns
// where T's pointers are from it.
func slotType[T any]() reflect.Type {
	t := reflect.TypeFor[slot[T]]()
	if t.Size() <= uintptr(pad.CacheLine/2) {
		return t
	}
	block := uintptr(pad.Size)
	padding := (block - t.Size()%block) % block
	if padding == 0 {
		return t
	}
	return reflect.StructOf([]reflect.StructField{
		{Name: "Slot", Type: t},
		{Name: "Pad", Type: reflect.ArrayOf(int(padding), reflect.TypeFor[byte]())},
	})
}

// slot returns the slot of position p.
func (q *vyukov[T]) slot(p uint64) *slot[T] {
	return (*slot[T])(unsafe.Add(q.base, uintptr(index(p, q.mask))*q.stride))
}

// init makes q a ring of at least capacity slots, whose positions start at
// start; solo says which of its sides are for one goroutine at a time
// (see state.solo).
func (q *vyukov[T]) init(capacity int, start uint64, solo [2]bool, opts []Option) {
	n := roundCapacity(capacity)
	elem := slotType[T]()
	checkRingBytes(n, elem.Size())
	q.base, q.stride = blockAligned(elem, n), elem.Size()
	q.mask = uint64(n - 1)
	q.single = solo[consumers]
	small := reflect.TypeFor[slot[T]]().Size() <= maxFreeClaimSlot
	q.claimFree = !q.single && small
	q.claimPublished = !q.single && !small && n <= maxPublishedClaimCap
	if small {
		q.scanMax = min(maxScanBatch, uint64(n)/2)
	}
	q.state.init(n, start, false, solo, opts)
	start = q.head.Load()
	for i := range uint64(n) {
		p := start + step*i
		q.slot(p).seq.Store(p)
	}
}

// enqueue tries once to add v, waiting only for a consumer that has
// claimed the slot v needs but not yet freed it. The queue's put repeats
// its common case, and take dequeue's (see there): a change to one
// belongs in the other.
func (q *vyukov[T]) enqueue(v T, strict bool) status {
	var b wait.Backoff
	t := q.tail.Load()
	for t&closedMark == 0 {
		s := q.slot(t)
		switch d := int64(s.seq.Load() - t); {
		case d == 0 && !strict && !q.hasRoomAhead(t):
			return retry // free, but its consumer is still near (see roomAhead)
		case d == 0: // free for t: claim it
			if q.tail.CompareAndSwap(t, t+step) {
				s.val = v
				s.seq.Store(t + 1)
				q.notEmpty.Notify(1)
				return done
			}
			runtime.Gosched() // lost the race: let the winner run (see above)
		case d < 0: // the slot still holds position t-span
			if !strict || q.fullAt(t, &b) {
				return retry
			}
		}
		// d > 0, a lost race or a pause: another producer took t.
		t = q.tail.Load()
	}
	return closed
}

// hasRoomAhead reports, for a producer whose slot at position t is free,
// whether the slot roomAhead-1 positions on is free too, or the ring is
// too small to wait for that (fewer than 4*roomAhead slots).
func (q *vyukov[T]) hasRoomAhead(t uint64) bool {
	if q.mask < 4*roomAhead-1 {
		return true
	}
	a := t + step*(roomAhead-1)
	return q.slot(a).seq.Load() == a
}

// claimSlot tries once to claim the next position for an item, waiting
// only for a consumer that has claimed the slot but not yet freed it. It
// returns where the item goes and its position, for publishSlot. It is
// enqueue's loop again rather than enqueue's helper: a generic body is not
// inlined, and enqueue and dequeue built on claimSlot and claimItem
// measured 17-45% slower for 8-byte items (bench/results/big-items.txt).
func (q *vyukov[T]) claimSlot(strict bool) (*T, uint64, status) {
	var b wait.Backoff
	t := q.tail.Load()
	for t&closedMark == 0 {
		s := q.slot(t)
		switch d := int64(s.seq.Load() - t); {
		case d == 0 && !strict && !q.hasRoomAhead(t):
			return nil, 0, retry // free, but its consumer is still near (see roomAhead)
		case d == 0: // free for t: claim it
			if q.tail.CompareAndSwap(t, t+step) {
				return &s.val, t, done
			}
			runtime.Gosched() // lost the race: let the winner run (see above)
		case d < 0: // the slot still holds position t-span
			if !strict || q.fullAt(t, &b) {
				return nil, 0, retry
			}
		}
		// d > 0, a lost race or a pause: another producer took t.
		t = q.tail.Load()
	}
	return nil, 0, closed
}

// fullAt reports, for a producer that found the slot of position t still
// holding position t-span, whether the queue is full. If it is not, a
// consumer has claimed t-span and is still reading it: fullAt waits a
// moment for that consumer, and the caller looks again.
func (q *vyukov[T]) fullAt(t uint64, b *wait.Backoff) bool {
	// tail >= t when head is loaded, so head+span == t means the queue
	// was full at that moment.
	if q.head.Load()+q.span == t {
		return true
	}
	if q.tail.Load() == t {
		awaitPeer(b)
	}
	return false
}

// publishSlot publishes the item written at position t. It always
// succeeds: once claimed, a position is the producer's even if Close
// comes before the item is written.
func (q *vyukov[T]) publishSlot(t uint64) status {
	q.slot(t).seq.Store(t + 1)
	q.notEmpty.Notify(1)
	return done
}

// free clears the slot of position h, whose item its consumer has taken,
// and hands it to the producer of the next lap.
func (q *vyukov[T]) free(s *slot[T], h uint64) {
	var zero T
	s.val = zero
	s.seq.Store(h + q.span)
}

// emptyAt reports, for a consumer that found the item of position h
// unpublished, whether the queue is empty (retry), closed and drained
// (closed), or holds an item that a producer has claimed and is still
// writing (done): then emptyAt waits a moment for that producer, unless
// another consumer has taken h, and the caller looks again.
func (q *vyukov[T]) emptyAt(h uint64, b *wait.Backoff) status {
	switch q.tail.Load() {
	case h:
		return retry
	case h | closedMark:
		return closed
	}
	if q.head.Load() == h {
		awaitPeer(b)
	}
	return done
}

// dequeue tries once to remove an item, waiting only for a producer that
// has claimed the next position but not yet published its item.
func (q *vyukov[T]) dequeue(strict bool) (T, status) {
	var b wait.Backoff
	h := q.head.Load()
	for {
		s := q.slot(h)
		switch d := int64(s.seq.Load() - (h + 1)); {
		case d == 0: // published: claim it
			if q.claim(h, h+step) { // the slot is ours now; its seq cannot move
				v := s.val
				q.free(s, h)
				q.notFull.Notify(1)
				return v, done
			}
			runtime.Gosched() // lost the race: let the winner run (see above)
		case d < 0: // not yet published: empty, or a producer is writing
			if !strict {
				var zero T
				return zero, retry
			}
			if st := q.emptyAt(h, &b); st != done {
				var zero T
				return zero, st
			}
		}
		// d > 0, a lost race or a pause: another consumer took h.
		h = q.head.Load()
	}
}

// release frees the slot of position h once its consumer has copied the
// item out.
func (q *vyukov[T]) release(h uint64) {
	q.free(q.slot(h), h)
	q.notFull.Notify(1)
}

// claimItem tries once to claim the oldest item, waiting only for a
// producer that has claimed its position but not yet published it. It
// returns where the item is and its position, for release. Like
// claimSlot, it repeats its counterpart's loop on purpose.
func (q *vyukov[T]) claimItem(strict bool) (*T, uint64, status) {
	var b wait.Backoff
	h := q.head.Load()
	for {
		s := q.slot(h)
		switch d := int64(s.seq.Load() - (h + 1)); {
		case d == 0: // published: claim it
			if q.claim(h, h+step) {
				return &s.val, h, done
			}
			runtime.Gosched() // lost the race: let the winner run (see above)
		case d < 0: // not yet published: empty, or a producer is writing
			if !strict {
				return nil, 0, retry
			}
			if st := q.emptyAt(h, &b); st != done {
				return nil, 0, st
			}
		}
		// d > 0, a lost race or a pause: another consumer took h.
		h = q.head.Load()
	}
}

// claim moves head from h to next for the caller: with a compare-and-swap
// among many consumers, with a plain store for the single consumer of an
// MPSC, which no other goroutine can race.
func (q *vyukov[T]) claim(h, next uint64) bool {
	if q.single {
		q.head.Store(next)
		return true
	}
	return q.head.CompareAndSwap(h, next)
}
