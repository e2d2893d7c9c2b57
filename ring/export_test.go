package ring

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
