package ring_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ringq/ringq/atomicsem"
	"github.com/ringq/ringq/ring"
)

// queue is what the benchmarks drive; every implementation, the baselines
// included, is called through it, so each pays the same dynamic call.
type queue interface {
	Enqueue(v uint64) error
	Dequeue() (uint64, error)
	Close()
}

type batchQueue interface {
	queue
	EnqueueBatch(vs []uint64) (int, error)
	DequeueBatch(dst []uint64) (int, error)
}

// chanQueue is a buffered channel behind the queue interface: the baseline.
type chanQueue chan uint64

func (c chanQueue) Enqueue(v uint64) error { c <- v; return nil }
func (c chanQueue) Close()                 { close(c) }
func (c chanQueue) Dequeue() (uint64, error) {
	v, ok := <-c
	if !ok {
		return 0, ring.ErrClosed
	}
	return v, nil
}

type impl struct {
	name   string
	single int // 0: MPMC; 1: single consumer; 2: single producer and consumer
	new    func(capacity int) queue
}

var impls = []impl{
	{"chan", 0, func(n int) queue { return make(chanQueue, n) }},
	{"atomicsem.SPSCBuffer", 2, func(n int) queue { return atomicsem.NewSPSCBuffer[uint64](n) }},
	{"atomicsem.MPMCBuffer", 0, func(n int) queue { return atomicsem.NewMPMCBuffer[uint64](n) }},
	{"ring.SPSC", 2, func(n int) queue { return ring.NewSPSC[uint64](n) }},
	{"ring.SPSC.yield", 2, func(n int) queue { return ring.NewSPSC[uint64](n, ring.WithWaitPolicy(ring.WaitYield)) }},
	{"ring.MPSC", 1, func(n int) queue { return ring.NewMPSC[uint64](n) }},
	{"ring.MPSC.yield", 1, func(n int) queue { return ring.NewMPSC[uint64](n, ring.WithWaitPolicy(ring.WaitYield)) }},
	{"ring.MPMC", 0, func(n int) queue { return ring.NewMPMC[uint64](n) }},
	{"ring.MPMC.yield", 0, func(n int) queue { return ring.NewMPMC[uint64](n, ring.WithWaitPolicy(ring.WaitYield)) }},
}

// prodCons moves b.N items from P producers to C consumers through q, in
// the shape of runtime/chan_test.go's benchmarkChanProdCons; one op is one
// item. With batch > 0, a batchQueue's batch methods move batch items a
// call.
func prodCons(b *testing.B, q queue, P, C, batch int) {
	var wg sync.WaitGroup
	per := b.N / P
	b.ResetTimer()
	for p := range P {
		n := per
		if p == 0 {
			n += b.N % P
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if batch > 0 {
				produceBatches(q.(batchQueue), n, batch)
				return
			}
			for i := range n {
				if err := q.Enqueue(uint64(i)); err != nil {
					panic(err)
				}
			}
		}()
	}
	var cwg sync.WaitGroup
	for range C {
		cwg.Add(1)
		go func() {
			defer cwg.Done()
			if batch > 0 {
				dst := make([]uint64, batch)
				for {
					if _, err := q.(batchQueue).DequeueBatch(dst); err != nil {
						return
					}
				}
			}
			for {
				if _, err := q.Dequeue(); err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	q.Close()
	cwg.Wait()
	b.StopTimer()
}

func produceBatches(q batchQueue, n, batch int) {
	vs := make([]uint64, batch)
	for n > 0 {
		k := min(n, batch)
		if _, err := q.EnqueueBatch(vs[:k]); err != nil {
			panic(err)
		}
		n -= k
	}
}

// BenchmarkProdCons compares the rings with a buffered channel of the same
// capacity, moving 8-byte items with the blocking methods. Compare with
// benchstat -col /impl.
func BenchmarkProdCons(b *testing.B) {
	shapes := []struct{ P, C int }{{1, 1}, {4, 1}, {2, 2}, {4, 4}, {8, 8}}
	for _, sh := range shapes {
		for _, im := range impls {
			if im.single == 2 && (sh.P > 1 || sh.C > 1) || im.single == 1 && sh.C > 1 {
				continue
			}
			b.Run(fmt.Sprintf("P=%d/C=%d/cap=1024/impl=%s", sh.P, sh.C, im.name), func(b *testing.B) {
				prodCons(b, im.new(1024), sh.P, sh.C, 0)
			})
		}
	}
}

// BenchmarkProdConsBatch moves items in batches of 64 with EnqueueBatch
// and DequeueBatch; the channel moves them one at a time.
func BenchmarkProdConsBatch(b *testing.B) {
	for _, im := range impls {
		if im.single != 2 && im.name != "chan" && im.name != "ring.MPMC" || strings.HasPrefix(im.name, "atomicsem") {
			continue
		}
		b.Run(fmt.Sprintf("P=1/C=1/cap=1024/batch=64/impl=%s", im.name), func(b *testing.B) {
			q := im.new(1024)
			batch := 64
			if _, ok := q.(batchQueue); !ok {
				batch = 0
			}
			prodCons(b, q, 1, 1, batch)
		})
	}
}

// BenchmarkPingPong measures a round trip: one goroutine sends an item
// through one queue and waits for it to come back through another.
func BenchmarkPingPong(b *testing.B) {
	for _, im := range impls {
		if strings.HasPrefix(im.name, "atomicsem") {
			continue
		}
		b.Run("impl="+im.name, func(b *testing.B) {
			ping, pong := im.new(1), im.new(1)
			go func() {
				for {
					v, err := ping.Dequeue()
					if err != nil {
						pong.Close()
						return
					}
					pong.Enqueue(v)
				}
			}()
			b.ResetTimer()
			for i := range b.N {
				ping.Enqueue(uint64(i))
				pong.Dequeue()
			}
			b.StopTimer()
			ping.Close()
			pong.Dequeue()
		})
	}
}
