package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/ringq/ringq/bench/report"
)

// samples returns one sample of 1000 items per ns/item figure, with CPU
// time twice the wall time.
func samples(ns ...float64) []report.Sample {
	out := make([]report.Sample, len(ns))
	for i, v := range ns {
		out[i] = report.Sample{Items: 1000, NsPerItem: v, CPUNsPerItem: 2 * v}
	}
	return out
}

// fixture is a small fixed result whose figures are easy to check by hand.
func fixture(name string) *report.Result {
	return &report.Result{
		Machine: report.Machine{Name: name, CPU: "Test CPU", Cores: 2, GOMAXPROCS: 2,
			GoVersion: "go1.26.8", OS: "linux", Arch: "amd64", Date: "2026-01-02T03:04:05Z"},
		Mode: "full", Reps: 3, RunTime: "40ms", WallSeconds: 83,
		Command: "go -C bench run ./cmd/ringbench",
		Impls: []report.Impl{
			{Name: "chan", Origin: "baseline", Waits: "parks"},
			{Name: "ring.MPMC", Origin: "ringq", Waits: "parks"},
			{Name: "ring.MPMC+batch", Origin: "ringq", Batch: 64, Waits: "parks"},
			{Name: "xsync.MPMCQueue", Origin: "peer", Waits: "spins", Note: "Try only"},
		},
		Throughput: []report.Cell{
			{Impl: "chan", P: 1, C: 1, Cap: 16, Item: "8B", Samples: samples(90, 90, 90)},
			{Impl: "ring.MPMC", P: 1, C: 1, Cap: 16, Item: "8B", Samples: samples(60, 58, 61)},
			{Impl: "xsync.MPMCQueue", P: 1, C: 1, Cap: 16, Item: "8B", Samples: samples(30, 30, 31)},
			{Impl: "chan", P: 1, C: 1, Cap: 1024, Item: "8B", Samples: samples(80, 79, 81)},
			{Impl: "ring.MPMC", P: 1, C: 1, Cap: 1024, Item: "8B", Samples: samples(20, 19, 22)},
			{Impl: "ring.MPMC+batch", P: 1, C: 1, Cap: 1024, Item: "8B", Samples: samples(5, 5, 6)},
			{Impl: "xsync.MPMCQueue", P: 1, C: 1, Cap: 1024, Item: "8B", Samples: samples(25, 24, 26)},
			{Impl: "chan", P: 4, C: 4, Cap: 1024, Item: "8B", Samples: samples(100, 100, 100)},
			{Impl: "ring.MPMC", P: 4, C: 4, Cap: 1024, Item: "8B", Samples: samples(50, 40, 60)},
			{Impl: "xsync.MPMCQueue", P: 4, C: 4, Cap: 1024, Item: "8B", Samples: samples(45, 44, 46)},
		},
		Scaling: []report.Cell{
			{Impl: "chan", P: 1, C: 1, Cap: 1024, Item: "8B", GOMAXPROCS: 1, Samples: samples(60, 60, 60)},
			{Impl: "ring.MPMC", P: 1, C: 1, Cap: 1024, Item: "8B", GOMAXPROCS: 1, Samples: samples(30, 30, 30)},
			{Impl: "chan", P: 2, C: 2, Cap: 1024, Item: "8B", GOMAXPROCS: 2, Samples: samples(90, 90, 90)},
			{Impl: "ring.MPMC", P: 2, C: 2, Cap: 1024, Item: "8B", GOMAXPROCS: 2, Samples: samples(10, 10, 10)},
		},
		HandoffGap: "10µs",
		Handoff: []report.Latency{
			{Impl: "chan", Samples: 300, P50: 200, P90: 300, P99: 1000, P999: 5000, Max: 20000,
				RepP50: []float64{190, 200, 210}, RepP99: []float64{900, 1000, 1100},
				Bins: []report.Bin{{Start: 150, End: 300, Count: 200}, {Start: 300, End: 450, Count: 90}, {Start: 450, End: 600, Count: 10}}},
			{Impl: "ring.MPMC", Samples: 300, P50: 100, P90: 150, P99: 500, P999: 2000, Max: 9000,
				RepP50: []float64{100, 100, 100}, RepP99: []float64{400, 500, 600},
				Bins: []report.Bin{{Start: 80, End: 160, Count: 250}, {Start: 160, End: 320, Count: 50}}},
		},
		Idle: []report.Idle{
			{Impl: report.IdleFloor, CPUPerSec: []float64{0.001}},
			{Impl: "chan", CPUPerSec: []float64{0.002}},
			{Impl: "xsync.MPMCQueue", CPUPerSec: []float64{1.0}},
			{Impl: "ring.MPMC", CPUPerSec: []float64{0.1}},
		},
		Semaphore: []report.SemCell{
			{Impl: "chan", G: 1, Limit: 1, Samples: samples(25, 25, 25)},
			{Impl: "x/sync/semaphore", G: 1, Limit: 1, Samples: samples(14, 14, 15)},
		},
	}
}

func page(t *testing.T, results ...*report.Result) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Write(&buf, results, "bench/results"); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func mustContain(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestWriteTables(t *testing.T) {
	p := page(t, fixture("Test Machine"))
	mustContain(t, p,
		"## Test Machine",
		"| CPU | Test CPU |",
		"| run | full: 3 interleaved repetitions, 40ms per timed run, 1m23s in all |",
		// P=1 C=1: medians 80, 20, 5, 25; ratios 80/20, 80/5, 80/25.
		"#### P=1 C=1 (cap 1024, 8-byte items)",
		"| chan | 80.0 | 79.0–81.0 | 12.5 | 160 | 1.00× |",
		"| ring.MPMC | 20.0 | 19.0–22.0 | 50.0 | 40.0 | 4.00× |",
		"| **ring.MPMC+batch** | 5.00 | 5.00–6.00 | 200.0 | 10.0 | 16.0× |",
		"| xsync.MPMCQueue | 25.0 | 24.0–26.0 | 40.0 | 50.0 | 3.20× |",
		// The compact table: the run has a second capacity.
		"#### P=1 C=1, every capacity and item type: median ns/item (× chan)",
		"| impl | 16 · 8B | 1024 · 8B |",
		"| ring.MPMC+batch | — | 5.00 (16.0×) |",
		"| xsync.MPMCQueue | 30.0 (3.00×) | 25.0 (3.20×) |",
		// Scaling: ratios within the same GOMAXPROCS.
		"| ring.MPMC | 30.0 (2.00×) | 10.0 (9.00×) |",
		// Latency: ratios at p50 and p99 against chan's row.
		"| ring.MPMC | 100 ns | 150 ns | 500 ns | 2.00 µs | 9.00 µs | 100 ns–100 ns | 400 ns–600 ns | 2.00× | 2.00× | 300 |",
		"| (no consumer) | 0.001 | 0.001–0.001 |",
		"| x/sync/semaphore | 1 | 1 | 14.0 | 14.0–15.0 | 28.0 | 1.79× |",
		"| xsync.MPMCQueue | peer | spins | — | Try only |",
	)
}

func TestWriteSummary(t *testing.T) {
	p := page(t, fixture("Test Machine"))
	mustContain(t, p,
		// 1×1: ring.MPMC (19–22) is clear of xsync (24–26).
		"- **P=1 C=1**: ringq's fastest is ring.MPMC+batch 5.00 ns/item (10.0 CPU ns), 16.0× chan (80.0 ns/item). "+
			"One item at a time, ring.MPMC 20.0 ns/item (40.0 CPU ns) against the fastest peer, xsync.MPMCQueue 25.0 ns/item (50.0 CPU ns): ringq ahead, 1.25×.",
		// 4×4: 40–60 overlaps 44–46, a tie whatever the medians say.
		"a tie, the spreads overlap (0.90×)",
		// Three workloads: behind at 1×1/16, ahead at 1×1/1024, tie at 4×4.
		"Over all 3 workloads of this run, ringq's fastest queue is faster than chan, beyond the spread of the repetitions, in 3.",
		"ringq is ahead in 1, behind in 1, and tied (spreads overlap) in 1 of 3.",
		"Where a peer is ahead of every single-item ringq queue: P=1/C=1/cap=16/item=8B (xsync.MPMCQueue 30.0, ring.MPMC 60.0).",
		"- Hand-off latency: lowest p50 ring.MPMC (100 ns), lowest p99 ring.MPMC (500 ns); chan: p50 200 ns, p99 1.00 µs.",
		"- Idle, waiting on an empty queue: xsync.MPMCQueue (1.00) keep at least half a core busy (CPU s/s); "+
			"ring.MPMC (0.10) use between 0.02 CPU s/s above the process's own and half a core; "+
			"chan cost less than 0.02 CPU s/s above the process's own 0.001.",
		"- Semaphore, 1 goroutine(s) on 1 unit(s): chan 25.0 ns/op, x/sync/semaphore 14.0 ns/op.",
	)
}

func TestWriteLinks(t *testing.T) {
	r := fixture("Test Machine")
	p := page(t, r)
	dir := t.TempDir()
	if err := report.Charts(r, dir); err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`\]\((bench/results/[^)]+)\)`).FindAllStringSubmatch(p, -1)
	want := map[string]bool{
		"ringbench.json": true, "ringbench.txt": true, "throughput-threads.svg": true, "scaling.svg": true,
		"latency-handoff.svg": true, "latency-handoff-hist.svg": true,
	}
	for _, l := range links {
		file, ok := strings.CutPrefix(l[1], "bench/results/test-machine/")
		if !ok {
			// The method section cites the before/after records kept
			// directly under bench/results, and raw runs under
			// bench/results/raw; they must exist.
			rest := strings.TrimPrefix(l[1], "bench/results/")
			if !strings.Contains(strings.TrimPrefix(rest, "raw/"), "/") {
				if _, err := os.Stat(filepath.Join("..", "..", l[1])); err != nil {
					t.Errorf("method links a missing record: %v", err)
				}
				continue
			}
			t.Errorf("link %s is not under the machine's directory", l[1])
			continue
		}
		if !want[file] {
			t.Errorf("unexpected link %s", l[1])
		}
		delete(want, file)
		if strings.HasSuffix(file, ".svg") {
			data, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Errorf("linked chart not drawn: %v", err)
			} else if !bytes.Contains(data[:min(len(data), 200)], []byte("<svg")) {
				t.Errorf("%s is not an SVG file", file)
			}
		}
	}
	for file := range want {
		t.Errorf("no link to %s", file)
	}
	// No ping-pong data, so no ping-pong chart.
	if _, err := os.Stat(filepath.Join(dir, "latency-pingpong.svg")); err == nil {
		t.Error("drew a ping-pong chart without ping-pong data")
	}
}

// TestWriteMachinesApart checks that two machines get a section each, in
// the order given, and that one's figures never land in the other's.
func TestWriteMachinesApart(t *testing.T) {
	a, b := fixture("Machine A"), fixture("Machine B")
	for i := range b.Throughput {
		if b.Throughput[i].Impl == "chan" {
			b.Throughput[i].Samples = samples(40, 40, 40) // halves every ratio
		}
	}
	p := page(t, a, b)
	ia, ib := strings.Index(p, "\n## Machine A"), strings.Index(p, "\n## Machine B")
	if ia < 0 || ib < ia {
		t.Fatalf("sections at %d and %d", ia, ib)
	}
	secA, secB := p[ia:ib], p[ib:]
	mustContain(t, p, "Machines: [Machine A](#machine-a), [Machine B](#machine-b).")
	if !strings.Contains(secA, "| ring.MPMC | 20.0 | 19.0–22.0 | 50.0 | 40.0 | 4.00× |") ||
		!strings.Contains(secB, "| ring.MPMC | 20.0 | 19.0–22.0 | 50.0 | 40.0 | 2.00× |") {
		t.Error("a machine's ratio was taken against another machine's baseline")
	}
	if !strings.Contains(secB, "bench/results/machine-b/ringbench.json") || strings.Contains(secB, "machine-a/") {
		t.Error("machine B's section links machine A's files")
	}
}

func TestWriteSmokeWarning(t *testing.T) {
	r := fixture("Test Machine")
	r.Mode = "smoke"
	mustContain(t, page(t, r), "> **Smoke run**")
	if strings.Contains(page(t, fixture("Test Machine")), "Smoke run") {
		t.Error("a full run is marked as a smoke run")
	}
}

func TestWritePhaseChange(t *testing.T) {
	r := fixture("Test Machine")
	r.Machine.LineRoundTrip = [2]float64{55, 58}
	r.Machine.LineRoundTripDuring = []float64{54, 60}
	steady := page(t, r)
	mustContain(t, steady, "| cache-line round trip | 55 ns before the run, 58 ns after, 54–60 ns in 2 probes during it")
	if strings.Contains(steady, "changed phase") {
		t.Error("a run whose round trip held steady is marked as changing phase")
	}
	r.Machine.LineRoundTripDuring = []float64{54, 357, 60}
	mustContain(t, page(t, r), "> **The machine changed phase during this run**: the cache-line round trip ranged from 54 to 357 ns.")
}

// TestWriteLatencyPhases checks that the latency sections give the
// probes around their repetitions, and mark a phase change among them,
// which the run's own probes, seconds apart, can miss.
func TestWriteLatencyPhases(t *testing.T) {
	r := fixture("Test Machine")
	r.PingPong = r.Handoff
	r.PingPongRoundTrips = []float64{54, 55, 52}
	r.HandoffRoundTrips = []float64{56, 361, 58}
	p := page(t, r)
	pingpong := p[strings.Index(p, "### Ping-pong round trip"):]
	handoff := p[strings.Index(p, "### Hand-off latency"):strings.Index(p, "### Ping-pong round trip")]
	mustContain(t, pingpong, "The cache-line round trip before each repetition, and after the last: 54, 55, 52 ns.")
	if strings.Contains(pingpong[:strings.Index(pingpong, "| impl |")], "changed phase") {
		t.Error("ping-pong repetitions whose round trip held steady are marked as changing phase")
	}
	mustContain(t, handoff, "The cache-line round trip before each repetition, and after the last: 56, 361, 58 ns.")
	mustContain(t, handoff, "> **The machine changed phase during these repetitions** (56 to 361 ns)")
	mustContain(t, p, "| p50 min–max over reps | p99 min–max over reps |")
}

// TestWriteWorkloadPhases checks that a throughput table gives the probes
// that bracket its workload, and that a workload whose probes found the
// slow phase is said to have run in it, in its own table and, marked, in
// the table of every capacity and item type.
func TestWriteWorkloadPhases(t *testing.T) {
	r := fixture("Test Machine")
	r.Machine.LineRoundTrip = [2]float64{55, 58}
	for i := range r.Throughput {
		c := &r.Throughput[i]
		switch {
		case c.Cap == 16:
			c.RoundTrips = [2]float64{52, 351} // the slow phase came during it
		case c.P == 1:
			c.RoundTrips = [2]float64{351, 54}
		default:
			c.RoundTrips = [2]float64{54, 56}
		}
	}
	p := page(t, r)
	mustContain(t, p,
		"#### P=1 C=1 (cap 1024, 8-byte items)\n\nCache-line round trip just before this workload and just after it: 351 and 54 ns. **Over twice the run's lowest",
		"#### P=4 C=4 (cap 1024, 8-byte items)\n\nCache-line round trip just before this workload and just after it: 54 and 56 ns.\n",
		"| ring.MPMC | 60.0 (1.50×) † | 20.0 (4.00×) † |",
		"† Its workload ran, in part at least, in the machine's slow phase: a probe just before or after it found the cache-line round trip over twice the run's lowest (55 ns).")
	if strings.Contains(p, "56 ns. **Over") {
		t.Error("a workload whose probes found the fast phase is said to have run in the slow one")
	}
	// A run made before the probes has none to give.
	if p := page(t, fixture("Test Machine")); strings.Contains(p, "Cache-line round trip just before") || strings.Contains(p, ") † |") {
		t.Error("a run without workload probes is given some")
	}
}

func TestBenchfmt(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteBenchfmt(&buf, fixture("Test Machine")); err != nil {
		t.Fatal(err)
	}
	mustContain(t, buf.String(),
		"cpu: Test CPU\n",
		"BenchmarkThroughput/impl=ring.MPMC/P=1/C=1/cap=1024/item=8B-2 1000 20 ns/op 5e+07 items/s 40 cpu-ns/op\n",
		"BenchmarkScaling/impl=ring.MPMC/P=1/C=1/cap=1024/item=8B 1000 30 ns/op",
		"BenchmarkScaling/impl=ring.MPMC/P=2/C=2/cap=1024/item=8B-2 1000 10 ns/op",
		"BenchmarkHandoff/impl=chan-2 100 190 ns/p50 900 ns/p99\n",
		"BenchmarkIdle/impl=none-2 1 0.001 cpu-s/s\n",
		"BenchmarkSemaphore/impl=x/sync/semaphore/G=1/limit=1-2 1000 14 ns/op 28 cpu-ns/op\n",
	)
	// Every benchmark line is a name without spaces, an iteration count and
	// value-unit pairs, as benchstat wants.
	line := regexp.MustCompile(`^Benchmark\S+ \d+( \S+ \S+)+$`)
	for l := range strings.Lines(buf.String()) {
		if strings.HasPrefix(l, "Benchmark") && !line.MatchString(strings.TrimSuffix(l, "\n")) {
			t.Errorf("malformed line %q", l)
		}
	}
}

func TestSaveLoad(t *testing.T) {
	r := fixture("Test Machine")
	path := filepath.Join(t.TempDir(), report.JSONFile)
	if err := r.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := report.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("Load(Save(r)) differs from r:\n%+v\n%+v", got, r)
	}
}

func TestStat(t *testing.T) {
	c := report.Cell{Samples: samples(4, 1, 3, 2)}
	if got, want := c.NsPerItem(), (report.Stat{Median: 2.5, Min: 1, Max: 4, N: 4}); got != want {
		t.Errorf("even count: %+v, want %+v", got, want)
	}
	c.Samples = samples(9, 1, 5)
	if got, want := c.NsPerItem(), (report.Stat{Median: 5, Min: 1, Max: 9, N: 3}); got != want {
		t.Errorf("odd count: %+v, want %+v", got, want)
	}
	if a, b := (report.Stat{Min: 1, Max: 2}), (report.Stat{Min: 2, Max: 3}); !a.Overlaps(b) || !b.Overlaps(a) {
		t.Error("touching spreads do not overlap")
	}
	if a, b := (report.Stat{Min: 1, Max: 2}), (report.Stat{Min: 2.5, Max: 3}); a.Overlaps(b) {
		t.Error("apart spreads overlap")
	}
}

func TestLogBins(t *testing.T) {
	bins := report.LogBins([]float64{0.5, 100, 120, 1000, 1e6})
	// Eight bins to a factor of ten, from the bin of 1 ns (0.5 counts as
	// 1) to the bin of 1 ms: 6 decades, 49 bins.
	if len(bins) != 49 {
		t.Fatalf("%d bins, want 49", len(bins))
	}
	total := 0
	for i, b := range bins {
		total += b.Count
		if i > 0 && b.Start != bins[i-1].End {
			t.Errorf("bin %d starts at %g, the one before ends at %g", i, b.Start, bins[i-1].End)
		}
		if r := b.End / b.Start; r < 1.333 || r > 1.334 {
			t.Errorf("bin %d spans a factor of %g, want 10^(1/8)", i, r)
		}
	}
	if total != 5 {
		t.Errorf("bins hold %d samples, want 5", total)
	}
	// 100 and 120 share the bin [100, 133.4); 1000 has its own.
	for _, want := range []struct {
		at    float64
		count int
	}{{100, 2}, {1000, 1}, {1e6, 1}, {1, 1}} {
		for _, b := range bins {
			if b.Start <= want.at*1.0001 && want.at < b.End {
				if b.Count != want.count {
					t.Errorf("bin of %g holds %d, want %d", want.at, b.Count, want.count)
				}
			}
		}
	}
	if report.LogBins(nil) != nil {
		t.Error("bins of no samples")
	}
}

func TestSmallRatio(t *testing.T) {
	r := fixture("Test Machine")
	r.Handoff[1].P99 = 4e6 // 4 ms against chan's 1 µs
	mustContain(t, page(t, r), "| 2.00× | 0.00025× | 300 |")
}

func TestSlug(t *testing.T) {
	for name, want := range map[string]string{
		"2-core AMD EPYC (KVM)":    "2-core-amd-epyc-kvm",
		"16-core Intel Xeon 8480+": "16-core-intel-xeon-8480",
		"  odd__name ":             "odd-name",
	} {
		if got := (report.Machine{Name: name}).Slug(); got != want {
			t.Errorf("Slug(%q) = %q, want %q", name, got, want)
		}
	}
}
