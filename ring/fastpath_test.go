package ring

import (
	"testing"
	"time"

	"github.com/ringq/ringq/internal/wait"
)

// TestFastPathWakes checks that the enqueues and dequeues that put and
// take complete without calling the core wake a goroutine parked on the
// other side. Each ring holds 4 items (the SPSC a Lamport ring, which
// NewSPSC builds only from minLamportCap slots), so slot 0 is the only one
// where an SPSC reaches ahead, and the operation under test is on slot 1:
// an SPSC producer whose view of head shows room, and a consumer whose
// view of tail shows an item, take the written-out path there.
func TestFastPathWakes(t *testing.T) {
	defer wait.ParkAtOnce()()
	type testQueue interface {
		Enqueue(int) error
		Dequeue() (int, error)
		state() *state
	}
	for _, tc := range []struct {
		name string
		new  func() testQueue
	}{
		{"SPSC", func() testQueue { return spscRing{newLamportAt[int](4, 0, nil)} }},
		{"MPSC", func() testQueue { return mpscRing{NewMPSC[int](4)} }},
		{"MPMC", func() testQueue { return mpmcRing{NewMPMC[int](4)} }},
	} {
		t.Run(tc.name+"/consumer", func(t *testing.T) {
			q := tc.new()
			// Move the positions to slot 1; the SPSC producer's view of
			// head stays at 0, which shows room.
			must(t, q.Enqueue(0))
			if _, err := q.Dequeue(); err != nil {
				t.Fatal(err)
			}
			got := make(chan int)
			go func() {
				v, err := q.Dequeue()
				if err != nil {
					t.Error(err)
				}
				got <- v
			}()
			parked(t, &q.state().notEmpty, 1)
			must(t, q.Enqueue(1))
			select {
			case v := <-got:
				if v != 1 {
					t.Fatalf("dequeued %d, want 1", v)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the parked consumer was not woken")
			}
		})
		t.Run(tc.name+"/producer", func(t *testing.T) {
			q := tc.new()
			// Fill the ring and take the item of slot 0, which loads
			// the SPSC consumer's view of tail; then fill slot 0 again.
			for i := range 4 {
				must(t, q.Enqueue(i))
			}
			if _, err := q.Dequeue(); err != nil {
				t.Fatal(err)
			}
			must(t, q.Enqueue(4))
			woke := make(chan error)
			go func() { woke <- q.Enqueue(5) }()
			parked(t, &q.state().notFull, 1)
			if v, err := q.Dequeue(); err != nil || v != 1 {
				t.Fatalf("Dequeue() = %d, %v, want 1, nil", v, err)
			}
			select {
			case err := <-woke:
				must(t, err)
			case <-time.After(10 * time.Second):
				t.Fatal("the parked producer was not woken")
			}
		})
	}
}

type (
	spscRing struct{ *SPSC[int] }
	mpscRing struct{ *MPSC[int] }
	mpmcRing struct{ *MPMC[int] }
)

func (q spscRing) state() *state { return q.s }
func (q mpscRing) state() *state { return &q.c.state }
func (q mpmcRing) state() *state { return &q.c.state }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
