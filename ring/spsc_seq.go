package ring

import (
	"sync/atomic"

	"github.com/ringq/ringq/internal/wait"
	"github.com/ringq/ringq/pad"
)

// spscSeq is an SPSC core in which each side learns of the other's single
// items from the sequence number in the slot, and of batches from a
// position (pub for the producer's, head for the consumer's).
type spscSeq[T any] struct {
	slots []slot[T]
	mask  uint64
	state
	pub atomic.Uint64 // every position before it is published (by batches)
	_   [pad.Size - 8]byte
}

func (q *spscSeq[T]) init(capacity int, start uint64, opts []Option) {
	n := roundCapacity(capacity)
	q.slots, q.mask = make([]slot[T], n), uint64(n-1)
	q.state.init(n, start, opts)
	start = q.head.Load()
	q.pub.Store(start)
	for i := range uint64(n) {
		p := start + step*i
		q.slots[index(p, q.mask)].seq.Store(p) // free for p
	}
}

// claim takes up to want positions for the producer with one
// compare-and-swap that fails once Close has marked the tail.
func (q *spscSeq[T]) claim(want int) (uint64, int, status) {
	t := q.tail.Load()
	if t&closedMark != 0 {
		return t, 0, closed
	}
	n := min(want, int((q.headCache+q.span-t)/step))
	if n < want {
		if want == 1 && q.slots[index(t, q.mask)].seq.Load() == t {
			// Freed by a single dequeue, so head has passed t-span.
			q.headCache = t + step - q.span
			n = 1
		} else {
			// The seq path may have moved headCache a step past head, which
			// the consumer is about to store: never move it back.
			if h := q.head.Load(); int64(h-q.headCache) > 0 {
				q.headCache = h
			}
			n = min(want, int((q.headCache+q.span-t)/step))
			if n == 0 {
				return t, 0, retry
			}
		}
	}
	if !q.tail.CompareAndSwap(t, t+uint64(n)*step) {
		return t, 0, closed
	}
	return t, n, done
}

func (q *spscSeq[T]) enqueue(v T) status {
	t, _, st := q.claim(1)
	if st != done {
		return st
	}
	s := &q.slots[index(t, q.mask)]
	s.val = v
	s.seq.Store(t + 1)
	q.notEmpty.Notify(1)
	return done
}

func (q *spscSeq[T]) enqueueBatch(vs []T) (int, status) {
	if len(vs) == 0 {
		return 0, done
	}
	t, n, st := q.claim(len(vs))
	if st != done {
		return 0, st
	}
	for i, v := range vs[:n] {
		q.slots[index(t+uint64(i)*step, q.mask)].val = v
	}
	q.pub.Store(t + uint64(n)*step)
	q.notEmpty.Notify(n)
	return n, done
}

// published reports whether the item of position p is published, reloading
// pub into tailCache if reload is set and the cached reading falls short.
func (q *spscSeq[T]) published(p uint64, reload bool) bool {
	if int64(q.tailCache-p) > 0 || q.slots[index(p, q.mask)].seq.Load() == p+1 {
		return true
	}
	if !reload {
		return false
	}
	q.tailCache = q.pub.Load()
	return int64(q.tailCache-p) > 0
}

// first returns the head once its item is published, or reports the queue
// empty, or closed and drained.
func (q *spscSeq[T]) first() (uint64, status) {
	h := q.head.Load()
	if !q.published(h, true) {
		if st := q.emptyAt(h); st != done {
			return h, st
		}
		var b wait.Backoff // the producer has claimed h and is writing it
		for !q.published(h, true) {
			pause(&b)
		}
	}
	return h, done
}

func (q *spscSeq[T]) take(p uint64) T {
	s := &q.slots[index(p, q.mask)]
	v := s.val
	var zero T
	s.val = zero
	return v
}

func (q *spscSeq[T]) dequeue() (T, status) {
	h, st := q.first()
	if st != done {
		var zero T
		return zero, st
	}
	v := q.take(h)
	q.slots[index(h, q.mask)].seq.Store(h + q.span) // free for the next lap
	q.head.Store(h + step)
	q.notFull.Notify(1)
	return v, done
}

func (q *spscSeq[T]) dequeueBatch(dst []T) (int, status) {
	if len(dst) == 0 {
		return 0, done
	}
	h, st := q.first()
	if st != done {
		return 0, st
	}
	if last := h + uint64(len(dst)-1)*step; int64(q.tailCache-last) <= 0 {
		q.tailCache = q.pub.Load() // one reload of pub for the whole batch
	}
	n := 1
	for n < len(dst) && q.published(h+uint64(n)*step, false) {
		n++
	}
	for i := range dst[:n] {
		dst[i] = q.take(h + uint64(i)*step)
	}
	q.head.Store(h + uint64(n)*step)
	q.notFull.Notify(n)
	return n, done
}
