package queuetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ringq/ringq/internal/qerr"
)

// notOurs ignores, in the leak checks that follow Close and cancelled
// contexts, the goroutine in which the js runtime handles its events: the
// runtime starts and ends it, not the queue.
var notOurs = goleak.IgnoreAnyFunction("runtime.handleEvent")

func testClose(t *testing.T, f Factory) {
	// Close while producers and consumers are busy with every method:
	// nothing that got in is lost, and everyone stops.
	t.Run("WhileBusy", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), notOurs)
		caps := []int{1, 2, 4, 64}
		sh := []shape{fit(f, shape{4, 4}), fit(f, shape{16, 16}), fit(f, shape{1, 4}), fit(f, shape{4, 1})}
		for round := range scaled(600) {
			c, s := caps[round%len(caps)], sh[round/len(caps)%len(sh)]
			if err := closeWhileBusy(f.New(c), s, uint64(round)); err != nil {
				t.Fatalf("round %d, cap %d, %v: %v", round, c, s, err)
			}
		}
	})
	t.Run("WakesBlockedProducers", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), notOurs)
		for _, group := range callGroups(f.SingleProducer, enqueueCalls(f)) {
			q := f.New(2)
			var want []uint64
			for v := uint64(1); q.TryEnqueue(v); v++ {
				want = append(want, v)
			}
			if err := closeReleases(q, group); err != nil {
				t.Fatal(err)
			}
			if err := drainClosed(q, want); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("WakesBlockedConsumers", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), notOurs)
		for _, group := range callGroups(f.SingleConsumer, dequeueCalls(f)) {
			q := f.New(2)
			if err := closeReleases(q, group); err != nil {
				t.Fatal(err)
			}
			if err := drainClosed(q, nil); err != nil {
				t.Fatal(err)
			}
		}
	})
	// Many goroutines close at once, while consumers are blocked.
	t.Run("Concurrent", func(t *testing.T) {
		defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), notOurs)
		for range scaled(200) {
			q := f.New(4)
			s := fit(f, shape{1, 4})
			results := make(chan error, s.c)
			for range s.c {
				go func() {
					_, err := q.Dequeue()
					results <- err
				}()
			}
			together(8, func(int) { q.Close() })
			for range s.c {
				if err := awaitResult(results, "Dequeue blocked on an empty queue"); !errors.Is(err, qerr.ErrClosed) {
					t.Fatalf("after Close from 8 goroutines at once: %v, want ErrClosed", err)
				}
			}
			if err := drainClosed(q, nil); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// closeWhileBusy runs s.p producers and s.c consumers with every method on
// q, closes q once items are moving, and checks that every item that got
// in came out once, in each producer's order, and that the closed queue
// refuses everything.
func closeWhileBusy(q Queue[uint64], s shape, seed uint64) error {
	var (
		errs           errList
		sent           = make([]int, s.p)
		got            = make([][]uint64, s.c)
		moved          = make([]atomic.Int64, s.c) // items each consumer has got
		closing        atomic.Bool                 // set before Close
		closed         atomic.Bool                 // set after Close
		producers, all sync.WaitGroup
	)
	for p := range s.p {
		producers.Add(1)
		all.Go(func() {
			defer producers.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(p)))
			n, err := produce(q, p, min(1<<seqBits-1, math.MaxInt), modeMixed, rng, &closing)
			sent[p] = n
			errs.add(err)
		})
	}
	for c := range s.c {
		all.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(1000+c)))
			vs, err := consume(q, modeMixed, rng, 64, &closed, &moved[c], nil)
			got[c] = vs
			errs.add(err)
		})
	}
	// Close once some items have moved, after a random number of moves so
	// that Close meets the queue full, empty and in between.
	target := int64(1 + rand.New(rand.NewPCG(seed, 0)).IntN(100))
	deadline := time.Now().Add(hangTimeout)
	for time.Now().Before(deadline) {
		var n int64
		for i := range moved {
			n += moved[i].Load()
		}
		if n >= target {
			break
		}
		runtime.Gosched()
	}
	closing.Store(true)
	q.Close()
	closed.Store(true)
	if err := waitTimeout(&all, hangTimeout, "producers and consumers after Close"); err != nil {
		return err
	}
	if err := errs.err(); err != nil {
		return err
	}
	if err := verify(got, sent); err != nil {
		return err
	}
	return drainClosed(q, nil)
}

// call is one blocking call on a queue, named for messages. It returns the
// number of items it moved and its error.
type call struct {
	name string
	do   func(q Queue[uint64]) (int, error)
}

func enqueueCalls(f Factory) []call {
	calls := []call{
		{"Enqueue", func(q Queue[uint64]) (int, error) { return 0, q.Enqueue(100) }},
		{"EnqueueContext", func(q Queue[uint64]) (int, error) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			return 0, q.EnqueueContext(ctx, 101)
		}},
	}
	if _, ok := f.New(1).(BatchQueue[uint64]); ok {
		calls = append(calls, call{"EnqueueBatch", func(q Queue[uint64]) (int, error) {
			return q.(BatchQueue[uint64]).EnqueueBatch([]uint64{102, 103, 104})
		}}, call{"EnqueueBatchContext", func(q Queue[uint64]) (int, error) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			return q.(BatchQueue[uint64]).EnqueueBatchContext(ctx, []uint64{105, 106, 107})
		}})
	}
	return calls
}

func dequeueCalls(f Factory) []call {
	calls := []call{
		{"Dequeue", func(q Queue[uint64]) (int, error) {
			v, err := q.Dequeue()
			return int(v), err
		}},
		{"DequeueContext", func(q Queue[uint64]) (int, error) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			v, err := q.DequeueContext(ctx)
			return int(v), err
		}},
	}
	if _, ok := f.New(1).(BatchQueue[uint64]); ok {
		calls = append(calls, call{"DequeueBatch", func(q Queue[uint64]) (int, error) {
			return q.(BatchQueue[uint64]).DequeueBatch(make([]uint64, 3))
		}}, call{"DequeueBatchContext", func(q Queue[uint64]) (int, error) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			return q.(BatchQueue[uint64]).DequeueBatchContext(ctx, make([]uint64, 3))
		}})
	}
	return calls
}

// callGroups returns the groups of calls to block at once: each call alone
// when only one goroutine may be on that side, else every call twice.
func callGroups(single bool, calls []call) [][]call {
	if single {
		groups := make([][]call, len(calls))
		for i, c := range calls {
			groups[i] = []call{c}
		}
		return groups
	}
	return [][]call{append(calls, calls...)}
}

// closeReleases starts calls that must block on q, checks that they are
// still blocked a while later, closes q and checks that each returns
// (0, ErrClosed) promptly.
func closeReleases(q Queue[uint64], calls []call) error {
	type result struct {
		n   int
		err error
	}
	results := make([]chan result, len(calls))
	for i, c := range calls {
		results[i] = make(chan result, 1)
		go func() {
			n, err := c.do(q)
			results[i] <- result{n, err}
		}()
	}
	time.Sleep(blockedFor)
	for i, c := range calls {
		select {
		case r := <-results[i]:
			return fmt.Errorf("%s returned (%d, %v) before Close, on a queue where it must wait", c.name, r.n, r.err)
		default:
		}
	}
	q.Close()
	timer := time.NewTimer(wakeTimeout)
	defer timer.Stop()
	for i, c := range calls {
		select {
		case r := <-results[i]:
			if r.n != 0 || !errors.Is(r.err, qerr.ErrClosed) {
				return fmt.Errorf("%s blocked at Close returned (%d, %v), want (0, ErrClosed)", c.name, r.n, r.err)
			}
		case <-timer.C:
			return fmt.Errorf("%s blocked at Close did not return within %v of it\n%s", c.name, wakeTimeout, stacks())
		}
	}
	return nil
}

// drainClosed checks that the closed queue q refuses every enqueue, gives
// want in order and then refuses every dequeue.
func drainClosed(q Queue[uint64], want []uint64) error {
	var errs errList
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bq, _ := q.(BatchQueue[uint64])
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs.addf("closed queue: "+format, args...)
		}
	}
	check(q.Len() == len(want), "Len() = %d, want %d", q.Len(), len(want))
	if c, ok := q.(Closer); ok {
		check(c.Closed(), "Closed() = false")
	}
	check(!q.TryEnqueue(1), "TryEnqueue succeeded")
	err := q.Enqueue(1)
	check(errors.Is(err, qerr.ErrClosed), "Enqueue = %v, want ErrClosed", err)
	err = q.EnqueueContext(ctx, 1)
	check(errors.Is(err, qerr.ErrClosed), "EnqueueContext = %v, want ErrClosed", err)
	if bq != nil {
		n := bq.TryEnqueueBatch([]uint64{1, 2})
		check(n == 0, "TryEnqueueBatch = %d, want 0", n)
		n, err = bq.EnqueueBatch([]uint64{1, 2})
		check(n == 0 && errors.Is(err, qerr.ErrClosed), "EnqueueBatch = (%d, %v), want (0, ErrClosed)", n, err)
		n, err = bq.EnqueueBatch(nil)
		check(n == 0 && errors.Is(err, qerr.ErrClosed), "EnqueueBatch(nil) = (%d, %v), want (0, ErrClosed)", n, err)
	}
	for i, w := range want {
		var v uint64
		var err error
		switch i % 3 {
		case 0:
			v, err = q.Dequeue()
		case 1:
			v, err = q.DequeueContext(ctx)
		case 2:
			var ok bool
			v, ok = q.TryDequeue()
			check(ok, "TryDequeue failed with %d items left", len(want)-i)
		}
		check(v == w && err == nil, "dequeue %d of %d = (%#x, %v), want (%#x, nil)", i+1, len(want), v, err, w)
	}
	for range 2 {
		v, ok := q.TryDequeue()
		check(!ok, "TryDequeue once drained = (%#x, true), want false", v)
		v, err = q.Dequeue()
		check(errors.Is(err, qerr.ErrClosed), "Dequeue once drained = (%#x, %v), want ErrClosed", v, err)
		v, err = q.DequeueContext(ctx)
		check(errors.Is(err, qerr.ErrClosed), "DequeueContext once drained = (%#x, %v), want ErrClosed", v, err)
		if bq != nil {
			n := bq.TryDequeueBatch(make([]uint64, 2))
			check(n == 0, "TryDequeueBatch once drained = %d, want 0", n)
			n, err = bq.DequeueBatch(make([]uint64, 2))
			check(n == 0 && errors.Is(err, qerr.ErrClosed), "DequeueBatch once drained = (%d, %v), want (0, ErrClosed)", n, err)
			n, err = bq.DequeueBatch(nil)
			check(n == 0 && errors.Is(err, qerr.ErrClosed), "DequeueBatch(nil) once drained = (%d, %v), want (0, ErrClosed)", n, err)
		}
		q.Close() // idempotent
	}
	check(q.Len() == 0, "Len() = %d once drained", q.Len())
	return errs.err()
}

// awaitResult returns the first value from results, or an error with every
// goroutine's stack if none comes within wakeTimeout.
func awaitResult(results <-chan error, what string) error {
	timer := time.NewTimer(wakeTimeout)
	defer timer.Stop()
	select {
	case err := <-results:
		return err
	case <-timer.C:
		return fmt.Errorf("%s did not return within %v\n%s", what, wakeTimeout, stacks())
	}
}
