package bench_test

import (
	"testing"

	"github.com/Workiva/go-datastructures/queue"
)

// TestWorkivaCapacityOne records a defect of the peer that the adapter
// stress test found: a RingBuffer of capacity 1 (a Vyukov queue of one slot)
// accepts a second item before the first is taken, overwriting it, and a
// consumer then waits forever. The harness therefore never gives it less
// than 16, and BENCHMARKS.md says so. If this test fails, the peer was
// fixed: drop the note.
func TestWorkivaCapacityOne(t *testing.T) {
	rb := queue.NewRingBuffer(1)
	ok1, _ := rb.Offer(uint64(1))
	ok2, _ := rb.Offer(uint64(2))
	if !ok1 || !ok2 || rb.Len() != 2 || rb.Cap() != 1 {
		t.Fatalf("Offer, Offer = %v, %v; Len %d, Cap %d: the capacity-1 defect is gone", ok1, ok2, rb.Len(), rb.Cap())
	}
}
