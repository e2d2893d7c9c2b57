package atomicsem_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringq/ringq/atomicsem"
	"github.com/ringq/ringq/internal/wait"
)

// panicValue returns what call panics with, or nil.
func panicValue(call func()) (r any) {
	defer func() { r = recover() }()
	call()
	return nil
}

// units takes every unit s has and returns how many there were, leaving s
// empty.
func units(s *atomicsem.Semaphore) int {
	n := 0
	for s.TryAcquire() {
		n++
	}
	return n
}

func TestNewPanics(t *testing.T) {
	for _, c := range []struct{ initial, limit int }{
		{0, 0}, {0, -1}, {1, 0}, {-1, 1}, {2, 1}, {-1, -1},
	} {
		r := panicValue(func() { atomicsem.New(c.initial, c.limit) })
		if s, ok := r.(string); !ok || !strings.HasPrefix(s, "atomicsem: ") {
			t.Errorf("New(%d, %d) panicked with %#v, want a string starting \"atomicsem: \"", c.initial, c.limit, r)
		}
	}
}

// TestAcquireContextNil checks that AcquireContext given a nil Context, a
// caller's bug, panics with a package-prefixed message where it has to
// wait, and takes a unit at hand without looking at ctx.
func TestAcquireContextNil(t *testing.T) {
	var nilCtx context.Context
	s := atomicsem.New(1, 1)
	if err := s.AcquireContext(nilCtx); err != nil {
		t.Fatalf("AcquireContext(nil) with a unit at hand: %v", err)
	}
	if r := panicValue(func() { _ = s.AcquireContext(nilCtx) }); r != "atomicsem: nil Context" {
		t.Fatalf("AcquireContext(nil) with no unit panicked with %#v, want \"atomicsem: nil Context\"", r)
	}
	if got := units(s); got != 0 {
		t.Fatalf("after the panic the semaphore has %d units, want 0", got)
	}
}

func TestNewCounts(t *testing.T) {
	for _, c := range []struct{ initial, limit int }{{0, 1}, {1, 1}, {0, 3}, {2, 3}, {3, 3}} {
		if got := units(atomicsem.New(c.initial, c.limit)); got != c.initial {
			t.Errorf("New(%d, %d) has %d units, want %d", c.initial, c.limit, got, c.initial)
		}
	}
}

// TestReleaseBeyondLimit checks the panic that catches the sketch's MPMC
// consume, which released items instead of room, and that the count is
// unchanged by it.
func TestReleaseBeyondLimit(t *testing.T) {
	s := atomicsem.New(1, 3)
	s.Release()
	s.Release()
	for range 2 {
		r := panicValue(s.Release)
		if r != "atomicsem: release beyond limit" {
			t.Fatalf("Release at the limit panicked with %#v, want \"atomicsem: release beyond limit\"", r)
		}
	}
	if got := units(s); got != 3 {
		t.Fatalf("after the panics the semaphore has %d units, want 3", got)
	}
	s.Release() // the count is sound: from 0 the limit's worth of releases work
	s.Release()
	s.Release()
	if r := panicValue(s.Release); r == nil {
		t.Fatal("a fourth Release from 0 with limit 3 did not panic")
	}
}

// TestItemsStartEmpty is the sketch's BoundedSemaphore(0) for items: a
// semaphore that starts at 0 must take releases up to its limit.
func TestItemsStartEmpty(t *testing.T) {
	const capacity = 10
	items := atomicsem.New(0, capacity)
	if items.TryAcquire() {
		t.Fatal("TryAcquire on New(0, 10) succeeded")
	}
	for i := range capacity {
		if r := panicValue(items.Release); r != nil {
			t.Fatalf("release %d of %d panicked: %v", i+1, capacity, r)
		}
	}
	if got := units(items); got != capacity {
		t.Fatalf("after %d releases the semaphore has %d units", capacity, got)
	}
}

// TestTryAcquireExact checks that TryAcquire fails exactly when there is
// no unit, step by step.
func TestTryAcquireExact(t *testing.T) {
	const limit = 4
	s := atomicsem.New(2, limit)
	want := 2
	for i, step := range "aarrraaaaarrrraaaaa" {
		switch step {
		case 'a':
			ok := s.TryAcquire()
			if ok != (want > 0) {
				t.Fatalf("step %d: TryAcquire with %d units = %v", i, want, ok)
			}
			if ok {
				want--
			}
		case 'r':
			s.Release()
			want++
		}
	}
}

func TestAcquireWaitsForRelease(t *testing.T) {
	s := atomicsem.New(0, 1)
	done := make(chan struct{})
	go func() {
		s.Acquire()
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("Acquire returned from an empty semaphore")
	case <-time.After(20 * time.Millisecond):
	}
	s.Release()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Acquire did not return after Release")
	}
	if s.TryAcquire() {
		t.Fatal("the released unit was taken twice")
	}
}

func TestAcquireContext(t *testing.T) {
	t.Run("Available", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		s := atomicsem.New(1, 1)
		if err := s.AcquireContext(ctx); err != nil {
			t.Fatalf("AcquireContext(cancelled) with a unit available = %v, want nil", err)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		s := atomicsem.New(0, 1)
		if err := s.AcquireContext(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("AcquireContext(cancelled) on an empty semaphore = %v, want context.Canceled", err)
		}
	})
	t.Run("Deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		s := atomicsem.New(0, 1)
		if err := s.AcquireContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("AcquireContext = %v, want context.DeadlineExceeded", err)
		}
	})
	// A waiter parked long enough to be chosen by a Release, then
	// cancelled, must leave the unit for others and take nothing.
	t.Run("CancelWhileParked", func(t *testing.T) {
		s := atomicsem.New(0, 1)
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error)
		go func() { errc <- s.AcquireContext(ctx) }()
		time.Sleep(20 * time.Millisecond) // long enough to spin, yield and park
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("AcquireContext = %v, want context.Canceled", err)
		}
		s.Release()
		if got := units(s); got != 1 {
			t.Fatalf("after a cancelled AcquireContext and a Release the semaphore has %d units, want 1", got)
		}
	})
}

// TestNoLostWakeup passes a token around a ring of goroutines, each
// waiting on its own semaphore and releasing the next one's: a single lost
// wakeup stops the ring. Then many goroutines contend for limit units, some
// with contexts that run out, and the count must come back whole. Each runs
// with the usual spin and yield stages, and again parking at once, where a
// lost wakeup shows most.
func TestNoLostWakeup(t *testing.T) {
	laps := 2000
	if testing.Short() || raceEnabled {
		laps = 200
	}
	for _, procs := range []int{1, 2} {
		for _, parkAtOnce := range []bool{false, true} {
			t.Run(fmt.Sprintf("GOMAXPROCS=%d/parkAtOnce=%v", procs, parkAtOnce), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				if parkAtOnce {
					defer wait.ParkAtOnce()()
				}
				t.Run("Ring", func(t *testing.T) { tokenRing(t, 16, laps) })
				for _, limit := range []int{1, 2} {
					t.Run(fmt.Sprintf("limit=%d", limit), func(t *testing.T) {
						contend(t, limit, 16, laps)
					})
				}
			})
		}
	}
}

// TestReleasesWakeEveryWaiter parks n goroutines on an empty semaphore and
// releases n units back to back, so that most releases find the count
// already above 0 and the woken goroutines not yet running: each release
// must still wake a waiter of its own.
func TestReleasesWakeEveryWaiter(t *testing.T) {
	for _, n := range []int{2, 4, 16} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			s := atomicsem.New(0, n)
			var wg sync.WaitGroup
			for range n {
				wg.Go(s.Acquire)
			}
			time.Sleep(20 * time.Millisecond) // long enough to spin, yield and park
			for range n {
				s.Release()
			}
			finish(t, &wg)
		})
	}
}

// TestCancelledWaiterPassesUnitOn parks A, with a context, and B on an
// empty semaphore, then cancels A's context while a Release wakes A: if A
// gives up, the wakeup must pass to B.
func TestCancelledWaiterPassesUnitOn(t *testing.T) {
	defer wait.ParkAtOnce()()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	rounds := 2000
	if testing.Short() || raceEnabled {
		rounds = 200
	}
	for round := range rounds {
		s := atomicsem.New(0, 1)
		ctx, cancel := context.WithCancel(context.Background())
		errA := make(chan error, 1)
		go func() { errA <- s.AcquireContext(ctx) }()
		if round%2 == 0 {
			time.Sleep(50 * time.Microsecond) // let A park first, to be the one woken
		}
		var wg sync.WaitGroup
		wg.Go(s.Acquire) // B
		if round%50 == 0 {
			time.Sleep(time.Millisecond) // surely both parked
		}
		if round%3 == 0 {
			// Cancelled first, A is woken but not yet running when the
			// Release picks it, at least while GOMAXPROCS is 1.
			cancel()
			s.Release()
		} else {
			var racers sync.WaitGroup
			racers.Go(cancel)
			racers.Go(s.Release)
			racers.Wait()
		}
		if err := <-errA; err == nil {
			s.Release() // A took the unit; B needs another
		}
		finish(t, &wg)
	}
}

// tokenRing runs n goroutines that pass one token around laps times.
func tokenRing(t *testing.T, n, laps int) {
	sems := make([]*atomicsem.Semaphore, n)
	for i := range sems {
		sems[i] = atomicsem.New(0, 1)
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for range laps {
				sems[i].Acquire()
				sems[(i+1)%n].Release()
			}
		})
	}
	sems[0].Release()
	finish(t, &wg)
	if got := units(sems[0]); got != 1 {
		t.Fatalf("the token is not back where it started: %d units", got)
	}
}

// contend runs g goroutines that each acquire and release a semaphore of
// limit units n times, every fourth time with a context that may run out,
// and checks that no more than limit hold a unit at once and that all the
// units are back at the end.
func contend(t *testing.T, limit, g, n int) {
	s := atomicsem.New(limit, limit)
	var holders, acquired, cancelled atomic.Int64
	var wg sync.WaitGroup
	for i := range g {
		wg.Go(func() {
			for j := range n {
				if (i+j)%4 == 0 {
					ctx, cancel := context.WithTimeout(context.Background(), time.Duration(j%3)*time.Microsecond)
					err := s.AcquireContext(ctx)
					cancel()
					if err != nil {
						cancelled.Add(1)
						continue
					}
				} else {
					s.Acquire()
				}
				acquired.Add(1)
				if h := holders.Add(1); h > int64(limit) {
					t.Errorf("%d goroutines hold a unit of a semaphore with limit %d", h, limit)
				}
				if j%8 == 0 {
					runtime.Gosched() // hold the unit a while, so others park
				}
				holders.Add(-1)
				s.Release()
			}
		})
	}
	finish(t, &wg)
	if got := units(s); got != limit {
		t.Fatalf("after %d acquires and %d cancelled ones the semaphore has %d units, want %d",
			acquired.Load(), cancelled.Load(), got, limit)
	}
}

// finish waits for wg, failing the test with every goroutine's stack if it
// takes so long that a wakeup must have been lost.
func finish(t *testing.T, wg *sync.WaitGroup) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		buf := make([]byte, 1<<20)
		t.Fatalf("no progress in 30s: a lost wakeup?\n%s", buf[:runtime.Stack(buf, true)])
	}
}

func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	s := atomicsem.New(1, 1)
	ctx := context.Background()
	for name, f := range map[string]func(){
		"Acquire/Release":        func() { s.Acquire(); s.Release() },
		"TryAcquire/Release":     func() { s.TryAcquire(); s.Release() },
		"AcquireContext/Release": func() { _ = s.AcquireContext(ctx); s.Release() },
	} {
		if n := testing.AllocsPerRun(1000, f); n != 0 {
			t.Errorf("%s allocates %v times per run, want 0", name, n)
		}
	}
}
