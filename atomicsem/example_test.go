package atomicsem_test

import (
	"errors"
	"fmt"
	"sync"

	"github.com/ringq/ringq/atomicsem"
)

// A Semaphore of n units lets at most n goroutines into a section at once;
// a Release past the limit is a bug, and panics.
func ExampleSemaphore() {
	sem := atomicsem.New(2, 2) // two units: two workers at a time
	squares := make([]int, 6)
	var wg sync.WaitGroup
	for i := range squares {
		wg.Go(func() {
			sem.Acquire()
			defer sem.Release()
			squares[i] = i * i
		})
	}
	wg.Wait()
	fmt.Println(squares)

	fmt.Println(sem.TryAcquire(), sem.TryAcquire(), sem.TryAcquire())
	sem.Release()
	sem.Release()
	defer func() { fmt.Println(recover()) }()
	sem.Release()
	// Output:
	// [0 1 4 9 16 25]
	// true true false
	// atomicsem: release beyond limit
}

// One goroutine produces, one consumes; Close tells the consumer that
// nothing more is coming once it has drained the buffer.
func ExampleSPSCBuffer() {
	q := atomicsem.NewSPSCBuffer[string](2)
	go func() {
		for _, w := range []string{"one", "two", "three", "four"} {
			if err := q.Enqueue(w); err != nil {
				panic(err)
			}
		}
		q.Close()
	}()
	for {
		w, err := q.Dequeue()
		if errors.Is(err, atomicsem.ErrClosed) {
			break
		}
		fmt.Println(w)
	}
	// Output:
	// one
	// two
	// three
	// four
}

// Any number of goroutines may produce and consume.
func ExampleMPMCBuffer() {
	q := atomicsem.NewMPMCBuffer[int](4)
	var producers, consumers sync.WaitGroup
	for p := range 3 {
		producers.Go(func() {
			for i := range 100 {
				_ = q.Enqueue(p*100 + i)
			}
		})
	}
	sums := make([]int, 2)
	for c := range sums {
		consumers.Go(func() {
			for {
				v, err := q.Dequeue()
				if err != nil {
					return // ErrClosed: closed and drained
				}
				sums[c] += v
			}
		})
	}
	producers.Wait()
	q.Close()
	consumers.Wait()
	fmt.Println(sums[0]+sums[1], q.Len())
	// Output:
	// 44850 0
}
