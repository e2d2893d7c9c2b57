package queuetest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ringq/ringq/internal/qerr"
)

// brokenQueues are queues with one bug each, and the parts of Run that
// must catch it: the suite's own test, that it can fail.
var brokenQueues = []struct {
	f        Factory
	caughtBy []string // subtests of Run that must each fail
	anyOf    []string // subtests of Run of which one must fail: the bug shows only in some interleavings
}{
	{brokenFactory("drop-on-close", func(q *ChanQueue[uint64]) Queue[uint64] { return dropOnClose{q} }),
		[]string{"Sequential", "Close"}, nil},
	{brokenFactory("closed-before-drained", func(q *ChanQueue[uint64]) Queue[uint64] { return closedBeforeDrained{q} }),
		[]string{"Sequential", "Close", "Stress"}, nil},
	{brokenFactory("spurious-try", func(q *ChanQueue[uint64]) Queue[uint64] { return &spuriousTry{ChanQueue: q} }),
		nil, []string{"NoSpuriousFailure", "Linearizable", "NoLazyPublication"}},
	{brokenFactory("reorders", func(q *ChanQueue[uint64]) Queue[uint64] { return &reordering{ChanQueue: q} }),
		[]string{"Sequential", "Stress"}, nil},
	{brokenFactory("len-past-cap", func(q *ChanQueue[uint64]) Queue[uint64] { return lenPastCap{q} }),
		[]string{"Sequential"}, nil},
	{brokenFactory("allocates", func(q *ChanQueue[uint64]) Queue[uint64] { return allocating{q} }),
		[]string{"Allocs"}, nil},
	{Factory{
		Name:       "keeps-pointer",
		New:        func(c int) Queue[uint64] { return NewChanQueue[uint64](c) },
		NewPointer: func(c int) Queue[*Item] { return &keepsLast[*Item]{ChanQueue: NewChanQueue[*Item](c)} },
	}, []string{"Collectable"}, nil},
	// Like a ring that clears a batch it could not publish because Close
	// came first, but still reports it enqueued.
	{Factory{
		Name:  "batch-counts-refused",
		New:   func(c int) Queue[uint64] { return batchCountsRefused{newLockRing[uint64](c, 0)} },
		NewAt: func(c int, start uint64) Queue[uint64] { return batchCountsRefused{newLockRing[uint64](c, start)} },
	}, []string{"Sequential", "Close"}, nil},
}

func brokenFactory(name string, wrap func(*ChanQueue[uint64]) Queue[uint64]) Factory {
	return Factory{Name: name, New: func(c int) Queue[uint64] { return wrap(NewChanQueue[uint64](c)) }, ExactCap: true}
}

// TestSuiteCatchesBrokenQueues runs the suite on each broken queue, in a
// child process so that the failures are its own, and checks that the
// subtests meant to catch the bug fail.
func TestSuiteCatchesBrokenQueues(t *testing.T) {
	if os.Getenv("QUEUETEST_BROKEN") != "" {
		t.Skip("in the child process")
	}
	for _, b := range brokenQueues {
		t.Run(b.f.Name, func(t *testing.T) {
			caughtBy, anyOf := b.caughtBy, b.anyOf
			if raceEnabled {
				caughtBy = slices.DeleteFunc(slices.Clone(caughtBy), func(s string) bool { return s == "Allocs" })
				if len(caughtBy)+len(anyOf) == 0 {
					t.Skip("only the allocation counts catch it, and they are off under -race")
				}
			}
			args := []string{
				"-test.run=^TestBrokenQueue$/^" + regexp.QuoteMeta(b.f.Name) + "$/^(" +
					strings.Join(slices.Concat(caughtBy, anyOf), "|") + ")$",
				"-test.timeout=5m",
			}
			if testing.Short() {
				args = append(args, "-test.short")
			}
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), "QUEUETEST_BROKEN="+b.f.Name)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed the broken queue %q:\n%s", b.f.Name, out)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
					t.Skipf("%s cannot start a child process: %v", runtime.GOOS, err)
				}
				t.Fatalf("the child process did not run: %v", err)
			}
			failed := func(sub string) bool {
				return strings.Contains(string(out), "--- FAIL: TestBrokenQueue/"+b.f.Name+"/"+sub+" ")
			}
			for _, sub := range caughtBy {
				if !failed(sub) {
					t.Errorf("%s did not catch %q", sub, b.f.Name)
				}
			}
			if len(anyOf) > 0 && !slices.ContainsFunc(anyOf, failed) {
				t.Errorf("none of %v caught %q", anyOf, b.f.Name)
			}
			// What caught the bug, two levels down.
			caught := regexp.MustCompile(`--- FAIL: TestBrokenQueue/`+regexp.QuoteMeta(b.f.Name)+`/[^/ ]+(/[^/ ]+)? `).FindAll(out, -1)
			if t.Failed() {
				t.Logf("the suite on %q:\n%s", b.f.Name, out)
			} else {
				t.Logf("caught by:\n%s", bytes.Join(caught, []byte("\n")))
			}
		})
	}
}

// TestBrokenQueue runs the suite on the broken queue QUEUETEST_BROKEN
// names, for TestSuiteCatchesBrokenQueues; it fails, as it should.
func TestBrokenQueue(t *testing.T) {
	name := os.Getenv("QUEUETEST_BROKEN")
	if name == "" {
		t.Skip("run by TestSuiteCatchesBrokenQueues")
	}
	for _, b := range brokenQueues {
		if b.f.Name == name {
			Run(t, b.f)
			return
		}
	}
	t.Fatalf("no broken queue %q", name)
}

// dropOnClose throws away what the queue holds when it is closed.
type dropOnClose struct{ *ChanQueue[uint64] }

func (q dropOnClose) Close() {
	for {
		if _, ok := q.ChanQueue.TryDequeue(); !ok {
			break
		}
	}
	q.ChanQueue.Close()
}

// closedBeforeDrained reports ErrClosed from a closed queue that still
// holds items.
type closedBeforeDrained struct{ *ChanQueue[uint64] }

func (q closedBeforeDrained) Dequeue() (uint64, error) {
	if q.closing() {
		return 0, qerr.ErrClosed
	}
	return q.ChanQueue.Dequeue()
}

// spuriousTry gives up on a Try call when another goroutine is in one.
type spuriousTry struct {
	*ChanQueue[uint64]
	mu sync.Mutex
}

func (q *spuriousTry) TryEnqueue(v uint64) bool {
	if !q.mu.TryLock() {
		return false
	}
	defer q.mu.Unlock()
	return q.ChanQueue.TryEnqueue(v)
}

func (q *spuriousTry) TryDequeue() (uint64, bool) {
	if !q.mu.TryLock() {
		return 0, false
	}
	defer q.mu.Unlock()
	return q.ChanQueue.TryDequeue()
}

// reordering's TryDequeue holds every fourth item back and returns the one
// after it first.
type reordering struct {
	*ChanQueue[uint64]
	mu      sync.Mutex
	n       int
	held    uint64
	holding bool
}

func (q *reordering) TryDequeue() (uint64, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.holding {
		q.holding = false
		return q.held, true
	}
	v, ok := q.ChanQueue.TryDequeue()
	if !ok {
		return 0, false
	}
	if q.n++; q.n%4 == 0 {
		if w, ok := q.ChanQueue.TryDequeue(); ok {
			q.held, q.holding = v, true
			return w, true
		}
	}
	return v, true
}

func (q *reordering) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.holding {
		return q.ChanQueue.Len() + 1
	}
	return q.ChanQueue.Len()
}

// lenPastCap counts one too many when full.
type lenPastCap struct{ *ChanQueue[uint64] }

func (q lenPastCap) Len() int {
	if n := q.ChanQueue.Len(); n < q.Cap() {
		return n
	}
	return q.Cap() + 1
}

// allocSink is where allocating's items escape to.
var allocSink atomic.Pointer[uint64]

// allocating's TryEnqueue allocates.
type allocating struct{ *ChanQueue[uint64] }

func (q allocating) TryEnqueue(v uint64) bool {
	allocSink.Store(&v)
	return q.ChanQueue.TryEnqueue(v)
}

// keepsLast keeps the last item dequeued, as a ring that does not clear
// its slots does.
type keepsLast[T any] struct {
	*ChanQueue[T]
	mu   sync.Mutex
	last T
}

func (q *keepsLast[T]) keep(v T) {
	q.mu.Lock()
	q.last = v
	q.mu.Unlock()
}

func (q *keepsLast[T]) TryDequeue() (T, bool) {
	v, ok := q.ChanQueue.TryDequeue()
	if ok {
		q.keep(v)
	}
	return v, ok
}

func (q *keepsLast[T]) Dequeue() (T, error) { return q.DequeueContext(context.Background()) }

func (q *keepsLast[T]) DequeueContext(ctx context.Context) (T, error) {
	v, err := q.ChanQueue.DequeueContext(ctx)
	if err == nil {
		q.keep(v)
	}
	return v, err
}

// batchCountsRefused's TryEnqueueBatch on a closed queue reports the items
// that would have fit as enqueued.
type batchCountsRefused struct{ *lockRing[uint64] }

func (q batchCountsRefused) TryEnqueueBatch(vs []uint64) int {
	if q.isClosed() {
		return min(len(vs), q.Cap()-q.Len())
	}
	return q.lockRing.TryEnqueueBatch(vs)
}
