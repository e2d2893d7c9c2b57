package queuetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ringq/ringq/internal/qerr"
)

func testContext(t *testing.T, f Factory) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(), notOurs)
	// full returns a queue of capacity 2 filled with 1, 2, ….
	full := func() (Queue[uint64], []uint64) {
		q := f.New(2)
		var vs []uint64
		for v := uint64(1); q.TryEnqueue(v); v++ {
			vs = append(vs, v)
		}
		return q, vs
	}
	type ctxCase struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}
	cases := []ctxCase{
		{"Deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), blockedFor)
		}, context.DeadlineExceeded},
		{"Cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(blockedFor, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"AlreadyCancelled", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, context.Canceled},
	}
	for _, tc := range cases {
		t.Run("DequeueEmpty/"+tc.name, func(t *testing.T) {
			q := f.New(2)
			ctx, cancel := tc.ctx()
			defer cancel()
			err := returns(func() error {
				v, err := q.DequeueContext(ctx)
				if err != nil && v != 0 {
					return fmt.Errorf("returned %#x with error %w", v, err)
				}
				return err
			}, "DequeueContext on an empty queue")
			if !errors.Is(err, tc.want) {
				t.Fatalf("DequeueContext on an empty queue: %v, want %v", err, tc.want)
			}
			// The queue still works, and the cancelled call took nothing.
			if err := runProgram(q, ops(opTryEnqueue, opDequeue, opTryDequeue)); err != nil {
				t.Fatalf("after the cancelled DequeueContext: %v", err)
			}
		})
		t.Run("EnqueueFull/"+tc.name, func(t *testing.T) {
			q, want := full()
			ctx, cancel := tc.ctx()
			defer cancel()
			err := returns(func() error { return q.EnqueueContext(ctx, 99) }, "EnqueueContext on a full queue")
			if !errors.Is(err, tc.want) {
				t.Fatalf("EnqueueContext on a full queue: %v, want %v", err, tc.want)
			}
			// The cancelled item did not get in.
			q.Close()
			if err := drainClosed(q, want); err != nil {
				t.Fatalf("after the cancelled EnqueueContext: %v", err)
			}
		})
	}
	if _, ok := f.New(1).(BatchQueue[uint64]); ok {
		for _, tc := range cases {
			t.Run("DequeueBatchEmpty/"+tc.name, func(t *testing.T) {
				q := f.New(2).(BatchQueue[uint64])
				ctx, cancel := tc.ctx()
				defer cancel()
				dst := sentinels(3)
				err := returns(func() error {
					n, err := q.DequeueBatchContext(ctx, dst)
					if n != 0 || dst[0] != sentinel {
						return fmt.Errorf("returned %d with dst %#x and error %w", n, dst, err)
					}
					return err
				}, "DequeueBatchContext on an empty queue")
				if !errors.Is(err, tc.want) {
					t.Fatalf("DequeueBatchContext on an empty queue: %v, want %v", err, tc.want)
				}
				if err := runProgram(q, []step{{op: opTryEnqueueBatch, n: 2}, {op: opDequeueBatch, n: 3}, {op: opTryDequeue}}); err != nil {
					t.Fatalf("after the cancelled DequeueBatchContext: %v", err)
				}
			})
			// A batch larger than the room gets in as far as it fits; the
			// rest waits for room until ctx is done, and the items that
			// got in stay, in order.
			t.Run("EnqueueBatchPartial/"+tc.name, func(t *testing.T) {
				q, want := full()
				bq := q.(BatchQueue[uint64])
				v, ok := q.TryDequeue()
				if !ok || v != want[0] {
					t.Fatalf("TryDequeue on a full queue = (%d, %v), want (%d, true)", v, ok, want[0])
				}
				want = want[1:]
				vs := []uint64{97, 98, 99}
				ctx, cancel := tc.ctx()
				defer cancel()
				var n int
				err := returns(func() (err error) {
					n, err = bq.EnqueueBatchContext(ctx, vs)
					return err
				}, "EnqueueBatchContext with room for one")
				if !errors.Is(err, tc.want) || n != 1 {
					t.Fatalf("EnqueueBatchContext of 3 with room for 1 = (%d, %v), want (1, %v)", n, err, tc.want)
				}
				q.Close()
				if err := drainClosed(q, append(want, vs[:1]...)); err != nil {
					t.Fatalf("after the cancelled EnqueueBatchContext: %v", err)
				}
			})
		}
	}
	t.Run("NilContext", func(t *testing.T) { testNilContext(t, f) })
	// A waiter whose context ends must not take with it the wakeup meant
	// for the next item or the next room: another waiter gets it.
	concurrent := map[bool]string{true: "Concurrent", false: "OneAtATime"}
	t.Run("CancelledConsumerPassesItemOn", func(t *testing.T) {
		for _, sleep := range []bool{true, false} {
			rounds := 2
			if !sleep {
				rounds = scaled(2000)
			}
			for round := range rounds {
				if err := cancelledConsumerRound(f.New(1+round%2), !f.SingleConsumer, sleep); err != nil {
					t.Fatalf("%s, round %d, waiting first %v: %v", concurrent[!f.SingleConsumer], round, sleep, err)
				}
			}
		}
	})
	t.Run("CancelledProducerPassesRoomOn", func(t *testing.T) {
		for _, sleep := range []bool{true, false} {
			rounds := 2
			if !sleep {
				rounds = scaled(2000)
			}
			for round := range rounds {
				if err := cancelledProducerRound(f.New(1), !f.SingleProducer, sleep); err != nil {
					t.Fatalf("%s, round %d, waiting first %v: %v", concurrent[!f.SingleProducer], round, sleep, err)
				}
			}
		}
	})
}

// testNilContext checks what a Context method does with a nil Context, a
// caller's bug: where the call has to wait, it panics with a
// package-prefixed message, not with a nil dereference; where it need
// not wait, it may go on without looking at ctx (as the fast paths do, at
// no cost), but if it panics, the message is package-prefixed too.
func testNilContext(t *testing.T, f Factory) {
	var nilCtx context.Context // a nil Context, as a caller's bug passes it
	full := func() Queue[uint64] {
		q := f.New(1)
		for v := uint64(1); q.TryEnqueue(v); v++ {
		}
		return q
	}
	empty := func() Queue[uint64] { return f.New(2) }
	halfFull := func() Queue[uint64] {
		q := f.New(2)
		q.TryEnqueue(1)
		return q
	}
	closed := func() Queue[uint64] {
		q := f.New(2)
		q.Close()
		return q
	}
	// Each call, and a queue it has to wait on.
	type call struct {
		name  string
		fn    func(q Queue[uint64]) error
		waits func() Queue[uint64]
	}
	calls := []call{
		{"EnqueueContext", func(q Queue[uint64]) error { return q.EnqueueContext(nilCtx, 7) }, full},
		{"DequeueContext", func(q Queue[uint64]) error { _, err := q.DequeueContext(nilCtx); return err }, empty},
	}
	if _, ok := f.New(1).(BatchQueue[uint64]); ok {
		calls = append(calls,
			call{"EnqueueBatchContext", func(q Queue[uint64]) error {
				_, err := q.(BatchQueue[uint64]).EnqueueBatchContext(nilCtx, []uint64{7, 8})
				return err
			}, full},
			call{"DequeueBatchContext", func(q Queue[uint64]) error {
				_, err := q.(BatchQueue[uint64]).DequeueBatchContext(nilCtx, make([]uint64, 2))
				return err
			}, empty})
	}
	for _, c := range calls {
		// Where it must wait, it must panic.
		checkPanics(t, c.name+"(nil) where it has to wait", func() { _ = c.fn(c.waits()) })
		// Where it need not wait: done, ErrClosed, or a prefixed panic.
		for _, st := range []struct {
			name string
			make func() Queue[uint64]
			want error
		}{{"HalfFull", halfFull, nil}, {"ClosedDrained", closed, qerr.ErrClosed}} {
			var err error
			if r := recovered(func() { err = c.fn(st.make()) }); r != nil {
				if !prefixed(r) {
					t.Errorf("%s(nil) on a %s queue panicked with %#v, want a package-prefixed string", c.name, st.name, r)
				}
				continue
			}
			if !errors.Is(err, st.want) {
				t.Errorf("%s(nil) on a %s queue: %v, want %v", c.name, st.name, err, st.want)
			}
		}
	}
}

// returns runs fn in a goroutine and returns its error, or an error that
// says fn hung if it has not returned within wakeTimeout.
func returns(fn func() error, what string) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	return awaitResult(done, what)
}

// result is what a blocking call returned.
type result struct {
	v   uint64
	err error
}

// await returns the result from c, or an error result if none comes
// within wakeTimeout.
func await(c <-chan result, what string) result {
	timer := time.NewTimer(wakeTimeout)
	defer timer.Stop()
	select {
	case r := <-c:
		return r
	case <-timer.C:
		return result{err: fmt.Errorf("%s did not return within %v: a lost wakeup?\n%s", what, wakeTimeout, stacks())}
	}
}

// cancelledConsumerRound blocks consumer A, whose context gets cancelled,
// and consumer B on an empty queue (B after A returns, unless concurrent),
// then cancels A while an item arrives. Either A takes the item, or B must.
// With sleep, A and B have time to park before the race.
func cancelledConsumerRound(q Queue[uint64], concurrent, sleep bool) error {
	ctxA, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	ra, rb := make(chan result, 1), make(chan result, 1)
	startB := func() {
		go func() {
			v, err := q.Dequeue()
			rb <- result{v, err}
		}()
	}
	go func() {
		v, err := q.DequeueContext(ctxA)
		ra <- result{v, err}
	}()
	if sleep {
		time.Sleep(blockedFor)
	}
	if concurrent {
		startB()
		if sleep {
			time.Sleep(blockedFor)
		}
	}
	var added bool
	together(2, func(i int) {
		if i == 0 {
			cancelA()
		} else {
			added = q.TryEnqueue(7)
		}
	})
	if !added {
		return errors.New("TryEnqueue on an empty queue failed")
	}
	a := await(ra, "consumer A")
	switch {
	case a.err == nil && a.v == 7:
		// A won the item before it saw its context end; B needs another.
		if !concurrent {
			startB()
		}
		if !q.TryEnqueue(8) {
			return errors.New("TryEnqueue on an empty queue failed")
		}
		if b := await(rb, "consumer B"); b.v != 8 || b.err != nil {
			return fmt.Errorf("consumer B got (%#x, %v), want (0x8, nil)", b.v, b.err)
		}
	case errors.Is(a.err, context.Canceled) && a.v == 0:
		if !concurrent {
			startB()
		}
		if b := await(rb, "consumer B, after A was cancelled"); b.v != 7 || b.err != nil {
			return fmt.Errorf("consumer A was cancelled; consumer B got (%#x, %v), want (0x7, nil)", b.v, b.err)
		}
	default:
		return fmt.Errorf("consumer A got (%#x, %v), want (0x7, nil) or context.Canceled", a.v, a.err)
	}
	if n := q.Len(); n != 0 {
		return fmt.Errorf("Len() = %d after both consumers got an item, want 0", n)
	}
	return nil
}

// cancelledProducerRound is cancelledConsumerRound turned around: producers
// A and B block on a full queue of capacity 1, A's context is cancelled
// while a consumer makes room, and either A's item gets in or B's must.
func cancelledProducerRound(q Queue[uint64], concurrent, sleep bool) error {
	if !q.TryEnqueue(1) {
		return errors.New("TryEnqueue on an empty queue failed")
	}
	ctxA, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	ra, rb := make(chan result, 1), make(chan result, 1)
	startB := func() {
		go func() { rb <- result{err: q.Enqueue(0xB)} }()
	}
	go func() { ra <- result{err: q.EnqueueContext(ctxA, 0xA)} }()
	if sleep {
		time.Sleep(blockedFor)
	}
	if concurrent {
		startB()
		if sleep {
			time.Sleep(blockedFor)
		}
	}
	var first uint64
	var ok bool
	together(2, func(i int) {
		if i == 0 {
			cancelA()
		} else {
			first, ok = q.TryDequeue()
		}
	})
	if !ok || first != 1 {
		return fmt.Errorf("TryDequeue on a full queue = (%#x, %v), want (0x1, true)", first, ok)
	}
	dequeue := func(what string) result {
		c := make(chan result, 1)
		go func() {
			v, err := q.Dequeue()
			c <- result{v, err}
		}()
		return await(c, what)
	}
	a := await(ra, "producer A")
	switch {
	case a.err == nil:
		// A's item got in before A saw its context end; B waits for room.
		if !concurrent {
			startB()
		}
		if v := dequeue("Dequeue of A's item"); v.v != 0xA || v.err != nil {
			return fmt.Errorf("Dequeue = (%#x, %v), want A's item 0xa", v.v, v.err)
		}
	case errors.Is(a.err, context.Canceled):
		if !concurrent {
			startB()
		}
	default:
		return fmt.Errorf("producer A got %v, want nil or context.Canceled", a.err)
	}
	if b := await(rb, "producer B"); b.err != nil {
		return fmt.Errorf("producer B: %v", b.err)
	}
	if v := dequeue("Dequeue of B's item"); v.v != 0xB || v.err != nil {
		return fmt.Errorf("Dequeue = (%#x, %v), want B's item 0xb", v.v, v.err)
	}
	if n := q.Len(); n != 0 {
		return fmt.Errorf("Len() = %d after both items were dequeued, want 0", n)
	}
	return nil
}
