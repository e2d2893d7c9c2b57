package atomicsem_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ringq/ringq/atomicsem"
)

// semaphore is what BenchmarkSemaphore measures: atomicsem.Semaphore, and a
// buffered channel as the baseline.
type semaphore interface {
	Acquire()
	Release()
}

// chanSemaphore is the usual Go semaphore: a unit is held while its token
// is in the channel.
type chanSemaphore chan struct{}

func (s chanSemaphore) Acquire() { s <- struct{}{} }
func (s chanSemaphore) Release() { <-s }

func BenchmarkSemaphore(b *testing.B) {
	impls := []struct {
		name string
		new  func(limit int) semaphore
	}{
		{"chan", func(limit int) semaphore { return make(chanSemaphore, limit) }},
		{"atomicsem", func(limit int) semaphore { return atomicsem.New(limit, limit) }},
	}
	for _, impl := range impls {
		b.Run("impl="+impl.name+"/uncontended", func(b *testing.B) {
			s := impl.new(1)
			for b.Loop() {
				s.Acquire()
				s.Release()
			}
		})
		// Every P acquires and releases at once; with limit 1 most
		// acquires wait, with limit GOMAXPROCS none need to.
		for _, limit := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("impl=%s/contended/limit=%d", impl.name, limit), func(b *testing.B) {
				s := impl.new(limit)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						s.Acquire()
						s.Release()
					}
				})
			})
		}
	}
}

// queue is what BenchmarkBuffer measures: the buffers, and a buffered
// channel of the same capacity as the baseline, in the same run.
type queue interface {
	Enqueue(v uint64) error
	Dequeue() (uint64, error)
	Close()
}

type chanQueue chan uint64

func (q chanQueue) Enqueue(v uint64) error {
	q <- v
	return nil
}

func (q chanQueue) Dequeue() (uint64, error) {
	v, ok := <-q
	if !ok {
		return 0, atomicsem.ErrClosed
	}
	return v, nil
}

func (q chanQueue) Close() { close(q) }

func BenchmarkBuffer(b *testing.B) {
	const capacity = 1024
	impls := []struct {
		name   string
		new    func() queue
		single bool // one producer and one consumer only
	}{
		{"chan", func() queue { return make(chanQueue, capacity) }, false},
		{"spsc", func() queue { return atomicsem.NewSPSCBuffer[uint64](capacity) }, true},
		{"mpmc", func() queue { return atomicsem.NewMPMCBuffer[uint64](capacity) }, false},
	}
	for _, s := range []struct{ p, c int }{{1, 1}, {4, 1}, {4, 4}} {
		for _, impl := range impls {
			if impl.single && (s.p > 1 || s.c > 1) {
				continue
			}
			name := fmt.Sprintf("impl=%s/P=%d/C=%d/cap=%d", impl.name, s.p, s.c, capacity)
			b.Run(name, func(b *testing.B) { benchmarkProdCons(b, impl.new(), s.p, s.c) })
		}
	}
}

// benchmarkProdCons moves b.N items from producers to consumers through q,
// in the shape of runtime/chan_test.go's benchmarkChanProdCons: producers
// claim work in batches from a shared counter, and consumers dequeue until
// the queue is closed and drained. An op is one item.
func benchmarkProdCons(b *testing.B, q queue, producers, consumers int) {
	const batch = 1000
	var left atomic.Int64
	left.Store(int64(b.N))
	var prod, cons sync.WaitGroup
	b.ResetTimer()
	for range consumers {
		cons.Go(func() {
			for {
				if _, err := q.Dequeue(); err != nil {
					return
				}
			}
		})
	}
	for range producers {
		prod.Go(func() {
			for {
				n := left.Add(-batch) // items left after this claim
				if n <= -batch {
					return
				}
				for range batch + min(n, 0) {
					if err := q.Enqueue(1); err != nil {
						b.Error(err)
						return
					}
				}
			}
		})
	}
	prod.Wait()
	q.Close()
	cons.Wait()
}
