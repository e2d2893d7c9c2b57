package ring_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ringq/ringq/ring"
)

func ExampleSPSC() {
	q := ring.NewSPSC[string](4)
	go func() {
		defer q.Close() // the consumer still gets every item enqueued before
		for _, w := range []string{"one", "two", "three"} {
			if err := q.Enqueue(w); err != nil { // waits while the queue is full
				return
			}
		}
	}()
	for {
		w, err := q.Dequeue() // waits while the queue is empty
		if errors.Is(err, ring.ErrClosed) {
			break // closed and drained
		}
		fmt.Println(w)
	}
	// Output:
	// one
	// two
	// three
}

// Producers send while the consumer receives; the last producer to finish
// closes the queue, and the consumer stops once it has drained it.
func ExampleMPSC() {
	q := ring.NewMPSC[int](8)
	var producers sync.WaitGroup
	for p := range 4 {
		producers.Go(func() {
			for i := range 100 {
				if q.Enqueue(p*100+i) != nil {
					return
				}
			}
		})
	}
	go func() {
		producers.Wait()
		q.Close()
	}()
	sum, n := 0, 0
	for v := range q.All() { // ends once the queue is closed and drained
		sum += v
		n++
	}
	fmt.Println(n, sum)
	// Output: 400 79800
}

// A pool of workers that take jobs from one queue until it is closed.
func ExampleMPMC() {
	jobs := ring.NewMPMC[int](64)
	var done atomic.Int64
	var workers sync.WaitGroup
	for range 3 {
		workers.Go(func() {
			for job := range jobs.All() { // until Close, and no jobs left
				done.Add(int64(job))
			}
		})
	}
	for job := 1; job <= 1000; job++ {
		jobs.Enqueue(job) // waits while all 64 slots are taken
	}
	jobs.Close()
	workers.Wait()
	fmt.Println(done.Load())
	// Output: 500500
}

// Batches keep their order and move many items with one claim.
func ExampleMPMC_TryEnqueueBatch() {
	q := ring.NewMPMC[int](1000) // rounded up to 1024
	fmt.Println(q.Cap())
	n := q.TryEnqueueBatch([]int{1, 2, 3})
	fmt.Println(n, q.Len())
	dst := make([]int, 8)
	n = q.TryDequeueBatch(dst)
	fmt.Println(dst[:n])
	_, ok := q.TryDequeue()
	fmt.Println(ok)
	// Output:
	// 1024
	// 3 3
	// [1 2 3]
	// false
}

// A consumer that takes whatever has arrived, up to a batch at a time, and
// stops when its context is done or the queue is closed and drained.
func ExampleMPSC_DequeueBatchContext() {
	q := ring.NewMPSC[int](64)
	for v := range 10 {
		q.Enqueue(v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	dst := make([]int, 4)
	for {
		n, err := q.DequeueBatchContext(ctx, dst)
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(dst[:n])
	}
	// Output:
	// [0 1 2 3]
	// [4 5 6 7]
	// [8 9]
	// context deadline exceeded
}

// An enqueue that gives up when the queue stays full for too long.
func ExampleMPMC_EnqueueContext() {
	q := ring.NewMPMC[string](1)
	q.Enqueue("first")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	err := q.EnqueueContext(ctx, "second") // the queue is full, and nobody dequeues
	fmt.Println(err, q.Len())
	// Output: context deadline exceeded 1
}

// A consumer that polls, and so never blocks, learns that the queue is
// finished from Closed: if the queue was closed before a TryDequeue
// found it empty, it is drained for good. (Closed is asked first: an
// empty queue closed after that TryDequeue may still have got an item in
// between.)
func ExampleSPSC_Closed() {
	q := ring.NewSPSC[int](8)
	go func() {
		for v := range 100 {
			q.Enqueue(v)
		}
		q.Close()
	}()
	sum := 0
	for {
		closed := q.Closed()
		if v, ok := q.TryDequeue(); ok {
			sum += v
			continue
		}
		if closed {
			break
		}
		runtime.Gosched() // or other work
	}
	fmt.Println(sum)
	// Output: 4950
}

func ExampleWithWaitPolicy() {
	// For a consumer that owns a core: its waits never park.
	q := ring.NewSPSC[int](1024, ring.WithWaitPolicy(ring.WaitYield))
	q.Enqueue(1)
	v, _ := q.Dequeue()
	fmt.Println(v, ring.WaitYield)
	// Output: 1 yield
}

func ExampleWithoutMembarrier() {
	// For a process whose seccomp filter kills a thread that calls
	// membarrier(2): this SPSC keeps its fences on every item instead.
	q := ring.NewSPSC[string](1024, ring.WithoutMembarrier())
	q.Enqueue("fenced")
	q.Close()
	for v := range q.All() {
		fmt.Println(v)
	}
	// Output: fenced
}
