package ring_test

import (
	"fmt"
	"sync"

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
