package ring

import (
	"strconv"

	"github.com/ringq/ringq/internal/qerr"
	"github.com/ringq/ringq/internal/wait"
)

// ErrClosed is returned by an enqueue on a closed queue, and by a dequeue
// once the queue is closed and drained. It is the same value as
// atomicsem.ErrClosed.
var ErrClosed = qerr.ErrClosed

// WaitPolicy selects how the blocking methods wait once a short spin has
// not helped.
type WaitPolicy uint8

const (
	// WaitPark spins, yields briefly, then parks the goroutine until the
	// queue changes, so that a goroutine blocked on an idle queue uses no
	// CPU. How long a waiter spins, and whether it yields, each queue
	// learns from how its waits end: where they nearly all end in a park,
	// as when items come now and then, its waiters park at once. The
	// default.
	WaitPark WaitPolicy = iota
	// WaitYield spins, then yields with runtime.Gosched until the queue
	// changes, and never parks, so a waiter never waits to be woken; the
	// price is a core kept busy while the queue is idle. It is meant for
	// goroutines that own a core, and it is not always the faster policy:
	// a goroutine woken from a park runs on its waker's processor, and a
	// ping-pong between two goroutines that share one often beats two that
	// spin on two. Measure it where it will run; README.md ("Waiting") and
	// BENCHMARKS.md have figures.
	WaitYield
)

// String returns the policy's name: "park" or "yield".
func (p WaitPolicy) String() string {
	switch p {
	case WaitPark:
		return "park"
	case WaitYield:
		return "yield"
	}
	return "ring.WaitPolicy(" + strconv.Itoa(int(p)) + ")"
}

// An Option configures a queue at construction.
type Option func(*options)

type options struct {
	policy          wait.Policy
	noMembarrier    bool
	fencelessAnyway bool // tests: an SPSC is fenceless wherever the platform allows, costly fences or not
}

// WithWaitPolicy sets the policy the blocking methods wait with. It panics
// if p is neither WaitPark nor WaitYield.
func WithWaitPolicy(p WaitPolicy) Option {
	if p != WaitPark && p != WaitYield {
		panic("ring: unknown wait policy " + strconv.Itoa(int(p)))
	}
	policy := wait.Park
	if p == WaitYield {
		policy = wait.Yield
	}
	return func(o *options) { o.policy = policy }
}

// WithoutMembarrier makes an SPSC keep a locked instruction on each side
// for every item, and never call membarrier(2), nor register the process
// for it (see SPSC): for a process whose seccomp filter kills a thread
// that makes that call, or whose threads must never be interrupted, not
// even once a millisecond. Where SPSCs drop their fences, single items
// then take about a third longer: 15.4 ns against 11.5 under WaitPark on
// ringq's 2-core Intel Xeon, in this package's benchmarks (BenchmarkSPSC's
// ring.fenced rows; bench/results/without-membarrier.txt). Where the
// process found fences cheap, SPSCs keep them and never call membarrier
// anyway (see SPSC). MPSC and MPMC never call membarrier, and ignore it.
func WithoutMembarrier() Option {
	return func(o *options) { o.noMembarrier = true }
}

// buildOptions applies opts in order; a later option overrides an earlier
// one. It panics on a nil Option.
func buildOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		if opt == nil {
			panic("ring: nil Option")
		}
		opt(&o)
	}
	return o
}
