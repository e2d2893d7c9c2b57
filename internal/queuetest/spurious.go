package queuetest

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ringq/ringq/internal/qerr"
)

func testNoSpuriousFailure(t *testing.T, f Factory) {
	// 8 goroutines × 4000 TryEnqueue into room for 1<<16 must all succeed,
	// however the goroutines collide; then draining concurrently must get
	// every item. The goroutines yield now and then, so that they also
	// interleave on one processor; the rounds give collisions more chances.
	t.Run("TryEnqueue8x4000", func(t *testing.T) {
		s := fit(f, shape{8, 8})
		per := 32000 / s.p
		for round := range 4 {
			q := f.New(1 << 16)
			var fails atomic.Int64
			sent := make([]int, s.p)
			together(s.p, func(p int) {
				for i := range per {
					if q.TryEnqueue(item(p, sent[p])) {
						sent[p]++
					} else {
						fails.Add(1)
					}
					if i%256 == 255 {
						runtime.Gosched()
					}
				}
			})
			if n := fails.Load(); n != 0 {
				t.Fatalf("round %d: %d of %d TryEnqueue calls failed on a queue of Cap %d that never held more than %d",
					round, n, s.p*per, q.Cap(), s.p*per)
			}
			if n := q.Len(); n != s.p*per {
				t.Fatalf("round %d: Len() = %d after %d TryEnqueue calls, want %d", round, n, s.p*per, s.p*per)
			}
			if err := drainTogether(q, s.c, sent); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	})
	// At capacities small and large, goroutines that each TryEnqueue until
	// refused must fill the queue exactly to Cap, and goroutines that each
	// TryDequeue until refused must then get every item.
	t.Run("FillAndDrainToCap", func(t *testing.T) {
		s := fit(f, shape{8, 8})
		for _, c := range []int{1, 2, 3, 64, 1024} {
			rounds := max(scaled(4000)/c, 4)
			for round := range rounds {
				q := f.New(c)
				sent := make([]int, s.p)
				together(s.p, func(p int) {
					for q.TryEnqueue(item(p, sent[p])) {
						sent[p]++
					}
				})
				total := 0
				for _, n := range sent {
					total += n
				}
				if total != q.Cap() || q.Len() != q.Cap() {
					t.Fatalf("cap %d, round %d: %d goroutines each calling TryEnqueue until it failed got %d items in, Len() = %d; want Cap() = %d",
						c, round, s.p, total, q.Len(), q.Cap())
				}
				if err := drainTogether(q, s.c, sent); err != nil {
					t.Fatalf("cap %d, round %d: %v", c, round, err)
				}
			}
		}
	})
}

// together runs fn(0) … fn(n-1) in n goroutines released at once, and
// waits for them.
func together(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}

// drainTogether has c goroutines call TryDequeue on q until it fails, and
// checks that together they got exactly the items that sent counts, each
// producer's in order.
func drainTogether(q Queue[uint64], c int, sent []int) error {
	got := make([][]uint64, c)
	together(c, func(i int) {
		for {
			v, ok := q.TryDequeue()
			if !ok {
				return
			}
			got[i] = append(got[i], v)
		}
	})
	if err := verify(got, sent); err != nil {
		return fmt.Errorf("%d goroutines calling TryDequeue until it failed on a full queue: %w", c, err)
	}
	if n := q.Len(); n != 0 {
		return fmt.Errorf("Len() = %d after TryDequeue failed everywhere, want 0", n)
	}
	return nil
}

func testNoLazyPublication(t *testing.T, f Factory) {
	// Once an enqueue has returned, a TryDequeue that starts afterwards
	// must see the item, even when another producer's earlier item is still
	// being written. One consumer, so that dequeued counts are exact.
	t.Run("Items", func(t *testing.T) {
		s := fit(f, shape{4, 1})
		for _, c := range []int{1, 4, 1024} {
			if err := noLazyItems(f.New(c), s.p, scaled(40000)/s.p); err != nil {
				t.Fatalf("cap %d: %v", c, err)
			}
		}
	})
	// Once a dequeue has returned, a TryEnqueue that starts afterwards must
	// see its room. One producer, so that enqueued counts are exact.
	t.Run("Room", func(t *testing.T) {
		s := fit(f, shape{1, 4})
		for _, c := range []int{1, 4, 1024} {
			if err := noLazyRoom(f.New(c), s.c, scaled(40000)); err != nil {
				t.Fatalf("cap %d: %v", c, err)
			}
		}
	})
}

// noLazyItems has p producers enqueue n items each, counting each once its
// enqueue has returned, and one consumer call TryDequeue, which must not
// fail while the count is ahead of what it has dequeued.
func noLazyItems(q Queue[uint64], p, n int) error {
	var (
		published atomic.Int64
		quit      atomic.Bool // the consumer gave up
		errs      errList
		wg        sync.WaitGroup
		got       = make([]uint64, 0, p*n)
	)
	for i := range p {
		wg.Go(func() {
			for s := range n {
				if s%2 == 0 {
					for !q.TryEnqueue(item(i, s)) {
						if quit.Load() {
							return
						}
						runtime.Gosched()
					}
				} else if err := q.Enqueue(item(i, s)); err != nil {
					errs.addf("producer %d: Enqueue: %v", i, err)
					return
				}
				published.Add(1)
			}
		})
	}
	wg.Go(func() {
		fails := 0
		for len(got) < p*n {
			pub := published.Load()
			v, ok := q.TryDequeue()
			if ok {
				got = append(got, v)
				continue
			}
			if pub > int64(len(got)) {
				if fails++; fails <= maxErrs {
					errs.addf("TryDequeue failed after %d enqueues had returned and %d dequeues: an item was published late",
						pub, len(got))
				}
				if fails > 1000 {
					quit.Store(true) // release the producers
					q.Close()
					return
				}
			}
			runtime.Gosched()
		}
	})
	if err := waitTimeout(&wg, hangTimeout, "no-lazy-publication run"); err != nil {
		return err
	}
	if err := errs.err(); err != nil {
		return err
	}
	sent := make([]int, p)
	for i := range sent {
		sent[i] = n
	}
	return verify([][]uint64{got}, sent)
}

// noLazyRoom has one producer enqueue n items with TryEnqueue, which must
// not fail while fewer than Cap items are in: enqueued minus the dequeues
// that have returned. c consumers count each dequeue once it has returned.
func noLazyRoom(q Queue[uint64], c, n int) error {
	var (
		freed atomic.Int64
		quit  atomic.Bool // a consumer gave up
		errs  errList
		wg    sync.WaitGroup
		got   = make([][]uint64, c)
	)
	wg.Go(func() {
		defer q.Close()
		fails := 0
		for s := 0; s < n; {
			fr := freed.Load()
			if q.TryEnqueue(item(0, s)) {
				s++
				continue
			}
			if quit.Load() {
				return
			}
			if int64(s)-fr < int64(q.Cap()) {
				if fails++; fails <= maxErrs {
					errs.addf("TryEnqueue failed with %d items enqueued and %d dequeues returned, Cap() = %d: room was published late",
						s, fr, q.Cap())
				}
			}
			runtime.Gosched()
		}
	})
	for i := range c {
		wg.Go(func() {
			for {
				v, err := q.Dequeue()
				if errors.Is(err, qerr.ErrClosed) {
					return
				}
				if err != nil {
					errs.addf("consumer %d: Dequeue: %v", i, err)
					quit.Store(true)
					return
				}
				got[i] = append(got[i], v)
				freed.Add(1)
			}
		})
	}
	if err := waitTimeout(&wg, hangTimeout, "no-lazy-room run"); err != nil {
		return err
	}
	if err := errs.err(); err != nil {
		return err
	}
	return verify(got, []int{n})
}
