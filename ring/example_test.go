package ring_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ringq/ringq/ring"
)

func ExampleSPSC() {
	q := ring.NewSPSC[string](4)
	go func() {
		for _, w := range []string{"one", "two", "three"} {
			q.Enqueue(w) // waits while the queue is full
		}
		q.Close() // the consumer still gets every item enqueued before
	}()
	for {
		w, err := q.Dequeue()
		if err == ring.ErrClosed {
			break
		}
		fmt.Println(w)
	}
	// Output:
	// one
	// two
	// three
}

func ExampleMPSC() {
	q := ring.NewMPSC[int](16)
	var wg sync.WaitGroup
	for p := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q.Enqueue(p)
		}()
	}
	wg.Wait()
	q.Close()
	sum := 0
	for {
		v, err := q.Dequeue()
		if err != nil {
			break
		}
		sum += v
	}
	fmt.Println(sum)
	// Output: 6
}

func ExampleMPMC() {
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
