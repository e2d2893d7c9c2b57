package ring

import (
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
