package ring_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/ringq/ringq/atomicsem"
	"github.com/ringq/ringq/ring"
)

// The throughput benchmarks are named after the ring they are about and
// the shape they run, with each implementation of the same run as a last
// level, so that benchstat lines them up against the channel:
//
//	go test -run '^$' -bench 'SPSC|MPSC|MPMC' -count 10 ./ring > new.txt
//	benchstat -col /impl new.txt
//
// One op is one item moved from a producer to a consumer through the
// blocking methods, 8-byte items, capacity 1024.

// sides are the two loops of a benchmark, written out for one queue type
// so that every operation is a direct call, as it is in a user's code.
// Through an interface, an enqueue and a dequeue on one goroutine took
// 16-19 ns against 12-13 ns with direct calls on this module's 2-core
// machine: a cost as large as a third of the ring's own, which would
// squeeze every ratio towards 1.
type sides struct {
	produce func(n int) // enqueues n items
	consume func()      // dequeues until the queue is closed and drained
	close   func()
}

// batchSides are sides that move items batch at a time.
type batchSides func(capacity, batch int) sides

type impl struct {
	name  string
	new   func(capacity int) sides
	batch batchSides // nil if the type has no batch methods
}

func chanSides(capacity int) sides {
	c := make(chan uint64, capacity)
	return sides{
		produce: func(n int) {
			for i := range n {
				c <- uint64(i)
			}
		},
		consume: func() {
			for range c {
			}
		},
		close: func() { close(c) },
	}
}

func spscBufferSides(capacity int) sides {
	q := atomicsem.NewSPSCBuffer[uint64](capacity)
	return sides{
		produce: func(n int) {
			for i := range n {
				must(q.Enqueue(uint64(i)))
			}
		},
		consume: func() {
			for _, err := q.Dequeue(); err == nil; _, err = q.Dequeue() {
			}
		},
		close: q.Close,
	}
}

func mpmcBufferSides(capacity int) sides {
	q := atomicsem.NewMPMCBuffer[uint64](capacity)
	return sides{
		produce: func(n int) {
			for i := range n {
				must(q.Enqueue(uint64(i)))
			}
		},
		consume: func() {
			for _, err := q.Dequeue(); err == nil; _, err = q.Dequeue() {
			}
		},
		close: q.Close,
	}
}

// ringQueue is the batch method set the three rings share.
type ringQueue interface {
	Enqueue(v uint64) error
	Dequeue() (uint64, error)
	EnqueueBatch(vs []uint64) (int, error)
	DequeueBatch(dst []uint64) (int, error)
	Close()
}

func spscSides(opts ...ring.Option) (func(int) sides, batchSides) {
	return func(capacity int) sides {
			q := ring.NewSPSC[uint64](capacity, opts...)
			return sides{
				produce: func(n int) {
					for i := range n {
						must(q.Enqueue(uint64(i)))
					}
				},
				consume: func() {
					for _, err := q.Dequeue(); err == nil; _, err = q.Dequeue() {
					}
				},
				close: q.Close,
			}
		}, func(capacity, batch int) sides {
			return ringBatchSides(ring.NewSPSC[uint64](capacity, opts...), batch)
		}
}

func mpscSides(opts ...ring.Option) (func(int) sides, batchSides) {
	return func(capacity int) sides {
			q := ring.NewMPSC[uint64](capacity, opts...)
			return sides{
				produce: func(n int) {
					for i := range n {
						must(q.Enqueue(uint64(i)))
					}
				},
				consume: func() {
					for _, err := q.Dequeue(); err == nil; _, err = q.Dequeue() {
					}
				},
				close: q.Close,
			}
		}, func(capacity, batch int) sides {
			return ringBatchSides(ring.NewMPSC[uint64](capacity, opts...), batch)
		}
}

func mpmcSides(opts ...ring.Option) (func(int) sides, batchSides) {
	return func(capacity int) sides {
			q := ring.NewMPMC[uint64](capacity, opts...)
			return sides{
				produce: func(n int) {
					for i := range n {
						must(q.Enqueue(uint64(i)))
					}
				},
				consume: func() {
					for _, err := q.Dequeue(); err == nil; _, err = q.Dequeue() {
					}
				},
				close: q.Close,
			}
		}, func(capacity, batch int) sides {
			return ringBatchSides(ring.NewMPMC[uint64](capacity, opts...), batch)
		}
}

// ringBatchSides moves items batch at a time. A batch call costs a
// hundred times a dynamic call, so these sides go through ringQueue.
func ringBatchSides(q ringQueue, batch int) sides {
	return sides{
		produce: func(n int) {
			vs := make([]uint64, batch)
			for n > 0 {
				k, err := q.EnqueueBatch(vs[:min(n, batch)])
				must(err)
				n -= k
			}
		},
		consume: func() {
			dst := make([]uint64, batch)
			for _, err := q.DequeueBatch(dst); err == nil; _, err = q.DequeueBatch(dst) {
			}
		},
		close: q.Close,
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func ringImpl(name string, f func(...ring.Option) (func(int) sides, batchSides), opts ...ring.Option) impl {
	s, b := f(opts...)
	return impl{name: name, new: s, batch: b}
}

var (
	yield = ring.WithWaitPolicy(ring.WaitYield)

	chanImpl  = impl{name: "chan", new: chanSides}
	spscImpls = []impl{
		chanImpl,
		{name: "atomicsem.SPSCBuffer", new: spscBufferSides},
		ringImpl("ring", spscSides),
		ringImpl("ring.yield", spscSides, yield),
	}
	mpscImpls = []impl{
		chanImpl,
		{name: "atomicsem.MPMCBuffer", new: mpmcBufferSides},
		ringImpl("ring", mpscSides),
		ringImpl("ring.yield", mpscSides, yield),
	}
	mpmcImpls = []impl{
		chanImpl,
		{name: "atomicsem.MPMCBuffer", new: mpmcBufferSides},
		ringImpl("ring", mpmcSides),
		ringImpl("ring.yield", mpmcSides, yield),
	}
)

// prodCons moves b.N items from P producers to C consumers, in the shape
// of runtime/chan_test.go's benchmarkChanProdCons: every goroutine runs
// from the start, and the run ends when the consumers have drained the
// closed queue.
func prodCons(b *testing.B, s sides, P, C int) {
	var pwg, cwg sync.WaitGroup
	b.ResetTimer()
	for p := range P {
		n := b.N / P
		if p == 0 {
			n += b.N % P
		}
		pwg.Go(func() { s.produce(n) })
	}
	for range C {
		cwg.Go(s.consume)
	}
	pwg.Wait()
	s.close()
	cwg.Wait()
	b.StopTimer()
}

func benchShapes(b *testing.B, shapes [][2]int, impls []impl) {
	for _, sh := range shapes {
		P, C := sh[0], sh[1]
		for _, im := range impls {
			b.Run(fmt.Sprintf("P=%d/C=%d/cap=1024/impl=%s", P, C, im.name), func(b *testing.B) {
				prodCons(b, im.new(1024), P, C)
			})
		}
		for _, im := range impls {
			if im.batch == nil {
				continue
			}
			b.Run(fmt.Sprintf("P=%d/C=%d/cap=1024/batch=64/impl=%s", P, C, im.name), func(b *testing.B) {
				prodCons(b, im.batch(1024, 64), P, C)
			})
		}
	}
}

// BenchmarkSPSC compares SPSC with a channel and atomicsem's SPSCBuffer,
// one item at a time and in batches of 64.
func BenchmarkSPSC(b *testing.B) {
	benchShapes(b, [][2]int{{1, 1}}, spscImpls)
}

// BenchmarkMPSC compares MPSC with a channel and atomicsem's MPMCBuffer.
func BenchmarkMPSC(b *testing.B) {
	benchShapes(b, [][2]int{{1, 1}, {4, 1}, {8, 1}}, mpscImpls)
}

// BenchmarkMPMC compares MPMC with a channel and atomicsem's MPMCBuffer;
// 4x4 and 8x8 oversubscribe a 2-core machine.
func BenchmarkMPMC(b *testing.B) {
	benchShapes(b, [][2]int{{1, 1}, {2, 2}, {4, 4}, {8, 8}}, mpmcImpls)
}

// queue is what BenchmarkPingPong drives. A round trip costs hundreds of
// nanoseconds, so the interface call it adds does not matter there.
type queue interface {
	Enqueue(v uint64) error
	Dequeue() (uint64, error)
	Close()
}

// chanQueue is a buffered channel behind the queue interface.
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

// BenchmarkPingPong measures a round trip: one goroutine sends an item
// through one queue and waits for it to come back through another.
func BenchmarkPingPong(b *testing.B) {
	for _, im := range []struct {
		name string
		new  func() queue
	}{
		{"chan", func() queue { return make(chanQueue, 1) }},
		{"ring.SPSC", func() queue { return ring.NewSPSC[uint64](1) }},
		{"ring.SPSC.yield", func() queue { return ring.NewSPSC[uint64](1, yield) }},
		{"ring.MPMC", func() queue { return ring.NewMPMC[uint64](1) }},
	} {
		b.Run("impl="+im.name, func(b *testing.B) {
			ping, pong := im.new(), im.new()
			go func() {
				for v, err := ping.Dequeue(); err == nil; v, err = ping.Dequeue() {
					must(pong.Enqueue(v))
				}
				pong.Close()
			}()
			b.ResetTimer()
			for i := range b.N {
				must(ping.Enqueue(uint64(i)))
				if _, err := pong.Dequeue(); err != nil {
					panic(err)
				}
			}
			b.StopTimer()
			ping.Close()
			pong.Dequeue()
		})
	}
}
