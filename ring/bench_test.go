package ring_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

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

// sides are the two loops of a benchmark, each called once per goroutine.
// The loops call the queue's methods on its own type (spscSides and its
// kin), not through one interface for every queue: an earlier harness
// that did took 16-19 ns for an enqueue and a dequeue on one goroutine
// where direct calls took 12-13, and MPMC 1x1 17.8 ns an item where
// direct calls took 12.1 (bench/results/ring-floors.txt), which squeezed
// every ratio towards 1.
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

// The single-item sides are written out for each queue type, not made
// by one generic function: a method called through a type parameter is an
// indirect call that Go does not inline, and with generic sides ring.SPSC
// measured 12.2 ns an item against 11.1 (bench/results/hot-calls.txt). A
// user calls the methods on the queue's own type.

func spscSides(q *ring.SPSC[uint64]) sides {
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

func mpscSides(q *ring.MPSC[uint64]) sides {
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

func mpmcSides(q *ring.MPMC[uint64]) sides {
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

func spscBufferSides(q *atomicsem.SPSCBuffer[uint64]) sides {
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

func mpmcBufferSides(q *atomicsem.MPMCBuffer[uint64]) sides {
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

// ringQueue is the method set of the three rings that these benchmarks
// use.
type ringQueue interface {
	queue[uint64]
	batchQueue[uint64]
}

// batchQueue is a queue of T that moves batches.
type batchQueue[T any] interface {
	EnqueueBatch(vs []T) (int, error)
	DequeueBatch(dst []T) (int, error)
	Close()
}

// ringBatchSides moves items batch at a time. A batch call costs a
// hundred times a dynamic call, so these sides go through batchQueue.
func ringBatchSides[T any](q batchQueue[T], batch int) sides {
	return sides{
		produce: func(n int) {
			vs := make([]T, batch)
			for n > 0 {
				k, err := q.EnqueueBatch(vs[:min(n, batch)])
				must(err)
				n -= k
			}
		},
		consume: func() {
			dst := make([]T, batch)
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

// ringImpl is a ring made by newRing, one item at a time (through single)
// and in batches.
func ringImpl[Q ringQueue](name string, newRing func(capacity int, opts ...ring.Option) Q, single func(Q) sides, opts ...ring.Option) impl {
	return impl{
		name:  name,
		new:   func(n int) sides { return single(newRing(n, opts...)) },
		batch: func(n, batch int) sides { return ringBatchSides[uint64](newRing(n, opts...), batch) },
	}
}

var (
	yield = ring.WithWaitPolicy(ring.WaitYield)

	chanImpl  = impl{name: "chan", new: chanSides}
	spscImpls = []impl{
		chanImpl,
		{name: "atomicsem.SPSCBuffer", new: func(n int) sides { return spscBufferSides(atomicsem.NewSPSCBuffer[uint64](n)) }},
		ringImpl("ring", ring.NewSPSC[uint64], spscSides),
		ringImpl("ring.yield", ring.NewSPSC[uint64], spscSides, yield),
		ringImpl("ring.fenced", ring.NewSPSC[uint64], spscSides, ring.WithoutMembarrier()),
	}
	mpmcBuffer = impl{name: "atomicsem.MPMCBuffer", new: func(n int) sides { return mpmcBufferSides(atomicsem.NewMPMCBuffer[uint64](n)) }}
	mpscImpls  = []impl{
		chanImpl,
		mpmcBuffer,
		ringImpl("ring", ring.NewMPSC[uint64], mpscSides),
		ringImpl("ring.yield", ring.NewMPSC[uint64], mpscSides, yield),
	}
	mpmcImpls = []impl{
		chanImpl,
		mpmcBuffer,
		ringImpl("ring", ring.NewMPMC[uint64], mpmcSides),
		ringImpl("ring.yield", ring.NewMPMC[uint64], mpmcSides, yield),
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
// one item at a time and in batches of 64, under each wait policy and,
// as ring.fenced, WithoutMembarrier.
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

// queue is what BenchmarkPingPong and BenchmarkItems drive. A round trip
// costs hundreds of nanoseconds, so the interface call it adds does not
// matter there; BenchmarkItems compares item sizes, each row paying it.
type queue[T any] interface {
	Enqueue(v T) error
	Dequeue() (T, error)
	Close()
}

// chanQueue is a buffered channel behind the queue interface.
type chanQueue[T any] chan T

func (c chanQueue[T]) Enqueue(v T) error { c <- v; return nil }
func (c chanQueue[T]) Close()            { close(c) }
func (c chanQueue[T]) Dequeue() (T, error) {
	v, ok := <-c
	if !ok {
		return v, ring.ErrClosed
	}
	return v, nil
}

// pingPongImpls are the queues the ping-pong benchmarks pass an item
// through, there and back, each of capacity 1.
var pingPongImpls = []struct {
	name string
	new  func() queue[uint64]
}{
	{"chan", func() queue[uint64] { return make(chanQueue[uint64], 1) }},
	{"ring.SPSC", func() queue[uint64] { return ring.NewSPSC[uint64](1) }},
	{"ring.SPSC.yield", func() queue[uint64] { return ring.NewSPSC[uint64](1, yield) }},
	// NewSPSC builds a Vyukov ring under 32 slots; this is Lamport's.
	{"ring.SPSC.lamport", func() queue[uint64] { return ring.NewLamportAt[uint64](1, 0) }},
	{"ring.MPMC", func() queue[uint64] { return ring.NewMPMC[uint64](1) }},
}

// BenchmarkPingPong measures a round trip: one goroutine sends an item
// through one queue and waits for it to come back through another.
func BenchmarkPingPong(b *testing.B) {
	for _, im := range pingPongImpls {
		b.Run("impl="+im.name, func(b *testing.B) { pingPong(b, im.new(), im.new(), nil) })
	}
}

// BenchmarkPingPongTail is BenchmarkPingPong with every round trip timed:
// it reports their median and 99th percentile as ns/p50 and ns/p99. Each
// time includes one reading of the monotonic clock (time.Since, about 25
// ns on ringq's 2-core AMD EPYC), and so does ns/op, which here is the
// mean of the times; the untimed mean is BenchmarkPingPong's.
func BenchmarkPingPongTail(b *testing.B) {
	for _, im := range pingPongImpls {
		b.Run("impl="+im.name, func(b *testing.B) {
			rtt := make([]time.Duration, b.N)
			pingPong(b, im.new(), im.new(), rtt)
			slices.Sort(rtt)
			b.ReportMetric(float64(rtt[len(rtt)/2]), "ns/p50")
			b.ReportMetric(float64(rtt[len(rtt)*99/100]), "ns/p99")
		})
	}
}

// pingPong runs b.N round trips through ping and back through pong, and,
// if rtt is not nil, stores each one's time in rtt, which has b.N
// elements: the clock is read once a round trip, at its end, which is
// where the next one starts.
func pingPong(b *testing.B, ping, pong queue[uint64], rtt []time.Duration) {
	go func() {
		for v, err := ping.Dequeue(); err == nil; v, err = ping.Dequeue() {
			must(pong.Enqueue(v))
		}
		pong.Close()
	}()
	b.ResetTimer()
	start := time.Now()
	last := time.Duration(0)
	for i := range b.N {
		must(ping.Enqueue(uint64(i)))
		if _, err := pong.Dequeue(); err != nil {
			panic(err)
		}
		if rtt != nil {
			now := time.Since(start)
			rtt[i], last = now-last, now
		}
	}
	b.StopTimer()
	ping.Close()
	pong.Dequeue()
}

// BenchmarkItems moves items of four sizes, beside a channel of the same
// items: 8-byte ones, strings (whose 24-byte slots are not padded), 32-byte
// ones (whose 40-byte slots are padded to a 128-byte block on amd64) and
// 64-byte ones (72-byte slots, padded likewise); see slotType. The calls go
// through an interface, which costs every row about a nanosecond.
func BenchmarkItems(b *testing.B) {
	benchItems[uint64](b, "8B")
	benchItems[string](b, "string")
	benchItems[[4]uint64](b, "32B")
	benchItems[[8]uint64](b, "64B")
}

func benchItems[T any](b *testing.B, item string) {
	for _, sh := range [][2]int{{1, 1}, {4, 1}, {4, 4}} {
		P, C := sh[0], sh[1]
		name := func(impl string) string {
			return fmt.Sprintf("item=%s/P=%d/C=%d/cap=1024/%s", item, P, C, impl)
		}
		b.Run(name("impl=chan"), func(b *testing.B) { moveItems(b, make(chanQueue[T], 1024), P, C) })
		if C == 1 {
			b.Run(name("impl=ring.MPSC"), func(b *testing.B) { moveItems[T](b, ring.NewMPSC[T](1024), P, C) })
		}
		b.Run(name("impl=ring.MPMC"), func(b *testing.B) { moveItems[T](b, ring.NewMPMC[T](1024), P, C) })
		b.Run(name("batch=64/impl=ring.MPMC"), func(b *testing.B) { prodCons(b, ringBatchSides[T](ring.NewMPMC[T](1024), 64), P, C) })
	}
}

// moveItems moves b.N zero items from P producers to C consumers, as
// prodCons does.
func moveItems[T any](b *testing.B, q queue[T], P, C int) {
	prodCons(b, queueSides(q), P, C)
}

// queueSides moves zero items through q, calling its methods through the
// queue interface.
func queueSides[T any](q queue[T]) sides {
	var v T
	return sides{
		produce: func(n int) {
			for range n {
				must(q.Enqueue(v))
			}
		},
		consume: func() {
			for _, err := q.Dequeue(); err == nil; _, err = q.Dequeue() {
			}
		},
		close: q.Close,
	}
}
