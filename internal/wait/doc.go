// Package wait is the one place where ringq's queues wait: for room, for an
// item, for a semaphore count. Every blocking method in the module, the
// lock-free rings and the semaphore baselines alike, goes through it, so
// their spinning, yielding, parking, context and Close behaviour cannot
// drift apart.
//
// A blocked call moves through three stages:
//
//  1. spin: busy loops of about 45 ns, then 90 ns a round (exponential
//     backoff that stops growing, as a round's length is how late it sees
//     the other side), at most about 700 ns in all, retrying between rounds
//     (the loop is timed once per process, since its speed depends on where
//     the linker puts it); a patient Backoff's first round is longer
//     (Backoff.Patience). How many rounds an
//     Event's waiters spin is learnt (adaptive spinning, see Backoff.Done):
//     spinning pays only while the other side runs on another processor,
//     and Go's scheduler often puts two goroutines that hand items to each
//     other on the same P. Skipped when GOMAXPROCS is 1 (a CachedProcs
//     wait, as a Vyukov ring's consumer's, takes the count a wait last
//     read, since runtime.GOMAXPROCS takes a global lock). A wait with no
//     Event, for a peer in the middle of a few stores to the slot the
//     caller needs, can be Brief: its rounds start at about 6 ns.
//  2. yield: runtime.Gosched, Go's sched_yield, so that other goroutines on
//     this P run; four calls, about half a microsecond in all here.
//  3. park: the goroutine registers with an Event (Event.Enter) and blocks
//     on a channel receive until a notifier, Close or its context wakes
//     it; Backoff.Wait parks in Event.park, the blocking calls of ring and
//     atomicsem in their own frame (Backoff.Next, Event.Enter,
//     Ticket.Block, Event.End). A parked goroutine costs no CPU. The Yield
//     policy never parks: it stays in the yield stage, for goroutines that
//     own a core.
//
// # Lost wakeups
//
// A waiter registers (a compare-and-swap or an atomic add of Event.state)
// before it checks its condition once more, and a notifier makes the
// condition true (an atomic store) before it loads Event.state. Go's
// atomics are sequentially consistent (the Go memory model,
// https://go.dev/ref/mem), so in every execution either the notifier sees
// the waiter or the waiter's last check sees the condition: the Dekker
// pattern. A waiter that is chosen by a notifier but then leaves without
// using the wakeup (its condition came true on its own, or its context
// ended) hands the wakeup on to the next waiter, as
// golang.org/x/sync/semaphore does, so no wakeup is ever dropped.
package wait
