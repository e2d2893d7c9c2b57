package bench

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Shape is a workload's number of producer (P) and consumer (C) goroutines.
type Shape struct{ P, C int }

// String returns the shape as it appears in benchmark names: "P=4/C=4".
func (s Shape) String() string { return fmt.Sprintf("P=%d/C=%d", s.P, s.C) }

// Run is the outcome of one measured run.
type Run struct {
	// Items is the number of items moved (or operations done).
	Items int
	// Elapsed is the wall time from the release of the goroutines to the
	// end of the last one.
	Elapsed time.Duration
	// CPU is the user and system CPU time of the whole process over the
	// same span, from getrusage; zero where the system has none.
	CPU time.Duration
}

// NsPerItem returns the wall nanoseconds per item.
func (r Run) NsPerItem() float64 { return float64(r.Elapsed.Nanoseconds()) / float64(r.Items) }

// CPUNsPerItem returns the CPU nanoseconds per item, all threads together.
func (r Run) CPUNsPerItem() float64 { return float64(r.CPU.Nanoseconds()) / float64(r.Items) }

// Throughput makes an empty queue of im with the given capacity and has
// sh.P producers move n items (rounded down to a multiple of sh.P, and at
// least one per producer) to sh.C consumers, in the shape of
// runtime/chan_test.go's benchmarkChanProdCons. Each producer enqueues its
// share; the last producer to finish then enqueues one stop item per
// consumer, and each consumer counts items until it dequeues a stop item.
// The counts must add up to the items sent, or Throughput reports an error:
// every run checks that nothing was lost or duplicated.
//
// The queue and the goroutines are made before the clock starts (see
// timed).
func Throughput[T Item](im *Impl, capacity int, sh Shape, n int) (Run, error) {
	if !im.Supports(sh.P, sh.C) {
		return Run{}, fmt.Errorf("bench: %s cannot run %v", im.Name, sh)
	}
	q := New[T](im, capacity)
	var bq BatchQueue[T]
	batch := min(im.Batch, capacity)
	if batch > 0 {
		bq = q.(BatchQueue[T])
	}
	per := max(n/sh.P, 1)
	stop := stopItem[T]()

	var (
		producersLeft atomic.Int32
		counts        = make([]int, sh.C)
		work          []func() error
	)
	producersLeft.Store(int32(sh.P))
	for p := range sh.P {
		items := makeItems[T](uint64(p) << 40)
		work = append(work, func() error {
			var err error
			if bq != nil {
				err = produceBatch(bq, items, per, batch)
			} else {
				err = produce(q, items, per)
			}
			if producersLeft.Add(-1) == 0 {
				for range sh.C {
					if e := q.Enqueue(stop); e != nil {
						return errors.Join(err, e)
					}
				}
			}
			return err
		})
	}
	for c := range sh.C {
		work = append(work, func() (err error) {
			if bq != nil {
				counts[c], err = consumeBatch(bq, stop, batch, sh.C > 1)
			} else {
				counts[c], err = consume(q, stop)
			}
			return err
		})
	}
	r, err := timed(work)
	r.Items = per * sh.P
	if err != nil {
		return r, fmt.Errorf("bench: %s %v: %w", im.Name, sh, err)
	}
	got := 0
	for _, c := range counts {
		got += c
	}
	if got != r.Items {
		return r, fmt.Errorf("bench: %s %v: consumers got %d items, producers sent %d", im.Name, sh, got, r.Items)
	}
	return r, nil
}

// timed runs each function of work in its own goroutine, all released at
// once, and returns the wall and CPU time until the last one ends, with the
// first error any returned. The goroutines are started, and the garbage
// collector run, before the clock starts, so every run starts from the
// same heap.
func timed(work []func() error) (Run, error) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, len(work))
	ready.Add(len(work))
	done.Add(len(work))
	for _, f := range work {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			if err := f(); err != nil {
				errs <- err
			}
		}()
	}
	ready.Wait()
	runtime.GC()
	cpu0 := cpuTime()
	t0 := time.Now()
	close(start)
	done.Wait()
	r := Run{Elapsed: time.Since(t0), CPU: cpuTime() - cpu0}
	close(errs)
	return r, <-errs
}

// produce enqueues n items, cycling through items.
func produce[T Item](q Queue[T], items []T, n int) error {
	mask := len(items) - 1
	for i := range n {
		if err := q.Enqueue(items[i&mask]); err != nil {
			return err
		}
	}
	return nil
}

// produceBatch enqueues n items from items in batches of up to batch.
func produceBatch[T Item](q BatchQueue[T], items []T, n, batch int) error {
	for sent := 0; sent < n; {
		k := min(batch, n-sent)
		if err := EnqueueAll(q, items[:k]); err != nil {
			return err
		}
		sent += k
	}
	return nil
}

// EnqueueAll enqueues every item of vs with EnqueueBatch, calling it again
// for the rest whenever it enqueued only a part.
func EnqueueAll[T any](q BatchQueue[T], vs []T) error {
	for len(vs) > 0 {
		n, err := q.EnqueueBatch(vs)
		if err != nil {
			return err
		}
		vs = vs[n:]
	}
	return nil
}

// consume dequeues and counts items until it dequeues stop.
func consume[T Item](q Queue[T], stop T) (int, error) {
	n := 0
	for {
		v, err := q.Dequeue()
		if err != nil {
			return n, err
		}
		if v == stop {
			return n, nil
		}
		n++
	}
}

// consumeBatch dequeues items in batches of up to batch and counts them
// until it dequeues a stop item. Every real item precedes every stop item,
// so the rest of that batch holds only stop items; each one beyond the first
// belongs to another consumer and is put back, which shared says is needed.
func consumeBatch[T Item](q BatchQueue[T], stop T, batch int, shared bool) (int, error) {
	dst := make([]T, batch)
	n := 0
	for {
		k, err := q.DequeueBatch(dst)
		if err != nil {
			return n, err
		}
		for i, v := range dst[:k] {
			if v != stop {
				n++
				continue
			}
			if shared {
				for range k - i - 1 {
					if err := q.Enqueue(stop); err != nil {
						return n, err
					}
				}
			}
			return n, nil
		}
	}
}

// Shapes are the producer×consumer shapes of the throughput matrix: one to
// one, fan-out, fan-in, balanced, and oversubscribed on any machine of
// fewer than 16 cores.
var Shapes = []Shape{{1, 1}, {1, 4}, {4, 1}, {2, 2}, {4, 4}, {8, 8}, {16, 1}, {1, 16}}

// Capacities are the queue capacities of the throughput matrix.
var Capacities = []int{16, 1024, 65536}
