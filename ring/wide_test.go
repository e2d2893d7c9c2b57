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

// ringOf is what uintQueue needs of a ring of W items.
type ringOf[W any] interface {
	TryEnqueue(W) bool
	TryDequeue() (W, bool)
	EnqueueContext(context.Context, W) error
	DequeueContext(context.Context) (W, error)
	TryEnqueueBatch([]W) int
	TryDequeueBatch([]W) int
	EnqueueBatchContext(context.Context, []W) (int, error)
	DequeueBatchContext(context.Context, []W) (int, error)
	Close()
	Len() int
	Cap() int
}

// uintQueue presents a ring of W items as a queuetest.BatchQueue[uint64].
// Its batch methods copy the items through a buffer from pool, so that
// they allocate nothing once the pool holds buffers and the suite's
// allocation test still measures the ring.
type uintQueue[W item] struct {
	q    ringOf[W]
	pool *sync.Pool // of *[]W
}

func newUintQueue[W item](q ringOf[W]) uintQueue[W] {
	return uintQueue[W]{q: q, pool: new(sync.Pool)}
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

// buffer returns a buffer of n items from the pool, for release.
func (w uintQueue[W]) buffer(n int) *[]W {
	b, _ := w.pool.Get().(*[]W)
	if b == nil {
		b = new([]W)
	}
	if cap(*b) < n {
		*b = make([]W, n)
	}
	*b = (*b)[:n]
	return b
}

func (w uintQueue[W]) release(b *[]W) { w.pool.Put(b) }

// in returns vs as W items, in a buffer for release.
func (w uintQueue[W]) in(vs []uint64) *[]W {
	b := w.buffer(len(vs))
	for i, v := range vs {
		(*b)[i] = wrap[W](v)
	}
	return b
}

// out copies the first n items of b into dst and releases b.
func (w uintQueue[W]) out(b *[]W, dst []uint64, n int) {
	for i, v := range (*b)[:n] {
		dst[i] = unwrap(v)
	}
	w.release(b)
}

func (w uintQueue[W]) TryEnqueueBatch(vs []uint64) int {
	b := w.in(vs)
	defer w.release(b)
	return w.q.TryEnqueueBatch(*b)
}
func (w uintQueue[W]) EnqueueBatch(vs []uint64) (int, error) {
	return w.EnqueueBatchContext(context.Background(), vs)
}
func (w uintQueue[W]) EnqueueBatchContext(ctx context.Context, vs []uint64) (int, error) {
	b := w.in(vs)
	defer w.release(b)
	return w.q.EnqueueBatchContext(ctx, *b)
}
func (w uintQueue[W]) TryDequeueBatch(dst []uint64) int {
	b := w.buffer(len(dst))
	n := w.q.TryDequeueBatch(*b)
	w.out(b, dst, n)
	return n
}
func (w uintQueue[W]) DequeueBatch(dst []uint64) (int, error) {
	return w.DequeueBatchContext(context.Background(), dst)
}
func (w uintQueue[W]) DequeueBatchContext(ctx context.Context, dst []uint64) (int, error) {
	b := w.buffer(len(dst))
	n, err := w.q.DequeueBatchContext(ctx, *b)
	w.out(b, dst, n)
	return n, err
}

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
		New:   func(n int) queuetest.Queue[uint64] { return newUintQueue[W](ring.NewMPMC[W](n)) },
		NewAt: func(n int, start uint64) queuetest.Queue[uint64] { return newUintQueue[W](ring.NewMPMCAt[W](n, start)) },
	})
	queuetest.Run(t, queuetest.Factory{
		Name:           "SPSC/" + name,
		New:            func(n int) queuetest.Queue[uint64] { return newUintQueue[W](ring.NewSPSC[W](n)) },
		NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return newUintQueue[W](ring.NewSPSCAt[W](n, start)) },
		SingleProducer: true,
		SingleConsumer: true,
	})
	queuetest.Run(t, queuetest.Factory{
		Name: "SPSC.lamport/" + name,
		New:  func(n int) queuetest.Queue[uint64] { return newUintQueue[W](ring.NewLamportAt[W](n, 0)) },
		NewAt: func(n int, start uint64) queuetest.Queue[uint64] {
			return newUintQueue[W](ring.NewLamportAt[W](n, start))
		},
		SingleProducer: true,
		SingleConsumer: true,
	})
	queuetest.Run(t, queuetest.Factory{
		Name:           "MPSC/" + name,
		New:            func(n int) queuetest.Queue[uint64] { return newUintQueue[W](ring.NewMPSC[W](n)) },
		NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return newUintQueue[W](ring.NewMPSCAt[W](n, start)) },
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
