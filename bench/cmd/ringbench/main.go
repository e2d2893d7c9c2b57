// Command ringbench runs ringq's comparative benchmark: every queue of ringq
// and its peers, in the same run, on the same workloads, with warm-up and
// interleaved repetitions, and writes the report.
//
// From the repository root:
//
//	go -C bench run ./cmd/ringbench -quick   # a subset, under a minute, into results/quick
//	go -C bench run ./cmd/ringbench          # the full matrix, under ten minutes
//	go -C bench run ./cmd/ringbench -smoke   # every cell once, untimed, into a temporary directory
//
// A full run writes bench/results/<machine>/: ringbench.json (every
// figure), ringbench.txt (the same in Go's benchmark format, for benchstat)
// and the SVG charts; then it rewrites BENCHMARKS.md from the results of
// every machine found under bench/results, each machine in its own section.
// A quick run writes the same files under bench/results/quick/, which git
// ignores, so that a look at a machine never replaces the committed record
// of a full run. Every run ends by printing its summary on standard output.
//
// Flags:
//
//	-quick        run the quick subset
//	-smoke        run every cell once with a few items; not a measurement
//	-machine s    the machine's name in the report (default: cores, CPU model, hypervisor)
//	-out f        the page to write (default ../BENCHMARKS.md, the repository's, under go -C bench;
//	              results/quick/BENCHMARKS.md for -quick)
//	-results d    the results directory (default results; results/quick for -quick)
//	-impl re      measure only the implementations that match re; chan always runs
//	-reps n       override the number of interleaved repetitions
//	-runtime d    override the length of one timed throughput run
//	-rewrite      measure nothing; rewrite the page from the results saved under -results,
//	              such as a run made on another machine and copied there, and each
//	              machine's ringbench.txt and charts from its ringbench.json
//
// A progress line on standard error shows what is being measured and how far
// the run has come.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ringq/ringq/bench"
	"github.com/ringq/ringq/bench/report"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "ringbench:", err)
		os.Exit(1)
	}
}

// run parses args, runs the benchmark and writes its outputs; the summary
// goes to stdout, progress and the paths written to log.
func run(args []string, stdout, log io.Writer) error {
	fs := flag.NewFlagSet("ringbench", flag.ContinueOnError)
	fs.SetOutput(log)
	quick := fs.Bool("quick", false, "run the quick subset (under a minute), into results/quick")
	smoke := fs.Bool("smoke", false, "run every cell once with a few items, into a temporary directory; not a measurement")
	full := fs.Bool("full", false, "run the full matrix (the default)")
	name := fs.String("machine", "", "the machine's name in the report (default: cores, CPU model, hypervisor)")
	out := fs.String("out", "", "the page to write (default ../BENCHMARKS.md; results/quick/BENCHMARKS.md for -quick)")
	results := fs.String("results", "", "the results directory (default results; results/quick for -quick)")
	implRE := fs.String("impl", "", "measure only the implementations that match this regular expression; chan always runs")
	reps := fs.Int("reps", 0, "override the number of interleaved repetitions")
	runTime := fs.Duration("runtime", 0, "override the length of one timed throughput run")
	hang := fs.Duration("hang", 2*time.Minute, "give up when one step takes longer than this: a queue lost an item or a wakeup")
	rewrite := fs.Bool("rewrite", false, "measure nothing: rewrite the page, and each machine's ringbench.txt and charts, from the JSON already saved, such as a run copied from another machine")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	mode := "full"
	switch {
	case *quick && *smoke, *full && (*quick || *smoke):
		return errors.New("-full, -quick and -smoke exclude each other")
	case *quick:
		mode = "quick"
	case *smoke:
		mode = "smoke"
	}
	if *rewrite {
		if *quick || *smoke || *full {
			return errors.New("-rewrite measures nothing and takes no mode")
		}
		page, dir, err := destinations(mode, *out, *results)
		if err != nil {
			return err
		}
		all, err := loadAll(dir)
		if err != nil {
			return err
		}
		for _, res := range all {
			if err := writeDerived(res, filepath.Join(dir, res.Machine.Slug())); err != nil {
				return err
			}
		}
		return writePage(page, dir, all, log)
	}
	cfg := modes()[mode]
	if *reps > 0 {
		cfg.reps = *reps
	}
	if *runTime > 0 {
		cfg.runTime = *runTime
	}

	var err error
	if *out, *results, err = destinations(mode, *out, *results); err != nil {
		return err
	}

	impls, sems := bench.Impls(), bench.SemImpls()
	if *implRE != "" {
		re, err := regexp.Compile(*implRE)
		if err != nil {
			return err
		}
		impls = slices.DeleteFunc(impls, func(im *bench.Impl) bool { return im.Name != report.Baseline && !re.MatchString(im.Name) })
		sems = slices.DeleteFunc(sems, func(si *bench.SemImpl) bool { return si.Name != report.Baseline && !re.MatchString(si.Name) })
	}

	start := time.Now()
	res := &report.Result{
		Machine: machine(*name, start),
		Mode:    cfg.mode,
		Reps:    cfg.reps,
		RunTime: cfg.runTime.String(),
		Command: strings.Join(append([]string{"go -C bench run ./cmd/ringbench"}, args...), " "),
	}
	if cfg.fixed > 0 {
		res.RunTime = fmt.Sprintf("%d items (untimed)", cfg.fixed)
	}
	steps := plan(cfg, impls, sems, res)
	var measuring time.Duration
	for _, s := range steps {
		measuring += s.cost
	}
	fmt.Fprintf(log, "ringbench: %s run on %s, %d steps, %s of measuring and then some\n",
		mode, res.Machine.Name, len(steps), clock(measuring))
	res.Machine.LineRoundTrip[0] = lineRoundTrip()
	probe := func() { res.Machine.LineRoundTripDuring = append(res.Machine.LineRoundTripDuring, lineRoundTrip()) }
	if err := execute(steps, *hang, newProgress(log), probe); err != nil {
		return err
	}
	res.Machine.LineRoundTrip[1] = lineRoundTrip()
	res.WallSeconds = time.Since(start).Seconds()
	if err := write(res, *out, *results, log); err != nil {
		return err
	}
	return report.WriteSummary(stdout, res)
}

// destinations returns the page and the results directory a run in mode
// writes, given the -out and -results flags; each flag left empty takes the
// mode's default. A full run rewrites the repository's BENCHMARKS.md from
// bench/results; a quick run writes under results/quick, which
// bench/.gitignore keeps out of the repository; a smoke run writes into a
// new temporary directory.
func destinations(mode, out, results string) (string, string, error) {
	dir, page := "results", filepath.Join("..", "BENCHMARKS.md")
	switch {
	case mode == "quick":
		dir = filepath.Join("results", "quick")
		page = filepath.Join(dir, "BENCHMARKS.md")
	case mode == "smoke" && (out == "" || results == ""):
		tmp, err := os.MkdirTemp("", "ringbench-smoke-")
		if err != nil {
			return "", "", err
		}
		dir, page = filepath.Join(tmp, "results"), filepath.Join(tmp, "BENCHMARKS.md")
	}
	if out == "" {
		out = page
	}
	if results == "" {
		results = dir
	}
	return out, results, nil
}

// probeEvery is how often execute calls its probe between steps.
const probeEvery = 15 * time.Second

// execute runs the steps in order, and calls probe between two steps
// every probeEvery. A step that takes longer than hang means a queue lost
// an item or a wakeup; its goroutines cannot be stopped, so the process
// exits.
func execute(steps []step, hang time.Duration, p *progress, probe func()) error {
	var total time.Duration
	for _, s := range steps {
		total += s.cost
	}
	p.start(len(steps), total)
	probed := time.Now()
	for i, s := range steps {
		if time.Since(probed) >= probeEvery {
			probe()
			probed = time.Now()
		}
		p.show(i, s)
		watchdog := time.AfterFunc(hang, func() {
			fmt.Fprintf(os.Stderr, "\nringbench: %s has not finished after %v: a queue lost an item or a wakeup\n", s.label, hang)
			os.Exit(2)
		})
		err := s.run()
		watchdog.Stop()
		if err != nil {
			p.done()
			return fmt.Errorf("%s: %w", s.label, err)
		}
		p.advance(s)
	}
	p.done()
	return nil
}

// write saves the result and its charts under results/<machine>/, and
// rewrites out from the results of every machine under results.
func write(res *report.Result, out, results string, log io.Writer) error {
	dir := filepath.Join(results, res.Machine.Slug())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := res.Save(filepath.Join(dir, report.JSONFile)); err != nil {
		return err
	}
	if err := writeDerived(res, dir); err != nil {
		return err
	}
	all, err := loadAll(results)
	if err != nil {
		return err
	}
	if err := writePage(out, results, all, log); err != nil {
		return err
	}
	fmt.Fprintf(log, "ringbench: wrote %s and %s in %.1fs\n", dir, out, res.WallSeconds)
	return nil
}

// writeDerived writes what dir holds besides res's JSON, all of it derived
// from res: the benchmark-format file and the charts.
func writeDerived(res *report.Result, dir string) error {
	f, err := os.Create(filepath.Join(dir, report.BenchfmtFile))
	if err != nil {
		return err
	}
	err = report.WriteBenchfmt(f, res)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return report.Charts(res, dir)
}

// writePage rewrites out from all, the results of every machine under
// results (see loadAll).
func writePage(out, results string, all []*report.Result, log io.Writer) error {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	absResults, err := filepath.Abs(results)
	if err != nil {
		return err
	}
	link, err := filepath.Rel(filepath.Dir(absOut), absResults)
	if err != nil {
		return err
	}
	g, err := os.Create(out)
	if err != nil {
		return err
	}
	err = report.Write(g, all, filepath.ToSlash(link))
	if cerr := g.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "ringbench: wrote %s from %d machine(s)\n", out, len(all))
	return nil
}

// loadAll reads the result of every machine under results, by machine
// name.
func loadAll(results string) ([]*report.Result, error) {
	paths, err := filepath.Glob(filepath.Join(results, "*", report.JSONFile))
	if err != nil {
		return nil, err
	}
	var all []*report.Result
	for _, p := range paths {
		r, err := report.Load(p)
		if err != nil {
			return nil, err
		}
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b *report.Result) int { return strings.Compare(a.Machine.Name, b.Machine.Name) })
	return all, nil
}
