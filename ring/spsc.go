package ring

import (
	"reflect"
	"unsafe"

	"github.com/ringq/ringq/pad"
)

// SPSC is a bounded FIFO queue for one producer goroutine and one consumer
// goroutine: Lamport's ring buffer, with the producer's and the consumer's
// positions on cache lines of their own, and each side keeping a cached
// copy of the other's position that it reloads only when the copy says the
// ring is full or empty (Erik Rigtorp's SPSCQueue,
// https://rigtorp.se/ringbuffer/). A batch is published with one update of
// a position.
//
// An SPSC of fewer than 32 slots is not a Lamport ring but the ring of
// [MPSC], Vyukov's, with its one consumer: in so few slots the two sides
// of a Lamport ring read each other's positions at nearly every item, and
// it moved single items at half the speed of the Vyukov ring, slower than
// a channel (the figures are in this package's source, at minLamportCap).
//
// A side of an SPSC learns how often to look at the other side's
// position: one that keeps finding several items (or free slots) at once
// waits longer before it looks again, up to about 2.9 µs, so that each
// look takes that cache line from the other side less often. So when a
// stream of items stops, its last items, and an item sent soon after, may
// be seen that late; an item sent to a side that has not just been
// streaming is seen at once. An SPSC of fewer than 32 slots never waits
// so.
//
// On linux/amd64, where the kernel offers membarrier(2) and locked
// instructions are costly, an SPSC of 32 slots or more publishes its
// positions with plain stores instead of locked instructions while items
// stream through it: single items moved 23% faster so under the default
// WaitPark in this package's benchmarks on ringq's 2-core Intel Xeon
// (15.2 ns against 19.9), and level where the two sides take turns. A side
// that parks, and Close, pay instead: the first park after a stream, and
// every Close, make a system call that briefly interrupts every CPU running
// a thread of the process (2.9 µs there), and the queue keeps its fences
// until the next stream of a few thousand items, and for at least a
// millisecond, so that each side makes that call at most once a millisecond
// (see fenceless.go in this package's source). The first such SPSC in a
// process registers the process for membarrier in the background; until
// that is done, and wherever the kernel refuses, SPSCs keep their fences.
// The first SPSC of 32 slots or more in a process, made without
// WithoutMembarrier, also times a locked publish against a plain one, and
// SPSCs drop their fences only where the locked one takes at least 1.5
// times as long: on ringq's 2-core AMD EPYC, where that took about 30 µs,
// it did not, and single items took a third longer there without the
// fences (7.2 ns against 5.4). An SPSC made WithoutMembarrier keeps them
// always, and never makes that call: where a seccomp filter kills a thread
// that calls membarrier, make every SPSC so.
//
// Only one goroutine at a time may call the enqueue methods, and only one
// the dequeue methods: two that enqueue (or dequeue) at once break the
// queue, which may lose or duplicate items or leave a dequeue spinning for
// ever. The race detector reports such use, at any capacity. Close,
// Closed, Len and Cap may be called from any goroutine. Create one with
// [NewSPSC]; the zero value is not usable, and an SPSC must not be copied.
//
// A successful enqueue of v synchronizes before the dequeue that returns v,
// in the terms of [the Go memory model].
//
// Memory: Cap() slots of T and about 900 bytes for the padded positions
// and the rest of its state; under 32 slots, the same as an [MPMC] of the
// same capacity.
//
// [the Go memory model]: https://go.dev/ref/mem
type SPSC[T any] struct {
	queue[T]
}

// spsc is the core of an SPSC of minLamportCap slots or more.
//
// A consumer of an SPSC learns of items by reading the producer's
// position, a cache line of its own, and each read takes that line from
// the producer, which writes it once an item. So a side that finds the
// other streaming waits longer before it reads the position again (see
// view.learn), and each side fetches the lines of its next slots several
// at a time (reachWrite, reachRead). On a 2-core AMD EPYC (KVM), in
// ring's own benchmarks, SPSC moved single items at 6.8-7.8 ns, where MPSC
// took 11-13, and 64-byte items at 15 ns, where it took 44 before those
// two changes (bench/results/issue-floors.txt, part F;
// bench/results/patience.txt). Its producer also keeps its own copy of the
// tail (see publish), which took single items to 4.6 ns
// (bench/results/own-tail.txt); batches of 64 moved at 0.8-1.4 ns an item.
//
// Why not a sequence number in each slot, which lets the consumer learn of
// an item from the line it fetches anyway: measured here, that design moved
// single items faster (14-17 ns against 23) but batches of 64 three times
// slower (2.7-3.6 ns against 1.0), since each item then needs its own
// store or check (bench/results/spsc-designs.txt). A sequence number used
// only as a hint, beside the Lamport positions, made single items 20-30%
// faster, but the slots it needs double the lines a batch of 8-byte items
// moves, and batches got 2.1 times slower; the hints in an array of their
// own lost on both counts (same file), and so did stamps in chunks of eight
// slots, which keep the items dense: single items 24 ns against 25,
// batches 2.1 against 1.0. Marking only where a run (an item or a batch)
// starts saves a batch its per-item stores, but not its doubled lines:
// 8-byte items 15 ns against 24 one at a time and 1.6 against 1.0 in
// batches, 64-byte items 80 against 68 and 11.7 against 4.4 (same file).
// Patient waits (see await) have since brought Lamport's ring to 14 ns
// for single items, and kept its batches at 0.8-0.9
// (bench/results/spin-calibration.txt); fewer calls on the hot path, to
// about 11 (bench/results/issue-floors.txt); reaching ahead, to 8.8
// (bench/results/reach-ahead.txt); learnt patience, to 6.9
// (bench/results/patience.txt); the producer's own copy of the tail, from
// 6.2 to 4.6 (bench/results/own-tail.txt); and on a 2-core Intel Xeon,
// whose locked instructions take three times as long, the consumer's own
// copy of the head, from 29.8 to 23.1 (bench/results/own-head.txt).
type spsc[T any] struct {
	buf  []T
	mask uint64 // len(buf) - 1
	state
}

// NewSPSC returns an empty SPSC queue that holds at least capacity items;
// the capacity is rounded up to a power of two. It panics if capacity is
// less than 1 or more than 1<<40 (1<<30 on 32-bit platforms), if its
// slots would take more than 128 TiB (2 GiB on 32-bit platforms), or if
// an option is nil.
func NewSPSC[T any](capacity int, opts ...Option) *SPSC[T] {
	return newSPSCAt[T](capacity, 0, opts)
}

// minLamportCap is the smallest SPSC that is a Lamport ring; a smaller
// one is a Vyukov ring with one consumer, as an MPSC is. In a ring of a
// few lines the two sides of a Lamport ring are never far apart: each
// finds the other's position stale at almost every item and reads it,
// taking its line from the side that writes it, and then fetches the
// slot's line as well, where a Vyukov side learns of an item or a free
// slot from the slot's line alone. On ringq's 2-core Intel Xeon, single
// 8-byte items moved at 8 and 16 slots in 180 and 107 ns through a Lamport
// ring and in 50 and 53 through a Vyukov ring (the channel: 115 and 87),
// batches and 64-byte items were as fast or faster, and a ping-pong
// through two rings of one slot took 523 ns against 833 (the channel's:
// 575). At 32 and 64 slots the Vyukov ring still moved single items
// faster (49 and 45 ns against 67 and 55), but the Lamport ring's batches
// were 1.6 and 2.6 times as fast and its 64-byte items 1.5 and 1.9 times;
// from 128 slots it led at single items too (bench/results/small-spsc.txt).
// In ringbench's latest full runs, the Lamport ring at 16 slots had moved
// single items at 0.66-1.09 times the channel's speed on all three
// machines, where MPSC moved them at 1.3-2.1 times it; one cell went the
// other way, 64-byte items at 16 slots on the 2-core AMD EPYC, 44 ns
// through the Lamport ring against MPSC's 51. Patience (see await) needs
// the room of a larger ring too (small-rings.txt).
const minLamportCap = 32

// newSPSCAt returns an SPSC whose queue points at its core: a vyukov with
// one consumer under minLamportCap slots, an spsc from there on.
func newSPSCAt[T any](capacity int, start uint64, opts []Option) *SPSC[T] {
	if roundCapacity(capacity) < minLamportCap {
		c := new(vyukov[T])
		c.init(capacity, start, [2]bool{producers: true, consumers: true}, opts)
		return &SPSC[T]{queue[T]{vyukov: c, s: &c.state}}
	}
	return newLamportAt[T](capacity, start, opts)
}

// newLamportAt returns an SPSC that is a Lamport ring at any capacity;
// tests use it for small ones, which NewSPSC does not build. Its core
// starts on a pad.Size block, where state's layout puts each side's
// fields on one line.
func newLamportAt[T any](capacity int, start uint64, opts []Option) *SPSC[T] {
	n := roundCapacity(capacity)
	checkRingBytes(n, reflect.TypeFor[T]().Size())
	c := (*spsc[T])(blockAligned(reflect.TypeFor[spsc[T]](), 1))
	c.buf, c.mask = make([]T, n), uint64(n-1)
	c.state.init(n, start, true, [2]bool{producers: true, consumers: true}, opts)
	return &SPSC[T]{queue[T]{lamport: c, s: &c.state}}
}

// room returns how many items the producer can add at tail t, reloading
// its view of head only when the view says there is no room for want.
func (q *spsc[T]) room(t uint64, want int) int {
	free := int((q.prod.pos + q.span - t) / step)
	if free < want {
		q.prod.pos = q.head.Load()
		free = int((q.prod.pos + q.span - t) / step)
		q.prod.found = free
		if q.prod.guarded {
			q.relaxHead(t)
		}
	}
	return free
}

// publish moves the tail from t past n filled slots, unless Close has
// marked it, and reports whether that is all there is to do. It is not
// when Close won or a consumer is parked; then the caller must call
// finish.
func (s *state) publish(t uint64, n int) bool {
	if s.fenceless && s.tailGuard.Load() == 0 && s.publishFenceless(t, n) {
		return true
	}
	return s.publishFenced(t, n)
}

// publishFenced is publish with a compare-and-swap of the tail, which
// fails once Close has marked it. It and publishFenceless are apart from
// publish, and from finish, so that each is inlined and put's common case
// costs no call: when every enqueue called publish, SPSC moved single
// items at 12.6 ns against 11.1 now (bench/results/hot-calls.txt).
//
// Both keep the producer's own copy of the tail (prod.own), which put's
// common case starts from instead of loading the tail: a load of the line
// that the last compare-and-swap wrote waits for that locked instruction
// to finish, and a store and a compare-and-swap in a loop took 4.5 ns
// with that load and 2.2 without it. Single items went from 6.2 to 4.6 ns
// on ringq's 2-core machine (bench/results/own-tail.txt). Close still
// reaches the producer: it marks the tail, so the next compare-and-swap
// fails, and finish reports the queue closed.
func (s *state) publishFenced(t uint64, n int) bool {
	next := t + uint64(n)*step
	if !s.tail.CompareAndSwap(t, next) {
		return false
	}
	s.prod.own = next
	return s.notEmpty.Waiters() == 0
}

// publishFenceless is publish with plain stores, for a fenceless SPSC
// (see fenceless.go). It does nothing and reports false while the
// producer's guard is set (Close has begun, or the consumer may park),
// which its callers also check first, to skip the call: then the producer
// publishes with publishFenced. It need not look for parked consumers: a
// consumer parks only once it has set the guard.
func (s *state) publishFenceless(t uint64, n int) bool {
	return plainPublish(&s.publishing, &s.tailGuard, &s.tail.Uint64, &s.prod.own, t+uint64(n)*step)
}

// finish completes a publish of n slots at t that publish did not: if
// Close came first, the slots are cleared again and not published; if
// not, parked consumers are woken.
func (q *spsc[T]) finish(t uint64, n int) status {
	// Only this producer moves the tail, so it is still at t only if
	// publish failed.
	if q.tail.Load()&^closedMark == t {
		q.clear(t, n)
		return closed
	}
	q.notEmpty.Notify(n)
	return done
}

// enqueue and dequeue make one attempt each. The queue's put and take
// repeat their common case (see there): a change to one belongs in the
// other.
func (q *spsc[T]) enqueue(v T, _ bool) status {
	t := q.tail.Load()
	if t&closedMark != 0 {
		return closed
	}
	free := q.room(t, 1)
	if free == 0 {
		return retry
	}
	i := index(t, q.mask)
	if g := reachGroup[T](); g != 0 && i%g == 0 {
		q.reachWrite(i, free)
	}
	q.buf[i] = v
	if q.publish(t, 1) {
		return done
	}
	return q.finish(t, 1)
}

// claimSlot and publishSlot are enqueue in two steps, for big items (see
// bigItem); claimItem and release are dequeue in two. Each pair repeats
// its one-step method, whose generic body would not inline them.
func (q *spsc[T]) claimSlot(_ bool) (*T, uint64, status) {
	t := q.tail.Load()
	if t&closedMark != 0 {
		return nil, 0, closed
	}
	free := q.room(t, 1)
	if free == 0 {
		return nil, 0, retry
	}
	i := index(t, q.mask)
	if g := reachGroup[T](); g != 0 && i%g == 0 {
		q.reachWrite(i, free)
	}
	return &q.buf[i], t, done
}

func (q *spsc[T]) publishSlot(t uint64) status {
	if q.publish(t, 1) {
		return done
	}
	return q.finish(t, 1)
}

func (q *spsc[T]) enqueueBatch(vs []T) (int, status) {
	t := q.tail.Load()
	if t&closedMark != 0 {
		return 0, closed
	}
	if len(vs) == 0 {
		return 0, done
	}
	n := min(len(vs), q.room(t, len(vs)))
	if n == 0 {
		return 0, retry
	}
	i := int(index(t, q.mask))
	k := copy(q.buf[i:], vs[:n])
	copy(q.buf, vs[k:n])
	if !q.publish(t, n) && q.finish(t, n) == closed {
		return 0, closed // none of the n got in
	}
	return n, done
}

// moveHead moves the head to next, past slots the consumer has emptied,
// and keeps the consumer's own copy of the head (cons.own), which the
// consumer starts each dequeue from instead of loading the head: as for
// the producer's copy of the tail (see publishFenced), a load of the line that
// the last locked instruction wrote waits for that instruction. On ringq's
// 2-core Intel Xeon, where a locked instruction takes 9-11 ns, an atomic
// store took 15.6 ns a loop after a load of the same variable and 9 alone,
// and single items moved through an SPSC 22% faster with the copy, 23.1
// ns against 29.8 (bench/results/own-head.txt).
//
// A fenceless SPSC (see fenceless.go) whose consumer finds its guard
// clear stores the head with a plain store, and then reads the guard
// again: if the producer has set it since, it stores the head once more,
// with a fence, before the caller looks for a parked producer. take's
// common case repeats it.
func (s *state) moveHead(next uint64) {
	if !s.fenceless || s.headGuard.Load() != 0 {
		s.head.Store(next)
	} else if storeRelease(&s.head.Uint64, next); s.headGuard.Load() != 0 {
		s.head.Store(next)
	}
	s.cons.own = next
}

// ready returns how many items the consumer can take at head h, reloading
// its view of tail only when the view says there are fewer than want. It
// reports closed when there are none and the queue is closed.
func (q *spsc[T]) ready(h uint64, want int) (int, status) {
	avail := int((q.cons.pos - h) / step)
	if avail < want {
		t := q.tail.Load()
		q.cons.pos = t &^ closedMark
		avail = int((q.cons.pos - h) / step)
		q.cons.found = avail
		if q.cons.guarded {
			q.relaxTail(h)
		}
		if avail == 0 {
			if t&closedMark != 0 {
				return 0, closed
			}
			return 0, retry
		}
	}
	return avail, done
}

func (q *spsc[T]) dequeue(_ bool) (T, status) {
	h := q.cons.own
	avail, st := q.ready(h, 1)
	if st != done {
		var zero T
		return zero, st
	}
	i := index(h, q.mask)
	if g := reachGroup[T](); g != 0 && i%g == 0 {
		q.reachRead(i, avail)
	}
	s := &q.buf[i]
	v := *s
	var zero T
	*s = zero
	q.moveHead(h + step)
	q.notFull.Notify(1)
	return v, done
}

func (q *spsc[T]) claimItem(_ bool) (*T, uint64, status) {
	h := q.cons.own
	avail, st := q.ready(h, 1)
	if st != done {
		return nil, 0, st
	}
	i := index(h, q.mask)
	if g := reachGroup[T](); g != 0 && i%g == 0 {
		q.reachRead(i, avail)
	}
	return &q.buf[i], h, done
}

func (q *spsc[T]) release(h uint64) {
	var zero T
	q.buf[index(h, q.mask)] = zero
	q.moveHead(h + step)
	q.notFull.Notify(1)
}

func (q *spsc[T]) dequeueBatch(dst []T) (int, status) {
	if len(dst) == 0 {
		return 0, done
	}
	h := q.cons.own
	avail, st := q.ready(h, len(dst))
	if st != done {
		return 0, st
	}
	n := min(len(dst), avail)
	i := int(index(h, q.mask))
	k := copy(dst[:n], q.buf[i:])
	copy(dst[k:n], q.buf)
	q.clear(h, n)
	q.moveHead(h + uint64(n)*step)
	q.notFull.Notify(n)
	return n, done
}

// clear zeroes the n slots from position p on.
func (q *spsc[T]) clear(p uint64, n int) {
	i := int(index(p, q.mask))
	j := min(i+n, len(q.buf))
	clear(q.buf[i:j])
	clear(q.buf[:n-(j-i)])
}

// reachLines is how many cache lines ahead a side of an SPSC fetches at
// once, one item at a time (see reachWrite). With 4, single 8-byte items
// at cap 1024 measured 11% slower than with 8; 16 was no faster
// (bench/results/reach-ahead.txt).
const reachLines = 8

// perLine returns how many items of T share a cache line, at least 1, or
// 0 if T takes no memory or GOARCH has no cache lines to fetch (wasm,
// where pad.CacheLine is 0): then no side reaches ahead. Like reachGroup
// it is a constant for each instantiation, so the tests on it cost
// nothing at run time.
func perLine[T any]() uint64 {
	var v T
	size := uint64(unsafe.Sizeof(v))
	if size == 0 || pad.CacheLine == 0 {
		return 0
	}
	return max(1, uint64(pad.CacheLine)/size)
}

// reachGroup returns how many slots reachLines lines hold, or 0 if T
// takes no memory: a side reaches ahead when its index is a multiple.
// Callers test that themselves: reachWrite and reachRead are too big for
// Go to inline in generic code, and a test inside them would put a call
// on every enqueue and dequeue.
func reachGroup[T any]() uint64 { return perLine[T]() * reachLines }

// reachWrite is how the producer of a single item makes the lines it will
// fill next come to its core together. An enqueue that publishes with a
// locked instruction (the tail's compare-and-swap, while the producer's
// guard is set; see fenceless.go) waits until the item's store owns its
// line; so, left alone, the producer fetches each new line from the
// consumer's core while nothing else is in flight, one transfer after
// another. The figures below predate fenceless publishing. At index i,
// with free slots from i on, it stores a zero byte in each of the next
// reachLines-1 lines whose slots are all free. Free slots are zero (the
// consumer cleared them before its head said they were free, and a publish
// that Close refused clears its slots again), so the stores change no
// value, and a slot that holds a pointer stays nil without a write
// barrier; they are in flight together, and the enqueues that follow find
// their lines at hand. Go has no prefetch instruction to offer; a store is
// the nearest thing.
//
// On ringq's 2-core machine this, with reachRead, took single 8-byte items
// from 10.8 to 8.8 ns and 64-byte ones from 44 to 31, and while the two
// virtual CPUs sat far apart 8-byte items from 26-28 to 15-16 ns; batches
// and the ping-pong did not move (bench/results/reach-ahead.txt).
func (q *spsc[T]) reachWrite(i uint64, free int) {
	per := perLine[T]()
	for k := per; k+per <= min(uint64(free), per*reachLines); k += per {
		*(*byte)(unsafe.Pointer(&q.buf[(i+k)&q.mask])) = 0
	}
}

// reachRead is reachWrite for the consumer, whose head store, while its
// guard is set, is a locked instruction too and waits for the loads
// before it: at index i, with avail items ready from i on, it loads a
// byte of each of the next reachLines-1 lines whose items are all ready,
// so that those lines are fetched together.
func (q *spsc[T]) reachRead(i uint64, avail int) {
	per := perLine[T]()
	var sum byte
	for k := per; k+per <= min(uint64(avail), per*reachLines); k += per {
		sum += *(*byte)(unsafe.Pointer(&q.buf[(i+k)&q.mask]))
	}
	q.cons.sink = sum // so that the compiler keeps the loads
}
