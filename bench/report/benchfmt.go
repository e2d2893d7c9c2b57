package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteBenchfmt writes r in Go's benchmark format, one line per
// repetition, with the names that go test gives the same benchmarks, so
// that benchstat can compare two ringbench runs, or a ringbench run with a
// go test run:
//
//	benchstat -col /impl results/<machine>/ringbench.txt
//
// Latency lines carry each repetition's p50 and p99; idle lines the CPU
// seconds per second.
func WriteBenchfmt(w io.Writer, r *Result) error {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "goos: %s\ngoarch: %s\npkg: github.com/ringq/ringq/bench\ncpu: %s\n", m.OS, m.Arch, m.CPU)
	fmt.Fprintf(&b, "machine: %s\ngo: %s\ndate: %s\nmode: %s\n", m.Name, m.GoVersion, m.Date, r.Mode)
	suffix := func(procs int) string {
		if procs == 1 {
			return ""
		}
		return fmt.Sprintf("-%d", procs)
	}
	cells := func(name string, cells []Cell) {
		for _, c := range cells {
			procs := c.GOMAXPROCS
			if procs == 0 {
				procs = m.GOMAXPROCS
			}
			for _, s := range c.Samples {
				fmt.Fprintf(&b, "Benchmark%s/impl=%s/%s%s %d %.4g ns/op %.4g items/s %.4g cpu-ns/op\n",
					name, c.Impl, c.Workload(), suffix(procs), s.Items, s.NsPerItem, 1e9/s.NsPerItem, s.CPUNsPerItem)
			}
		}
	}
	cells("Throughput", r.Throughput)
	cells("Scaling", r.Scaling)
	for _, l := range []struct {
		name string
		lat  []Latency
	}{{"Handoff", r.Handoff}, {"PingPong", r.PingPong}} {
		for _, x := range l.lat {
			for i := range x.RepP50 {
				fmt.Fprintf(&b, "Benchmark%s/impl=%s%s %d %.4g ns/p50 %.4g ns/p99\n",
					l.name, x.Impl, suffix(m.GOMAXPROCS), x.Samples/len(x.RepP50), x.RepP50[i], x.RepP99[i])
			}
		}
	}
	for _, idle := range r.Idle {
		name := idle.Impl
		if name == IdleFloor {
			name = "none"
		}
		for _, v := range idle.CPUPerSec {
			fmt.Fprintf(&b, "BenchmarkIdle/impl=%s%s 1 %.4g cpu-s/s\n", name, suffix(m.GOMAXPROCS), v)
		}
	}
	for _, c := range r.Semaphore {
		for _, s := range c.Samples {
			fmt.Fprintf(&b, "BenchmarkSemaphore/impl=%s/G=%d/limit=%d%s %d %.4g ns/op %.4g cpu-ns/op\n",
				c.Impl, c.G, c.Limit, suffix(m.GOMAXPROCS), s.Items, s.NsPerItem, s.CPUNsPerItem)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
