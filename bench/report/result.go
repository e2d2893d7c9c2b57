package report

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
)

// Baseline is the name of the implementation that every "× chan" ratio is
// taken against.
const Baseline = "chan"

// The reference configuration: the capacity and item type of the per-shape
// tables and of the charts.
const (
	RefCap  = 1024
	RefItem = "8B"
)

// Result is one ringbench run on one machine.
type Result struct {
	Machine Machine `json:"machine"`
	// Mode is "quick", "full" or "smoke"; Reps the interleaved repetitions
	// of each measurement, and RunTime the length aimed at for each timed
	// throughput run.
	Mode    string `json:"mode"`
	Reps    int    `json:"reps"`
	RunTime string `json:"run_time"`
	// Command is the command line that produced the result.
	Command string `json:"command"`
	// WallSeconds is how long the whole run took.
	WallSeconds float64 `json:"wall_seconds"`

	Impls      []Impl    `json:"impls"`
	Throughput []Cell    `json:"throughput"`
	Scaling    []Cell    `json:"scaling,omitempty"`
	Handoff    []Latency `json:"handoff,omitempty"`
	PingPong   []Latency `json:"ping_pong,omitempty"`
	// HandoffGap is the pause between items of the hand-off measurement.
	HandoffGap string `json:"handoff_gap,omitempty"`
	// HandoffRoundTrips and PingPongRoundTrips hold the cache-line round
	// trip (as Machine.LineRoundTrip) probed before each repetition of the
	// hand-off and the ping-pong measurements and after the last. Their
	// repetitions take seconds, well inside the interval of the run's
	// other probes, and on a machine with phases each repetition's
	// percentiles follow the phase it ran in: on ringq's 2-core EPYC, a
	// full run whose 15 probes all found the fast phase measured a
	// ping-pong whose spinning queues took times like the slow phase's.
	HandoffRoundTrips  []float64 `json:"handoff_line_round_trip_ns,omitempty"`
	PingPongRoundTrips []float64 `json:"ping_pong_line_round_trip_ns,omitempty"`
	Idle               []Idle    `json:"idle,omitempty"`
	Semaphore          []SemCell `json:"semaphore,omitempty"`
}

// Machine is the header of a result: where it ran.
type Machine struct {
	// Name labels the machine's section, e.g. "2-core AMD EPYC (KVM)".
	Name       string `json:"name"`
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	// Date is when the run started, in RFC 3339.
	Date string `json:"date"`
	// LineRoundTrip is bench.LineRoundTrip in nanoseconds, measured before
	// and after the run: how dear a hand-off between cores was then.
	LineRoundTrip [2]float64 `json:"line_round_trip_ns,omitzero"`
	// LineRoundTripDuring holds the same measure, probed at intervals
	// during the run: a host that moves the virtual CPUs mid-run shows here.
	LineRoundTripDuring []float64 `json:"line_round_trip_during_ns,omitempty"`
}

// PhaseChange is how far apart, as a factor, two cache-line round trips of
// one run may lie before the report says the machine changed phase: on
// the 2-core development machine, the two phases measured 49-71 ns and
// 330-360 ns, and the single-item figures followed them.
const PhaseChange = 2

// RoundTrips returns the lowest and highest cache-line round trip measured
// before, during and after the run, or zeros if none was.
func (m Machine) RoundTrips() (lo, hi float64) {
	all := m.LineRoundTripDuring
	if m.LineRoundTrip != [2]float64{} {
		all = append(slices.Clip(all), m.LineRoundTrip[:]...)
	}
	if len(all) == 0 {
		return 0, 0
	}
	return slices.Min(all), slices.Max(all)
}

// Slug returns the machine's name as a directory name: lower case letters,
// digits and dashes.
func (m Machine) Slug() string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(m.Name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Impl describes one implementation, as the harness knows it.
type Impl struct {
	Name string `json:"name"`
	// Origin is "baseline", "ringq" or "peer".
	Origin string `json:"origin"`
	// Batch is the batch size it is driven with; 0 for single items.
	Batch int    `json:"batch,omitempty"`
	Waits string `json:"waits"`
	Note  string `json:"note,omitempty"`
}

// Sample is one timed run.
type Sample struct {
	Items        int     `json:"items"`
	NsPerItem    float64 `json:"ns_per_item"`
	CPUNsPerItem float64 `json:"cpu_ns_per_item"`
}

// Cell is one implementation on one workload, with one sample per
// repetition.
type Cell struct {
	Impl string `json:"impl"`
	P    int    `json:"p"`
	C    int    `json:"c"`
	Cap  int    `json:"cap"`
	Item string `json:"item"`
	// GOMAXPROCS is set for the cells of the scaling run.
	GOMAXPROCS int      `json:"gomaxprocs,omitempty"`
	Samples    []Sample `json:"samples"`
	// RoundTrips is the cache-line round trip (as Machine.LineRoundTrip)
	// probed just before the cell's workload, warm-ups and repetitions of
	// every implementation, and just after it: on a machine with phases,
	// the phase the cell's figures were measured in. Zero in runs made
	// before the field was added, on 2026-11-28.
	RoundTrips [2]float64 `json:"line_round_trip_ns,omitzero"`
}

// Workload returns the cell's workload as it appears in benchmark names,
// without the implementation: "P=4/C=4/cap=1024/item=8B".
func (c *Cell) Workload() string {
	return fmt.Sprintf("P=%d/C=%d/cap=%d/item=%s", c.P, c.C, c.Cap, c.Item)
}

// NsPerItem returns the median, minimum and maximum ns per item.
func (c *Cell) NsPerItem() Stat {
	return statOf(c.Samples, func(s Sample) float64 { return s.NsPerItem })
}

// CPUNsPerItem returns the median, minimum and maximum CPU ns per item.
func (c *Cell) CPUNsPerItem() Stat {
	return statOf(c.Samples, func(s Sample) float64 { return s.CPUNsPerItem })
}

// Latency is one implementation's latency distribution, pooled over the
// repetitions; all times in nanoseconds.
type Latency struct {
	Impl    string  `json:"impl"`
	Samples int     `json:"samples"`
	Mean    float64 `json:"mean"`
	P50     float64 `json:"p50"`
	P90     float64 `json:"p90"`
	P99     float64 `json:"p99"`
	P999    float64 `json:"p999"`
	Max     float64 `json:"max"`
	// RepP50 and RepP99 are each repetition's own p50 and p99: their
	// spread shows how far one repetition can be trusted.
	RepP50 []float64 `json:"rep_p50"`
	RepP99 []float64 `json:"rep_p99"`
	// Bins is the histogram of the pooled samples, in LogBins.
	Bins []Bin `json:"bins"`
}

// Bin is one bar of a histogram: Count samples of at least Start and less
// than End nanoseconds.
type Bin struct {
	Start float64 `json:"start"`
	End   float64 `json:"end"`
	Count int     `json:"count"`
}

// binsPerDecade is the resolution of LogBins.
const binsPerDecade = 8

// LogBins returns the histogram of latencies ns in bins of equal width on a
// log scale, eight to a factor of ten, with edges at 10^(k/8) ns for whole
// k, so that histograms of different queues share their edges. Latencies
// spread over orders of magnitude: linear bins would crush the body into
// one bar whenever the tail reaches milliseconds. Bins run from the one
// holding the smallest sample to the one holding the largest; latencies
// under 1 ns count as 1 ns.
func LogBins(ns []float64) []Bin {
	if len(ns) == 0 {
		return nil
	}
	index := func(v float64) int { return int(math.Floor(math.Log10(max(v, 1)) * binsPerDecade)) }
	lo, hi := index(ns[0]), index(ns[0])
	for _, v := range ns {
		lo, hi = min(lo, index(v)), max(hi, index(v))
	}
	bins := make([]Bin, hi-lo+1)
	for i := range bins {
		bins[i].Start = math.Pow(10, float64(lo+i)/binsPerDecade)
		bins[i].End = math.Pow(10, float64(lo+i+1)/binsPerDecade)
	}
	for _, v := range ns {
		bins[index(v)-lo].Count++
	}
	return bins
}

// Idle is the CPU that the process used while one consumer of Impl waited
// on an empty queue, in CPU seconds per second, one value per repetition.
// The Impl IdleFloor is the process with no consumer.
type Idle struct {
	Impl      string    `json:"impl"`
	CPUPerSec []float64 `json:"cpu_per_sec"`
}

// IdleFloor names the idle measurement of the process with no consumer.
const IdleFloor = "(no consumer)"

// Stat returns the median and spread of the idle figures.
func (i *Idle) Stat() Stat { return statOf(i.CPUPerSec, func(v float64) float64 { return v }) }

// SemCell is one semaphore on one workload: G goroutines on Limit units.
type SemCell struct {
	Impl    string   `json:"impl"`
	G       int      `json:"g"`
	Limit   int      `json:"limit"`
	Samples []Sample `json:"samples"`
}

// NsPerOp returns the median, minimum and maximum ns per acquire-release.
func (c *SemCell) NsPerOp() Stat {
	return statOf(c.Samples, func(s Sample) float64 { return s.NsPerItem })
}

// Stat is a median with the minimum and maximum it was taken from.
type Stat struct {
	Median, Min, Max float64
	N                int
}

// statOf returns the median, minimum and maximum of f over xs; the median
// of an even count is the mean of the middle two.
func statOf[S any](xs []S, f func(S) float64) Stat {
	if len(xs) == 0 {
		return Stat{}
	}
	vs := make([]float64, len(xs))
	for i, x := range xs {
		vs[i] = f(x)
	}
	slices.Sort(vs)
	n := len(vs)
	med := vs[n/2]
	if n%2 == 0 {
		med = (vs[n/2-1] + vs[n/2]) / 2
	}
	return Stat{Median: med, Min: vs[0], Max: vs[n-1], N: n}
}

// Overlaps reports whether the min–max spreads of s and t overlap: whether
// a difference between their medians could be noise.
func (s Stat) Overlaps(t Stat) bool { return s.Min <= t.Max && t.Min <= s.Max }

// Load reads a result written by Save.
func Load(path string) (*Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := new(Result)
	if err := json.Unmarshal(data, r); err != nil {
		return nil, fmt.Errorf("report: %s: %w", path, err)
	}
	return r, nil
}

// Save writes r as indented JSON to path.
func (r *Result) Save(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// impl returns the description of the implementation of that name.
func (r *Result) impl(name string) Impl {
	for _, im := range r.Impls {
		if im.Name == name {
			return im
		}
	}
	return Impl{Name: name}
}
