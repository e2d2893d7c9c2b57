package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteSummary writes r's summary, the same plain words as its section of
// BENCHMARKS.md, to w: ringbench prints it when a run ends.
func WriteSummary(w io.Writer, r *Result) error {
	var b strings.Builder
	writeSummary(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSummary writes the generated plain-words summary: for each shape,
// ringq's fastest queue against chan and against the fastest peer; a tally
// over every workload of the run; then latency, idle cost and semaphores.
// Every sentence is computed from r: a difference whose min–max spreads
// overlap is called a tie, not a win. Why the numbers come out as they do is
// the hand-written method's part.
func writeSummary(b *strings.Builder, r *Result) {
	origin := map[string]string{}
	batch := map[string]bool{}
	for _, im := range r.Impls {
		origin[im.Name] = im.Origin
		batch[im.Name] = im.Batch > 0
	}
	idx := indexCells(r.Throughput)
	pick := func(rows []row, keep func(*Cell) bool) *Cell {
		var kept []row
		for _, rw := range rows {
			if keep(rw.cell) {
				kept = append(kept, rw)
			}
		}
		return fastest(kept)
	}
	ringq := func(c *Cell) bool { return origin[c.Impl] == "ringq" }
	single := func(c *Cell) bool { return ringq(c) && !batch[c.Impl] }
	peer := func(c *Cell) bool { return origin[c.Impl] == "peer" }
	base := func(c *Cell) bool { return c.Impl == Baseline }
	desc := func(c *Cell) string {
		return fmt.Sprintf("%s %s ns/item (%s CPU ns)", c.Impl, fmtNs(c.NsPerItem().Median), fmtNs(c.CPUNsPerItem().Median))
	}

	if len(r.Throughput) > 0 {
		fmt.Fprintf(b, "Throughput at cap %d with %s items, shape by shape (ns/item is the median; CPU ns counts all threads):\n\n",
			RefCap, itemWords(RefItem))
	}
	for _, sh := range shapesOf(r.Throughput) {
		rows := rowsOf(r, idx, func(name string) cellKey { return cellKey{name, sh[0], sh[1], RefCap, RefItem, 0} })
		best, one, bp, ch := pick(rows, ringq), pick(rows, single), pick(rows, peer), pick(rows, base)
		if best == nil {
			continue
		}
		fmt.Fprintf(b, "- **P=%d C=%d**: ringq's fastest is %s", sh[0], sh[1], desc(best))
		if ch != nil {
			fmt.Fprintf(b, ", %s %s (%s ns/item)", fmtRatio(ratio(idx, best)), Baseline, fmtNs(ch.NsPerItem().Median))
		}
		b.WriteString(".")
		if one != nil && bp != nil {
			fmt.Fprintf(b, " One item at a time, %s against the fastest peer, %s: %s.", desc(one), desc(bp), verdict(one, bp))
		}
		b.WriteString("\n")
	}

	// The tally: every workload of the run, single-item ringq against the
	// peers, and ringq's fastest against the baseline.
	workloads := map[cellKey][]row{}
	var order []cellKey
	for i := range r.Throughput {
		c := &r.Throughput[i]
		k := keyOf(c)
		k.impl = ""
		if _, ok := workloads[k]; !ok {
			order = append(order, k)
		}
		workloads[k] = append(workloads[k], row{c, ratio(idx, c)})
	}
	var ahead, behind, tied, beatChan, withChan int
	var losses []string
	for _, k := range order {
		rows := workloads[k]
		if best, ch := pick(rows, ringq), pick(rows, base); best != nil && ch != nil {
			withChan++
			if best.NsPerItem().Max < ch.NsPerItem().Min {
				beatChan++
			}
		}
		one, bp := pick(rows, single), pick(rows, peer)
		if one == nil || bp == nil {
			continue
		}
		switch a, p := one.NsPerItem(), bp.NsPerItem(); {
		case a.Overlaps(p):
			tied++
		case a.Median < p.Median:
			ahead++
		default:
			behind++
			losses = append(losses, fmt.Sprintf("%s (%s %s, %s %s)", one.Workload(), bp.Impl, fmtNs(p.Median), one.Impl, fmtNs(a.Median)))
		}
	}
	if withChan > 0 {
		fmt.Fprintf(b, "\nOver all %d workloads of this run, ringq's fastest queue is faster than %s, beyond the spread of the repetitions, in %d.",
			withChan, Baseline, beatChan)
		if n := ahead + behind + tied; n > 0 {
			fmt.Fprintf(b, " One item at a time, against the fastest peer of each workload, ringq is ahead in %d, behind in %d, and tied (spreads overlap) in %d of %d.",
				ahead, behind, tied, n)
		}
		b.WriteString("\n")
		if len(losses) > 0 {
			const most = 8
			b.WriteString("\nWhere a peer is ahead of every single-item ringq queue: ")
			b.WriteString(strings.Join(losses[:min(len(losses), most)], "; "))
			if len(losses) > most {
				fmt.Fprintf(b, "; and %d more (see the tables)", len(losses)-most)
			}
			b.WriteString(".\n")
		}
	}

	b.WriteString("\n")
	for _, l := range []struct {
		name string
		lat  []Latency
	}{{"Hand-off latency", r.Handoff}, {"Ping-pong round trip", r.PingPong}} {
		if len(l.lat) == 0 {
			continue
		}
		lo50, lo99 := &l.lat[0], &l.lat[0]
		var ch *Latency
		for i := range l.lat {
			x := &l.lat[i]
			if x.P50 < lo50.P50 {
				lo50 = x
			}
			if x.P99 < lo99.P99 {
				lo99 = x
			}
			if x.Impl == Baseline {
				ch = x
			}
		}
		fmt.Fprintf(b, "- %s: lowest p50 %s (%s), lowest p99 %s (%s)", l.name, lo50.Impl, fmtDur(lo50.P50), lo99.Impl, fmtDur(lo99.P99))
		if ch != nil {
			fmt.Fprintf(b, "; %s: p50 %s, p99 %s", Baseline, fmtDur(ch.P50), fmtDur(ch.P99))
		}
		b.WriteString(".\n")
	}
	if len(r.Idle) > 0 {
		floor := 0.0
		var busy, some, quiet []string
		for i := range r.Idle {
			if r.Idle[i].Impl == IdleFloor {
				floor = r.Idle[i].Stat().Median
			}
		}
		for i := range r.Idle {
			idle := &r.Idle[i]
			if idle.Impl == IdleFloor {
				continue
			}
			switch v := idle.Stat().Median; {
			case v >= 0.5:
				busy = append(busy, fmt.Sprintf("%s (%.2f)", idle.Impl, v))
			case v-floor < 0.02:
				quiet = append(quiet, idle.Impl)
			default:
				some = append(some, fmt.Sprintf("%s (%.2f)", idle.Impl, v))
			}
		}
		var parts []string
		if len(busy) > 0 {
			parts = append(parts, fmt.Sprintf("%s keep at least half a core busy (CPU s/s)", strings.Join(busy, ", ")))
		}
		if len(some) > 0 {
			parts = append(parts, fmt.Sprintf("%s use between 0.02 CPU s/s above the process's own and half a core", strings.Join(some, ", ")))
		}
		if len(quiet) > 0 {
			parts = append(parts, fmt.Sprintf("%s cost less than 0.02 CPU s/s above the process's own %.3f", strings.Join(quiet, ", "), floor))
		}
		fmt.Fprintf(b, "- Idle, waiting on an empty queue: %s.\n", strings.Join(parts, "; "))
	}
	cases := map[[2]int][]*SemCell{}
	var caseOrder [][2]int
	for i := range r.Semaphore {
		c := &r.Semaphore[i]
		k := [2]int{c.G, c.Limit}
		if cases[k] == nil {
			caseOrder = append(caseOrder, k)
		}
		cases[k] = append(cases[k], c)
	}
	for _, k := range caseOrder {
		fmt.Fprintf(b, "- Semaphore, %d goroutine(s) on %d unit(s):", k[0], k[1])
		for i, c := range cases[k] {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(b, "%s %s %s ns/op", sep, c.Impl, fmtNs(c.NsPerOp().Median))
		}
		b.WriteString(".\n")
	}
}

// verdict compares a's ns/item with b's: "ringq ahead, 1.52×", "ringq
// behind, 0.80×", or a tie where the spreads overlap.
func verdict(a, b *Cell) string {
	as, bs := a.NsPerItem(), b.NsPerItem()
	x := bs.Median / as.Median
	switch {
	case as.Overlaps(bs):
		return fmt.Sprintf("a tie, the spreads overlap (%s)", fmtRatio(x))
	case x > 1:
		return fmt.Sprintf("ringq ahead, %s", fmtRatio(x))
	}
	return fmt.Sprintf("ringq behind, %s", fmtRatio(x))
}
