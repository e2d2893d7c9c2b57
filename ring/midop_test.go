package ring_test

import (
	"context"
	"testing"
	"time"

	"github.com/ringq/ringq/ring"
)

// A peer in the middle of its operation does not make a queue full or
// empty. These tests stall one peer between its claim and its publish (or
// release), finish it from another goroutine after a while, and check that
// the calls that promise not to fail spuriously wait for it: the Try
// methods, and a Context method whose context is already done, which makes
// one last strict attempt.

const stall = 20 * time.Millisecond

func TestWaitsForProducerMidEnqueue(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name    string
		dequeue func(q *ring.MPMC[int]) (int, bool)
	}{
		{"TryDequeue", func(q *ring.MPMC[int]) (int, bool) { return q.TryDequeue() }},
		{"DequeueContext(done)", func(q *ring.MPMC[int]) (int, bool) {
			v, err := q.DequeueContext(done)
			return v, err == nil
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := ring.NewMPMC[int](4)
			finish := ring.StallEnqueue(q)
			go func() {
				time.Sleep(stall)
				finish(42)
			}()
			if v, ok := c.dequeue(q); v != 42 || !ok {
				t.Fatalf("%s with a producer mid-enqueue = (%d, %v), want (42, true)", c.name, v, ok)
			}
		})
	}
}

func TestWaitsForConsumerMidDequeue(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name    string
		enqueue func(q *ring.MPMC[int], v int) bool
	}{
		{"TryEnqueue", func(q *ring.MPMC[int], v int) bool { return q.TryEnqueue(v) }},
		{"EnqueueContext(done)", func(q *ring.MPMC[int], v int) bool { return q.EnqueueContext(done, v) == nil }},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := ring.NewMPMC[int](1)
			if !q.TryEnqueue(1) {
				t.Fatal("TryEnqueue on an empty queue failed")
			}
			v, finish := ring.StallDequeue(q)
			if v != 1 {
				t.Fatalf("StallDequeue took %d, want 1", v)
			}
			go func() {
				time.Sleep(stall)
				finish()
			}()
			if !c.enqueue(q, 2) {
				t.Fatalf("%s with a consumer mid-dequeue failed", c.name)
			}
			if v, ok := q.TryDequeue(); v != 2 || !ok {
				t.Fatalf("TryDequeue = (%d, %v), want (2, true)", v, ok)
			}
		})
	}
}
