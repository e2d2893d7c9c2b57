package ring

import (
	"runtime"
	"time"
)

// NewSPSCAt, NewMPSCAt and NewMPMCAt return queues whose positions start at
// start, so that tests can cross the wraparound of the 64-bit positions
// without 2^63 operations.
func NewSPSCAt[T any](capacity int, start uint64, opts ...Option) *SPSC[T] {
	return newSPSCAt[T](capacity, start, opts)
}

func NewMPSCAt[T any](capacity int, start uint64, opts ...Option) *MPSC[T] {
	return newMPSCAt[T](capacity, start, opts)
}

func NewMPMCAt[T any](capacity int, start uint64, opts ...Option) *MPMC[T] {
	return newMPMCAt[T](capacity, start, opts)
}

// NewLamportAt returns an SPSC that is a Lamport ring whatever its
// capacity, with positions that start at start: NewSPSC builds one only
// from minLamportCap slots, and tests need small ones too.
func NewLamportAt[T any](capacity int, start uint64, opts ...Option) *SPSC[T] {
	return newLamportAt[T](capacity, start, opts)
}

// StallEnqueue claims the next slot of q as a producer would, and returns a
// function that writes v there and publishes it: between the two, q has a
// producer in the middle of its enqueue. It panics if no slot is free.
func StallEnqueue[T any](q *MPMC[T]) (finish func(v T)) {
	p, t, st := q.c.claimSlot(true)
	if st != done {
		panic("ring: StallEnqueue on a full or closed queue")
	}
	return func(v T) {
		*p = v
		q.c.publishSlot(t)
	}
}

// StallDequeue claims the oldest item of q as a consumer would, and returns
// it with a function that frees its slot: between the two, q has a
// consumer in the middle of its dequeue. It panics if q is empty.
func StallDequeue[T any](q *MPMC[T]) (v T, finish func()) {
	p, h, st := q.c.claimItem(true)
	if st != done {
		panic("ring: StallDequeue on an empty queue")
	}
	return *p, func() { q.c.release(h) }
}

// RoomAt is the test a parked producer of q makes before it sleeps: may it
// find room, having read the tail t and then the head h?
func RoomAt[T any](q *MPMC[T], t, h uint64) bool { return q.c.roomAt(t, h) }

// Parked returns how many goroutines are parked on q waiting for an item
// (consumers) and for room (producers).
func (q *queue[T]) Parked() (consumers, producers int) {
	return q.s.notEmpty.Waiters(), q.s.notFull.Waiters()
}

// RaceEnabled reports whether the race detector is on.
const RaceEnabled = raceEnabled

// FencePlatform says whether SPSCs here may be fenceless, and so call
// membarrier: on linux/amd64 only.
const FencePlatform = fencePlatform

// Fenceless reports whether q publishes its positions with plain stores
// while its guards let it (see fenceless.go).
func Fenceless[T any](q *SPSC[T]) bool { return q.s.fenceless }

// AwaitFence waits until the process's membarrier registration, which
// the first fenceless SPSC started, has ended, and reports whether it
// succeeded.
func AwaitFence() bool {
	registerFence()
	for {
		switch fenceState.Load() {
		case fenceRegistered:
			return true
		case fenceRefused:
			return false
		}
		runtime.Gosched()
	}
}

// FenceStarted reports whether anything in this process has started the
// membarrier registration.
func FenceStarted() bool { return fenceState.Load() != fenceUnknown }

// Guards reports whether the guards of q, a fenceless SPSC, are set: the
// producer's (the consumer may park, or Close has begun) and the
// consumer's (the producer may park).
func Guards[T any](q *SPSC[T]) (producer, consumer bool) {
	return q.s.tailGuard.Load() != 0, q.s.headGuard.Load() != 0
}

// NewRelaxedAt returns an SPSC that is a Lamport ring at every capacity,
// as NewLamportAt does, whose sides let go of their guards as soon as they
// can, at their next look at the other side's position, even right after a
// park: so that tests drive the fenceless protocol, its guards set and
// cleared again and again, rather than the fences that a new SPSC starts
// with. It waits for the process's membarrier registration first.
func NewRelaxedAt[T any](capacity int, start uint64, opts ...Option) *SPSC[T] {
	AwaitFence()
	q := newLamportAt[T](capacity, start, append(opts, FencelessAnyway()))
	q.s.relaxSpan, q.s.relaxGap = 0, 0
	return q
}

// FencelessAnyway makes an SPSC fenceless wherever the platform allows,
// even where the process found fences cheap (see fencesCostly), so that
// tests drive the fenceless protocol on every linux/amd64 machine.
func FencelessAnyway() Option { return func(o *options) { o.fencelessAnyway = true } }

// FencesCostlyHere reports whether SPSCs here drop their fences while
// items stream: whether the platform allows it and the process found them
// costly.
func FencesCostlyHere() bool { return fencePlatform && fencesCostly() }

// FencesCostly is fencesCostly's verdict for publishes that took locked
// and plain.
func FencesCostly(locked, plain time.Duration) bool { return costlyFences(locked, plain) }

// SetRelaxGap sets how long after its last membarrier a side of q, a
// fenceless SPSC, waits before it lets go of its guard (minFenceGap).
func SetRelaxGap[T any](q *SPSC[T], d time.Duration) { q.s.relaxGap = d }

// StallPublish writes v into the next slot of q, a fenceless SPSC, and
// goes as far into a publish of it as plainPublish goes before it stores
// the tail: it sets publishing, and checks the producer's guard,
// panicking if it is set. The function it returns completes the publish
// as plainPublish does. Between the two, q's producer is inside its
// publish.
func StallPublish[T any](q *SPSC[T], v T) (finish func()) {
	c := q.lamport
	t := c.prod.own
	c.buf[index(t, c.mask)] = v
	c.publishing.Store(1)
	if c.tailGuard.Load() != 0 {
		panic("ring: StallPublish with the producer's guard set")
	}
	return func() {
		c.tail.Store(t + step)
		c.publishing.Store(0)
		c.prod.own = t + step
	}
}

// BeginClose makes the first move of Close on q, a fenceless SPSC: it
// tells the producer that Close has begun, and goes no further.
func BeginClose[T any](q *SPSC[T]) { q.s.tailGuard.Or(guardClose) }

// RelaxAfter is how many items a side of an SPSC moves before it lets go of its guard.
const RelaxAfter = relaxAfter
