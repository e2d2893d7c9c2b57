package queuetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ringq/ringq/internal/qerr"
)

// mode is the set of methods the goroutines of a stress run call.
type mode uint8

const (
	modeTry      mode = iota // TryEnqueue and TryDequeue, yielding on failure
	modeBlocking             // Enqueue and Dequeue, then Close to end
	modeMixed                // every method, picked at random per call, then Close
	modeBatch                // the batch methods only, then Close
)

func (m mode) String() string {
	return [...]string{"Try", "Blocking", "Mixed", "Batch"}[m]
}

// Items carry their producer in the high bits and their sequence number in
// the low seqBits. Producer p is stored as p+1 so that no item is zero: a
// zero from a queue is a slot read before it was written.
const seqBits = 40

func item(p, s int) uint64 { return uint64(p+1)<<seqBits | uint64(s) }

func unitem(v uint64) (p, s int) { return int(v>>seqBits) - 1, int(v & (1<<seqBits - 1)) }

// stressConfig is one stress run.
type stressConfig struct {
	shape
	perProducer int // items each producer enqueues
	mode        mode
	seed        uint64
}

func (c stressConfig) String() string {
	return fmt.Sprintf("%v %v, %d items each", c.mode, c.shape, c.perProducer)
}

func testStress(t *testing.T, f Factory) {
	modes := []mode{modeTry, modeBlocking, modeMixed}
	if _, ok := f.New(1).(BatchQueue[uint64]); ok {
		modes = append(modes, modeBatch)
	}
	total := scaled(60000)
	for _, m := range modes {
		t.Run(m.String(), func(t *testing.T) {
			for i, s := range shapes(f) {
				// Each shape runs at a small capacity, where the queue is
				// full or empty nearly always, and a larger one.
				small := []int{1, 2}[(i+int(m))%2]
				large := []int{16, 1024}[(i+int(m))%2]
				for _, c := range []int{small, large} {
					t.Run(fmt.Sprintf("%v/cap=%d", s, c), func(t *testing.T) {
						cfg := stressConfig{shape: s, perProducer: max(total/s.p, 1), mode: m, seed: uint64(i)}
						if err := stress(f.New(c), cfg); err != nil {
							t.Fatal(err)
						}
					})
				}
			}
		})
	}
}

// stress moves cfg.p×cfg.perProducer unique items through q with cfg.p
// producers and cfg.c consumers, and checks that every item came out
// exactly once and, for each consumer, in the order its producer put them
// in. A watcher checks meanwhile that Len stays within [0, Cap].
func stress(q Queue[uint64], cfg stressConfig) error {
	var (
		errs     errList
		sent     = make([]int, cfg.p)
		got      = make([][]uint64, cfg.c)
		finished atomic.Bool // set once no more items can arrive
		prod     sync.WaitGroup
		cons     sync.WaitGroup
		watch    sync.WaitGroup
		stop     = make(chan struct{})
	)
	total := int64(cfg.p * cfg.perProducer)
	for p := range cfg.p {
		prod.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.seed, uint64(p)))
			n, err := produce(q, p, cfg.perProducer, cfg.mode, rng, nil)
			sent[p] = n
			errs.add(err)
		})
	}
	hold := &holdBack{allowed: max(total-int64(q.Cap()), 0), finished: &finished}
	for c := range cfg.c {
		cons.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.seed, uint64(1000+c)))
			vs, err := consume(q, cfg.mode, rng, int(total)/cfg.c, &finished, nil, hold)
			got[c] = vs
			errs.add(err)
		})
	}
	watch.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if n, c := q.Len(), q.Cap(); n < 0 || n > c {
				errs.addf("Len() = %d during %v, outside [0, Cap() = %d]", n, cfg, c)
				return
			}
			runtime.Gosched()
		}
	})
	defer func() {
		close(stop)
		watch.Wait()
	}()
	if err := waitTimeout(&prod, hangTimeout, fmt.Sprintf("producers of %v", cfg)); err != nil {
		return err
	}
	if cfg.mode != modeTry {
		q.Close()
	}
	finished.Store(true)
	if err := waitTimeout(&cons, hangTimeout, fmt.Sprintf("consumers of %v", cfg)); err != nil {
		return err
	}
	if err := errs.err(); err != nil {
		return err
	}
	for p, n := range sent {
		if n != cfg.perProducer {
			return fmt.Errorf("%v: producer %d got %d items in, want %d", cfg, p, n, cfg.perProducer)
		}
	}
	return verify(got, sent)
}

// produce enqueues producer p's items 0 … n-1 in order with the methods of
// mode m and returns how many got in: n, unless the queue was closed (it
// stops at the first ErrClosed, with no error) or a call failed. Once
// closing is set, a refused Try call is retried with the blocking call, to
// learn whether the queue is full or closed; closing may be nil.
func produce(q Queue[uint64], p, n int, m mode, rng *rand.Rand, closing *atomic.Bool) (int, error) {
	bq, _ := q.(BatchQueue[uint64])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	buf := make([]uint64, 16)
	kinds := 3 // TryEnqueue, Enqueue, EnqueueContext
	if bq != nil {
		kinds = 5 // and TryEnqueueBatch, EnqueueBatch
	}
	closer, _ := q.(Closer)
	for s := 0; s < n; {
		k := m.pick(rng, kinds)
		if k == 0 {
			wasClosed := closer != nil && closer.Closed()
			if q.TryEnqueue(item(p, s)) {
				if wasClosed {
					return s, fmt.Errorf("producer %d: TryEnqueue of item %d succeeded after Closed() reported true", p, s)
				}
				s++
				continue
			}
			if closing == nil || !closing.Load() {
				runtime.Gosched()
				continue
			}
			k = 1 // refused while closing: full or closed? Enqueue tells.
		}
		switch k {
		case 1, 2:
			var err error
			if k == 1 {
				err = q.Enqueue(item(p, s))
			} else {
				err = q.EnqueueContext(ctx, item(p, s))
			}
			if errors.Is(err, qerr.ErrClosed) && closing != nil {
				return s, nil
			}
			if err != nil {
				return s, fmt.Errorf("producer %d: enqueue of item %d: %w", p, s, err)
			}
			s++
		case 3, 4:
			vs := buf[:min(1+rng.IntN(len(buf)), n-s)]
			for i := range vs {
				vs[i] = item(p, s+i)
			}
			if k == 3 {
				got := bq.TryEnqueueBatch(vs)
				if got < 0 || got > len(vs) {
					return s, fmt.Errorf("producer %d: TryEnqueueBatch(%d items) = %d", p, len(vs), got)
				}
				s += got
				if got > 0 || closing == nil || !closing.Load() {
					if got == 0 {
						runtime.Gosched()
					}
					continue
				}
				// Refused while closing: full or closed? EnqueueBatch tells.
			}
			got, err := bq.EnqueueBatch(vs)
			if errors.Is(err, qerr.ErrClosed) && closing != nil && got >= 0 && got < len(vs) {
				return s + got, nil
			}
			if got != len(vs) || err != nil {
				return s + max(got, 0), fmt.Errorf("producer %d: EnqueueBatch(%d items) = (%d, %v), want (%d, nil)",
					p, len(vs), got, err, len(vs))
			}
			s += got
		}
	}
	return n, nil
}

// consume dequeues with the methods of mode m until the queue is drained
// for good (a blocking call reports ErrClosed, or a Try call fails after
// finished was set: no more items can arrive) and returns the items in the
// order it got them. It counts them in moved, unless moved is nil.
func consume(q Queue[uint64], m mode, rng *rand.Rand, hint int, finished *atomic.Bool, moved *atomic.Int64, hold *holdBack) ([]uint64, error) {
	bq, _ := q.(BatchQueue[uint64])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make([]uint64, 0, hint+hint/4)
	buf := make([]uint64, 16)
	kinds := 3 // TryDequeue, Dequeue, DequeueContext
	if bq != nil {
		kinds = 5 // and TryDequeueBatch, DequeueBatch
	}
	for {
		k := m.pick(rng, kinds)
		want := 1
		if k >= 3 {
			want = 1 + rng.IntN(len(buf))
		}
		want = hold.reserve(want)
		// Read before the attempt: a Try that fails after finished was set
		// means the queue is drained for good.
		wasFinished := finished.Load()
		if moved != nil {
			moved.Store(int64(len(out)))
		}
		switch k {
		case 0:
			v, ok := q.TryDequeue()
			if !ok {
				hold.release(1)
				if wasFinished {
					return out, nil
				}
				runtime.Gosched()
				continue
			}
			out = append(out, v)
		case 1, 2:
			var v uint64
			var err error
			if k == 1 {
				v, err = q.Dequeue()
			} else {
				v, err = q.DequeueContext(ctx)
			}
			if errors.Is(err, qerr.ErrClosed) {
				return out, nil
			}
			if err != nil {
				return out, fmt.Errorf("dequeue: %w", err)
			}
			out = append(out, v)
		case 3, 4:
			dst := buf[:want]
			var got int
			var err error
			if k == 3 {
				got = bq.TryDequeueBatch(dst)
			} else {
				got, err = bq.DequeueBatch(dst)
			}
			if got < 0 || got > len(dst) {
				return out, fmt.Errorf("batch dequeue into %d = %d", len(dst), got)
			}
			hold.release(len(dst) - got)
			out = append(out, dst[:got]...)
			switch {
			case k == 3 && got == 0 && wasFinished, k == 4 && errors.Is(err, qerr.ErrClosed):
				if got != 0 {
					return out, fmt.Errorf("DequeueBatch = (%d, ErrClosed), want (0, ErrClosed)", got)
				}
				return out, nil
			case err != nil:
				return out, fmt.Errorf("DequeueBatch: %w", err)
			case k == 4 && got == 0:
				return out, fmt.Errorf("DequeueBatch into %d = (0, nil): it must wait for an item", len(dst))
			case got == 0:
				runtime.Gosched()
			}
		}
	}
}

// holdBack keeps the consumers of a stress run from taking the last
// Cap() items before the producers are done, so that the queue is full
// when the run closes it: a queue that refuses or loses what it holds at
// Close then fails every run, not only the runs whose consumers happened
// to lag. A nil holdBack holds nothing back.
type holdBack struct {
	allowed  int64        // items the consumers may take before finished is set
	taken    atomic.Int64 // items taken, or reserved by a call in progress
	finished *atomic.Bool
}

// reserve waits until a consumer may take more items and returns how many
// of want it may take: at least 1.
func (h *holdBack) reserve(want int) int {
	if h == nil {
		return want
	}
	for {
		if h.finished.Load() {
			h.taken.Add(int64(want))
			return want
		}
		n := h.taken.Load()
		if k := min(int64(want), h.allowed-n); k > 0 {
			if h.taken.CompareAndSwap(n, n+k) {
				return int(k)
			}
			continue
		}
		runtime.Gosched()
	}
}

// release returns the k items of a reservation that a call did not take.
func (h *holdBack) release(k int) {
	if h != nil && k > 0 {
		h.taken.Add(-int64(k))
	}
}

// verify checks the items consumers got against the counts producers got
// in: each item exactly once, none that was never enqueued, and within
// each consumer each producer's items in increasing order.
func verify(got [][]uint64, sent []int) error {
	var errs errList
	seen := make([][]bool, len(sent))
	for p, n := range sent {
		seen[p] = make([]bool, n)
	}
	last := make([]int, len(sent))
	for c, vs := range got {
		for p := range last {
			last[p] = -1
		}
		for i, v := range vs {
			p, s := unitem(v)
			switch {
			case p < 0 || p >= len(sent) || s >= sent[p]:
				errs.addf("consumer %d got %#x as its item %d, which no producer enqueued", c, v, i)
				continue
			case seen[p][s]:
				errs.addf("producer %d's item %d came out twice (consumer %d got it again)", p, s, c)
			case s < last[p]:
				errs.addf("consumer %d got producer %d's item %d after its item %d", c, p, s, last[p])
			}
			seen[p][s] = true
			last[p] = s
		}
	}
	for p, ss := range seen {
		lost := 0
		first := -1
		for s, ok := range ss {
			if !ok {
				if first < 0 {
					first = s
				}
				lost++
			}
		}
		if lost > 0 {
			errs.addf("%d of producer %d's %d items were lost, the first its item %d", lost, p, len(ss), first)
		}
	}
	return errs.err()
}

// testWakeup runs the stress at capacities 1 and 2, where nearly every call
// waits and every wakeup matters, at GOMAXPROCS 1 and 2 with goroutines
// outnumbering processors: at GOMAXPROCS=1 a goroutine that spins instead
// of yielding or parking starves the one it waits for.
func testWakeup(t *testing.T, f Factory) {
	s := fit(f, shape{8, 8})
	for _, procs := range []int{1, 2} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			for _, c := range []int{1, 2} {
				for _, m := range []mode{modeBlocking, modeTry, modeMixed} {
					t.Run(fmt.Sprintf("cap=%d/%v/%v", c, m, s), func(t *testing.T) {
						cfg := stressConfig{shape: s, perProducer: scaled(24000) / s.p, mode: m, seed: uint64(c)}
						if err := stress(f.New(c), cfg); err != nil {
							t.Fatal(err)
						}
					})
				}
			}
		})
	}
}

// pick chooses the kind of call a producer or consumer makes next: 0 Try,
// 1 blocking, 2 Context, 3 Try batch, 4 blocking batch; kinds bounds the
// mixed mode's choice.
func (m mode) pick(rng *rand.Rand, kinds int) int {
	switch m {
	case modeBlocking:
		return 1
	case modeMixed:
		return rng.IntN(kinds)
	case modeBatch:
		return 3 + rng.IntN(2)
	}
	return 0
}
