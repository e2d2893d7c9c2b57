package wait

import (
	"context"
	"sync"
	"sync/atomic"
)

// Event is where goroutines park until another goroutine makes their
// condition true. The zero value is ready to use; an Event must not be
// copied after first use.
//
// A goroutine that parks on an Event nobody else waits on, the common
// case (the consumer of a queue that has run dry, its producer on a full
// one), parks in the Event's solo slot, if Init has given it one: it
// claims the slot with one compare-and-swap of state and blocks on the
// Event's own channel; its notifier marks it woken with another and
// sends, and it frees the slot with an atomic add once it has the token.
// Every other goroutine registers in queue under mu and blocks on
// a channel of its own, as all did before the slot: two mutex round
// trips, two atomic adds and a sync.Pool round trip more, most of what
// made a ring's park and wake 170 ns slower than a channel's
// (bench/results/park-path.txt). On ringq's 2-core Intel Xeon the slot
// took 13-16% off a cycle of park and wake at GOMAXPROCS=1, and nothing
// measurable with the two goroutines on two Ps, where waking the other P
// costs more (bench/results/solo-park.txt). The slot is claimed only when
// nobody else waits, and the queue holds only later arrivals, so
// goroutines are still woken oldest first.
//
// Invariants: state's count equals len(queue) whenever mu is not held;
// each channel in queue has a buffer of one, is empty, and belongs to one
// goroutine that is parking or parked; solo holds a token only while
// soloWoken is set, and soloWaiting and soloWoken are never set together.
type Event struct {
	state atomic.Int32  // the count of goroutines in queue, plus soloWaiting or soloWoken; read by every notifier without the lock
	spin  atomic.Int32  // spinCredits per spin round a waiter tries, at most maxSpinRounds rounds; a probe of them all from 0 to spinCredits-1; in debt down to -maxProbeGap; see Backoff.Done
	gap   atomic.Int32  // the debt of a wait that shows spinning in vain, probeGap to maxProbeGap (0 means probeGap); see Backoff.Done
	idle  atomic.Int32  // Park-policy calls in a row that parked, wrapping from idleWaits+yieldProbe to idleWaits; see Backoff.learnYields
	solo  chan struct{} // the solo slot's channel, buffer one; nil until Init
	mu    sync.Mutex
	queue []chan struct{} // parked goroutines but the solo one, oldest first
}

// The bits of Event.state above the count of goroutines in its queue.
const (
	soloWaiting = 1 << 29 // a goroutine parks in the solo slot
	soloWoken   = 1 << 30 // a notifier chose it; it has not yet taken the token
	countMask   = soloWaiting - 1
)

// Init gives e its solo slot. It must be called before e is used, if at
// all; an Event without one parks every goroutine in its queue.
func (e *Event) Init() { e.solo = make(chan struct{}, 1) }

// tokens recycles the one-slot channels that goroutines parked in an
// Event's queue block on, so that parking does not allocate in the steady
// state.
var tokens = sync.Pool{New: func() any { return make(chan struct{}, 1) }}

// Notify wakes up to n parked goroutines. It must be called after the
// change that the waiters wait for has been made with an atomic store,
// or with a plain one that the waiters' side orders otherwise before it
// parks (as ring's fenceless SPSC does, with membarrier(2)). When nobody
// is parked it costs one atomic load.
func (e *Event) Notify(n int) {
	if e.state.Load()&^soloWoken == 0 {
		return
	}
	e.notify(n)
}

// NotifyAll wakes every parked goroutine, as Close must.
func (e *Event) NotifyAll() {
	if e.state.Load()&^soloWoken == 0 {
		return
	}
	e.notify(-1)
}

// Waiters returns the number of goroutines parked on e, for tests.
func (e *Event) Waiters() int {
	s := e.state.Load()
	n := int(s & countMask)
	if s&soloWaiting != 0 {
		n++
	}
	return n
}

// notify wakes up to n parked goroutines, every one if n < 0: the solo
// one first, since it came before any in the queue.
func (e *Event) notify(n int) {
	if n == 0 {
		return
	}
	for {
		s := e.state.Load()
		if s&soloWaiting == 0 {
			break
		}
		if e.state.CompareAndSwap(s, s&^soloWaiting|soloWoken) {
			e.solo <- struct{}{} // never blocks: one slot, empty while soloWoken was clear
			n--
			break
		}
	}
	if n == 0 || e.state.Load()&countMask == 0 {
		return
	}
	e.mu.Lock()
	if n < 0 || n > len(e.queue) {
		n = len(e.queue)
	}
	for _, ch := range e.queue[:n] {
		ch <- struct{}{} // never blocks: one slot, empty, one sender
	}
	rest := copy(e.queue, e.queue[n:])
	clear(e.queue[rest:])
	e.queue = e.queue[:rest]
	e.state.Add(int32(-n))
	e.mu.Unlock()
}

// A Ticket is a goroutine's place among the goroutines parked on an
// Event, from Enter until End.
type Ticket struct {
	ch   chan struct{} // the Event's solo channel, or one of tokens
	solo bool
}

// Block waits for the wakeup of t and reports true once it has it, or
// false once quit is closed first (a nil quit never is). Block inlines,
// so the goroutine blocks in its caller's frame (see Backoff.Next); the
// caller then passes what Block reported to End.
func (t Ticket) Block(quit <-chan struct{}) bool {
	if quit == nil { // never closed: a receive is cheaper than a select (bench/results/park-recv.txt)
		<-t.ch
		return true
	}
	select {
	case <-t.ch:
		return true
	case <-quit:
		return false
	}
}

// Enter registers the calling goroutine with e, to be woken by Notify, and
// then checks ready once more: if ready reports true, Enter takes the
// goroutine off again and returns ok false. Otherwise the caller must wait
// with t.Block and then call End. The check after the registration is what
// makes a wakeup impossible to lose: a notifier that made ready true before
// it was made either sees the registration and wakes the goroutine, or made
// its change visible to the check.
func (e *Event) Enter(ready func() bool) (t Ticket, ok bool) {
	if e.solo != nil && e.state.CompareAndSwap(0, soloWaiting) {
		t = Ticket{e.solo, true}
	} else {
		t.ch = tokens.Get().(chan struct{})
		e.mu.Lock()
		e.queue = append(e.queue, t.ch)
		e.state.Add(1)
		e.mu.Unlock()
	}
	if ready() {
		e.quit(t)
		return Ticket{}, false
	}
	return t, true
}

// End ends the park of t once t.Block has returned woken. If woken, it
// frees t's place and returns nil. If not (ctx is done), it takes the
// goroutine off e without a wakeup received, and returns ctx.Err(); if a
// notifier has already chosen it, its wakeup is received and handed on to
// the next goroutine parked, so that it is not lost.
func (e *Event) End(ctx context.Context, t Ticket, woken bool) error {
	switch {
	case !woken:
		e.quit(t)
		return ctx.Err()
	case t.solo:
		e.state.Add(-soloWoken)
	default:
		tokens.Put(t.ch)
	}
	return nil
}

// quit takes the goroutine of t off e without a wakeup received, handing
// the wakeup on if a notifier has already chosen it.
func (e *Event) quit(t Ticket) {
	if t.solo {
		e.leaveSolo()
		return
	}
	e.leave(t.ch)
}

// park registers the calling goroutine, checks ready once more and blocks
// until it is woken or ctx is done.
func (e *Event) park(ctx context.Context, ready func() bool) error {
	t, ok := e.Enter(ready)
	if !ok {
		return nil
	}
	return e.End(ctx, t, t.Block(ctx.Done()))
}

// leaveSolo frees the solo slot for a goroutine that no longer waits. If
// a notifier has already chosen it, the wakeup is received and handed on,
// as leave does.
func (e *Event) leaveSolo() {
	for {
		s := e.state.Load()
		if s&soloWaiting == 0 { // chosen: the token is in solo, or on its way
			<-e.solo
			e.state.Add(-soloWoken)
			e.Notify(1)
			return
		}
		if e.state.CompareAndSwap(s, s&^soloWaiting) {
			return
		}
	}
}

// leave takes a parked goroutine's channel off the queue. If a notifier has
// already chosen it, the wakeup is received and handed on, so that it is not
// lost to a goroutine that no longer needs it.
func (e *Event) leave(ch chan struct{}) {
	e.mu.Lock()
	found := false
	for i, c := range e.queue {
		if c == ch {
			copy(e.queue[i:], e.queue[i+1:])
			e.queue[len(e.queue)-1] = nil
			e.queue = e.queue[:len(e.queue)-1]
			e.state.Add(-1)
			found = true
			break
		}
	}
	e.mu.Unlock()
	if !found {
		<-ch
		e.Notify(1)
	}
	tokens.Put(ch)
}
