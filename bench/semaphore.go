package bench

import (
	"context"
	"fmt"

	"golang.org/x/sync/semaphore"
)

// Semaphore is what SemaphoreLoop drives: acquire one unit, release one.
type Semaphore interface {
	Acquire()
	Release()
}

// SemImpl describes one semaphore implementation.
type SemImpl struct {
	// Name labels it in benchmark names and tables.
	Name string
	// Origin says whether it is the baseline, ringq's or a peer's.
	Origin Origin
	// New returns a semaphore with limit units, all free.
	New func(limit int) Semaphore
}

// SemImpls returns the semaphores compared: a channel of empty structs
// (the baseline), atomicsem.Semaphore and golang.org/x/sync/semaphore.
func SemImpls() []*SemImpl {
	return append([]*SemImpl{{
		Name:   "chan",
		Origin: Baseline,
		New:    func(limit int) Semaphore { return chanSem(make(chan struct{}, limit)) },
	}}, append(ringqSemImpls(), &SemImpl{
		Name:   "x/sync/semaphore",
		Origin: Peer,
		New:    func(limit int) Semaphore { return weighted{semaphore.NewWeighted(int64(limit))} },
	})...)
}

// chanSem holds a unit as a value in the channel's buffer.
type chanSem chan struct{}

func (s chanSem) Acquire() { s <- struct{}{} }
func (s chanSem) Release() { <-s }

// weighted adapts golang.org/x/sync/semaphore.Weighted, one unit at a time.
type weighted struct{ w *semaphore.Weighted }

func (s weighted) Acquire() {
	// A context that never ends cannot make Acquire fail.
	_ = s.w.Acquire(context.Background(), 1)
}

func (s weighted) Release() { s.w.Release(1) }

// SemaphoreLoop has g goroutines share n acquire-release pairs on one
// semaphore of si with the given limit; g at most limit is uncontended, more
// makes goroutines wait. The run counts n operations.
func SemaphoreLoop(si *SemImpl, limit, g, n int) Run {
	s := si.New(limit)
	per := max(n/g, 1)
	work := make([]func() error, g)
	for i := range work {
		work[i] = func() error {
			for range per {
				s.Acquire()
				s.Release()
			}
			return nil
		}
	}
	r, _ := timed(work) // the work never fails
	r.Items = per * g
	return r
}

// SemCase is a semaphore workload: G goroutines on Limit units.
type SemCase struct{ G, Limit int }

// String returns the case as it appears in benchmark names: "G=8/limit=2".
func (c SemCase) String() string { return fmt.Sprintf("G=%d/limit=%d", c.G, c.Limit) }

// SemCases are the semaphore workloads: uncontended, then contended.
var SemCases = []SemCase{{G: 1, Limit: 1}, {G: 8, Limit: 2}}
