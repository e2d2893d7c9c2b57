package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ringq/ringq/bench"
	"github.com/ringq/ringq/bench/report"
)

// TestSmoke runs the whole matrix once with a few items per cell, as CI
// does, and checks what it wrote: every cell that an implementation can run
// has its sample, none that it cannot run was faked, and the page links the
// files it names.
func TestSmoke(t *testing.T) {
	dir := t.TempDir()
	out, results := filepath.Join(dir, "BENCHMARKS.md"), filepath.Join(dir, "results")
	var summary strings.Builder
	if err := run([]string{"-smoke", "-machine", "Smoke Machine", "-out", out, "-results", results}, &summary, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary.String(), "**P=1 C=1**: ringq's fastest is") {
		t.Errorf("the run did not print its summary; it printed %q", summary.String())
	}
	res, err := report.Load(filepath.Join(results, "smoke-machine", report.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	impls := bench.Impls()
	want := 0
	for _, sh := range bench.Shapes {
		for _, im := range impls {
			if im.Supports(sh.P, sh.C) {
				want += len(bench.Capacities) * len(bench.ItemNames)
			}
		}
	}
	if len(res.Throughput) != want {
		t.Errorf("%d throughput cells, want %d", len(res.Throughput), want)
	}
	for _, c := range append(res.Throughput, res.Scaling...) {
		if len(c.Samples) != 1 || c.Samples[0].Items == 0 {
			t.Errorf("%s %s: samples %+v", c.Impl, c.Workload(), c.Samples)
		}
		if im := bench.ByName(impls, c.Impl); im == nil || !im.Supports(c.P, c.C) {
			t.Errorf("%s ran %s, which it cannot", c.Impl, c.Workload())
		}
	}
	if len(res.Scaling) == 0 || len(res.Handoff) == 0 || len(res.PingPong) == 0 || len(res.Idle) == 0 || len(res.Semaphore) == 0 {
		t.Errorf("a part is missing: %d scaling, %d hand-off, %d ping-pong, %d idle, %d semaphore cells",
			len(res.Scaling), len(res.Handoff), len(res.PingPong), len(res.Idle), len(res.Semaphore))
	}
	for _, c := range append(res.Throughput, res.Scaling...) {
		if c.RoundTrips[0] == 0 || c.RoundTrips[1] == 0 {
			t.Errorf("%s %s: cache-line probes %v, want one before its workload and one after", c.Impl, c.Workload(), c.RoundTrips)
			break
		}
	}
	// A probe before each latency repetition and after the last; smoke
	// runs make one repetition.
	if len(res.HandoffRoundTrips) != 2 || len(res.PingPongRoundTrips) != 2 {
		t.Errorf("%d hand-off and %d ping-pong probes of the cache-line round trip, want 2 each",
			len(res.HandoffRoundTrips), len(res.PingPongRoundTrips))
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{report.JSONFile, report.BenchfmtFile, "throughput-threads.svg", "latency-handoff-hist.svg"} {
		link := "results/smoke-machine/" + file
		if !strings.Contains(string(page), "("+link+")") {
			t.Errorf("page does not link %s", link)
		}
		if _, err := os.Stat(filepath.Join(dir, link)); err != nil {
			t.Error(err)
		}
	}
}

func TestFlags(t *testing.T) {
	for _, args := range [][]string{{"-quick", "-smoke"}, {"-full", "-quick"}, {"stray"}, {"-impl", "("}} {
		if err := run(args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%q) did not fail", args)
		}
	}
}

// TestDestinations keeps a quick run's files out of the committed results:
// only a full run, or explicit flags, write the repository's page.
func TestDestinations(t *testing.T) {
	for _, tc := range []struct{ mode, out, results, wantOut, wantResults string }{
		{"full", "", "", "../BENCHMARKS.md", "results"},
		{"quick", "", "", "results/quick/BENCHMARKS.md", "results/quick"},
		{"quick", "../BENCHMARKS.md", "results", "../BENCHMARKS.md", "results"},
		{"quick", "B.md", "", "B.md", "results/quick"},
		{"full", "B.md", "", "B.md", "results"},
	} {
		out, results, err := destinations(tc.mode, tc.out, tc.results)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.ToSlash(out) != tc.wantOut || filepath.ToSlash(results) != tc.wantResults {
			t.Errorf("destinations(%q, %q, %q) = %q, %q; want %q, %q",
				tc.mode, tc.out, tc.results, out, results, tc.wantOut, tc.wantResults)
		}
	}
	out, results, err := destinations("smoke", "", "")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(filepath.Dir(out))
	if dir := filepath.Dir(out); filepath.Dir(results) != dir || !strings.HasPrefix(dir, os.TempDir()) {
		t.Errorf("smoke run writes %q and %q, not into one temporary directory", out, results)
	}
}

func TestImplFilter(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-smoke", "-impl", `^xsync\.MPMC`, "-out", filepath.Join(dir, "B.md"), "-results", dir, "-machine", "m"}
	if err := run(args, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	res, err := report.Load(filepath.Join(dir, "m", report.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, im := range res.Impls {
		names = append(names, im.Name)
	}
	if got := strings.Join(names, " "); got != "chan xsync.MPMCQueue" {
		t.Errorf("impls %q, want the filtered one and the baseline", got)
	}
}

func TestCalibrate(t *testing.T) {
	var calls []int
	run := func(n int) (bench.Run, error) { // 10 ns per item
		calls = append(calls, n)
		return bench.Run{Items: n, Elapsed: time.Duration(n) * 10 * time.Nanosecond}, nil
	}
	n, err := calibrate(run, 40*time.Millisecond, 256)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4_000_000 {
		t.Errorf("calibrate = %d items, want 4000000 (40ms at 10ns)", n)
	}
	if last := calls[len(calls)-1]; time.Duration(last)*10 < 40*time.Millisecond/5 {
		t.Errorf("the last warm-up run, %d items, is shorter than a fifth of the target", last)
	}
	if len(calls) > 4 {
		t.Errorf("%d warm-up runs: %v", len(calls), calls)
	}
}

func TestProcsUpTo(t *testing.T) {
	for n, want := range map[int][]int{1: {1}, 2: {1, 2}, 6: {1, 2, 4, 6}, 16: {1, 2, 4, 8, 16}} {
		if got := procsUpTo(n); !slices.Equal(got, want) {
			t.Errorf("procsUpTo(%d) = %v, want %v", n, got, want)
		}
	}
}

// TestFullRunFits keeps the full run under the ten minutes it promises:
// what its steps are expected to spend measuring, before overheads, must
// leave a third of that to spare. A larger matrix must buy its time
// elsewhere.
func TestFullRunFits(t *testing.T) {
	for _, mode := range []string{"full", "quick"} {
		limit := map[string]time.Duration{"full": 10 * time.Minute, "quick": time.Minute}[mode]
		var spent time.Duration
		for _, s := range plan(modes()[mode], bench.Impls(), bench.SemImpls(), new(report.Result)) {
			spent += s.cost
		}
		t.Logf("%s: %v of measuring", mode, spent)
		if spent > limit*2/3 {
			t.Errorf("%s run: %v of measuring, more than two thirds of %v", mode, spent, limit)
		}
	}
}

// TestRewrite checks that -rewrite, which measures nothing, writes the same
// page as the run whose results it reads, draws again the same files the run
// derived from its JSON when only the JSON is left, and takes no mode.
func TestRewrite(t *testing.T) {
	dir := t.TempDir()
	out, results := filepath.Join(dir, "BENCHMARKS.md"), filepath.Join(dir, "results")
	if err := run([]string{"-smoke", "-machine", "Smoke Machine", "-out", out, "-results", results}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	derived, err := filepath.Glob(filepath.Join(results, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	saved := map[string][]byte{}
	for _, p := range derived {
		if filepath.Base(p) == report.JSONFile {
			continue
		}
		if saved[p], err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	if len(saved) < 2 {
		t.Fatalf("the smoke run wrote %d files besides its JSON, want the benchmark file and charts", len(saved))
	}
	again := filepath.Join(dir, "again.md")
	if err := run([]string{"-rewrite", "-out", again, "-results", results}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(again)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("-rewrite wrote a page of %d bytes that differs from the run's own, of %d", len(got), len(want))
	}
	for p, want := range saved {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("-rewrite did not write %s again: %v", filepath.Base(p), err)
			continue
		}
		if string(got) != string(want) {
			t.Errorf("-rewrite wrote a %s of %d bytes that differs from the run's own, of %d", filepath.Base(p), len(got), len(want))
		}
	}
	if err := run([]string{"-rewrite", "-quick"}, io.Discard, io.Discard); err == nil {
		t.Error("-rewrite -quick was accepted")
	}
}
