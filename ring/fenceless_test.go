package ring_test

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringq/ringq/internal/wait"
	"github.com/ringq/ringq/ring"
)

// A Lamport SPSC is fenceless (fenceless.go) on linux/amd64, under either
// wait policy, where the process found fences costly; a Vyukov one, under
// 32 slots, never is.
func TestFencelessOnLinuxAMD64(t *testing.T) {
	platform := runtime.GOOS == "linux" && runtime.GOARCH == "amd64"
	want := platform && ring.FencesCostlyHere()
	t.Logf("fences costly here: %v", ring.FencesCostlyHere())
	for _, p := range []ring.WaitPolicy{ring.WaitPark, ring.WaitYield} {
		opt := ring.WithWaitPolicy(p)
		require.Equal(t, want, ring.Fenceless(ring.NewSPSC[int](64, opt)), "a Lamport ring, %v", p)
		require.Equal(t, platform, ring.Fenceless(ring.NewSPSC[int](64, opt, ring.FencelessAnyway())), "a Lamport ring made FencelessAnyway, %v", p)
		require.False(t, ring.Fenceless(ring.NewSPSC[int](8, opt)), "a Vyukov ring, under 32 slots, %v", p)
		require.False(t, ring.Fenceless(ring.NewSPSC[int](64, opt, ring.WithoutMembarrier())), "WithoutMembarrier, %v", p)
	}
}

// A process whose SPSCs are all made WithoutMembarrier never calls
// membarrier, nor registers for it: the test runs again in a process of
// its own, where no other SPSC has started the registration, moves items
// until both sides have parked, and closes the queue.
func TestWithoutMembarrierNeverRegisters(t *testing.T) {
	if !ring.FencePlatform {
		t.Skip("SPSCs call membarrier only on linux/amd64")
	}
	const child = "RINGQ_TEST_WITHOUT_MEMBARRIER"
	if os.Getenv(child) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWithoutMembarrierNeverRegisters$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), child+"=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "the child process:\n%s", out)
		require.Contains(t, string(out), "--- PASS: TestWithoutMembarrierNeverRegisters", "the child process ran the test:\n%s", out)
		return
	}
	require.False(t, ring.FenceStarted(), "before any SPSC")
	q := ring.NewSPSC[int](64, ring.WithoutMembarrier())
	done := make(chan []int)
	go func() {
		var got []int
		for v := range q.All() {
			got = append(got, v)
			if len(got)%1000 == 0 {
				time.Sleep(time.Millisecond) // the producer fills the ring and parks
			}
		}
		done <- got
	}()
	const n = 10000
	for i := range n {
		require.NoError(t, q.Enqueue(i))
		if i%2500 == 0 {
			time.Sleep(time.Millisecond) // the consumer empties the ring and parks
		}
	}
	q.Close()
	got := <-done
	require.Len(t, got, n)
	for i, v := range got {
		require.Equal(t, i, v)
	}
	require.False(t, ring.FenceStarted(), "after the SPSC moved its items, parked and closed")
}

// skipUnlessFenceless skips a test where SPSCs keep their fences: off
// linux/amd64, or where the kernel refuses membarrier.
func skipUnlessFenceless(t *testing.T) {
	t.Helper()
	if !ring.Fenceless(ring.NewSPSC[int](64, ring.FencelessAnyway())) || !ring.AwaitFence() {
		t.Skip("SPSCs are not fenceless here")
	}
}

// relaxedSPSC returns a fenceless SPSC of 64 slots (see NewRelaxedAt)
// whose two sides have let go of their guards.
func relaxedSPSC(t *testing.T, opts ...ring.Option) *ring.SPSC[int] {
	t.Helper()
	skipUnlessFenceless(t)
	q := ring.NewRelaxedAt[int](64, 0, opts...)
	fillAndDrain(q)
	producer, consumer := ring.Guards(q)
	require.False(t, producer, "the producer's guard, after the consumer found the ring empty")
	require.False(t, consumer, "the consumer's guard, after the producer found the ring full")
	return q
}

// fillAndDrain fills q and empties it, twice. The producer looks at the
// head when its view says the ring is full, the consumer at the tail when
// its view says it is empty; each side of a relaxed SPSC lets go of its
// guard once a look finds several free slots, or items.
func fillAndDrain(q *ring.SPSC[int]) {
	for range 2 {
		for q.TryEnqueue(0) {
		}
		for _, ok := q.TryDequeue(); ok; _, ok = q.TryDequeue() {
		}
	}
}

// A new SPSC keeps its fences until each side has moved relaxAfter items
// without parking, and has found the other side streaming; a side that
// parks then sets the other side's guard again, and is woken.
func TestFencelessGuards(t *testing.T) {
	skipUnlessFenceless(t)
	q := ring.NewSPSC[int](64, ring.FencelessAnyway())
	producer, consumer := ring.Guards(q)
	require.True(t, producer && consumer, "a new SPSC's guards: producer %v, consumer %v", producer, consumer)
	move := func(n, burst int) {
		for range n / burst {
			for i := range burst {
				require.True(t, q.TryEnqueue(i))
			}
			for range burst {
				_, ok := q.TryDequeue()
				require.True(t, ok)
			}
		}
	}
	move(ring.RelaxAfter/2, 8)
	producer, consumer = ring.Guards(q)
	require.True(t, producer && consumer, "guards after %d items: producer %v, consumer %v", ring.RelaxAfter/2, producer, consumer)
	move(ring.RelaxAfter, 1)
	producer, consumer = ring.Guards(q)
	require.False(t, consumer, "the consumer's guard after %d items", 3*ring.RelaxAfter/2)
	require.True(t, producer, "the producer's guard after %d items, the last %d taken one at a time", 3*ring.RelaxAfter/2, ring.RelaxAfter)
	move(8, 8)
	producer, _ = ring.Guards(q)
	require.False(t, producer, "the producer's guard once the consumer has found several items at once")

	wakeParkedConsumer(t, q, 7)

	for q.TryEnqueue(0) {
	}
	sent := make(chan error)
	go func() { sent <- q.Enqueue(8) }()
	require.Eventually(t, func() bool {
		c, p := q.Parked()
		_, consumer := ring.Guards(q)
		return c == 0 && p == 1 && consumer
	}, 10*time.Second, time.Millisecond, "the producer parked, and the consumer's guard set")
	_, err := q.Dequeue()
	require.NoError(t, err)
	require.NoError(t, <-sent)
}

// Fences are costly where a locked publish takes at least 1.5 times as
// long as a plain one: so on ringq's 2-core Intel Xeon (a compare-and-swap
// 9-11 ns), not on its 2-core AMD EPYC (2.3 ns against 3.3).
func TestFencesCostly(t *testing.T) {
	for _, c := range []struct {
		locked, plain time.Duration
		want          bool
	}{
		{9000, 3300, true},
		{3000, 2000, true},
		{2990, 2000, false},
		{2300, 3300, false},
	} {
		require.Equal(t, c.want, ring.FencesCostly(c.locked, c.plain), "locked %v, plain %v", c.locked, c.plain)
	}
}

// dequeued is what a Dequeue on another goroutine returned.
type dequeued struct {
	v   int
	err error
}

// wakeParkedConsumer starts a Dequeue on q, an empty fenceless SPSC, waits
// until its consumer has parked and set the producer's guard (a side
// registers to park first, then sets the guard), and enqueues v, which
// the consumer must take.
func wakeParkedConsumer(t *testing.T, q *ring.SPSC[int], v int) {
	t.Helper()
	got := make(chan dequeued)
	go func() {
		v, err := q.Dequeue()
		got <- dequeued{v, err}
	}()
	require.Eventually(t, func() bool {
		c, p := q.Parked()
		producer, _ := ring.Guards(q)
		return c == 1 && p == 0 && producer
	}, 10*time.Second, time.Millisecond, "the consumer parked, and the producer's guard set")
	require.NoError(t, q.Enqueue(v))
	r := <-got
	require.NoError(t, r.err)
	require.Equal(t, v, r.v)
}

// A side lets go of its guard no sooner than minFenceGap after its last
// membarrier, so that a side that streams and parks by turns does not
// interrupt every CPU of the process every few microseconds.
func TestFencelessGuardsAfterFenceGap(t *testing.T) {
	q := relaxedSPSC(t)
	ring.SetRelaxGap(q, time.Hour)
	wakeParkedConsumer(t, q, 1)
	fillAndDrain(q)
	producer, _ := ring.Guards(q)
	require.True(t, producer, "the producer's guard, within the gap after the consumer's membarrier")
	ring.SetRelaxGap(q, 0)
	fillAndDrain(q)
	producer, _ = ring.Guards(q)
	require.False(t, producer, "the producer's guard, after the gap")
}

// A consumer about to park must wait for a publish that the producer
// began before it saw the consumer's guard, and then find its item: the
// producer does not look for parked consumers after a plain publish.
func TestFencelessParkWaitsForPublish(t *testing.T) {
	q := relaxedSPSC(t)
	defer wait.ParkAtOnce()()
	finish := ring.StallPublish(q, 42)
	got := make(chan dequeued, 1)
	go func() {
		v, err := q.Dequeue()
		got <- dequeued{v, err}
	}()
	select {
	case r := <-got:
		t.Fatalf("Dequeue returned %d, %v while the producer was inside its publish", r.v, r.err)
	case <-time.After(stall):
	}
	finish()
	select {
	case r := <-got:
		require.NoError(t, r.err)
		require.Equal(t, 42, r.v)
	case <-time.After(10 * time.Second):
		t.Fatal("the consumer parked past an item published as it parked, and was never woken")
	}
}

// Close must not mark the tail while the producer is inside its publish:
// the producer's plain store of the tail would then wipe the mark, or
// land past it, and an item that Enqueue accepted could be lost.
func TestFencelessCloseWaitsForPublish(t *testing.T) {
	q := relaxedSPSC(t, ring.WithWaitPolicy(ring.WaitYield))
	finish := ring.StallPublish(q, 42)
	closed := make(chan struct{})
	go func() {
		q.Close()
		close(closed)
	}()
	select {
	case <-closed:
		t.Fatal("Close returned while the producer was inside its publish")
	case <-time.After(stall):
	}
	require.False(t, q.Closed(), "Closed while the producer was inside its publish")
	finish()
	<-closed
	v, err := q.Dequeue()
	require.NoError(t, err)
	require.Equal(t, 42, v, "the item published as Close began")
	_, err = q.Dequeue()
	require.ErrorIs(t, err, ring.ErrClosed)
}

// Once Close has begun, the producer publishes with the compare-and-swap,
// which fails once Close has marked the tail: an item enqueued between
// the two is delivered, and none enqueued after the mark.
func TestFencelessPublishSeesClose(t *testing.T) {
	q := relaxedSPSC(t)
	require.True(t, q.TryEnqueue(1))
	ring.BeginClose(q)
	require.True(t, q.TryEnqueue(2), "TryEnqueue once Close has begun, before it marks the tail")
	q.Close()
	require.False(t, q.TryEnqueue(3), "TryEnqueue after Close")
	require.ErrorIs(t, q.Enqueue(4), ring.ErrClosed, "Enqueue after Close")
	n, err := q.EnqueueBatch([]int{5, 6})
	require.ErrorIs(t, err, ring.ErrClosed, "EnqueueBatch after Close")
	require.Zero(t, n)
	require.True(t, q.Closed(), "an enqueue after Close unmarked the tail")
	for _, want := range []int{1, 2} {
		v, err := q.Dequeue()
		require.NoError(t, err)
		require.Equal(t, want, v)
	}
	_, err = q.Dequeue()
	require.ErrorIs(t, err, ring.ErrClosed, "items after Close were delivered")
}
