package queuetest

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// allocRuns is how many calls AllocsPerRun averages over; its average is
// rounded down, so a rare allocation (a parked goroutine's first wait)
// does not count, and one per call does.
const allocRuns = 1000

func testAllocs(t *testing.T, f Factory) {
	if raceEnabled {
		t.Skip("the race detector allocates on its own: allocation counts mean nothing under -race")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q := f.New(16)
	bq, batch := q.(BatchQueue[uint64])
	full := f.New(1)
	full.TryEnqueue(1)
	empty := f.New(1)
	in, out := []uint64{1, 2, 3}, make([]uint64, 3)

	// Each call pair leaves q as it found it; a failure is counted in bad.
	bad := 0
	check := func(ok bool) {
		if !ok {
			bad++
		}
	}
	cases := []struct {
		name  string
		batch bool
		fn    func()
	}{
		{"TryEnqueue+TryDequeue", false, func() {
			check(q.TryEnqueue(1))
			_, ok := q.TryDequeue()
			check(ok)
		}},
		{"TryEnqueueFull+TryDequeueEmpty", false, func() {
			check(!full.TryEnqueue(2))
			_, ok := empty.TryDequeue()
			check(!ok)
		}},
		{"Enqueue+Dequeue", false, func() {
			check(q.Enqueue(1) == nil)
			_, err := q.Dequeue()
			check(err == nil)
		}},
		{"EnqueueContext+DequeueContext", false, func() {
			check(q.EnqueueContext(ctx, 1) == nil)
			_, err := q.DequeueContext(ctx)
			check(err == nil)
		}},
		{"ContextCancelledFull+Empty", false, func() {
			check(errors.Is(full.EnqueueContext(cancelled, 2), context.Canceled))
			_, err := empty.DequeueContext(cancelled)
			check(errors.Is(err, context.Canceled))
		}},
		{"TryEnqueueBatch+TryDequeueBatch", true, func() {
			check(bq.TryEnqueueBatch(in) == len(in))
			check(bq.TryDequeueBatch(out) == len(out))
		}},
		{"EnqueueBatch+DequeueBatch", true, func() {
			n, err := bq.EnqueueBatch(in)
			check(n == len(in) && err == nil)
			n, err = bq.DequeueBatch(out)
			check(n == len(out) && err == nil)
		}},
		{"EnqueueBatchContext+DequeueBatchContext", true, func() {
			n, err := bq.EnqueueBatchContext(ctx, in)
			check(n == len(in) && err == nil)
			n, err = bq.DequeueBatchContext(ctx, out)
			check(n == len(out) && err == nil)
		}},
		{"BatchContextCancelledFull+Empty", true, func() {
			n, err := full.(BatchQueue[uint64]).EnqueueBatchContext(cancelled, in)
			check(n == 0 && errors.Is(err, context.Canceled))
			n, err = empty.(BatchQueue[uint64]).DequeueBatchContext(cancelled, out)
			check(n == 0 && errors.Is(err, context.Canceled))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.batch && !batch {
				t.Skip("the queue has no batch methods")
			}
			bad = 0
			if n := testing.AllocsPerRun(allocRuns, tc.fn); n != 0 {
				t.Errorf("%s: %v allocations per call, want 0", tc.name, n)
			}
			if bad > 0 {
				t.Errorf("%s: %d calls failed", tc.name, bad)
			}
		})
	}
	// The calls that wait, with another goroutine on the other side of a
	// queue of capacity 1 (AllocsPerRun runs at GOMAXPROCS=1, so they park
	// or yield every time; a batch of 3 waits twice or more).
	consumer := func(q Queue[uint64]) {
		for {
			if _, err := q.Dequeue(); err != nil {
				return
			}
		}
	}
	producer := func(q Queue[uint64]) {
		for q.Enqueue(1) == nil {
		}
	}
	waiting := []struct {
		name  string
		batch bool
		other func(Queue[uint64]) // runs until q is closed
		call  func(Queue[uint64]) bool
	}{
		{"Enqueue", false, consumer, func(q Queue[uint64]) bool { return q.Enqueue(1) == nil }},
		{"Dequeue", false, producer, func(q Queue[uint64]) bool {
			_, err := q.Dequeue()
			return err == nil
		}},
		{"EnqueueBatchContext", true, consumer, func(q Queue[uint64]) bool {
			n, err := q.(BatchQueue[uint64]).EnqueueBatchContext(ctx, in)
			return n == len(in) && err == nil
		}},
		{"DequeueBatchContext", true, producer, func(q Queue[uint64]) bool {
			n, err := q.(BatchQueue[uint64]).DequeueBatchContext(ctx, out)
			return n >= 1 && err == nil
		}},
	}
	for _, tc := range waiting {
		t.Run(tc.name+"Waiting", func(t *testing.T) {
			if tc.batch && !batch {
				t.Skip("the queue has no batch methods")
			}
			q := f.New(1)
			var wg sync.WaitGroup
			wg.Go(func() { tc.other(q) })
			if n := testing.AllocsPerRun(allocRuns, func() { check(tc.call(q)) }); n != 0 {
				t.Errorf("%s against the other side: %v allocations per call, want 0", tc.name, n)
			}
			q.Close()
			wg.Wait()
		})
	}
	if bad > 0 {
		t.Errorf("%d calls failed in the waiting cases", bad)
	}
}
