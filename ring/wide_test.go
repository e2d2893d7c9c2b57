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

// mid is a 16-byte item, the size of a string or an interface: its
// 24-byte Vyukov slots are not padded, so that slots share lines and one
// in four straddles two.
type mid struct {
	n uint64
	_ uint64
}

// item is what uintQueue carries: an item that holds a uint64.
type item interface{ wide | mid }

func wrap[W item](v uint64) W {
	var w W
	switch p := any(&w).(type) {
	case *wide:
		p.n = v
	case *mid:
		p.n = v
	}
	return w
}

func unwrap[W item](w W) uint64 {
	switch v := any(w).(type) {
	case wide:
		return v.n
	case mid:
		return v.n
	}
	panic("unreachable")
}

// uintQueue presents a ring of W items as a queuetest.Queue[uint64].
type uintQueue[W item] struct {
	q interface {
		TryEnqueue(W) bool
		TryDequeue() (W, bool)
		EnqueueContext(context.Context, W) error
		DequeueContext(context.Context) (W, error)
		Close()
		Len() int
		Cap() int
	}
}

func (w uintQueue[W]) TryEnqueue(v uint64) bool { return w.q.TryEnqueue(wrap[W](v)) }
func (w uintQueue[W]) TryDequeue() (uint64, bool) {
	v, ok := w.q.TryDequeue()
	return unwrap(v), ok
}
func (w uintQueue[W]) Enqueue(v uint64) error {
	return w.q.EnqueueContext(context.Background(), wrap[W](v))
}
func (w uintQueue[W]) Dequeue() (uint64, error) {
	v, err := w.q.DequeueContext(context.Background())
	return unwrap(v), err
}
func (w uintQueue[W]) EnqueueContext(ctx context.Context, v uint64) error {
	return w.q.EnqueueContext(ctx, wrap[W](v))
}
func (w uintQueue[W]) DequeueContext(ctx context.Context) (uint64, error) {
	v, err := w.q.DequeueContext(ctx)
	return unwrap(v), err
}
func (w uintQueue[W]) Close()   { w.q.Close() }
func (w uintQueue[W]) Len() int { return w.q.Len() }
func (w uintQueue[W]) Cap() int { return w.q.Cap() }

// TestConformanceWide runs the conformance suite on rings of wide items,
// whose Vyukov slots are padded, and of mid items, whose slots are not.
func TestConformanceWide(t *testing.T) {
	conformItems[wide](t, "wide")
	conformItems[mid](t, "mid")
}

// conformItems runs the conformance suite on each ring of W items, and on
// an SPSC that is a Lamport ring at every capacity.
func conformItems[W item](t *testing.T, name string) {
	queuetest.Run(t, queuetest.Factory{
		Name:  "MPMC/" + name,
		New:   func(n int) queuetest.Queue[uint64] { return uintQueue[W]{ring.NewMPMC[W](n)} },
		NewAt: func(n int, start uint64) queuetest.Queue[uint64] { return uintQueue[W]{ring.NewMPMCAt[W](n, start)} },
	})
	queuetest.Run(t, queuetest.Factory{
		Name:           "SPSC/" + name,
		New:            func(n int) queuetest.Queue[uint64] { return uintQueue[W]{ring.NewSPSC[W](n)} },
		NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return uintQueue[W]{ring.NewSPSCAt[W](n, start)} },
		SingleProducer: true,
		SingleConsumer: true,
	})
	queuetest.Run(t, queuetest.Factory{
		Name:           "SPSC.lamport/" + name,
		New:            func(n int) queuetest.Queue[uint64] { return uintQueue[W]{ring.NewLamportAt[W](n, 0)} },
		NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return uintQueue[W]{ring.NewLamportAt[W](n, start)} },
		SingleProducer: true,
		SingleConsumer: true,
	})
	queuetest.Run(t, queuetest.Factory{
		Name:           "MPSC/" + name,
		New:            func(n int) queuetest.Queue[uint64] { return uintQueue[W]{ring.NewMPSC[W](n)} },
		NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return uintQueue[W]{ring.NewMPSCAt[W](n, start)} },
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
