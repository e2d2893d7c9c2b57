package bench_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/loov/hrtime"
	"github.com/ringq/ringq/bench"
)

// BenchmarkThroughput moves b.N items through every implementation, shape,
// capacity and item type, skipping the shapes an implementation cannot run.
// ns/op is wall time per item; items/s its inverse; cpu-ns/op the CPU time
// of the whole process per item. Scaling over GOMAXPROCS is go test's -cpu
// flag: go test -bench Throughput -cpu 1,2,4.
func BenchmarkThroughput(b *testing.B) {
	for _, im := range bench.Impls() {
		for _, sh := range bench.Shapes {
			if !im.Supports(sh.P, sh.C) {
				continue
			}
			for _, capacity := range bench.Capacities {
				benchThroughput[uint64](b, im, sh, capacity)
				benchThroughput[*bench.Ptr](b, im, sh, capacity)
				benchThroughput[bench.Blob64](b, im, sh, capacity)
			}
		}
	}
}

func benchThroughput[T bench.Item](b *testing.B, im *bench.Impl, sh bench.Shape, capacity int) {
	name := fmt.Sprintf("impl=%s/%v/cap=%d/item=%s", im.Name, sh, capacity, bench.ItemName[T]())
	b.Run(name, func(b *testing.B) {
		r, err := bench.Throughput[T](im, capacity, sh, b.N)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.NsPerItem(), "ns/op")
		b.ReportMetric(1e9/r.NsPerItem(), "items/s")
		b.ReportMetric(r.CPUNsPerItem(), "cpu-ns/op")
	})
}

// latencyImpls returns the implementations that the latency benchmarks
// measure: the batched rings wait as their single-item twins do.
func latencyImpls() []*bench.Impl {
	var out []*bench.Impl
	for _, im := range bench.Impls() {
		if im.Batch == 0 {
			out = append(out, im)
		}
	}
	return out
}

// reportLatency reports the percentiles of lat, and their mean as ns/op.
func reportLatency(b *testing.B, lat []time.Duration) {
	h := hrtime.NewDurationHistogram(lat, &hrtime.HistogramOptions{BinCount: 1})
	b.ReportMetric(h.Average, "ns/op")
	b.ReportMetric(h.P50, "ns/p50")
	b.ReportMetric(h.P90, "ns/p90")
	b.ReportMetric(h.P99, "ns/p99")
	b.ReportMetric(h.P999, "ns/p99.9")
	b.ReportMetric(h.Maximum, "ns/max")
}

// BenchmarkHandoff measures hand-off latency (bench.Handoff) with 10µs
// between items; ns/op is the mean latency, not the time per iteration.
func BenchmarkHandoff(b *testing.B) {
	for _, im := range latencyImpls() {
		b.Run("impl="+im.Name, func(b *testing.B) {
			lat, err := bench.Handoff(im, 1024, b.N, 10*time.Microsecond)
			if err != nil {
				b.Fatal(err)
			}
			reportLatency(b, lat)
		})
	}
}

// BenchmarkPingPong measures the round trip through two queues
// (bench.PingPong); ns/op is the mean round trip.
func BenchmarkPingPong(b *testing.B) {
	for _, im := range latencyImpls() {
		b.Run("impl="+im.Name, func(b *testing.B) {
			rtt, err := bench.PingPong(im, 1024, b.N)
			if err != nil {
				b.Fatal(err)
			}
			reportLatency(b, rtt)
		})
	}
}

// BenchmarkSemaphore measures an acquire-release pair, uncontended (one
// goroutine) and contended (8 goroutines, 2 units).
func BenchmarkSemaphore(b *testing.B) {
	for _, si := range bench.SemImpls() {
		for _, c := range bench.SemCases {
			b.Run(fmt.Sprintf("impl=%s/%v", si.Name, c), func(b *testing.B) {
				r := bench.SemaphoreLoop(si, c.Limit, c.G, b.N)
				b.ReportMetric(r.NsPerItem(), "ns/op")
				b.ReportMetric(r.CPUNsPerItem(), "cpu-ns/op")
			})
		}
	}
}

func TestLineRoundTrip(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		if d := bench.LineRoundTrip(100, 1); d != 0 {
			t.Errorf("LineRoundTrip at GOMAXPROCS=1 = %v, want 0", d)
		}
		return
	}
	d := bench.LineRoundTrip(10000, 3)
	// A round trip is at least two stores seen by another core: more than
	// a nanosecond on any machine; and it must not take a scheduler's
	// time slice, or the goroutines were not running at once.
	if d < time.Nanosecond || d > 10*time.Millisecond {
		t.Errorf("LineRoundTrip = %v, want between 1ns and 10ms", d)
	}
	t.Logf("cache-line round trip: %v", d)
}

// BenchmarkLineRoundTrip reports bench.LineRoundTrip: one op is one round
// trip of a cache line between two spinning goroutines.
func BenchmarkLineRoundTrip(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs two goroutines running at once")
	}
	d := bench.LineRoundTrip(b.N, 1)
	b.ReportMetric(float64(d.Nanoseconds()), "ns/trip")
}
