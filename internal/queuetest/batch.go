package queuetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringq/ringq/internal/qerr"
)

// testBatch checks the batch methods where the model and the stress runs
// cannot: waiting, partial progress, and Close in the middle of a batch.
// The model checks them call by call (Sequential), and Stress/Batch and
// Linearizable run them concurrently.
func testBatch(t *testing.T, f Factory) {
	if _, ok := f.New(1).(BatchQueue[uint64]); !ok {
		t.Skip("the queue has no batch methods")
	}
	newBatch := func(c int) BatchQueue[uint64] { return f.New(c).(BatchQueue[uint64]) }

	t.Run("OrderKept", func(t *testing.T) {
		q := newBatch(8)
		require.Equal(t, 3, q.TryEnqueueBatch([]uint64{1, 2, 3}))
		require.True(t, q.TryEnqueue(4))
		n, err := q.EnqueueBatch([]uint64{5, 6})
		require.NoError(t, err)
		require.Equal(t, 2, n)
		dst := make([]uint64, 4)
		require.Equal(t, 4, q.TryDequeueBatch(dst))
		require.Equal(t, []uint64{1, 2, 3, 4}, dst)
		v, ok := q.TryDequeue()
		require.True(t, ok)
		require.Equal(t, uint64(5), v)
		n, err = q.DequeueBatch(dst)
		require.NoError(t, err)
		require.Equal(t, []uint64{6}, dst[:n])
	})
	t.Run("PartialEnqueue", func(t *testing.T) {
		q := newBatch(4)
		var want []uint64
		for v := uint64(1); len(want) < q.Cap()-1; v++ {
			require.True(t, q.TryEnqueue(v))
			want = append(want, v)
		}
		require.Equal(t, 1, q.TryEnqueueBatch([]uint64{100, 101, 102}),
			"TryEnqueueBatch of 3 with room for 1 must enqueue the first")
		require.Equal(t, q.Cap(), q.Len())
		require.Equal(t, 0, q.TryEnqueueBatch([]uint64{103}), "TryEnqueueBatch on a full queue")
		q.Close()
		require.NoError(t, drainClosed(q, append(want, 100)))
	})
	t.Run("PartialDequeue", func(t *testing.T) {
		q := newBatch(8)
		require.Equal(t, 3, q.TryEnqueueBatch([]uint64{1, 2, 3}))
		dst := sentinels(8)
		require.Equal(t, 3, q.TryDequeueBatch(dst), "TryDequeueBatch into 8 with 3 queued")
		require.Equal(t, append([]uint64{1, 2, 3}, sentinels(5)...), dst, "only a prefix of dst may be written")
		require.Equal(t, 2, q.TryEnqueueBatch([]uint64{4, 5}))
		dst = sentinels(8)
		n, err := q.DequeueBatch(dst)
		require.NoError(t, err)
		require.Equal(t, 2, n, "DequeueBatch into 8 with 2 queued")
		require.Equal(t, append([]uint64{4, 5}, sentinels(6)...), dst)
		require.Equal(t, 0, q.TryDequeueBatch(dst), "TryDequeueBatch on an empty queue")
	})
	t.Run("EmptySlices", func(t *testing.T) {
		q := newBatch(2)
		require.Equal(t, 0, q.TryEnqueueBatch(nil))
		require.Equal(t, 0, q.TryDequeueBatch(nil))
		err := returns(func() error {
			n, err := q.DequeueBatch([]uint64{})
			return expect(n == 0 && err == nil, "DequeueBatch(empty) on an empty queue = (%d, %v), want (0, nil)", n, err)
		}, "DequeueBatch(empty) on an empty queue")
		require.NoError(t, err)
		for q.TryEnqueue(1) {
		}
		require.Equal(t, 0, q.TryEnqueueBatch([]uint64{}))
		require.Equal(t, 0, q.TryDequeueBatch([]uint64{}))
		err = returns(func() error {
			n, err := q.EnqueueBatch(nil)
			return expect(n == 0 && err == nil, "EnqueueBatch(nil) on a full queue = (%d, %v), want (0, nil)", n, err)
		}, "EnqueueBatch(nil) on a full queue")
		require.NoError(t, err)
		require.Equal(t, q.Cap(), q.Len())
	})
	// An empty batch still says whether the queue is closed, so that a
	// loop of blocking batch calls ends once the queue is closed (an
	// enqueue) or closed and drained (a dequeue), whatever its slice.
	t.Run("EmptySlicesClosed", func(t *testing.T) {
		q := newBatch(2)
		require.True(t, q.TryEnqueue(1))
		q.Close()
		n, err := q.EnqueueBatch(nil)
		require.Equal(t, 0, n)
		require.ErrorIs(t, err, qerr.ErrClosed, "EnqueueBatch(nil) on a closed queue")
		n, err = q.EnqueueBatchContext(cancelled, []uint64{})
		require.Equal(t, 0, n)
		require.ErrorIs(t, err, qerr.ErrClosed, "EnqueueBatchContext(cancelled, empty) on a closed queue")
		n, err = q.DequeueBatch(nil)
		require.Equal(t, 0, n)
		require.NoError(t, err, "DequeueBatch(nil) on a closed queue that holds an item")
		n, err = q.DequeueBatchContext(cancelled, []uint64{})
		require.Equal(t, 0, n)
		require.NoError(t, err, "DequeueBatchContext(cancelled, empty) on a closed queue that holds an item")
		v, err := q.Dequeue()
		require.NoError(t, err)
		require.Equal(t, uint64(1), v)
		n, err = q.DequeueBatch([]uint64{})
		require.Equal(t, 0, n)
		require.ErrorIs(t, err, qerr.ErrClosed, "DequeueBatch(empty) on a closed, drained queue")
		n, err = q.DequeueBatchContext(cancelled, nil)
		require.Equal(t, 0, n)
		require.ErrorIs(t, err, qerr.ErrClosed, "DequeueBatchContext(cancelled, nil) on a closed, drained queue")
	})
	// A blocking batch larger than the queue gets in piece by piece, as a
	// consumer makes room, in order.
	t.Run("EnqueueBatchLargerThanCap", func(t *testing.T) {
		for _, c := range []int{1, 2, 5} {
			q := newBatch(c)
			vs := make([]uint64, 5*q.Cap()+3)
			for i := range vs {
				vs[i] = uint64(i + 1)
			}
			done := make(chan error, 1)
			go func() {
				n, err := q.EnqueueBatch(vs)
				done <- expect(n == len(vs) && err == nil, "EnqueueBatch(%d items) = (%d, %v), want (%d, nil)",
					len(vs), n, err, len(vs))
			}()
			for i, want := range vs {
				ctx, cancel := context.WithTimeout(context.Background(), wakeTimeout)
				v, err := q.DequeueContext(ctx)
				cancel()
				require.NoError(t, err, "cap %d: Dequeue of item %d of a blocked EnqueueBatch: a lost wakeup?", c, i)
				require.Equal(t, want, v, "cap %d: item %d", c, i)
			}
			require.NoError(t, awaitResult(done, "EnqueueBatch"))
		}
	})
	t.Run("DequeueBatchWaitsForOne", func(t *testing.T) {
		q := newBatch(4)
		done := make(chan error, 1)
		go func() {
			dst := sentinels(4)
			n, err := q.DequeueBatch(dst)
			done <- expect(n == 1 && err == nil && dst[0] == 7, "DequeueBatch = (%d, %v) with dst %#x, want (1, nil) and 7",
				n, err, dst[:max(n, 0)])
		}()
		time.Sleep(blockedFor)
		select {
		case err := <-done:
			t.Fatalf("DequeueBatch returned on an empty queue: %v", err)
		default:
		}
		require.True(t, q.TryEnqueue(7))
		require.NoError(t, awaitResult(done, "DequeueBatch after an item arrived"))
	})
	// Batches that run off the end of the ring and on at its start, at
	// every offset, and across the wrap of the counters when NewAt is set.
	t.Run("WrapMidBatch", func(t *testing.T) {
		for _, c := range []int{2, 4, 8} {
			for off := range newBatch(c).Cap() + 1 {
				queues := map[string]BatchQueue[uint64]{"New": newBatch(c)}
				if f.NewAt != nil {
					queues["NewAt"] = f.NewAt(c, math.MaxUint64-uint64(off)).(BatchQueue[uint64])
				}
				for name, q := range queues {
					if err := wrapBatch(q, off); err != nil {
						t.Fatalf("%s(%d), offset %d: %v", name, c, off, err)
					}
				}
			}
		}
	})
	// Close while EnqueueBatch waits for room: it returns how many got in
	// and ErrClosed, and those are delivered.
	t.Run("CloseDuringEnqueueBatch", func(t *testing.T) {
		q := newBatch(4)
		var want []uint64
		for v := uint64(1); len(want) < q.Cap()/2; v++ {
			require.True(t, q.TryEnqueue(v))
			want = append(want, v)
		}
		vs := make([]uint64, q.Cap()+3)
		for i := range vs {
			vs[i] = uint64(101 + i)
		}
		type res struct {
			n   int
			err error
		}
		done := make(chan res, 1)
		go func() {
			n, err := q.EnqueueBatch(vs)
			done <- res{n, err}
		}()
		time.Sleep(blockedFor)
		select {
		case r := <-done:
			t.Fatalf("EnqueueBatch of %d items with room for %d returned (%d, %v) before Close", len(vs), q.Cap()-len(want), r.n, r.err)
		default:
		}
		q.Close()
		var r res
		select {
		case r = <-done:
		case <-time.After(wakeTimeout):
			t.Fatalf("EnqueueBatch blocked at Close did not return\n%s", stacks())
		}
		room := q.Cap() - len(want)
		require.ErrorIs(t, r.err, qerr.ErrClosed)
		require.True(t, r.n >= 0 && r.n <= room, "EnqueueBatch = %d, want at most the room, %d", r.n, room)
		require.NoError(t, drainClosed(q, append(want, vs[:r.n]...)), "EnqueueBatch reported %d items in", r.n)
	})
}

// wrapBatch moves q's positions on by off, then fills and drains it with
// batches, which cross the end of the ring unless off is a multiple of Cap.
func wrapBatch(q BatchQueue[uint64], off int) error {
	for i := range off {
		if !q.TryEnqueue(uint64(i)) {
			return errors.New("TryEnqueue on an empty queue failed")
		}
		if v, ok := q.TryDequeue(); !ok || v != uint64(i) {
			return fmt.Errorf("TryDequeue = (%d, %v), want (%d, true)", v, ok, i)
		}
	}
	c := q.Cap()
	vs := make([]uint64, c)
	for i := range vs {
		vs[i] = uint64(1000 + i)
	}
	if n := q.TryEnqueueBatch(vs); n != c {
		return fmt.Errorf("TryEnqueueBatch of Cap items into an empty queue = %d, want %d", n, c)
	}
	dst := make([]uint64, c+1)
	if n := q.TryDequeueBatch(dst); n != c || !slices.Equal(dst[:c], vs) {
		return fmt.Errorf("TryDequeueBatch = %d, %v, want %d, %v", n, dst[:max(0, min(n, c+1))], c, vs)
	}
	if n, err := q.EnqueueBatch(vs); n != c || err != nil {
		return fmt.Errorf("EnqueueBatch of Cap items into an empty queue = (%d, %v), want (%d, nil)", n, err, c)
	}
	clear(dst)
	if n, err := q.DequeueBatch(dst); n != c || err != nil || !slices.Equal(dst[:c], vs) {
		return fmt.Errorf("DequeueBatch = (%d, %v), %v, want (%d, nil), %v", n, err, dst[:max(0, min(n, c+1))], c, vs)
	}
	return nil
}
