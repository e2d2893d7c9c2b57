package ring

import (
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
	// last full run on ringq's 2-core test machine it did not shorten a
	// one-way hand-off (p50 275-311 against 280-281 ns, p90 0.98-2.2 µs
	// against 0.46-0.54), and it matched WaitPark's ping-pong round trip
	// through MPSC and MPMC (290-300 against 310-311 ns at p50) and nearly
	// through SPSC (341 against 311 ns) (BENCHMARKS.md).
	WaitYield = wait.Yield
)

// An Option configures a queue at construction.
type Option func(*options)

type options struct {
	policy wait.Policy
}

// WithWaitPolicy sets the policy the blocking methods wait with.
func WithWaitPolicy(p WaitPolicy) Option {
	return func(o *options) { o.policy = p }
}

func buildOptions(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}
