package wait_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringq/ringq/internal/wait"
)

// A parker starts a goroutine that waits once on e, with ready as its
// condition, until it is woken or ctx ends, and sends what the wait
// returned.
type parker func(ctx context.Context, e *wait.Event, ready func() bool) <-chan error

// parkedInWait is a parker whose goroutine waits with Backoff.Wait, which
// parks in Event.park.
func parkedInWait(ctx context.Context, e *wait.Event, ready func() bool) <-chan error {
	out := make(chan error, 1)
	go func() {
		b := wait.Backoff{}
		out <- b.Wait(ctx, e, ready)
	}()
	return out
}

// parkedInFrame is a parker whose goroutine parks in its own frame, as
// ring's blocking calls do: Backoff.Next, then Event.Enter, Ticket.Block
// and Event.End.
func parkedInFrame(ctx context.Context, e *wait.Event, ready func() bool) <-chan error {
	out := make(chan error, 1)
	go func() {
		b := wait.Backoff{}
		park, err := b.Next(ctx, e)
		if park {
			if t, ok := e.Enter(ready); ok {
				err = e.End(ctx, t, t.Block(ctx.Done()))
			}
		}
		out <- err
	}()
	return out
}

// TestCancelledWaiterHandsOnItsWakeup checks the rule that keeps a wakeup
// from being lost: a waiter that a notifier chose, but whose context ends
// at the same moment, either returns nil (it took the wakeup) or passes the
// wakeup to the next waiter. The cancelled waiter is the oldest parked
// goroutine, or one that parked behind another.
func TestCancelledWaiterHandsOnItsWakeup(t *testing.T) {
	defer wait.ParkAtOnce()()
	// With one P the woken waiter cannot run between cancel and Notify.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	eachEvent(t, func(t *testing.T, newEvent func() *wait.Event, parked parker) {
		for _, queued := range []bool{false, true} {
			for range 200 {
				e := newEvent()
				var never atomic.Bool
				var ahead <-chan error
				if queued { // a waiter parks ahead of the next two
					ahead = parked(context.Background(), e, never.Load)
					require.Eventually(t, func() bool { return e.Waiters() == 1 }, 10*time.Second, time.Millisecond, "the waiter ahead to park")
				}
				n := e.Waiters()
				ctx, cancel := context.WithCancel(context.Background())
				cancelled := parked(ctx, e, never.Load)
				require.Eventually(t, func() bool { return e.Waiters() == n+1 }, 10*time.Second, time.Millisecond, "the cancelled waiter to park")
				second := parked(context.Background(), e, never.Load)
				require.Eventually(t, func() bool { return e.Waiters() == n+2 }, 10*time.Second, time.Millisecond, "the second waiter to park")
				if queued {
					e.Notify(1) // wakes the waiter ahead, the oldest
					returns(t, "the waiter ahead", ahead)
				}

				cancel()    // wakes the cancelled waiter for its context,
				e.Notify(1) // but before it runs, the notifier chooses it
				if err := <-cancelled; err == nil {
					e.Notify(1) // it took the wakeup; wake the second ourselves
				}
				returns(t, "the second waiter, given the cancelled one's wakeup", second)
				if n := e.Waiters(); n != 0 {
					t.Fatalf("queued=%v: %d waiters left, want 0", queued, n)
				}
			}
		}
	})
}

// eachEvent runs test on Events without a solo slot and on Events with
// one (Init): the two ways a goroutine parks, in the queue and in the
// slot, and the two together wherever a test parks more than one; and
// each of those with waiters that park in Event.park (Wait) and in their
// own frame (Next and Enter, as ring's blocking calls do).
func eachEvent(t *testing.T, test func(t *testing.T, newEvent func() *wait.Event, parked parker)) {
	for _, solo := range []bool{false, true} {
		for _, inFrame := range []bool{false, true} {
			name, parked := "queue", parker(parkedInWait)
			if solo {
				name = "solo"
			}
			if inFrame {
				name, parked = name+"/in-frame", parkedInFrame
			}
			t.Run(name, func(t *testing.T) {
				test(t, func() *wait.Event {
					e := new(wait.Event)
					if solo {
						e.Init()
					}
					return e
				}, parked)
			})
		}
	}
}

// returns fails the test unless a waiter started by a parker returns nil
// within 10 seconds.
func returns(t *testing.T, who string, waiter <-chan error) {
	t.Helper()
	select {
	case err := <-waiter:
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s was not woken", who)
	}
}

// TestOldestWokenFirst checks that notifiers wake parked goroutines in the
// order they parked, also one that parks after the oldest was woken.
func TestOldestWokenFirst(t *testing.T) {
	defer wait.ParkAtOnce()()
	eachEvent(t, func(t *testing.T, newEvent func() *wait.Event, parked parker) {
		e := newEvent()
		var never atomic.Bool
		var waiters []<-chan error // in the order they parked
		left := 0
		park := func() {
			waiters = append(waiters, parked(context.Background(), e, never.Load))
			n := len(waiters) - left
			require.Eventually(t, func() bool { return e.Waiters() == n }, 10*time.Second, time.Millisecond, "waiter %d to park", len(waiters)-1)
		}
		for range 3 {
			park()
		}
		for i := 0; i < len(waiters); i++ {
			e.Notify(1)
			returns(t, fmt.Sprintf("waiter %d", i), waiters[i])
			left++
			for j, w := range waiters[i+1:] {
				select {
				case <-w:
					t.Fatalf("waiter %d woke before waiter %d", i+1+j, i)
				case <-time.After(time.Millisecond):
				}
			}
			if i == 0 {
				park() // one more, after the oldest has left
			}
		}
	})
}

// TestNotifyWakesN checks that Notify(n) wakes the n oldest parked
// goroutines, and NotifyAll every one left.
func TestNotifyWakesN(t *testing.T) {
	defer wait.ParkAtOnce()()
	eachEvent(t, func(t *testing.T, newEvent func() *wait.Event, parked parker) {
		e := newEvent()
		var never atomic.Bool
		var waiters []<-chan error
		for i := range 5 {
			waiters = append(waiters, parked(context.Background(), e, never.Load))
			require.Eventually(t, func() bool { return e.Waiters() == i+1 }, 10*time.Second, time.Millisecond, "waiter %d to park", i)
		}
		e.Notify(2)
		returns(t, "waiter 0", waiters[0])
		returns(t, "waiter 1", waiters[1])
		if n := e.Waiters(); n != 3 {
			t.Fatalf("after Notify(2), %d waiters, want 3", n)
		}
		e.NotifyAll()
		for i, w := range waiters[2:] {
			returns(t, fmt.Sprintf("waiter %d", i+2), w)
		}
		if n := e.Waiters(); n != 0 {
			t.Fatalf("after NotifyAll, %d waiters, want 0", n)
		}
	})
}

// TestReadyAfterRegistering checks that a waiter whose condition comes
// true before it parks returns without being notified.
func TestReadyAfterRegistering(t *testing.T) {
	defer wait.ParkAtOnce()()
	eachEvent(t, func(t *testing.T, newEvent func() *wait.Event, parked parker) {
		e := newEvent()
		var ready atomic.Bool
		ready.Store(true)
		b := wait.Backoff{}
		if err := b.Wait(context.Background(), e, ready.Load); err != nil {
			t.Fatal(err)
		}
		if n := e.Waiters(); n != 0 {
			t.Fatalf("%d waiters left, want 0", n)
		}
	})
}

// TestNotifiedRightAfterLastCheck checks the order that keeps a wakeup
// from being lost: a waiter registers before it checks its condition for
// the last time, so a notifier that makes the condition true just after
// that check finds the waiter registered, and wakes it. Here the notifier
// acts inside the check itself, after reading the condition as false: a
// waiter that checked first and registered after would park for ever.
func TestNotifiedRightAfterLastCheck(t *testing.T) {
	defer wait.ParkAtOnce()()
	eachEvent(t, func(t *testing.T, newEvent func() *wait.Event, parked parker) {
		e := newEvent()
		var cond atomic.Bool
		lastCheck := func() bool {
			if cond.Load() {
				return true
			}
			cond.Store(true) // a notifier, between this check and the park
			e.Notify(1)
			return false
		}
		returns(t, "the waiter notified right after its last check", parked(context.Background(), e, lastCheck))
		if n := e.Waiters(); n != 0 {
			t.Fatalf("%d waiters left, want 0", n)
		}
	})
}

// TestWaitContext checks that a parked waiter returns ctx.Err() when its
// context ends, and an already-ended context returns at once.
func TestWaitContext(t *testing.T) {
	defer wait.ParkAtOnce()()
	eachEvent(t, func(t *testing.T, newEvent func() *wait.Event, parked parker) {
		e := newEvent()
		var never atomic.Bool
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if err := <-parked(ctx, e, never.Load); err != context.DeadlineExceeded {
			t.Fatalf("Wait = %v, want DeadlineExceeded", err)
		}
		b := wait.Backoff{}
		if err := b.Wait(ctx, e, never.Load); err != context.DeadlineExceeded {
			t.Fatalf("Wait on an ended context = %v, want DeadlineExceeded", err)
		}
	})
}

// TestYieldNeverParks checks that the Yield policy returns from every
// round without registering with the Event.
func TestYieldNeverParks(t *testing.T) {
	defer wait.ParkAtOnce()()
	var e wait.Event
	var never atomic.Bool
	b := wait.Backoff{Policy: wait.Yield}
	for range 100 {
		if err := b.Wait(context.Background(), &e, never.Load); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.Waiters(); n != 0 {
		t.Fatalf("%d waiters, want 0", n)
	}
}

// TestSpinningEndsWithTheSpinStage checks that Spinning reports the spin
// rounds and none after them: the rings rely on it to make their attempts
// strict, and so see a closed queue, before a waiter yields or parks.
func TestSpinningEndsWithTheSpinStage(t *testing.T) {
	rounds := wait.PeerSpinRounds // a wait with no Event
	if runtime.GOMAXPROCS(0) == 1 {
		rounds = 0 // with one P, a waiter never spins
	}
	b := wait.Backoff{Policy: wait.Yield}
	for i := range rounds + 3 {
		if err := b.Wait(context.Background(), nil, nil); err != nil {
			t.Fatal(err)
		}
		if got, want := b.Spinning(), i < rounds; got != want {
			t.Fatalf("after wait %d: Spinning() = %v, want %v", i+1, got, want)
		}
	}
}

// setProcs sets GOMAXPROCS to n until t and its subtests end, and skips
// t where the runtime will not run n Ps (js/wasm runs one).
func setProcs(t *testing.T, n int) {
	t.Helper()
	old := runtime.GOMAXPROCS(n)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
	if got := runtime.GOMAXPROCS(0); got != n {
		t.Skipf("GOMAXPROCS stays %d here", got)
	}
}

// stopSpinning makes the call of b wait until it stops spinning and
// yields, which is where every wait reads GOMAXPROCS afresh.
func stopSpinning(t *testing.T, b wait.Backoff) {
	t.Helper()
	for b.Spinning() {
		if err := b.Wait(context.Background(), nil, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWaitsFollowGOMAXPROCS checks that waits spin by the current
// GOMAXPROCS: with one P no wait spins (the goroutine it waits for cannot
// run meanwhile), with two a wait does. A call reads the count at its
// start, but for a CachedProcs call, which must see a change once a call
// has stopped spinning after it.
func TestWaitsFollowGOMAXPROCS(t *testing.T) {
	setProcs(t, 2)
	for _, procs := range []int{1, 2, 1, 2} {
		runtime.GOMAXPROCS(procs)
		var fresh wait.Backoff
		if got, want := fresh.Spin(nil), procs > 1; got != want {
			t.Fatalf("GOMAXPROCS=%d: Spin = %v, want %v", procs, got, want)
		}
	}
	for _, procs := range []int{1, 2, 1, 2} {
		runtime.GOMAXPROCS(procs)
		stopSpinning(t, wait.Backoff{Policy: wait.Yield, CachedProcs: true})
		cached := wait.Backoff{CachedProcs: true}
		if got, want := cached.Spin(nil), procs > 1; got != want {
			t.Fatalf("GOMAXPROCS=%d, after a call stopped spinning: CachedProcs Spin = %v, want %v", procs, got, want)
		}
	}
}

// TestSpinStopsWithTheSpinStage checks that Spin spins the rounds of the
// spin stage, none at all with one P unless the wait is Brief, and then
// reports false, so that a caller that must not yield knows when to stop
// waiting.
func TestSpinStopsWithTheSpinStage(t *testing.T) {
	for _, procs := range []int{1, 2} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setProcs(t, procs)
			for _, brief := range []bool{false, true} {
				rounds := wait.PeerSpinRounds // a wait with no Event
				switch {
				case brief:
					rounds += wait.BriefRounds // whatever GOMAXPROCS
				case procs == 1:
					rounds = 0 // the peer cannot run while this goroutine spins
				}
				b := wait.Backoff{Brief: brief}
				for i := range rounds + 3 {
					if got, want := b.Spin(nil), i < rounds; got != want {
						t.Fatalf("Brief %v: Spin call %d = %v, want %v", brief, i+1, got, want)
					}
				}
			}
		})
	}
}

// TestDoneWithoutAWait checks that a call whose first attempt succeeded,
// or whose ctx was done before it waited, tells its Event nothing: it has
// shown nothing about spinning. atomicsem's buffers call Done so on every
// dequeue that finds an item at once, and such calls used to count as
// successes in the first spin round: an Event in debt came out of it, and
// a doubled debt was forgotten.
func TestDoneWithoutAWait(t *testing.T) {
	setProcs(t, 2)
	var e wait.Event
	e.SetSpinCredits(-wait.ProbeGap)
	e.SetDebt(4 * wait.ProbeGap)
	var b wait.Backoff
	b.Done(&e)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var c wait.Backoff
	if err := c.Wait(ctx, &e, func() bool { return false }); err != context.Canceled {
		t.Fatalf("Wait with a done ctx returned %v, want context.Canceled", err)
	}
	c.Done(&e)

	if got := e.SpinCredits(); got != -wait.ProbeGap {
		t.Errorf("%d credits after calls that never waited, want %d, the debt they found", got, -wait.ProbeGap)
	}
	if got := e.Debt(); got != 4*wait.ProbeGap {
		t.Errorf("the next debt is %d after calls that never waited, want %d", got, 4*wait.ProbeGap)
	}
}

// TestEagerPolls checks that an Eager wait polls EagerPolls times before
// its first spin round, and reports them as spinning (the rings' attempts
// stay loose); that it makes no polls where it would spin no rounds, with
// one P or on an Event in debt, since the goroutine it waits for is then
// most likely waiting for this one's P; and that a success among the polls
// counts as a success while spinning.
func TestEagerPolls(t *testing.T) {
	for _, tc := range []struct {
		name    string
		procs   int
		credits int
		polls   int // polls to expect before the spin rounds
	}{
		{"spinning pays", 2, 2 * 4, wait.EagerPolls},
		{"a new Event, which probes", 2, 0, wait.EagerPolls},
		{"in debt", 2, -wait.ProbeGap, 0},
		{"one P", 1, 2 * 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setProcs(t, tc.procs)
			var e wait.Event
			e.SetSpinCredits(tc.credits)
			b := wait.Backoff{Eager: true}
			for i := range tc.polls {
				if !b.Spin(&e) || !b.Spinning() {
					t.Fatalf("poll %d: Spin or Spinning false, want both true", i+1)
				}
			}
			if got := b.Polls(); got != tc.polls {
				t.Fatalf("%d polls, want %d", got, tc.polls)
			}
			plain := wait.Backoff{}
			var pe wait.Event
			pe.SetSpinCredits(tc.credits)
			for plain.Spin(&pe) {
				if !b.Spin(&e) {
					t.Fatal("the eager wait spun fewer rounds than a plain one after its polls")
				}
			}
			if b.Spin(&e) {
				t.Fatal("the eager wait spun more rounds than a plain one after its polls")
			}
			if b.Polls() != tc.polls {
				t.Fatalf("%d polls after the spin rounds, want %d", b.Polls(), tc.polls)
			}
		})
	}
	t.Run("a success among the polls", func(t *testing.T) {
		setProcs(t, 2)
		var e wait.Event
		e.SetSpinCredits(2 * 4)
		b := wait.Backoff{Eager: true}
		if !b.Spin(&e) {
			t.Fatal("no poll")
		}
		b.Done(&e)
		if got, want := e.SpinCredits(), 2*4+1; got != want {
			t.Errorf("%d credits after a success among the polls, want %d, as after a success in the first spin round", got, want)
		}
	})
}

// TestEagerPollLoads checks that an eager poll spins an eighth of a first
// round before it looks, and the first poll half a round more, so that a
// side streaming items at the waiter has a few ready by its first look.
func TestEagerPollLoads(t *testing.T) {
	var b wait.Backoff
	first := b.SpinLoads(0)
	if got, want := wait.EagerLoads(0), max(first/8+first/2, 1); got != want {
		t.Errorf("first poll: %d loads, want %d (an eighth and a half of a first round's %d)", got, want, first)
	}
	for i := 1; i < wait.EagerPolls; i++ {
		if got, want := wait.EagerLoads(i), max(first/8, 1); got != want {
			t.Errorf("poll %d: %d loads, want %d (an eighth of a first round's %d)", i, got, want, first)
		}
	}
}

// TestRoundsStopGrowing checks that spin rounds double from the first to
// the second and then keep that length, whatever the round: a waiter sees
// what it waits for only at a round's end, so a long round is a late one.
func TestRoundsStopGrowing(t *testing.T) {
	var b wait.Backoff
	first := b.SpinLoads(0)
	if got := b.SpinLoads(1); got != 2*first {
		t.Errorf("round 1: %d loads, want %d, twice the first round's", got, 2*first)
	}
	for r := 2; r < wait.MaxSpinRounds; r++ {
		if got := b.SpinLoads(r); got != 2*first {
			t.Errorf("round %d: %d loads, want %d, as long as round 1", r, got, 2*first)
		}
	}
}

// TestBriefRounds checks that a Brief wait's rounds start an eighth as
// long as a plain wait's first and double each round, so that its added
// rounds end where a plain wait's last round ends.
func TestBriefRounds(t *testing.T) {
	var plain wait.Backoff
	brief := wait.Backoff{Brief: true}
	for r := range wait.PeerSpinRounds + wait.BriefRounds {
		if got, want := brief.SpinLoads(r), max(plain.SpinLoads(0)<<r>>wait.BriefRounds, 1); got != want {
			t.Errorf("round %d: %d loads, want %d", r, got, want)
		}
	}
	last := wait.PeerSpinRounds + wait.BriefRounds - 1
	if got, want := brief.SpinLoads(last), plain.SpinLoads(wait.PeerSpinRounds-1); got != want {
		t.Errorf("last brief round: %d loads, want %d, a plain wait's last", got, want)
	}
}

// TestPatientFirstRound checks that a patient Backoff spins longer in its
// first round only, 1<<Patience times as long: later rounds, and the
// rounds of an impatient waiter, keep their lengths.
func TestPatientFirstRound(t *testing.T) {
	plain := wait.Backoff{}
	for _, patience := range []int{1, 3, 6} {
		patient := wait.Backoff{Patience: patience}
		if p, q := patient.SpinLoads(0), plain.SpinLoads(0); p != q<<patience {
			t.Errorf("Patience %d, first round: %d loads patient, %d not; want %d times as many", patience, p, q, 1<<patience)
		}
		for r := 1; r < 4; r++ {
			if p, q := patient.SpinLoads(r), plain.SpinLoads(r); p != q {
				t.Errorf("Patience %d, round %d: %d loads patient, %d not; want the same", patience, r, p, q)
			}
		}
	}
}

// TestFirstRoundLoads checks that the timed length of a first spin round
// comes out within its bounds and is measured once: every wait of the
// process must spin alike.
func TestFirstRoundLoads(t *testing.T) {
	var b wait.Backoff
	n := b.SpinLoads(0)
	if n < 16 || n > 4096 {
		t.Errorf("a first round of %d loads, outside [16, 4096]", n)
	}
	for range 3 {
		if m := b.SpinLoads(0); m != n {
			t.Fatalf("a first round of %d loads, then %d", n, m)
		}
	}
	t.Logf("a first round is %d loads", n)
}

// TestSpinCredits checks how each call that succeeds moves its Event's
// spin credits (Backoff.Done), from the stages its wait went through: a
// success while spinning earns a credit, and at least the rounds it
// needed; spinning the whole stage in vain where one yield was then enough
// puts the Event in debt; needing several yields earns a round; spinning
// fewer rounds in vain, and then needing one yield or parking, costs one,
// and debt where less than a round is left.
// Single yields pay a debt off one credit at a time, several clear it at
// once, and an Event whose debt is paid probes with the whole stage. A
// probe in vain doubles the debt, up to a limit, and a success while
// spinning brings it back to ProbeGap.
func TestSpinCredits(t *testing.T) {
	setProcs(t, 2)  // with one P, a waiter never spins
	const round = 4 // credits per spin round
	const gap = wait.ProbeGap
	const stage = wait.MaxSpinRounds
	yields := wait.YieldRounds()
	const maxGap = wait.MaxProbeGap
	for _, tc := range []struct {
		name           string
		credits, waits int // credits before, and Wait calls before the success
		policy         wait.Policy
		want           int
		debt, wantDebt int // the Event's debt before (0: a new Event's), and after
	}{
		{"in debt, one yield", -gap, 1, wait.Park, -gap + 1, 0, 0},
		{"in debt, two yields", -gap, 2, wait.Park, round, 0, 0},
		{"in debt, every yield of the stage", -gap, yields, wait.Park, round, 0, 0},
		{"in debt, yields beyond the stage", -gap, yields + 1, wait.Yield, -gap, 0, 0},
		{"in debt, parked", -gap, yields + 1, wait.Park, -gap, 0, 0},
		{"success in the first spin round", 2 * round, 1, wait.Park, 2*round + 1, 0, 0},
		{"success in the last spin round", 2 * round, 2, wait.Park, 2*round + 1, 0, 0},
		{"credits are capped", stage * round, 1, wait.Park, stage * round, 0, 0},
		{"spun in vain, one yield", 2 * round, 3, wait.Park, round, 0, 0},
		{"a last round in vain, one yield", round + 3, 2, wait.Park, -gap, 0, 0},
		{"spun in vain, three yields", 2 * round, 5, wait.Park, 3 * round, 0, 0},
		{"spun in vain, yields beyond the stage", 2 * round, 2 + yields + 1, wait.Yield, round, 0, 0},
		{"spun in vain, parked", 2 * round, 2 + yields + 1, wait.Park, round, 0, 0},
		{"a last round in vain, parked", round + 3, 1 + yields + 1, wait.Park, -gap, 0, 0},
		{"the whole stage in vain, one yield", stage * round, stage + 1, wait.Park, -gap, 0, 0},
		{"a probe that succeeds in its third round", 0, 3, wait.Park, 3 * round, 0, 0},
		{"a probe that succeeds in its first round", round - 1, 1, wait.Park, round, 0, 0},
		{"a probe in vain, parked", 0, stage + yields + 1, wait.Park, -gap, 0, 0},
		{"a new Event probes", 0, stage, wait.Park, stage * round, 0, 0},
		{"a probe in vain, one yield: the debt doubles", round - 1, stage + 1, wait.Park, -2 * gap, 0, 2 * gap},
		{"a second probe in vain doubles it again", 0, stage + 1, wait.Park, -4 * gap, 2 * gap, 4 * gap},
		{"up to a limit", 0, stage + 1, wait.Park, -maxGap, maxGap, maxGap},
		{"the whole stage in vain outside a probe", stage * round, stage + 1, wait.Park, -4 * gap, 4 * gap, 4 * gap},
		{"a last round in vain, parked, after probes in vain", round, 1 + yields + 1, wait.Park, -4 * gap, 4 * gap, 4 * gap},
		{"a success while spinning", 2 * round, 1, wait.Park, 2*round + 1, 4 * gap, gap},
		{"a probe that succeeds", 0, 2, wait.Park, 2 * round, maxGap, gap},
		{"a success after one yield", -4 * gap, 1, wait.Park, -4*gap + 1, 4 * gap, 4 * gap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e wait.Event
			e.SetSpinCredits(tc.credits)
			if tc.debt != 0 {
				e.SetDebt(tc.debt)
			}
			var ready atomic.Bool
			ready.Store(true) // a park returns at once
			b := wait.Backoff{Policy: tc.policy}
			for range tc.waits {
				if err := b.Wait(context.Background(), &e, ready.Load); err != nil {
					t.Fatal(err)
				}
			}
			b.Done(&e)
			if got := e.SpinCredits(); got != tc.want {
				t.Errorf("%d credits after the call, want %d", got, tc.want)
			}
			if got := e.Debt(); tc.wantDebt != 0 && got != tc.wantDebt {
				t.Errorf("a debt of %d after the call, want %d", got, tc.wantDebt)
			}
		})
	}
}

// waitUntilParked makes one call's waits on e, its condition true all
// along so that a park returns at once, until the call parks, and tells e
// so (Backoff.Done). It returns how many times the call waited: its yields
// and one park.
func waitUntilParked(t *testing.T, e *wait.Event) int {
	t.Helper()
	var ready atomic.Bool
	ready.Store(true)
	b := wait.Backoff{}
	n := 0
	for !b.Parked() {
		if n > 1000 {
			t.Fatal("a Park-policy wait never parked")
		}
		if err := b.Wait(context.Background(), e, ready.Load); err != nil {
			t.Fatal(err)
		}
		n++
	}
	b.Done(e)
	return n
}

// TestYieldStageLearnt checks that an Event learns when its waiters'
// yields are in vain: after IdleWaits calls in a row that yielded through
// the whole stage and then parked, a call parks without yielding, but for
// one call in YieldProbe, which yields through the stage again; and a call
// that succeeds while yielding restores the stage for every call after it.
func TestYieldStageLearnt(t *testing.T) {
	for _, procs := range []int{1, 2} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setProcs(t, procs)
			yields := wait.YieldRounds()
			var e wait.Event
			e.SetSpinCredits(-wait.ProbeGap) // in debt: its waits do not spin
			for i := range wait.IdleWaits {
				if n := waitUntilParked(t, &e); n != yields+1 {
					t.Fatalf("call %d: %d waits, want %d yields and a park", i+1, n, yields)
				}
			}
			probes := 0
			for i := range 3 * wait.YieldProbe {
				switch n := waitUntilParked(t, &e); n {
				case 1:
				case yields + 1:
					probes++
				default:
					t.Fatalf("call %d after learning: %d waits, want 1 (a park) or %d (a probe)", i+1, n, yields+1)
				}
			}
			if probes != 3 {
				t.Errorf("%d probes in %d calls, want 3", probes, 3*wait.YieldProbe)
			}

			// A call that succeeds after a yield: the next probe's.
			var ready atomic.Bool
			ready.Store(true)
			for i := 0; ; i++ {
				if i > wait.YieldProbe {
					t.Fatal("no probe")
				}
				b := wait.Backoff{}
				if err := b.Wait(context.Background(), &e, ready.Load); err != nil {
					t.Fatal(err)
				}
				b.Done(&e)
				if !b.Parked() {
					break // it yielded, and then succeeded
				}
			}
			for i := range wait.IdleWaits {
				if n := waitUntilParked(t, &e); n != yields+1 {
					t.Fatalf("call %d after a success while yielding: %d waits, want %d yields and a park", i+1, n, yields)
				}
			}
		})
	}
}
