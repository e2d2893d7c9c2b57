package ring

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// The membarrier(2) commands that fenceAll uses (linux/membarrier.h).
const (
	membarrierPrivateExpedited         = 1 << 3
	membarrierRegisterPrivateExpedited = 1 << 4
)

// fencePlatform says whether SPSCs here may be fenceless: whether
// fenceAll can exist on this platform (see fenceless.go).
const fencePlatform = true

// registerFence starts, once per process, the registration that
// fenceAll needs: the private expedited membarrier, which Linux has
// offered since 4.14. It runs on a goroutine of its own, since the kernel
// synchronizes RCU for it, which took 10-17 ms on ringq's 2-core Intel
// Xeon; until it has succeeded, fenceReady reports false and every SPSC
// keeps its fences. Where the kernel refuses (an older kernel, a seccomp
// filter that returns an error), it never succeeds, and that is all; a
// filter that kills the thread instead kills the process, which is what
// WithoutMembarrier is for.
func registerFence() {
	if fenceState.CompareAndSwap(fenceUnknown, fenceRegistering) {
		go func() {
			st := uint32(fenceRefused)
			if membarrier(membarrierRegisterPrivateExpedited) == 0 {
				st = fenceRegistered
			}
			fenceState.Store(st)
		}()
	}
}

// fencesCostly reports whether a locked instruction costs this CPU so
// much that an SPSC should drop its fences while items stream (see
// fenceless.go): whether, at the best of calibrationRounds,
// calibrationOps compare-and-swaps took at least lockedPlainRatio times
// as long as as many plain publishes, each on memory that no other thread
// touches. The first SPSC that asks measures it, in about 30 µs on
// ringq's 2-core AMD EPYC; race builds, whose plainPublish is made of
// atomic operations, say yes without measuring, so that the detector
// checks the protocol that machines with costly fences run.
var fencesCostly = sync.OnceValue(func() bool {
	if raceEnabled {
		return true
	}
	return costlyFences(publishCosts())
})

// publishCosts times calibrationOps publishes of a tail with a
// compare-and-swap, as a fenced SPSC's producer publishes, and as many
// with plainPublish, as a fenceless one's does, and returns the shortest
// time of each over calibrationRounds rounds: a round that the scheduler
// or another thread interrupted only takes longer.
func publishCosts() (locked, plain time.Duration) {
	var publishing, guard, tail atomic.Uint64
	var own uint64
	locked, plain = math.MaxInt64, math.MaxInt64
	for range calibrationRounds {
		tail.Store(0)
		start := time.Now()
		for i := range uint64(calibrationOps) {
			tail.CompareAndSwap(i, i+1)
		}
		locked = min(locked, time.Since(start))
		start = time.Now()
		for i := range uint64(calibrationOps) {
			plainPublish(&publishing, &guard, &tail, &own, i)
		}
		plain = min(plain, time.Since(start))
	}
	return locked, plain
}

// membarrier makes the membarrier(2) system call with cmd; tests replace
// it.
var membarrier = func(cmd uintptr) unix.Errno {
	_, _, errno := unix.Syscall(unix.SYS_MEMBARRIER, cmd, 0, 0)
	return errno
}

// fenceAll makes every thread of the process that is running execute a
// full memory barrier before it returns (membarrier(2),
// MEMBARRIER_CMD_PRIVATE_EXPEDITED, which interrupts the CPUs that run
// them); a thread that is not running passes through one when it is next
// scheduled. So what a thread stored before the point at which it
// executes the barrier is visible to the caller afterwards, and what it
// loads after that point sees the caller's earlier stores. It costs a
// system call and an interrupt of each such CPU: 2.9 µs on ringq's 2-core
// Intel Xeon with one other thread running. fenceReady must have reported
// true.
//
// Once the process is registered the call fails only where the kernel
// cannot allocate the CPU mask it builds (ENOMEM, on kernels whose masks
// are not on the stack); no barrier was made then, and there is no safe
// way on without one, so fenceAll tries again, a millisecond later.
func fenceAll() {
	for {
		switch errno := membarrier(membarrierPrivateExpedited); errno {
		case 0:
			return
		case unix.ENOMEM:
			time.Sleep(time.Millisecond)
		default:
			panic("ring: membarrier: " + errno.Error())
		}
	}
}
