package bench_test

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ringq/ringq/bench"
)

// A wrong adapter makes every number a lie, so each adapter, driven the
// ways the harness drives it, must deliver every item exactly once and in
// each producer's order. The peers have no Close, so the stress tests end
// consumers with stop items, as Throughput does, or by counting.

// stop is the stop item of the stress tests; no real item carries it.
const stop = ^uint64(0)

// mode is one way of moving items through a queue.
type mode uint8

const (
	blocking mode = iota // Enqueue and Dequeue
	try                  // TryEnqueue and TryDequeue, retried
	batched              // EnqueueBatch and DequeueBatch
)

func (m mode) String() string { return [...]string{"blocking", "try", "batch"}[m] }

// stressShape returns the most producers and consumers up to 4×4 that im
// allows.
func stressShape(im *bench.Impl) bench.Shape {
	sh := bench.Shape{P: 4, C: 4}
	if im.SingleProducer {
		sh.P = 1
	}
	if im.SingleConsumer {
		sh.C = 1
	}
	return sh
}

// stress moves per items from each of sh.P producers to sh.C consumers
// through q, in mode m, and returns what each consumer received, in order.
// Producer p sends p<<32 | 1, p<<32 | 2, …
func stress(q bench.Queue[uint64], sh bench.Shape, per int, m mode, batch int) ([][]uint64, error) {
	var (
		wg       sync.WaitGroup
		left     atomic.Int32 // producers still sending
		received atomic.Int64 // items dequeued, for the try mode
		errs     = make(chan error, sh.P+sh.C)
		got      = make([][]uint64, sh.C)
		total    = int64(sh.P * per)
	)
	left.Store(int32(sh.P))
	wg.Add(sh.P + sh.C)
	for p := range sh.P {
		go func() {
			defer wg.Done()
			err := produce(q, uint64(p)<<32, per, m, batch)
			// The try mode ends by counting; the others by stop items.
			if left.Add(-1) == 0 && m != try {
				for range sh.C {
					if e := q.Enqueue(stop); e != nil {
						err = errors.Join(err, e)
						break
					}
				}
			}
			if err != nil { // one error per goroutine: errs never fills
				errs <- err
			}
		}()
	}
	for c := range sh.C {
		go func() {
			defer wg.Done()
			var err error
			got[c], err = drain(q, m, batch, sh.C > 1, &received, total)
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return got, <-errs
}

func produce(q bench.Queue[uint64], base uint64, per int, m mode, batch int) error {
	switch m {
	case blocking:
		for i := 1; i <= per; i++ {
			if err := q.Enqueue(base | uint64(i)); err != nil {
				return err
			}
		}
	case try:
		for i := 1; i <= per; i++ {
			for !q.TryEnqueue(base | uint64(i)) {
				runtime.Gosched()
			}
		}
	case batched:
		vs := make([]uint64, 0, batch)
		for i := 1; i <= per; i++ {
			vs = append(vs, base|uint64(i))
			if len(vs) == batch || i == per {
				if err := bench.EnqueueAll(q.(bench.BatchQueue[uint64]), vs); err != nil {
					return err
				}
				vs = vs[:0]
			}
		}
	}
	return nil
}

// drain dequeues until a stop item (or, in the try mode, until received
// reaches total) and returns the items in the order it got them.
func drain(q bench.Queue[uint64], m mode, batch int, shared bool, received *atomic.Int64, total int64) ([]uint64, error) {
	var out []uint64
	switch m {
	case blocking:
		for {
			v, err := q.Dequeue()
			if err != nil || v == stop {
				return out, err
			}
			out = append(out, v)
		}
	case try:
		for received.Load() < total {
			v, ok := q.TryDequeue()
			if !ok {
				runtime.Gosched()
				continue
			}
			received.Add(1)
			out = append(out, v)
		}
		return out, nil
	}
	bq := q.(bench.BatchQueue[uint64])
	dst := make([]uint64, batch)
	for {
		k, err := bq.DequeueBatch(dst)
		if err != nil {
			return out, err
		}
		for i, v := range dst[:k] {
			if v != stop {
				out = append(out, v)
				continue
			}
			if shared { // the rest are stop items of other consumers
				for range k - i - 1 {
					if err := q.Enqueue(stop); err != nil {
						return out, err
					}
				}
			}
			return out, nil
		}
	}
}

// check reports the first item lost, duplicated, foreign or out of its
// producer's order in what the consumers got.
func check(got [][]uint64, producers, per int) error {
	seen := make([][]bool, producers)
	for p := range seen {
		seen[p] = make([]bool, per+1)
	}
	for c, vs := range got {
		last := make([]uint64, producers)
		for _, v := range vs {
			p, i := v>>32, v&(1<<32-1)
			if p >= uint64(producers) || i == 0 || i > uint64(per) {
				return fmt.Errorf("consumer %d got %#x, which no producer sent", c, v)
			}
			if seen[p][i] {
				return fmt.Errorf("item %d of producer %d delivered twice", i, p)
			}
			seen[p][i] = true
			if i <= last[p] {
				return fmt.Errorf("consumer %d got item %d of producer %d after item %d", c, i, p, last[p])
			}
			last[p] = i
		}
	}
	for p := range seen {
		for i := 1; i <= per; i++ {
			if !seen[p][i] {
				return fmt.Errorf("item %d of producer %d lost", i, p)
			}
		}
	}
	return nil
}

// TestAdaptersStress runs every adapter through the exactly-once and
// per-producer-order check in each way the harness drives it. Capacity 1 is
// left out: Workiva's RingBuffer is broken there (see
// TestWorkivaCapacityOne), and the harness never asks for less than 16.
func TestAdaptersStress(t *testing.T) {
	per := 20000
	if testing.Short() {
		per = 2000
	}
	for _, im := range bench.Impls() {
		modes := []mode{blocking, try}
		if im.Batch > 0 {
			modes = []mode{batched}
		}
		for _, m := range modes {
			for _, capacity := range []int{2, 16, 1024} {
				sh := stressShape(im)
				t.Run(fmt.Sprintf("impl=%s/%v/%v/cap=%d", im.Name, m, sh, capacity), func(t *testing.T) {
					t.Parallel()
					q := bench.New[uint64](im, capacity)
					got, err := stress(q, sh, per, m, min(im.Batch, capacity))
					if err != nil {
						t.Fatal(err)
					}
					if err := check(got, sh.P, per); err != nil {
						t.Fatal(err)
					}
				})
			}
		}
	}
}

// TestCheckCatchesFaults proves the stress check on queues known to be
// wrong: a check that cannot fail would pass every adapter.
func TestCheckCatchesFaults(t *testing.T) {
	chanImpl := bench.ByName(bench.Impls(), "chan")
	for _, f := range []struct {
		name  string
		fault func(v uint64, n int) []uint64 // what the n-th enqueue of v puts in
	}{
		{"lose", func(v uint64, n int) []uint64 {
			if n == 100 {
				return nil
			}
			return []uint64{v}
		}},
		{"duplicate", func(v uint64, n int) []uint64 {
			if n == 100 {
				return []uint64{v, v}
			}
			return []uint64{v}
		}},
		{"corrupt", func(v uint64, n int) []uint64 {
			if n == 100 {
				return []uint64{v + 1<<40}
			}
			return []uint64{v}
		}},
	} {
		t.Run(f.name, func(t *testing.T) {
			q := &faulty{Queue: bench.New[uint64](chanImpl, 16), fault: f.fault}
			got, err := stress(q, bench.Shape{P: 1, C: 1}, 1000, blocking, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := check(got, 1, 1000); err == nil {
				t.Fatal("check passed a queue that is wrong")
			}
		})
	}
	t.Run("reorder", func(t *testing.T) {
		got := [][]uint64{{1, 3, 2}}
		if err := check(got, 1, 3); err == nil {
			t.Fatal("check passed items out of their producer's order")
		}
	})
}

// faulty is a queue that changes what one of its enqueues puts in; for one
// producer only.
type faulty struct {
	bench.Queue[uint64]
	fault func(v uint64, n int) []uint64
	n     int
}

func (f *faulty) Enqueue(v uint64) error {
	f.n++
	if v == stop {
		return f.Queue.Enqueue(v)
	}
	for _, w := range f.fault(v, f.n) {
		if err := f.Queue.Enqueue(w); err != nil {
			return err
		}
	}
	return nil
}
