package wait

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Policy selects how a blocked call waits once spinning has not helped.
type Policy uint8

const (
	// Park spins, yields for a bounded while, then parks the goroutine until
	// it is woken. An idle blocked goroutine uses no CPU. It is the default.
	Park Policy = iota
	// Yield spins, then calls runtime.Gosched until the call can proceed. It
	// never parks: the lowest hand-off latency for a goroutine that owns a
	// core, at the price of a core kept busy while the queue is idle.
	Yield
)

// String returns the policy's name.
func (p Policy) String() string {
	switch p {
	case Park:
		return "park"
	case Yield:
		return "yield"
	}
	return "wait.Policy(?)"
}

var (
	// spinRounds busy loops of 1, 2, 4 … 1<<(spinRounds-1) iterations: about
	// 64 iterations in all, a few hundred nanoseconds, near the cost of one
	// cache-line round trip between cores (PERFORMANCE.md).
	spinRounds = 6
	// yieldRounds calls of runtime.Gosched (~110 ns each here) before a
	// Park-policy waiter parks.
	yieldRounds = 16
)

// ParkAtOnce makes every Park-policy wait skip the spin and yield stages,
// so that tests drive the park-and-wake path on every wait, where a lost
// wakeup would show. It returns a function that restores the stages. It is
// for tests only, and must not be called while any goroutine waits.
func ParkAtOnce() (restore func()) {
	s, y := spinRounds, yieldRounds
	spinRounds, yieldRounds = 0, 0
	return func() { spinRounds, yieldRounds = s, y }
}

// Backoff carries one blocking call through the spin, yield and park
// stages. Its zero value waits with the Park policy; set Policy for another.
// A Backoff belongs to one call of one goroutine and lives on its stack.
type Backoff struct {
	Policy Policy
	round  int
	spin   bool // round 0 decided whether spinning can help
}

// spinSink keeps the spin loop from being optimised away.
var spinSink atomic.Uint32

// Wait waits once after a failed attempt, then returns so that the caller
// tries again. Early rounds spin or yield and return nil; once those are
// used up a Park-policy Backoff parks on e until a notifier wakes it, ready
// reports true, or ctx is done. Wait returns ctx.Err() when ctx is done and
// nil otherwise. ready must report whether the caller's attempt could now
// succeed, or the queue is closed.
func (b *Backoff) Wait(ctx context.Context, e *Event, ready func() bool) error {
	if done := ctx.Done(); done != nil {
		select {
		case <-done:
			return ctx.Err()
		default:
		}
	}
	if b.round == 0 {
		b.spin = runtime.GOMAXPROCS(0) > 1
	}
	r := b.round
	b.round++
	switch {
	case r < spinRounds && b.spin:
		for i := 0; i < 1<<r; i++ {
			spinSink.Load()
		}
		return nil
	case r < spinRounds+yieldRounds || b.Policy == Yield:
		runtime.Gosched()
		return nil
	}
	return e.park(ctx, ready)
}

// Event is where goroutines park until another goroutine makes their
// condition true. The zero value is ready to use; an Event must not be
// copied after first use.
//
// Invariants: waiters == len(queue) whenever mu is not held; each channel
// in queue has a buffer of one, is empty, and belongs to one parked goroutine.
type Event struct {
	waiters atomic.Int32 // read by every notifier without the lock
	mu      sync.Mutex
	queue   []chan struct{} // parked goroutines, oldest first
}

// tokens recycles the one-slot channels that parked goroutines block on,
// so that parking does not allocate in the steady state.
var tokens = sync.Pool{New: func() any { return make(chan struct{}, 1) }}

// Notify wakes up to n parked goroutines. It must be called after the
// change that the waiters wait for has been made with an atomic store.
// When nobody is parked it costs one atomic load.
func (e *Event) Notify(n int) {
	if e.waiters.Load() == 0 {
		return
	}
	e.notify(n)
}

// NotifyAll wakes every parked goroutine, as Close must.
func (e *Event) NotifyAll() {
	if e.waiters.Load() == 0 {
		return
	}
	e.notify(-1)
}

// Waiters returns the number of goroutines parked on e, for tests.
func (e *Event) Waiters() int { return int(e.waiters.Load()) }

func (e *Event) notify(n int) {
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
	e.waiters.Add(int32(-n))
	e.mu.Unlock()
}

// park registers the calling goroutine, checks ready once more and blocks
// until it is woken or ctx is done.
func (e *Event) park(ctx context.Context, ready func() bool) error {
	ch := tokens.Get().(chan struct{})
	e.mu.Lock()
	e.queue = append(e.queue, ch)
	e.waiters.Add(1)
	e.mu.Unlock()

	if ready() {
		e.leave(ch)
		return nil
	}
	select {
	case <-ch:
		tokens.Put(ch)
		return nil
	case <-ctx.Done():
		e.leave(ch)
		return ctx.Err()
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
			e.waiters.Add(-1)
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
