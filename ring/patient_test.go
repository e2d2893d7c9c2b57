package ring

import (
	"testing"
	"time"

	"github.com/ringq/ringq/internal/wait"
)

// parked waits until e has n parked goroutines.
func parked(t *testing.T, e *wait.Event, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); e.Waiters() != n; time.Sleep(100 * time.Microsecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines parked, want %d", e.Waiters(), n)
		}
	}
}

// TestSPSCPatience checks when a side of an SPSC waits patiently (see
// await): after a wait that found several items or free slots at once,
// and not after one that found a single one, nor in a ring of fewer than
// minPatientCap slots.
func TestSPSCPatience(t *testing.T) {
	t.Run("consumer", func(t *testing.T) {
		q := NewSPSC[int](minPatientCap)
		got := make(chan int)
		dequeue := func() {
			v, err := q.Dequeue()
			if err != nil {
				t.Error(err)
			}
			got <- v
		}

		go dequeue()
		parked(t, &q.lamport.notEmpty, 1)
		q.TryEnqueueBatch([]int{1, 2, 3}) // one publish: the wait ends with three items
		if v := <-got; v != 1 {
			t.Fatalf("dequeued %d, want 1", v)
		}
		if q.lamport.cons.patience == 0 {
			t.Error("a wait that found three items left the consumer impatient")
		}

		for want := 2; want <= 3; want++ { // from the consumer's view: no wait
			if v, ok := q.TryDequeue(); !ok || v != want {
				t.Fatalf("TryDequeue = %d, %t; want %d", v, ok, want)
			}
		}
		go dequeue()
		parked(t, &q.lamport.notEmpty, 1)
		q.TryEnqueue(4) // the wait ends with one item
		if v := <-got; v != 4 {
			t.Fatalf("dequeued %d, want 4", v)
		}
		if q.lamport.cons.patience != 0 {
			t.Error("a wait that found one item left the consumer patient")
		}
	})

	t.Run("producer", func(t *testing.T) {
		q := NewSPSC[int](minPatientCap)
		for i := range q.Cap() {
			q.TryEnqueue(i)
		}
		added := make(chan struct{})
		enqueue := func(v int) {
			if err := q.Enqueue(v); err != nil {
				t.Error(err)
			}
			added <- struct{}{}
		}

		go enqueue(4)
		parked(t, &q.lamport.notFull, 1)
		q.TryDequeueBatch(make([]int, 3)) // one release: the wait ends with three free slots
		<-added
		if q.lamport.prod.patience == 0 {
			t.Error("a wait that found three free slots left the producer impatient")
		}

		for v := 5; v <= 6; v++ { // fills the two slots left: no wait
			if !q.TryEnqueue(v) {
				t.Fatalf("TryEnqueue(%d) found the queue full", v)
			}
		}
		go enqueue(7)
		parked(t, &q.lamport.notFull, 1)
		q.TryDequeue() // the wait ends with one free slot
		<-added
		if q.lamport.prod.patience != 0 {
			t.Error("a wait that found one free slot left the producer patient")
		}
	})
	// A smaller ring fills or drains before a patient round is over, and
	// then both sides would wait: its sides never wait patiently.
	t.Run("small ring", func(t *testing.T) {
		q := newLamportAt[int](minPatientCap/2, 0, nil) // NewSPSC builds none so small
		done := make(chan struct{})
		go func() {
			if _, err := q.Dequeue(); err != nil {
				t.Error(err)
			}
			close(done)
		}()
		parked(t, &q.lamport.notEmpty, 1)
		q.TryEnqueueBatch([]int{1, 2, 3})
		<-done
		if q.lamport.cons.patience != 0 {
			t.Errorf("a wait that found three items in a ring of %d slots left the consumer patient", q.Cap())
		}
	})
}

// TestLearnPatience checks how a side learns its patience (view.learn):
// more while its reads find at most half the ring, up to maxPatience; less
// when one finds more, down to 1; none for the next wait after one that
// found a single item, without forgetting what it learnt.
func TestLearnPatience(t *testing.T) {
	v := view{half: 16, level: firstPatience}
	learn := func(found, level, patience int) {
		t.Helper()
		v.found = found
		v.learn()
		if v.level != level || v.patience != patience {
			t.Fatalf("after finding %d: level %d, patience %d; want %d, %d", found, v.level, v.patience, level, patience)
		}
	}
	learn(2, firstPatience+1, firstPatience+1)
	for l := firstPatience + 2; l <= maxPatience; l++ {
		learn(16, l, l)
	}
	learn(16, maxPatience, maxPatience)
	learn(1, maxPatience, 0)
	learn(17, maxPatience-1, maxPatience-1)
	for l := maxPatience - 2; l >= 1; l-- {
		learn(32, l, l)
	}
	learn(32, 1, 1)
	learn(3, 2, 2)
}
