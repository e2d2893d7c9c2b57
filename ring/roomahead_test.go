package ring

import (
	"fmt"
	"testing"
	"time"
)

// TestWaitingProducerTakesOneSlot checks that a producer blocked on a full
// Vyukov ring takes the first slot that is freed, even when no other slot
// follows: its loose attempts wait for room ahead (see roomAhead), but its
// strict ones, once it has spun, must take what there is. Each ring is
// large enough for the wait for room ahead to apply, and holds ints
// (enqueue's path) or 32-byte items (claimSlot's, above bigItem).
func TestWaitingProducerTakesOneSlot(t *testing.T) {
	const capacity = 8 * roomAhead
	type big [4]int64
	wide := func(i int) big { return big{int64(i)} }
	for _, p := range []WaitPolicy{WaitPark, WaitYield} {
		opt := WithWaitPolicy(p)
		for _, tc := range []struct {
			name string
			run  func(t *testing.T)
		}{
			{"MPSC/int", func(t *testing.T) { takesOneSlot(t, NewMPSC[int](capacity, opt), itself) }},
			{"MPMC/int", func(t *testing.T) { takesOneSlot(t, NewMPMC[int](capacity, opt), itself) }},
			{"MPSC/big", func(t *testing.T) { takesOneSlot(t, NewMPSC[big](capacity, opt), wide) }},
			{"MPMC/big", func(t *testing.T) { takesOneSlot(t, NewMPMC[big](capacity, opt), wide) }},
		} {
			t.Run(fmt.Sprintf("%s/%v", tc.name, p), tc.run)
		}
	}
}

func itself(i int) int { return i }

// takesOneSlot fills q with item(0), item(1) and so on, starts an Enqueue
// that finds it full, frees one slot, and checks that the Enqueue returns
// and that every item then comes out in order.
func takesOneSlot[T comparable](t *testing.T, q interface {
	Enqueue(T) error
	TryEnqueue(T) bool
	TryDequeue() (T, bool)
	Cap() int
}, item func(int) T) {
	n := 0
	for q.TryEnqueue(item(n)) {
		n++
	}
	if n != q.Cap() {
		t.Fatalf("took %d items, want %d", n, q.Cap())
	}
	done := make(chan error)
	go func() { done <- q.Enqueue(item(n)) }()
	// Let the producer find the ring full and wait; under WaitPark it may
	// have parked by now or still be spinning, and either must end well.
	time.Sleep(time.Millisecond)
	if v, ok := q.TryDequeue(); !ok || v != item(0) {
		t.Fatalf("TryDequeue() = %v, %t, want %v, true", v, ok, item(0))
	}
	select {
	case err := <-done:
		must(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the producer did not take the one free slot")
	}
	for i := 1; i <= n; i++ {
		if v, ok := q.TryDequeue(); !ok || v != item(i) {
			t.Fatalf("TryDequeue() = %v, %t, want %v, true", v, ok, item(i))
		}
	}
}
