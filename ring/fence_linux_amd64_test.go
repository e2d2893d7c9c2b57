package ring

import (
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// fakeMembarrier makes membarrier return errs in turn, then 0, for the
// rest of the test, and returns how many calls it has had. It lets the
// process's registration end first, since that calls membarrier on a
// goroutine of its own.
func fakeMembarrier(t *testing.T, errs ...unix.Errno) (calls *int) {
	AwaitFence()
	real := membarrier
	t.Cleanup(func() { membarrier = real })
	calls = new(int)
	membarrier = func(cmd uintptr) unix.Errno {
		require.Equal(t, uintptr(membarrierPrivateExpedited), cmd)
		*calls++
		if *calls <= len(errs) {
			return errs[*calls-1]
		}
		return 0
	}
	return calls
}

// A fenceAll whose barrier the kernel could not make, for want of memory,
// makes it again: a Close or a park that went on without it could lose
// an item or a wakeup.
func TestFenceAllRetriesOnENOMEM(t *testing.T) {
	calls := fakeMembarrier(t, unix.ENOMEM, unix.ENOMEM)
	fenceAll()
	require.Equal(t, 3, *calls)
}

// Any other failure is a bug, and panics.
func TestFenceAllPanicsOnOtherErrors(t *testing.T) {
	calls := fakeMembarrier(t, unix.EINVAL)
	require.PanicsWithValue(t, "ring: membarrier: "+unix.EINVAL.Error(), fenceAll)
	require.Equal(t, 1, *calls)
}

// The handshake of Close and of a consumer about to park sets its bit in
// the producer's guard and fences every running thread, once the process
// is registered: without the fence, a producer's plain store of the tail
// could pass the guard unseen (see fenceless.go), which the conformance
// suite's Close tests catch only now and then.
func TestGuardTailFences(t *testing.T) {
	if !AwaitFence() {
		t.Skip("the kernel refuses membarrier")
	}
	calls := fakeMembarrier(t)
	var s state
	s.guardTail(guardPark)
	require.Equal(t, 1, *calls, "fenceAll calls after a consumer's guard")
	require.Equal(t, uint64(guardPark), s.tailGuard.Load())
	s.guardTail(guardClose)
	require.Equal(t, 2, *calls, "fenceAll calls after Close's guard")
	require.Equal(t, uint64(guardPark|guardClose), s.tailGuard.Load())
}

// publishCosts times both ways of publishing, and fencesCostly's verdict
// follows from the times: -v shows them for the machine at hand.
func TestPublishCosts(t *testing.T) {
	locked, plain := publishCosts()
	require.Positive(t, locked)
	require.Positive(t, plain)
	t.Logf("%d publishes: compare-and-swap %v, plainPublish %v; fences costly: %v",
		calibrationOps, locked, plain, costlyFences(locked, plain))
}
