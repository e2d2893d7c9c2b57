package main

import (
	"fmt"
	"runtime"
	"time"

	"github.com/loov/hrtime"
	"github.com/ringq/ringq/bench"
	"github.com/ringq/ringq/bench/report"
)

// config is what a run measures and how long it spends on each thing.
type config struct {
	mode    string
	reps    int           // interleaved repetitions of each measurement
	runTime time.Duration // aimed-at length of one timed throughput run
	fixed   int           // when positive: items per run, no calibration (smoke)

	shapes []bench.Shape
	caps   []int
	items  []string

	latSamples int           // latency samples per repetition
	latGap     time.Duration // pause between hand-off items
	idle       time.Duration // idle window per repetition
	idleReps   int
	scaling    []int // GOMAXPROCS values; none: no scaling run
	semaphore  bool
}

// modes returns the configuration of each mode on this machine.
func modes() map[string]config {
	return map[string]config{
		"full": {
			mode: "full", reps: 5, runTime: 40 * time.Millisecond,
			shapes: bench.Shapes, caps: bench.Capacities, items: bench.ItemNames,
			latSamples: 20000, latGap: 10 * time.Microsecond,
			idle: time.Second, idleReps: 3,
			scaling: procsUpTo(runtime.NumCPU()), semaphore: true,
		},
		"quick": {
			mode: "quick", reps: 3, runTime: 15 * time.Millisecond,
			shapes: bench.Shapes, caps: []int{report.RefCap}, items: []string{report.RefItem},
			latSamples: 2000, latGap: 10 * time.Microsecond,
			idle: 200 * time.Millisecond, idleReps: 1,
			scaling: procsUpTo(runtime.NumCPU()), semaphore: true,
		},
		"smoke": {
			mode: "smoke", reps: 1, runTime: 0, fixed: 64,
			shapes: bench.Shapes, caps: bench.Capacities, items: bench.ItemNames,
			latSamples: 20, latGap: time.Microsecond,
			idle: 2 * time.Millisecond, idleReps: 1,
			scaling: procsUpTo(runtime.NumCPU()), semaphore: true,
		},
	}
}

// procsUpTo returns 1, 2, 4, … up to n, and n itself.
func procsUpTo(n int) []int {
	var out []int
	for g := 1; g < n; g *= 2 {
		out = append(out, g)
	}
	return append(out, n)
}

// step is one thing the run does: a warm-up or one timed repetition.
type step struct {
	label string
	cost  time.Duration // what it is expected to take, for the progress line
	run   func() error
}

// plan builds the steps of a run in the order they execute, and the result
// they fill in. Repetitions are interleaved: each workload warms every
// implementation up, then runs rep 1 of each, rep 2 of each, and so on, so
// that a slow minute of the machine falls on all of them alike.
func plan(cfg config, impls []*bench.Impl, sems []*bench.SemImpl, res *report.Result) []step {
	var steps []step
	for _, im := range impls {
		res.Impls = append(res.Impls, report.Impl{Name: im.Name, Origin: im.Origin.String(),
			Batch: im.Batch, Waits: im.Waits, Note: im.Note})
	}

	// Throughput: every shape × capacity × item type. The cells are made
	// first, so that the steps can hold on to them.
	type work struct {
		sh         bench.Shape
		capacity   int
		item       string
		gomaxprocs int
	}
	var throughput, scaling []work
	for _, sh := range cfg.shapes {
		for _, capacity := range cfg.caps {
			for _, item := range cfg.items {
				throughput = append(throughput, work{sh, capacity, item, 0})
			}
		}
	}
	for _, g := range cfg.scaling {
		scaling = append(scaling, work{bench.Shape{P: g, C: g}, report.RefCap, report.RefItem, g})
	}
	for _, set := range []struct {
		name  string
		works []work
		cells *[]report.Cell
	}{{"throughput", throughput, &res.Throughput}, {"scaling", scaling, &res.Scaling}} {
		for _, w := range set.works {
			for _, im := range impls {
				if im.Supports(w.sh.P, w.sh.C) && (w.gomaxprocs == 0 || im.Supports(2, 2)) {
					*set.cells = append(*set.cells, report.Cell{Impl: im.Name, P: w.sh.P, C: w.sh.C,
						Cap: w.capacity, Item: w.item, GOMAXPROCS: w.gomaxprocs})
				}
			}
		}
		// The set's workloads, each the run of cells that share one.
		cells := *set.cells
		var workloads [][]report.Cell
		for i := 0; i < len(cells); {
			j := i
			for j < len(cells) && cells[j].Workload() == cells[i].Workload() && cells[j].GOMAXPROCS == cells[i].GOMAXPROCS {
				j++
			}
			workloads = append(workloads, cells[i:j])
			i = j
		}
		if len(workloads) == 0 {
			continue
		}
		// A probe of the cache-line round trip before each workload and
		// after the last: each cell gets the two that bracket its workload
		// (see report.Cell.RoundTrips).
		bracket := func(before, next []report.Cell) step {
			return step{set.name + " cache-line probe", probeCost, func() error {
				rt := probe(cfg, res)
				for k := range before {
					before[k].RoundTrips[1] = rt
				}
				for k := range next {
					next[k].RoundTrips[0] = rt
				}
				return nil
			}}
		}
		var last []report.Cell
		for _, w := range workloads {
			steps = append(steps, bracket(last, w))
			steps = append(steps, throughputSteps(cfg, set.name, impls, w)...)
			last = w
		}
		steps = append(steps, bracket(last, nil))
	}

	steps = append(steps, latencySteps(cfg, impls, res)...)
	steps = append(steps, idleSteps(cfg, impls, res)...)
	if cfg.semaphore {
		steps = append(steps, semaphoreSteps(cfg, sems, res)...)
	}
	return steps
}

// throughputSteps returns the steps of one workload: a warm-up for each
// cell, which also sets its item count, then the interleaved repetitions.
func throughputSteps(cfg config, kind string, impls []*bench.Impl, cells []report.Cell) []step {
	var steps []step
	counts := make([]int, len(cells))
	runs := make([]func(n int) (bench.Run, error), len(cells))
	labels := make([]string, len(cells))
	for i := range cells {
		c := &cells[i]
		im := bench.ByName(impls, c.Impl)
		run := bench.ThroughputOf(c.Item)
		sh := bench.Shape{P: c.P, C: c.C}
		runs[i] = func(n int) (bench.Run, error) {
			if c.GOMAXPROCS > 0 {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.GOMAXPROCS))
			}
			return run(im, c.Cap, sh, n)
		}
		labels[i] = fmt.Sprintf("%s impl=%s P=%d C=%d cap=%d item=%s", kind, c.Impl, c.P, c.C, c.Cap, c.Item)
		if c.GOMAXPROCS > 0 {
			labels[i] += fmt.Sprintf(" GOMAXPROCS=%d", c.GOMAXPROCS)
		}
		steps = append(steps, step{labels[i] + " warm-up", cfg.runTime, func() error {
			if cfg.fixed > 0 {
				counts[i] = cfg.fixed
				return nil
			}
			n, err := calibrate(runs[i], cfg.runTime, 256*c.P)
			counts[i] = n
			return err
		}})
	}
	for rep := 1; rep <= cfg.reps; rep++ {
		for i := range cells {
			steps = append(steps, step{fmt.Sprintf("%s rep %d/%d", labels[i], rep, cfg.reps), cfg.runTime, func() error {
				r, err := runs[i](counts[i])
				if err != nil {
					return err
				}
				cells[i].Samples = append(cells[i].Samples, sample(r))
				return nil
			}})
		}
	}
	return steps
}

// maxItems bounds the items of one run.
const maxItems = 1 << 26

// calibrate warms an implementation up and returns the item count that
// makes one run last about target: it runs with lo items, then with more,
// until a run lasts a fifth of target, and scales from that run.
func calibrate(run func(n int) (bench.Run, error), target time.Duration, lo int) (int, error) {
	n := lo
	for {
		r, err := run(n)
		if err != nil {
			return 0, err
		}
		if r.Elapsed >= target/5 || n >= maxItems {
			per := float64(r.Elapsed) / float64(r.Items)
			return min(max(int(float64(target)/per), lo), maxItems), nil
		}
		grow := 100.0
		if r.Elapsed > 0 {
			grow = min(grow, float64(target/2)/float64(r.Elapsed))
		}
		n = min(int(float64(n)*max(grow, 2)), maxItems)
	}
}

func sample(r bench.Run) report.Sample {
	return report.Sample{Items: r.Items, NsPerItem: r.NsPerItem(), CPUNsPerItem: r.CPUNsPerItem()}
}

// latencyImpls returns the implementations measured for latency and idle
// cost: a batched ring waits exactly as its single-item twin does.
func latencyImpls(impls []*bench.Impl) []*bench.Impl {
	var out []*bench.Impl
	for _, im := range impls {
		if im.Batch == 0 {
			out = append(out, im)
		}
	}
	return out
}

// probeCost is about what one lineRoundTrip takes, for the progress line:
// 5x100,000 round trips of 60-350 ns.
const probeCost = 100 * time.Millisecond

// probe is the probe of the plan's steps: it measures lineRoundTrip, or,
// for a smoke run, which measures nothing, a thousand round trips, adds
// it to the run's probes and returns it.
func probe(cfg config, res *report.Result) float64 {
	var rt float64
	if cfg.fixed > 0 {
		rt = float64(bench.LineRoundTrip(1_000, 1).Nanoseconds())
	} else {
		rt = lineRoundTrip()
	}
	res.Machine.LineRoundTripDuring = append(res.Machine.LineRoundTripDuring, rt)
	return rt
}

// latencyCap is the capacity of the queues of the latency measurements; they
// hold one item at a time.
const latencyCap = 1024

// latencySteps returns the hand-off and ping-pong steps; the last one turns
// the pooled samples into percentiles and hrtime histograms. A probe of
// the cache-line round trip comes before each repetition and after the
// last (see report.Result.PingPongRoundTrips), into the run's probes too.
func latencySteps(cfg config, impls []*bench.Impl, res *report.Result) []step {
	impls = latencyImpls(impls)
	res.HandoffGap = cfg.latGap.String()
	var steps []step
	for _, kind := range []struct {
		name    string
		per     time.Duration
		measure func(im *bench.Impl, n int) ([]time.Duration, error)
		out     *[]report.Latency
		probes  *[]float64
	}{
		{"handoff", cfg.latGap + time.Microsecond, func(im *bench.Impl, n int) ([]time.Duration, error) {
			return bench.Handoff(im, latencyCap, n, cfg.latGap)
		}, &res.Handoff, &res.HandoffRoundTrips},
		{"ping-pong", 2 * time.Microsecond, func(im *bench.Impl, n int) ([]time.Duration, error) {
			return bench.PingPong(im, latencyCap, n)
		}, &res.PingPong, &res.PingPongRoundTrips},
	} {
		pooled := make([][]time.Duration, len(impls))
		lats := make([]report.Latency, len(impls))
		for i, im := range impls {
			lats[i].Impl = im.Name
			warm := max(cfg.latSamples/10, 1)
			steps = append(steps, step{fmt.Sprintf("%s impl=%s warm-up", kind.name, im.Name), time.Duration(warm) * kind.per, func() error {
				_, err := kind.measure(im, warm)
				return err
			}})
		}
		probeStep := step{kind.name + " cache-line probe", probeCost, func() error {
			*kind.probes = append(*kind.probes, probe(cfg, res))
			return nil
		}}
		for rep := 1; rep <= cfg.reps; rep++ {
			steps = append(steps, probeStep)
			for i, im := range impls {
				steps = append(steps, step{fmt.Sprintf("%s impl=%s rep %d/%d", kind.name, im.Name, rep, cfg.reps),
					time.Duration(cfg.latSamples) * kind.per, func() error {
						lat, err := kind.measure(im, cfg.latSamples)
						if err != nil {
							return err
						}
						h := hrtime.NewDurationHistogram(lat, &hrtime.HistogramOptions{BinCount: 1})
						lats[i].RepP50 = append(lats[i].RepP50, h.P50)
						lats[i].RepP99 = append(lats[i].RepP99, h.P99)
						pooled[i] = append(pooled[i], lat...)
						return nil
					}})
			}
		}
		steps = append(steps, probeStep, step{kind.name + " histograms", 0, func() error {
			for i := range lats {
				fillLatency(&lats[i], pooled[i])
			}
			*kind.out = lats
			return nil
		}})
	}
	return steps
}

// fillLatency sets l's percentiles from all its samples with hrtime's
// histogram, and its log-binned histogram.
func fillLatency(l *report.Latency, lat []time.Duration) {
	h := hrtime.NewDurationHistogram(lat, &hrtime.HistogramOptions{BinCount: 1})
	l.Samples = len(lat)
	l.Mean, l.P50, l.P90, l.P99, l.P999, l.Max = h.Average, h.P50, h.P90, h.P99, h.P999, h.Maximum
	ns := make([]float64, len(lat))
	for i, d := range lat {
		ns[i] = float64(d)
	}
	l.Bins = report.LogBins(ns)
}

// idleSettle is how long a consumer waits before its idle window opens,
// to get through its spinning and yielding.
const idleSettle = 20 * time.Millisecond

// idleSteps returns the idle-cost steps, the process with no consumer
// first.
func idleSteps(cfg config, impls []*bench.Impl, res *report.Result) []step {
	impls = append([]*bench.Impl{nil}, latencyImpls(impls)...)
	res.Idle = make([]report.Idle, len(impls))
	var steps []step
	for rep := 1; rep <= cfg.idleReps; rep++ {
		for i, im := range impls {
			name := report.IdleFloor
			if im != nil {
				name = im.Name
			}
			res.Idle[i].Impl = name
			steps = append(steps, step{fmt.Sprintf("idle impl=%s rep %d/%d", name, rep, cfg.idleReps), idleSettle + cfg.idle, func() error {
				cpu, err := bench.IdleCPU(im, idleSettle, cfg.idle)
				res.Idle[i].CPUPerSec = append(res.Idle[i].CPUPerSec, cpu.Seconds()/cfg.idle.Seconds())
				return err
			}})
		}
	}
	return steps
}

// semaphoreSteps returns the semaphore steps: per case, a warm-up that sets
// the operation count of each semaphore, then interleaved repetitions.
func semaphoreSteps(cfg config, sems []*bench.SemImpl, res *report.Result) []step {
	var steps []step
	for _, sc := range bench.SemCases {
		first := len(res.Semaphore)
		for _, si := range sems {
			res.Semaphore = append(res.Semaphore, report.SemCell{Impl: si.Name, G: sc.G, Limit: sc.Limit})
		}
		counts := make([]int, len(sems))
		for i, si := range sems {
			run := func(n int) (bench.Run, error) { return bench.SemaphoreLoop(si, sc.Limit, sc.G, n), nil }
			steps = append(steps, step{fmt.Sprintf("semaphore impl=%s %v warm-up", si.Name, sc), cfg.runTime, func() error {
				if cfg.fixed > 0 {
					counts[i] = cfg.fixed
					return nil
				}
				n, err := calibrate(run, cfg.runTime, 256*sc.G)
				counts[i] = n
				return err
			}})
		}
		for rep := 1; rep <= cfg.reps; rep++ {
			for i, si := range sems {
				steps = append(steps, step{fmt.Sprintf("semaphore impl=%s %v rep %d/%d", si.Name, sc, rep, cfg.reps), cfg.runTime, func() error {
					r := bench.SemaphoreLoop(si, sc.Limit, sc.G, counts[i])
					c := &res.Semaphore[first+i]
					c.Samples = append(c.Samples, sample(r))
					return nil
				}})
			}
		}
	}
	return steps
}
