package queuetest

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Run checks that the queues f makes keep the whole queue contract, in
// subtests of a subtest named f.Name: sequential behaviour against a model,
// concurrent stress, no spurious Try failures, no lazy publication, Close,
// wakeups at small capacities and GOMAXPROCS=1, contexts,
// linearizability, zero allocation, collectable dequeued pointers,
// wraparound of the position counters, and batches when the queue is a
// BatchQueue[uint64]. With RINGQ_SOAK=n in the environment it also moves n
// items through each shape of producers and consumers.
//
// The suite is scaled to take seconds under the race detector; it does
// less under -short. Its goroutine-leak checks assume that no test runs in
// parallel with it.
func Run(t *testing.T, f Factory) {
	t.Helper()
	if f.New == nil {
		t.Fatal("queuetest: Factory.New is nil")
	}
	name := f.Name
	if name == "" {
		name = "queue"
	}
	t.Run(name, func(t *testing.T) {
		t.Run("Capacity", func(t *testing.T) { testCapacity(t, f) })
		t.Run("Sequential", func(t *testing.T) { testSequential(t, f) })
		t.Run("Stress", func(t *testing.T) { testStress(t, f) })
		t.Run("NoSpuriousFailure", func(t *testing.T) { testNoSpuriousFailure(t, f) })
		t.Run("NoLazyPublication", func(t *testing.T) { testNoLazyPublication(t, f) })
		t.Run("Close", func(t *testing.T) { testClose(t, f) })
		t.Run("Wakeup", func(t *testing.T) { testWakeup(t, f) })
		t.Run("Context", func(t *testing.T) { testContext(t, f) })
		t.Run("Linearizable", func(t *testing.T) { testLinearizable(t, f) })
		t.Run("Allocs", func(t *testing.T) { testAllocs(t, f) })
		t.Run("Collectable", func(t *testing.T) { testCollectable(t, f) })
		t.Run("Wraparound", func(t *testing.T) { testWraparound(t, f) })
		t.Run("Batch", func(t *testing.T) { testBatch(t, f) })
		t.Run("Soak", func(t *testing.T) { testSoak(t, f) })
	})
}

const (
	// hangTimeout bounds work that should take a second: past it, the
	// suite reports a lost wakeup or a deadlock with every goroutine's
	// stack instead of hanging until go test's timeout.
	hangTimeout = 30 * time.Second
	// wakeTimeout bounds how long a blocked call may take to return once
	// Close or its context has released it.
	wakeTimeout = 10 * time.Second
	// blockedFor is how long the suite lets goroutines run before it
	// asserts that they are blocked. A goroutine that has not reached the
	// blocking call by then only weakens the test; it cannot fail it.
	blockedFor = 20 * time.Millisecond
)

// scaled returns n reduced for the race detector, which slows the queues
// tenfold, and for -short.
func scaled(n int) int {
	if raceEnabled {
		n /= 3
	}
	if testing.Short() {
		n /= 4
	}
	return max(n, 1)
}

// packagePrefix is the form of a misuse panic: "ring: capacity < 1".
var packagePrefix = regexp.MustCompile(`^[a-z][a-z0-9]*: `)

func testCapacity(t *testing.T, f Factory) {
	t.Run("PanicsBelowOne", func(t *testing.T) {
		for _, c := range []int{0, -1, math.MinInt} {
			checkPanics(t, fmt.Sprintf("New(%d)", c), func() { f.New(c) })
			if f.NewPointer != nil {
				checkPanics(t, fmt.Sprintf("NewPointer(%d)", c), func() { f.NewPointer(c) })
			}
			if f.NewAt != nil {
				checkPanics(t, fmt.Sprintf("NewAt(%d, 0)", c), func() { f.NewAt(c, 0) })
			}
		}
	})
	t.Run("Cap", func(t *testing.T) {
		for _, c := range []int{1, 2, 3, 5, 8, 100, 1000, 1 << 16} {
			q := f.New(c)
			switch {
			case f.ExactCap && q.Cap() != c:
				t.Errorf("New(%d).Cap() = %d, want %d", c, q.Cap(), c)
			case q.Cap() < c:
				t.Errorf("New(%d).Cap() = %d, want at least %d", c, q.Cap(), c)
			}
			if q.Len() != 0 {
				t.Errorf("New(%d).Len() = %d, want 0", c, q.Len())
			}
			if f.NewPointer != nil {
				if p := f.NewPointer(c); p.Cap() != q.Cap() {
					t.Errorf("NewPointer(%d).Cap() = %d, New(%d).Cap() = %d", c, p.Cap(), c, q.Cap())
				}
			}
		}
	})
}

// checkPanics checks that call panics with a package-prefixed string.
func checkPanics(t *testing.T, what string, call func()) {
	t.Helper()
	r := recovered(call)
	if r == nil {
		t.Errorf("%s did not panic", what)
		return
	}
	if !prefixed(r) {
		t.Errorf("%s panicked with %#v, want a string like \"ring: capacity < 1\"", what, r)
	}
}

// recovered calls fn and returns what it panicked with, or nil.
func recovered(fn func()) (r any) {
	defer func() { r = recover() }()
	fn()
	return nil
}

// prefixed reports whether a panic's value is a package-prefixed string.
func prefixed(r any) bool {
	s, ok := r.(string)
	return ok && packagePrefix.MatchString(s)
}

// shape is a number of producers and of consumers.
type shape struct{ p, c int }

func (s shape) String() string { return fmt.Sprintf("P=%d/C=%d", s.p, s.c) }

// shapes returns the shapes of producers and consumers that f's queues
// allow, from 1×1 to 16×16.
func shapes(f Factory) []shape {
	var out []shape
	for _, s := range []shape{{1, 1}, {1, 4}, {4, 1}, {4, 4}, {16, 16}} {
		if f.SingleProducer && s.p > 1 || f.SingleConsumer && s.c > 1 {
			continue
		}
		out = append(out, s)
	}
	switch {
	case f.SingleConsumer && !f.SingleProducer:
		out = append(out, shape{16, 1})
	case f.SingleProducer && !f.SingleConsumer:
		out = append(out, shape{1, 16})
	}
	return out
}

// fit clamps a shape to what f's queues allow.
func fit(f Factory, s shape) shape {
	if f.SingleProducer {
		s.p = 1
	}
	if f.SingleConsumer {
		s.c = 1
	}
	return s
}

// waitTimeout waits for wg, or returns an error with every goroutine's
// stack once d has passed.
func waitTimeout(wg *sync.WaitGroup, d time.Duration, what string) error {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-done:
		return nil
	case <-timer.C:
		return fmt.Errorf("%s did not finish within %v: a lost wakeup or a deadlock?\n%s", what, d, stacks())
	}
}

// stacks returns the stacks of all goroutines, cut to a readable length.
func stacks() string {
	buf := make([]byte, 64<<10)
	n := runtime.Stack(buf, true)
	return string(buf[:n])
}

// errList collects the errors of many goroutines.
type errList struct {
	mu   sync.Mutex
	errs []error
	n    int
}

// maxErrs is how many errors an errList keeps; it counts the rest.
const maxErrs = 10

func (e *errList) add(err error) {
	if err == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n++
	if len(e.errs) < maxErrs {
		e.errs = append(e.errs, err)
	}
}

func (e *errList) addf(format string, args ...any) { e.add(fmt.Errorf(format, args...)) }

// err returns the errors collected, joined, or nil.
func (e *errList) err() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.n > len(e.errs) {
		return errors.Join(append(e.errs, fmt.Errorf("… %d errors in all", e.n))...)
	}
	return errors.Join(e.errs...)
}
