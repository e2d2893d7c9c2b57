package ring_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ringq/ringq/ring"
)

// An SPSC is fenceless (fenceless.go) only where nothing parks on it and
// the process can fence other threads: a Lamport ring with WaitYield. A
// fenceless ring that parked could lose a wakeup.
func TestFencelessOnlyWithYield(t *testing.T) {
	yield := ring.WithWaitPolicy(ring.WaitYield)
	require.False(t, ring.Fenceless(ring.NewSPSC[int](64)), "WaitPark")
	require.False(t, ring.Fenceless(ring.NewSPSC[int](8, yield)), "a Vyukov ring, under 32 slots")
	want := runtime.GOOS == "linux" && runtime.GOARCH == "amd64" && ring.CanFenceAll()
	require.Equal(t, want, ring.Fenceless(ring.NewSPSC[int](64, yield)), "a Lamport ring with WaitYield")
}

func fencelessSPSC(t *testing.T) *ring.SPSC[int] {
	t.Helper()
	q := ring.NewSPSC[int](64, ring.WithWaitPolicy(ring.WaitYield))
	if !ring.Fenceless(q) {
		t.Skip("SPSCs are not fenceless here")
	}
	return q
}

// Close must not mark the tail while the producer is inside its publish:
// the producer's plain store of the tail would then wipe the mark, or
// land past it, and an item that Enqueue accepted could be lost.
func TestFencelessCloseWaitsForPublish(t *testing.T) {
	q := fencelessSPSC(t)
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

// A producer that begins to publish once Close has begun does not
// publish, and its enqueue fails, though Close has not yet marked the
// tail.
func TestFencelessPublishSeesClose(t *testing.T) {
	q := fencelessSPSC(t)
	require.True(t, q.TryEnqueue(1))
	ring.BeginClose(q)
	require.False(t, q.TryEnqueue(2), "TryEnqueue once Close has begun")
	require.ErrorIs(t, q.Enqueue(3), ring.ErrClosed, "Enqueue once Close has begun")
	n, err := q.EnqueueBatch([]int{4, 5})
	require.ErrorIs(t, err, ring.ErrClosed, "EnqueueBatch once Close has begun")
	require.Zero(t, n)
	q.Close()
	v, err := q.Dequeue()
	require.NoError(t, err)
	require.Equal(t, 1, v)
	_, err = q.Dequeue()
	require.ErrorIs(t, err, ring.ErrClosed, "items after Close began were delivered")
}
