package bench

import (
	"runtime"
	"slices"
	"sync/atomic"
	"time"
)

// LineRoundTrip measures how long a cache line takes to go from one
// running goroutine to another and back: two goroutines bounce one atomic
// counter, each spinning until it sees the other's increment. It returns
// the median over tries of trips round trips each, or 0 when GOMAXPROCS is
// 1 and the two cannot run at once.
//
// The figure is the machine's, not a queue's: every single-item hand-off
// between cores pays part of it, so a run that reports it tells whether
// its ratios came from a machine where transfers were cheap or dear. On a
// virtual machine it changes with where the host places the virtual CPUs
// (on this project's 2-core KVM guest, 50-70 ns at some times and 330-370 ns
// at others, on the same day, sometimes switching within a minute).
func LineRoundTrip(trips, tries int) time.Duration {
	if runtime.GOMAXPROCS(0) < 2 || trips < 1 || tries < 1 {
		return 0
	}
	ds := make([]time.Duration, tries)
	for i := range ds {
		ds[i] = bounce(uint64(trips))
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// bounce times up to n round trips of one counter between two goroutines:
// the echo turns each odd value into the next even one, the caller each
// even value into the next odd one. It stops early after maxBounce, so
// that a machine that cannot run both goroutines at once costs little.
func bounce(n uint64) time.Duration {
	const stop = ^uint64(0) // odd, so the echo cannot mistake it for its turn
	var x atomic.Uint64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for last := uint64(0); ; {
			switch v := x.Load(); {
			case v == stop:
				return
			case v != last && v%2 == 1:
				last = v + 1
				x.Store(last)
			}
		}
	}()
	start := time.Now()
	trips := uint64(0)
	for trips < n {
		x.Store(2*trips + 1)
		for x.Load() != 2*trips+2 {
		}
		trips++
		if trips%1024 == 0 && time.Since(start) > maxBounce {
			break
		}
	}
	d := time.Since(start)
	x.Store(stop)
	<-done
	return d / time.Duration(trips)
}

// maxBounce bounds one bounce.
const maxBounce = 100 * time.Millisecond
