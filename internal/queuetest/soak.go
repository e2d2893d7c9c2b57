package queuetest

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// soakRound is how many items one round of a soak moves; each round is
// checked in full, so memory stays bounded however long the soak.
const soakRound = 1 << 20

// testSoak moves RINGQ_SOAK items through each shape of producers and
// consumers, split across the modes and two capacities, in rounds that
// are each checked like a stress run. The Try rounds reuse one queue, so
// that it lives long.
func testSoak(t *testing.T, f Factory) {
	env := os.Getenv("RINGQ_SOAK")
	if env == "" {
		t.Skip("set RINGQ_SOAK=<items>, such as 1e9, to move that many items through each shape")
	}
	total, err := strconv.ParseFloat(env, 64)
	if err != nil || total < 1 || total > 1<<50 {
		t.Fatalf("RINGQ_SOAK=%q: want a number of items, such as 1e9", env)
	}
	modes := []mode{modeTry, modeBlocking, modeMixed}
	if _, ok := f.New(1).(BatchQueue[uint64]); ok {
		modes = append(modes, modeBatch)
	}
	report := func(format string, args ...any) {
		t.Logf(format, args...)
		fmt.Printf("soak %s: "+format+"\n", append([]any{t.Name()}, args...)...)
	}
	for _, s := range shapes(f) {
		for _, m := range modes {
			for _, c := range []int{16, 1024} {
				t.Run(fmt.Sprintf("%v/%v/cap=%d", s, m, c), func(t *testing.T) {
					items := int64(total) / int64(len(modes)*2)
					began := time.Now()
					q := f.New(c)
					rounds, moved := 0, int64(0)
					for ; moved < items; rounds++ {
						n := min(items-moved, soakRound)
						if m != modeTry && rounds > 0 {
							q = f.New(c) // the last round closed it
						}
						cfg := stressConfig{shape: s, perProducer: max(int(n)/s.p, 1), mode: m, seed: uint64(rounds)}
						if err := stress(q, cfg); err != nil {
							t.Fatalf("round %d: %v", rounds, err)
						}
						moved += int64(cfg.perProducer * s.p)
					}
					d := time.Since(began)
					report("%v %v cap=%d: %d items in %d rounds, each exactly once and in producer order, Len within [0, Cap]; %v (%.0f ns/item)",
						s, m, c, moved, rounds, d.Round(time.Millisecond), float64(d.Nanoseconds())/float64(items))
				})
			}
		}
	}
}
