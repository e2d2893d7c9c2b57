package ring_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringq/ringq/ring"
)

// A peer in the middle of its operation does not make a queue full or
// empty. These tests stall one peer between its claim and its publish (or
// release), finish it from another goroutine after a while, and check that
// the calls that promise not to fail spuriously wait for it: the Try
// methods, and a Context method whose context is already done, which makes
// one last strict attempt.

const stall = 20 * time.Millisecond

func TestWaitsForProducerMidEnqueue(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name    string
		dequeue func(q *ring.MPMC[int]) (int, bool)
	}{
		{"TryDequeue", func(q *ring.MPMC[int]) (int, bool) { return q.TryDequeue() }},
		{"DequeueContext(done)", func(q *ring.MPMC[int]) (int, bool) {
			v, err := q.DequeueContext(done)
			return v, err == nil
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := ring.NewMPMC[int](4)
			finish := ring.StallEnqueue(q)
			go func() {
				time.Sleep(stall)
				finish(42)
			}()
			if v, ok := c.dequeue(q); v != 42 || !ok {
				t.Fatalf("%s with a producer mid-enqueue = (%d, %v), want (42, true)", c.name, v, ok)
			}
		})
	}
}

func TestWaitsForConsumerMidDequeue(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name    string
		enqueue func(q *ring.MPMC[int], v int) bool
	}{
		{"TryEnqueue", func(q *ring.MPMC[int], v int) bool { return q.TryEnqueue(v) }},
		{"EnqueueContext(done)", func(q *ring.MPMC[int], v int) bool { return q.EnqueueContext(done, v) == nil }},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := ring.NewMPMC[int](1)
			if !q.TryEnqueue(1) {
				t.Fatal("TryEnqueue on an empty queue failed")
			}
			v, finish := ring.StallDequeue(q)
			if v != 1 {
				t.Fatalf("StallDequeue took %d, want 1", v)
			}
			go func() {
				time.Sleep(stall)
				finish()
			}()
			if !c.enqueue(q, 2) {
				t.Fatalf("%s with a consumer mid-dequeue failed", c.name)
			}
			if v, ok := q.TryDequeue(); v != 2 || !ok {
				t.Fatalf("TryDequeue = (%d, %v), want (2, true)", v, ok)
			}
		})
	}
}

// TestDequeueBatchStopsAtProducerMidEnqueue checks that an MPMC batch that
// would claim more than half the ring, or any batch of items of more than
// 24 bytes in a ring of up to 64 slots, takes only the items that are
// published, and stops at one whose producer is still writing it, rather
// than claim it and wait: with more goroutines than processors that
// producer is often not running, and every consumer behind the claim
// waits too. The stalled producer is finished only once the call has
// returned (or after a timeout, so that a call that waits for it fails
// the test rather than hangs).
func TestDequeueBatchStopsAtProducerMidEnqueue(t *testing.T) {
	t.Run("half of 4 slots", func(t *testing.T) {
		testDequeueBatchStops(t, 4, 4, 1, func(i int) int { return i })
	})
	t.Run("quarter of 16 slots, 64-byte items", func(t *testing.T) {
		testDequeueBatchStops(t, 16, 4, 2, func(i int) [8]uint64 { return [8]uint64{uint64(i), 7: uint64(i)} })
	})
}

// testDequeueBatchStops enqueues the items item(1) to item(before), stalls
// a producer at the next position, enqueues one item behind it, and then
// dequeues a batch of up to batch items, which must be the items before
// the stalled one.
func testDequeueBatchStops[T any](t *testing.T, capacity, batch, before int, item func(int) T) {
	q := ring.NewMPMC[T](capacity)
	for i := 1; i <= before; i++ {
		if !q.TryEnqueue(item(i)) {
			t.Fatalf("TryEnqueue of item %d failed", i)
		}
	}
	finish := ring.StallEnqueue(q) // claims the position after item(before)'s
	if !q.TryEnqueue(item(before + 2)) {
		t.Fatal("TryEnqueue behind a stalled producer failed")
	}
	returned := finishOnReturn(func() { finish(item(before + 1)) })
	dst := make([]T, batch)
	n := q.TryDequeueBatch(dst)
	returned()
	want := make([]T, 0, before+2)
	for i := 1; i <= before+2; i++ {
		want = append(want, item(i))
	}
	require.Equal(t, want[:before], dst[:n], "TryDequeueBatch with a producer stalled after the first %d items", before)
	// The rest comes out in order once the producer is done.
	for n = 0; n < 2; {
		m, err := q.DequeueBatch(dst[n:])
		require.NoError(t, err)
		n += m
	}
	require.Equal(t, want[before:], dst[:2], "DequeueBatch after the stall")
}

// An MPMC producer's batch claims only free slots, and stops at the first
// slot whose consumer has claimed it but not yet freed it: a claim that
// covered that slot would wait for a consumer that, with more goroutines
// than processors, is often not running, and every producer and consumer
// behind the claim would wait too. The stalled consumer is finished only
// once the call has returned (or after a timeout, as above).
func TestEnqueueBatchStopsAtConsumerMidDequeue(t *testing.T) {
	q := ring.NewMPMC[int](4)
	if n := q.TryEnqueueBatch([]int{1, 2, 3, 4}); n != 4 {
		t.Fatalf("TryEnqueueBatch of 4 into an empty MPMC of 4 = %d", n)
	}
	if v, ok := q.TryDequeue(); v != 1 || !ok {
		t.Fatalf("TryDequeue = (%d, %v), want (1, true)", v, ok)
	}
	v, finish := ring.StallDequeue(q) // holds the second slot
	if v != 2 {
		t.Fatalf("StallDequeue took %d, want 2", v)
	}
	if v, ok := q.TryDequeue(); v != 3 || !ok {
		t.Fatalf("TryDequeue behind a stalled consumer = (%d, %v), want (3, true)", v, ok)
	}
	returned := finishOnReturn(finish)
	n := q.TryEnqueueBatch([]int{5, 6, 7})
	returned()
	if n != 1 {
		t.Fatalf("TryEnqueueBatch of 3 with a consumer stalled at the second slot = %d, want 1", n)
	}
	// The rest goes in once the consumer is done, and all comes out in order.
	if n, err := q.EnqueueBatch([]int{6, 7}); n != 2 || err != nil {
		t.Fatalf("EnqueueBatch after the stall = (%d, %v), want (2, nil)", n, err)
	}
	dst := make([]int, 4)
	for n = 0; n < 4; {
		m, err := q.DequeueBatch(dst[n:])
		if err != nil {
			t.Fatal(err)
		}
		n += m
	}
	require.Equal(t, []int{4, 5, 6, 7}, dst)
}

// finishOnReturn finishes a stalled peer once the call under test has
// returned, which the caller reports by calling returned, or after 10 s,
// so that a call that waits for the peer fails its test rather than hangs.
func finishOnReturn(finish func()) (returned func()) {
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
		finish()
	}()
	return func() { close(done) }
}

// A parked producer reads the tail, then the head, to learn whether it
// must sleep. Other goroutines may move both in between: in an MPMC of 2
// slots, with producers O and W about to park on a full queue, a consumer
// empties it (nobody to wake yet); O and W register and read the tail
// (4); one more item goes through, and its dequeue wakes O; now the head
// (6) is past their reading of the tail. A test that took 4-6 for a huge
// unsigned number said full, and W slept with room in the queue and no
// wakeup coming, until the next dequeue or Close. (Found in review, and
// reproduced with hooks between those steps.) A head past the tail read
// means the queue had room: the producer must try again.
func TestRoomAtHeadPastTail(t *testing.T) {
	q := ring.NewMPMC[int](2) // positions step by 2: a span of 4
	require.False(t, ring.RoomAt(q, 4, 0), "full")
	require.True(t, ring.RoomAt(q, 4, 2), "one slot free")
	require.True(t, ring.RoomAt(q, 4, 4), "empty")
	require.True(t, ring.RoomAt(q, 4, 6), "the head read after the tail has passed it")
	require.True(t, ring.RoomAt(q, 4, 1<<40), "far past it")
	require.False(t, ring.RoomAt(q, 2, ^uint64(0)-1), "full across the wrap of the positions")
	require.True(t, ring.RoomAt(q, ^uint64(0)-1, 2), "the head past the tail across the wrap")
}
