package ring

import (
	"context"
	"errors"
	"iter"
	"runtime"
	"unsafe"
)

// core is what sets the rings apart: how a slot is claimed and published.
// Everything else, the waiting, Close, Len and Cap, is shared. Both cores,
// spsc (Lamport's ring, for SPSC) and vyukov (for MPSC and MPMC, and for
// an SPSC of fewer than minLamportCap slots), have these methods; the
// interface is not used at run time (see queue), but the assertions below
// keep the two method sets alike.
type core[T any] interface {
	enqueue(v T, strict bool) status
	enqueueBatch(vs []T) (int, status)
	dequeue(strict bool) (T, status)
	dequeueBatch(dst []T) (int, status)

	// enqueue and dequeue in two steps each, for items above bigItem:
	// claimSlot finds where an item goes and publishSlot publishes it;
	// claimItem finds where the oldest item is and release frees its
	// slot once the item is copied out.
	claimSlot(strict bool) (*T, uint64, status)
	publishSlot(t uint64) status
	claimItem(strict bool) (*T, uint64, status)
	release(h uint64)
}

// Both cores implement core. (The assertion also shows staticcheck that
// their methods are used.)
var (
	_ core[int] = (*spsc[int])(nil)
	_ core[int] = (*vyukov[int])(nil)
)

// queue is the public face that SPSC, MPSC and MPMC share. It points at
// its queue's core, which is one of two types, and each method calls the
// core's method directly, after an if on which of the two it is (the
// single-item methods go further, and run the core's common case
// themselves: see put). Go calls
// a method through an interface or a type parameter indirectly, and
// through a wrapper of the method: when queue called its core through a
// type parameter, one goroutine's TryEnqueue and TryDequeue took 11.0 ns
// against 8.7 now, and MPSC and MPMC moved items between cores 11-14%
// slower (bench/results/direct-calls.txt).
type queue[T any] struct {
	lamport *spsc[T]   // SPSC's core, or nil
	vyukov  *vyukov[T] // MPSC's or MPMC's core (or a small SPSC's), or nil
	s       *state     // the core's state
}

// bigItem is the size above which an item is copied once, between the
// caller's variable and its slot, in two calls to the core (enqueueBig,
// dequeueBig), rather than passed by value through the core's own
// functions: each pass of a 64-byte struct by value costs about 4 ns
// here (this module's 2-core machine, bench/results/big-items.txt).
// unsafe.Sizeof is a constant for each instantiation, so the compiler
// keeps only one of the two ways; each method tests it itself, since a
// helper that did would not be inlined and would cost small items a call.
const bigItem = 16

// enqueueBig makes one attempt to add *v, a big item.
func (q *queue[T]) enqueueBig(v *T, strict bool) status {
	if c := q.lamport; c != nil {
		p, t, st := c.claimSlot(strict)
		if st != done {
			return st
		}
		*p = *v
		return c.publishSlot(t)
	}
	p, t, st := q.vyukov.claimSlot(strict)
	if st != done {
		return st
	}
	*p = *v
	return q.vyukov.publishSlot(t)
}

// dequeueBig makes one attempt to move the oldest item, a big one, to *dst.
func (q *queue[T]) dequeueBig(dst *T, strict bool) status {
	if c := q.lamport; c != nil {
		p, h, st := c.claimItem(strict)
		if st != done {
			return st
		}
		*dst = *p
		c.release(h)
		return done
	}
	p, h, st := q.vyukov.claimItem(strict)
	if st != done {
		return st
	}
	*dst = *p
	q.vyukov.release(h)
	return done
}

// enqueueBatch and dequeueBatch make one attempt of a batch. A batch is
// slow enough that the call they add does not matter.
func (q *queue[T]) enqueueBatch(vs []T) (int, status) {
	if q.lamport != nil {
		return q.lamport.enqueueBatch(vs)
	}
	return q.vyukov.enqueueBatch(vs)
}

func (q *queue[T]) dequeueBatch(dst []T) (int, status) {
	if q.lamport != nil {
		return q.lamport.dequeueBatch(dst)
	}
	return q.vyukov.dequeueBatch(dst)
}

// TryEnqueue adds v unless the queue is full or closed, and reports whether
// it did. It never fails because another goroutine won a race: an MPSC or
// MPMC producer (or that of an SPSC of fewer than 32 slots) may wait,
// without blocking, for a consumer that is in the middle of freeing the
// slot v needs. Any goroutine may call it, but with
// an SPSC only the single producer.
func (q *queue[T]) TryEnqueue(v T) bool { return q.put(context.Background(), v, false) == nil }

// Enqueue adds v, waiting while the queue is full. It returns ErrClosed,
// and does not add v, if the queue is closed first. Any goroutine may call
// it, but with an SPSC only the single producer.
func (q *queue[T]) Enqueue(v T) error { return q.put(context.Background(), v, true) }

// EnqueueContext adds v, waiting while the queue is full. It returns
// ctx.Err() if ctx is done first, and ErrClosed if the queue is closed
// first; in both cases v is not added. If v can be added at once, it is,
// even if ctx is done. Any goroutine may call it, but with an SPSC only the
// single producer.
func (q *queue[T]) EnqueueContext(ctx context.Context, v T) error { return q.put(ctx, v, true) }

// errNoWait is what put and take return where a blocking call would wait.
var errNoWait = errors.New("ring: would wait")

// put is TryEnqueue (wait false) and EnqueueContext (wait true). It makes
// the first attempt, strict for TryEnqueue and loose for EnqueueContext,
// and, for EnqueueContext, builds the closure that a wait needs only once
// that attempt has failed: when every call built it first, MPSC and MPMC
// moved single items 11-30% slower in the shapes where the difference was
// significant, on ringq's 2-core machine
// (bench/results/first-attempt.txt). The wait is called from here, not
// from a function of its own, so that a goroutine that parks in it has
// one frame fewer to return through once woken (see wait.Backoff.Next):
// a parked consumer's hand-off took 5-10 ns less so, and a call that
// does not wait no more time (bench/results/park-depth.txt, part 5).
//
// The common case of that attempt, a slot free at once, is written out
// here, a copy of the core's: Go does not inline the cores' generic
// methods, and without the call into them single items moved 6-9% faster
// through an SPSC and 18-26% through MPSC and MPMC, on the same machine
// (bench/results/fast-path.txt). Anything else, and items above bigItem,
// goes to the core.
//
// TryEnqueue, Enqueue and EnqueueContext are small enough for Go to
// inline (as are TryDequeue, Dequeue and DequeueContext, at 79 of the
// budget of 80 that Go 1.25 and 1.26 give), so that their callers call
// put and take themselves: one call from the caller to a free slot, for
// the Try methods too, whose single items got 18% faster through MPSC
// and MPMC when they shared this body (same file, part 2).
func (q *queue[T]) put(ctx context.Context, v T, wait bool) error {
	q.s.mark(producers)
	var st status
	switch {
	case unsafe.Sizeof(v) > bigItem:
		st = q.enqueueBig(&v, !wait)
	case q.lamport != nil:
		// spsc.enqueue, when its view of head shows room and the slot
		// is not where it reaches ahead. It starts from the producer's
		// own copy of the tail and learns of Close from publish (see
		// there), whose two ways it calls apart, so that each is inlined,
		// and a fenced SPSC's first: written as one expression, the
		// fenced way took a detour through the other's code, and single
		// items through an SPSC that keeps its fences took 6.5% longer
		// on ringq's 2-core AMD EPYC, in runs mostly in its slow phase
		// (bench/results/fenced-branch.txt).
		c := q.lamport
		t := c.prod.own
		i := index(t, c.mask)
		if g := reachGroup[T](); c.prod.pos+c.span != t && (g == 0 || i%g != 0) {
			c.buf[i] = v
			if !c.fenceless {
				if c.publishFenced(t, 1) {
					return nil
				}
			} else if c.tailGuard.Load() == 0 && c.publishFenceless(t, 1) || c.publishFenced(t, 1) {
				return nil
			}
			st = c.finish(t, 1)
			break
		}
		st = c.enqueue(v, !wait)
	default:
		// vyukov.enqueue, when the slot of the tail is free.
		c := q.vyukov
		t := c.tail.Load()
		if s := c.slot(t); t&closedMark == 0 && s.seq.Load() == t {
			if c.tail.CompareAndSwap(t, t+step) {
				s.val = v
				s.seq.Store(t + 1)
				c.notEmpty.Notify(1)
				return nil
			}
			runtime.Gosched() // lost the race: let the winner run (see vyukov)
		}
		st = c.enqueue(v, !wait)
	}
	switch {
	case st == done:
		return nil
	case st == closed:
		return ErrClosed
	case !wait:
		return errNoWait
	}
	return q.s.awaitRoom(ctx, func(strict bool) status {
		switch {
		case unsafe.Sizeof(v) > bigItem:
			return q.enqueueBig(&v, strict)
		case q.lamport != nil:
			return q.lamport.enqueue(v, strict)
		}
		return q.vyukov.enqueue(v, strict)
	})
}

// TryEnqueueBatch adds the longest prefix of vs that fits, in order, and
// returns its length: 0 only if the queue is full or closed, or vs is
// empty. In an MPMC of items of up to 24 bytes, the prefix also ends at a
// slot that a consumer is still reading out; if that is the first slot,
// the call waits for that consumer. An SPSC publishes the prefix with one
// update of its tail; an MPSC or MPMC, and an SPSC of fewer than 32 slots,
// claims its slots with one compare-and-swap. Any goroutine may call it,
// but with an SPSC only the single producer.
func (q *queue[T]) TryEnqueueBatch(vs []T) int {
	q.s.mark(producers)
	n, _ := q.enqueueBatch(vs)
	return n
}

// EnqueueBatch adds all of vs in order, waiting for room as often as it
// must; in an MPSC or MPMC, another producer's items may come between two
// of its claims. It returns how many items were added, and ErrClosed if
// the queue was closed before all were; an empty vs returns 0 at once,
// with ErrClosed if the queue is closed. Any goroutine may call it, but
// with an SPSC only the single producer.
func (q *queue[T]) EnqueueBatch(vs []T) (int, error) {
	return q.EnqueueBatchContext(context.Background(), vs)
}

// EnqueueBatchContext adds all of vs in order, waiting for room as often
// as it must, as EnqueueBatch does. It returns how many items were added,
// with ctx.Err() if ctx is done before all were, or ErrClosed if the queue
// is closed first. The items added stay in the queue, in order, whatever
// the error. What fits at once is added even if ctx is done. Any goroutine
// may call it, but with an SPSC only the single producer.
func (q *queue[T]) EnqueueBatchContext(ctx context.Context, vs []T) (int, error) {
	q.s.mark(producers)
	if len(vs) == 0 {
		if q.s.closed() {
			return 0, ErrClosed
		}
		return 0, nil
	}
	n := 0
	attempt := func(bool) status {
		for n < len(vs) {
			k, st := q.enqueueBatch(vs[n:])
			n += k
			if st != done {
				return st
			}
		}
		return done
	}
	switch attempt(true) {
	case done:
		return n, nil
	case closed:
		return n, ErrClosed
	}
	err := q.s.awaitRoom(ctx, attempt)
	return n, err
}

// TryDequeue removes and returns the oldest item, unless the queue is
// empty. It never fails because another goroutine won a race: it may wait,
// without blocking, for a producer that is in the middle of publishing the
// oldest item. Any goroutine may call it, but with an SPSC or MPSC only
// the single consumer.
func (q *queue[T]) TryDequeue() (v T, ok bool) {
	v, err := q.take(context.Background(), false)
	return v, err == nil
}

// Dequeue removes and returns the oldest item, waiting while the queue is
// empty. It returns ErrClosed once the queue is closed and drained. Any
// goroutine may call it, but with an SPSC or MPSC only the single consumer.
func (q *queue[T]) Dequeue() (T, error) { return q.take(context.Background(), true) }

// DequeueContext removes and returns the oldest item, waiting while the
// queue is empty. It returns ctx.Err() if ctx is done first, and ErrClosed
// once the queue is closed and drained. If an item can be had at once, it
// is returned, even if ctx is done. Any goroutine may call it, but with an
// SPSC or MPSC only the single consumer.
func (q *queue[T]) DequeueContext(ctx context.Context) (T, error) { return q.take(ctx, true) }

// take is TryDequeue (wait false) and DequeueContext (wait true), as put
// is TryEnqueue and EnqueueContext.
func (q *queue[T]) take(ctx context.Context, wait bool) (T, error) {
	q.s.mark(consumers)
	var (
		v  T
		st status
	)
	switch {
	case unsafe.Sizeof(v) > bigItem:
		st = q.dequeueBig(&v, !wait)
	case q.lamport != nil:
		// spsc.dequeue, when its view of tail shows an item and the slot
		// is not where it reaches ahead. It starts from the consumer's own
		// copy of the head (see moveHead).
		c := q.lamport
		h := c.cons.own
		i := index(h, c.mask)
		if g := reachGroup[T](); c.cons.pos != h && (g == 0 || i%g != 0) {
			s := &c.buf[i]
			v = *s
			var zero T
			*s = zero
			if !c.fenceless || c.headGuard.Load() != 0 { // moveHead, which is too big to inline
				c.head.Store(h + step)
			} else if storeRelease(&c.head.Uint64, h+step); c.headGuard.Load() != 0 {
				c.head.Store(h + step)
			}
			c.cons.own = h + step
			c.notFull.Notify(1)
			return v, nil
		}
		v, st = c.dequeue(!wait)
	default:
		// vyukov.dequeue, when the item of the head is published.
		c := q.vyukov
		h := c.head.Load()
		if s := c.slot(h); s.seq.Load() == h+1 {
			if c.claim(h, h+step) {
				v = s.val
				c.free(s, h)
				c.notFull.Notify(1)
				return v, nil
			}
			runtime.Gosched() // lost the race: let the winner run (see vyukov)
		}
		v, st = c.dequeue(!wait)
	}
	switch {
	case st == done:
		return v, nil
	case st == closed:
		return v, ErrClosed
	case !wait:
		return v, errNoWait
	}
	err := q.s.awaitItem(ctx, func(strict bool) (st status) {
		switch {
		case unsafe.Sizeof(v) > bigItem:
			return q.dequeueBig(&v, strict)
		case q.lamport != nil:
			v, st = q.lamport.dequeue(strict)
		default:
			v, st = q.vyukov.dequeue(strict)
		}
		return st
	})
	return v, err
}

// TryDequeueBatch removes up to len(dst) of the oldest items, in order,
// into a prefix of dst and returns how many: 0 only if the queue is empty
// or dst is. In an MPMC the prefix also ends at an item that a producer is
// still writing, where it would take more than half the ring, or, for
// items of more than 24 bytes, in a ring of up to 64 slots; if that is the
// oldest item, the call waits for that producer. Any goroutine may call
// it, but with an SPSC or MPSC only the single consumer.
func (q *queue[T]) TryDequeueBatch(dst []T) int {
	q.s.mark(consumers)
	n, _ := q.dequeueBatch(dst)
	return n
}

// DequeueBatch removes up to len(dst) of the oldest items, in order, into a
// prefix of dst, waiting until there is at least one, and returns how many.
// It returns ErrClosed once the queue is closed and drained. An empty dst
// returns 0 at once: with ErrClosed if the queue is closed and drained, so
// that a loop of DequeueBatch calls ends with the queue whatever its dst.
// Any goroutine may call it, but with an SPSC or MPSC only the single
// consumer.
func (q *queue[T]) DequeueBatch(dst []T) (int, error) {
	return q.DequeueBatchContext(context.Background(), dst)
}

// DequeueBatchContext removes up to len(dst) of the oldest items, in
// order, into a prefix of dst, waiting until there is at least one, as
// DequeueBatch does. It returns 0 and ctx.Err() if ctx is done first,
// having taken nothing. If items can be had at once, they are returned,
// even if ctx is done. Any goroutine may call it, but with an SPSC or MPSC
// only the single consumer.
func (q *queue[T]) DequeueBatchContext(ctx context.Context, dst []T) (int, error) {
	q.s.mark(consumers)
	if len(dst) == 0 {
		if q.s.drained() {
			return 0, ErrClosed
		}
		return 0, nil
	}
	n, st := q.dequeueBatch(dst)
	if st == done {
		return n, nil
	}
	if st == closed {
		return 0, ErrClosed
	}
	err := q.s.awaitItem(ctx, func(bool) status {
		n, st = q.dequeueBatch(dst)
		return st
	})
	return n, err
}

// All returns an iterator over the items as they are dequeued, as a range
// over a channel is: each step waits for the next item (with Dequeue), and
// the loop ends once the queue is closed and drained. Breaking out of the
// loop leaves the items not yet dequeued in the queue. With an SPSC or
// MPSC, only the single consumer may range over it.
func (q *queue[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for {
			v, err := q.Dequeue()
			if err != nil || !yield(v) {
				return
			}
		}
	}
}

// Close closes the queue: enqueues fail from now on, items already in it
// can still be dequeued, and every goroutine blocked in the queue wakes up.
// It is idempotent and may be called from any goroutine. On an SPSC of 32
// slots or more it may make a system call (see [SPSC]); otherwise it takes
// no longer than a few atomic operations and the wakeups.
func (q *queue[T]) Close() { q.s.close() }

// Closed reports whether Close has been called. Once it has, no enqueue
// succeeds, so a TryDequeue that starts after Closed reported true and
// fails means that the queue is drained for good: how a consumer that
// polls learns that the queue is finished (see the example). It may be
// called from any goroutine.
func (q *queue[T]) Closed() bool { return q.s.closed() }

// Len returns the number of items in the queue. It is exact while no other
// goroutine uses the queue, and always between 0 and Cap(). It may be
// called from any goroutine.
func (q *queue[T]) Len() int { return q.s.len() }

// Cap returns the queue's capacity: the one asked for, rounded up to a
// power of two.
func (q *queue[T]) Cap() int { return q.s.cap() }
