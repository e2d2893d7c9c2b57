package queuetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// wrapStarts returns the positions at which the counters of a queue of
// capacity c start: shortly before the uint64 wraps (by 3c/2, by c-1, by
// 1, at the last value), and before the sign bit and bit 32 flip, where a
// signed or 32-bit comparison would break.
func wrapStarts(c int) []uint64 {
	return []uint64{
		math.MaxUint64 - uint64(3*c/2),
		math.MaxUint64 - uint64(c-1),
		math.MaxUint64 - 1,
		math.MaxUint64,
		1<<63 - uint64(c),
		1<<32 - uint64(c),
	}
}

func testWraparound(t *testing.T, f Factory) {
	if f.NewAt == nil {
		t.Skip("Factory.NewAt is nil: the queue has no position counters to wrap")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range []int{1, 3, 4, 16} {
		for _, start := range wrapStarts(c) {
			t.Run(fmt.Sprintf("cap=%d/start=%#x", c, start), func(t *testing.T) {
				if err := runProgram(f.NewAt(c, start), ops(opTryEnqueue, opFill, opDrain, opFill, opDrain,
					opEnqueue, opTryEnqueue, opDequeue, opFill, opDrain, opFill, opDrain)); err != nil {
					t.Fatalf("laps: %v", err)
				}
				// Random programs long enough to cross the wrap several times.
				for range 4 {
					_, _, _, steps := decodeProgram(randomProgram(rng, 16*c+32))
					steps = slices.DeleteFunc(steps, func(s step) bool { return s.op == opClose })
					steps = append(steps, step{op: opClose}, step{op: opDrain}, step{op: opDequeue})
					if err := runProgram(f.NewAt(c, start), steps); err != nil {
						t.Fatalf("random program: %v", err)
					}
				}
				// Concurrent, across the wrap, with every method.
				for _, m := range []mode{modeTry, modeMixed} {
					q := f.NewAt(c, start)
					s := fit(f, shape{4, 4})
					cfg := stressConfig{shape: s, perProducer: max(16*q.Cap()/s.p, 8), mode: m, seed: start}
					if err := stress(q, cfg); err != nil {
						t.Fatalf("stress: %v", err)
					}
				}
			})
		}
	}
}
