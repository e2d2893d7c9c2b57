package ring_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ringq/ringq/pad"
	"github.com/ringq/ringq/ring"
)

// The reference rings below are the bare designs with which ringq's speed
// floors (single items 5 times a channel's speed through SPSC, 3.5 times
// through MPSC and MPMC) were calibrated on a 2-core AMD EPYC, written
// again from their descriptions: no Close protocol beyond what a benchmark
// needs, no parking, no batches, no misuse checks. Each waits by spinning
// and then calling runtime.Gosched, as bench drives the peers.
// BenchmarkReference runs them beside the channel and ring's queues, so
// that a machine shows what those floors ask of it: where a bare reference
// ring misses a floor, the machine gives less than the designs the floor
// was set with gave where it was set. On ringq's 2-core Intel Xeon none
// reached them, and ring.SPSC was 1.3-1.6 times as fast as the fastest of
// them (bench/results/intel-reference-rings.txt).

// refWait spins for a while and then yields; it returns the next spin
// count.
func refWait(spins int) int {
	if spins < 64 {
		return spins + 1
	}
	runtime.Gosched()
	return spins
}

// refLamport is Lamport's ring with Rigtorp's cached opposite positions:
// the producer's tail and the consumer's head on lines of their own, one
// atomic store of a position per item.
type refLamport struct {
	_    pad.Line
	head atomic.Uint64
	_    pad.Line
	tail atomic.Uint64
	_    pad.Line
	// The consumer's own head and view of the tail.
	h, viewTail uint64
	_           pad.Line
	// The producer's own tail and view of the head.
	t, viewHead uint64
	_           pad.Line
	closed      atomic.Bool
	buf         []uint64
	mask        uint64
}

func newRefLamport(capacity int) *refLamport {
	return &refLamport{buf: make([]uint64, capacity), mask: uint64(capacity - 1)}
}

func (q *refLamport) Enqueue(v uint64) error {
	for spins := 0; q.t-q.viewHead > q.mask; spins = refWait(spins) {
		q.viewHead = q.head.Load()
	}
	q.buf[q.t&q.mask] = v
	q.t++
	q.tail.Store(q.t)
	return nil
}

func (q *refLamport) Dequeue() (uint64, error) {
	for spins := 0; q.h == q.viewTail; spins = refWait(spins) {
		done := q.closed.Load()
		if q.viewTail = q.tail.Load(); q.viewTail == q.h && done {
			return 0, ring.ErrClosed
		}
	}
	v := q.buf[q.h&q.mask]
	q.h++
	q.head.Store(q.h)
	return v, nil
}

func (q *refLamport) Close() { q.closed.Store(true) }

// refSlot is a slot of the rings that signal in the slot: a sequence
// number beside the item, Vyukov's.
type refSlot struct {
	seq atomic.Uint64
	v   uint64
}

// refSeq is a ring for one producer and one consumer whose sides learn of
// items and free slots from each slot's sequence number, with no shared
// position at all: the slot at position p holds p when free for the
// producer and p+1 when filled.
type refSeq struct {
	_      pad.Line
	h      uint64
	_      pad.Line
	t      uint64
	_      pad.Line
	closed atomic.Bool
	slots  []refSlot
	mask   uint64
}

func newRefSeq(capacity int) *refSeq {
	return &refSeq{slots: newRefSlots(capacity), mask: uint64(capacity - 1)}
}

// newRefSlots returns capacity slots, each free for its first position.
func newRefSlots(capacity int) []refSlot {
	slots := make([]refSlot, capacity)
	for i := range slots {
		slots[i].seq.Store(uint64(i))
	}
	return slots
}

func (q *refSeq) Enqueue(v uint64) error {
	s := &q.slots[q.t&q.mask]
	for spins := 0; s.seq.Load() != q.t; spins = refWait(spins) {
	}
	s.v = v
	q.t++
	s.seq.Store(q.t)
	return nil
}

func (q *refSeq) Dequeue() (uint64, error) {
	s := &q.slots[q.h&q.mask]
	for spins := 0; s.seq.Load() != q.h+1; spins = refWait(spins) {
		if q.closed.Load() && s.seq.Load() != q.h+1 {
			return 0, ring.ErrClosed
		}
	}
	v := s.v
	s.seq.Store(q.h + q.mask + 1)
	q.h++
	return v, nil
}

func (q *refSeq) Close() { q.closed.Store(true) }

// refVyukov is Dmitry Vyukov's bounded MPMC queue
// (https://www.1024cores.net/home/lock-free-algorithms/queues/bounded-mpmc-queue):
// each side claims a position by compare-and-swap and learns from the
// slot's sequence number whether the slot is ready for it.
type refVyukov struct {
	_      pad.Line
	head   atomic.Uint64
	_      pad.Line
	tail   atomic.Uint64
	_      pad.Line
	closed atomic.Bool
	slots  []refSlot
	mask   uint64
}

func newRefVyukov(capacity int) *refVyukov {
	return &refVyukov{slots: newRefSlots(capacity), mask: uint64(capacity - 1)}
}

func (q *refVyukov) Enqueue(v uint64) error {
	for spins := 0; ; {
		t := q.tail.Load()
		s := &q.slots[t&q.mask]
		switch d := int64(s.seq.Load() - t); {
		case d == 0:
			if q.tail.CompareAndSwap(t, t+1) {
				s.v = v
				s.seq.Store(t + 1)
				return nil
			}
		case d < 0: // full
			spins = refWait(spins)
		}
	}
}

func (q *refVyukov) Dequeue() (uint64, error) {
	for spins := 0; ; {
		h := q.head.Load()
		s := &q.slots[h&q.mask]
		switch d := int64(s.seq.Load() - (h + 1)); {
		case d == 0:
			if q.head.CompareAndSwap(h, h+1) {
				v := s.v
				s.seq.Store(h + q.mask + 1)
				return v, nil
			}
		case d < 0: // empty, or a producer has not yet published
			if q.closed.Load() && q.tail.Load() == h {
				return 0, ring.ErrClosed
			}
			spins = refWait(spins)
		}
	}
}

func (q *refVyukov) Close() { q.closed.Store(true) }

// TestReferenceRings checks that the reference rings move every item
// once, each producer's in its order, so that BenchmarkReference times
// queues that work.
func TestReferenceRings(t *testing.T) {
	const perProducer = 20000
	for _, c := range []struct {
		name string
		P, C int
		q    queue[uint64]
	}{
		{"lamport", 1, 1, newRefLamport(8)},
		{"seq", 1, 1, newRefSeq(8)},
		{"vyukov/1x1", 1, 1, newRefVyukov(8)},
		{"vyukov/4x1", 4, 1, newRefVyukov(8)},
		{"vyukov/4x4", 4, 4, newRefVyukov(8)},
	} {
		t.Run(c.name, func(t *testing.T) {
			var pwg, cwg sync.WaitGroup
			for p := range c.P {
				pwg.Go(func() {
					for i := range uint64(perProducer) {
						must(c.q.Enqueue(uint64(p)<<32 | i))
					}
				})
			}
			got := make([][]uint64, c.C) // what each consumer took
			for k := range got {
				cwg.Go(func() {
					for v, err := c.q.Dequeue(); err == nil; v, err = c.q.Dequeue() {
						got[k] = append(got[k], v)
					}
				})
			}
			pwg.Wait()
			c.q.Close()
			cwg.Wait()
			seen := make(map[uint64]bool)
			for _, vs := range got {
				last := make(map[uint64]int64) // per producer, the last index this consumer took
				for _, v := range vs {
					p, i := v>>32, int64(v&(1<<32-1))
					if l, ok := last[p]; ok && i <= l {
						t.Fatalf("producer %d's item %d came after its item %d", p, i, l)
					}
					last[p] = i
					if seen[v] {
						t.Fatalf("item %#x taken twice", v)
					}
					seen[v] = true
				}
			}
			if want := c.P * perProducer; len(seen) != want {
				t.Fatalf("took %d items, want %d", len(seen), want)
			}
		})
	}
}

// BenchmarkReference runs the reference rings beside the channel and
// ring's own queues, 8-byte items, capacity 1024. The reference rings are
// called through the queue interface, an indirect call that ring's rows
// do not pay, so their rows are if anything slow, by about a nanosecond:
//
//	go test -run '^$' -bench Reference -count 8 ./ring > ref.txt
//	benchstat -col /impl ref.txt
func BenchmarkReference(b *testing.B) {
	var (
		ch      = chanImpl
		spsc    = impl{name: "ring.SPSC", new: func(n int) sides { return spscSides(ring.NewSPSC[uint64](n)) }}
		mpsc    = impl{name: "ring.MPSC", new: func(n int) sides { return mpscSides(ring.NewMPSC[uint64](n)) }}
		mpmc    = impl{name: "ring.MPMC", new: func(n int) sides { return mpmcSides(ring.NewMPMC[uint64](n)) }}
		lamport = impl{name: "ref.lamport", new: func(n int) sides { return queueSides(newRefLamport(n)) }}
		seq     = impl{name: "ref.seq", new: func(n int) sides { return queueSides(newRefSeq(n)) }}
		vyukov  = impl{name: "ref.vyukov", new: func(n int) sides { return queueSides(newRefVyukov(n)) }}
	)
	for _, sh := range []struct {
		P, C  int
		impls []impl
	}{
		{1, 1, []impl{ch, spsc, lamport, seq, mpmc, vyukov}},
		{4, 1, []impl{ch, mpsc, vyukov}},
		{2, 2, []impl{ch, mpmc, vyukov}},
		{4, 4, []impl{ch, mpmc, vyukov}},
		{8, 8, []impl{ch, mpmc, vyukov}},
	} {
		for _, im := range sh.impls {
			b.Run(fmt.Sprintf("P=%d/C=%d/cap=1024/impl=%s", sh.P, sh.C, im.name), func(b *testing.B) {
				prodCons(b, im.new(1024), sh.P, sh.C)
			})
		}
	}
}
