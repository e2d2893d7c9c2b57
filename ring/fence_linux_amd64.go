package ring

import (
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
// filter), it never succeeds, and that is all.
func registerFence() {
	if fenceState.CompareAndSwap(fenceUnknown, fenceRegistering) {
		go func() {
			st := uint32(fenceRefused)
			if _, _, errno := unix.Syscall(unix.SYS_MEMBARRIER, membarrierRegisterPrivateExpedited, 0, 0); errno == 0 {
				st = fenceRegistered
			}
			fenceState.Store(st)
		}()
	}
}

// fenceAll makes every thread of the process that is running execute a
// full memory barrier before it returns (membarrier(2),
// MEMBARRIER_CMD_PRIVATE_EXPEDITED, which interrupts the CPUs that run
// them); a thread that is not running passes through one when it is next
// scheduled. So every store that any thread made before the call is
// visible to the caller afterwards, and every load that a thread makes
// after it sees the caller's earlier stores. It costs a system call and
// an interrupt of each such CPU: 2.9 µs on ringq's 2-core Intel Xeon
// with one other thread running. fenceReady must have reported true.
func fenceAll() {
	if _, _, errno := unix.Syscall(unix.SYS_MEMBARRIER, membarrierPrivateExpedited, 0, 0); errno != 0 {
		panic("ring: membarrier: " + errno.Error()) // registered, so it cannot fail
	}
}
