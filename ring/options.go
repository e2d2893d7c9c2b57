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
type WaitPolicy = wait.Policy

const (
	// WaitPark spins, yields briefly, then parks the goroutine until the
	// queue changes, so that a goroutine blocked on an idle queue uses no
	// CPU. The default.
	WaitPark = wait.Park
	// WaitYield spins, then yields with runtime.Gosched until the queue
	// changes, and never parks, so a waiter never waits to be woken; the
	// price is a core kept busy while the queue is idle. It is meant for
	// goroutines that own a core. Measure it where it will run: in the
	// last full run on ringq's 2-core test machine it left a one-way
	// hand-off's p50 about where WaitPark's was (321-380 against 301-410
	// ns) but took its p90 from 0.66-2.1 µs to 1.0-825 µs, shortened the
	// ping-pong round trip through MPSC and MPMC (230-231 against 311-330
	// ns at p50), and lengthened it through SPSC (351 against 311 ns)
	// (BENCHMARKS.md).
	// Through SPSC it can do much worse: in ring's own ping-pong benchmark
	// a round trip took 1.0-1.4 µs in most runs made while that machine
	// moved cache lines slowly, and in some while it was fast, against
	// 0.26-0.45 with WaitPark (bench/results/yield-pingpong.txt).
	WaitYield = wait.Yield
)

// An Option configures a queue at construction.
type Option func(*options)

type options struct {
	policy wait.Policy
}

// WithWaitPolicy sets the policy the blocking methods wait with. It panics
// if p is neither WaitPark nor WaitYield.
func WithWaitPolicy(p WaitPolicy) Option {
	if p != WaitPark && p != WaitYield {
		panic("ring: unknown wait policy " + strconv.Itoa(int(p)))
	}
	return func(o *options) { o.policy = p }
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
