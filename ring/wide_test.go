package ring_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ringq/ringq/internal/queuetest"
	"github.com/ringq/ringq/ring"
)

// wide is a 64-byte item: large enough that the Vyukov rings pad its
// slots and that every ring moves it in two steps (see bigItem), so that
// the conformance suite covers the padded layout and those steps too.
type wide struct {
	n uint64
	_ [7]uint64
}

// wideQueue presents a ring of wide items as a queuetest.Queue[uint64].
type wideQueue struct {
	q interface {
		TryEnqueue(wide) bool
		TryDequeue() (wide, bool)
		EnqueueContext(context.Context, wide) error
		DequeueContext(context.Context) (wide, error)
		Close()
		Len() int
		Cap() int
	}
}

func (w wideQueue) TryEnqueue(v uint64) bool { return w.q.TryEnqueue(wide{n: v}) }
func (w wideQueue) TryDequeue() (uint64, bool) {
	v, ok := w.q.TryDequeue()
	return v.n, ok
}
func (w wideQueue) Enqueue(v uint64) error {
	return w.q.EnqueueContext(context.Background(), wide{n: v})
}
func (w wideQueue) Dequeue() (uint64, error) {
	v, err := w.q.DequeueContext(context.Background())
	return v.n, err
}
func (w wideQueue) EnqueueContext(ctx context.Context, v uint64) error {
	return w.q.EnqueueContext(ctx, wide{n: v})
}
func (w wideQueue) DequeueContext(ctx context.Context) (uint64, error) {
	v, err := w.q.DequeueContext(ctx)
	return v.n, err
}
func (w wideQueue) Close()   { w.q.Close() }
func (w wideQueue) Len() int { return w.q.Len() }
func (w wideQueue) Cap() int { return w.q.Cap() }

func TestConformanceWide(t *testing.T) {
	queuetest.Run(t, queuetest.Factory{
		Name:  "MPMC/wide",
		New:   func(n int) queuetest.Queue[uint64] { return wideQueue{ring.NewMPMC[wide](n)} },
		NewAt: func(n int, start uint64) queuetest.Queue[uint64] { return wideQueue{ring.NewMPMCAt[wide](n, start)} },
	})
	queuetest.Run(t, queuetest.Factory{
		Name:           "SPSC/wide",
		New:            func(n int) queuetest.Queue[uint64] { return wideQueue{ring.NewSPSC[wide](n)} },
		NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return wideQueue{ring.NewSPSCAt[wide](n, start)} },
		SingleProducer: true,
		SingleConsumer: true,
	})
	queuetest.Run(t, queuetest.Factory{
		Name:           "MPSC/wide",
		New:            func(n int) queuetest.Queue[uint64] { return wideQueue{ring.NewMPSC[wide](n)} },
		NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return wideQueue{ring.NewMPSCAt[wide](n, start)} },
		SingleConsumer: true,
	})
}

// TestWideBatches checks batches on padded slots: 4 producers and 4
// consumers move every item once, each producer's in order, across many
// laps of a small ring.
func TestWideBatches(t *testing.T) {
	const P, C, per = 4, 4, 20000
	q := ring.NewMPMC[wide](16)
	var wg sync.WaitGroup
	for p := range P {
		wg.Go(func() {
			batch := make([]wide, 7)
			for i := 0; i < per; i += len(batch) {
				k := min(len(batch), per-i)
				for j := range k {
					batch[j] = wide{n: uint64(p)<<32 | uint64(i+j)}
				}
				if n, err := q.EnqueueBatch(batch[:k]); n != k || err != nil {
					t.Errorf("EnqueueBatch = %d, %v", n, err)
					return
				}
			}
		})
	}
	got := make([][]uint64, C)
	var cwg sync.WaitGroup
	for c := range C {
		cwg.Go(func() {
			dst := make([]wide, 5)
			for {
				n, err := q.DequeueBatch(dst)
				if err != nil {
					return
				}
				for _, v := range dst[:n] {
					got[c] = append(got[c], v.n)
				}
			}
		})
	}
	wg.Wait()
	q.Close()
	cwg.Wait()
	seen := make(map[uint64]bool, P*per)
	for _, vs := range got {
		last := make(map[uint64]int64)
		for _, v := range vs {
			if seen[v] {
				t.Fatalf("item %x dequeued twice", v)
			}
			seen[v] = true
			p, i := v>>32, int64(v&0xffffffff)
			if prev, ok := last[p]; ok && i <= prev {
				t.Fatalf("producer %d: item %d after %d", p, i, prev)
			}
			last[p] = i
		}
	}
	if len(seen) != P*per {
		t.Fatalf("%d items dequeued, want %d", len(seen), P*per)
	}
}
