package ring

import (
	"sync"

	"golang.org/x/sys/unix"
)

// The membarrier(2) commands that fenceAll uses (linux/membarrier.h).
const (
	membarrierPrivateExpedited         = 1 << 3
	membarrierRegisterPrivateExpedited = 1 << 4
)

// canFenceAll reports whether fenceAll works in this process: whether
// the kernel has the private expedited membarrier (Linux 4.14 and later)
// and lets the process register for it, which it does on the first call.
// Where it does not (an older kernel, a seccomp filter that refuses the
// call), SPSCs are not fenceless. The registration waits for the kernel
// (it synchronizes RCU): 10-17 ms on ringq's 2-core Intel Xeon, once
// per process, in the first NewSPSC that asks for WaitYield.
var canFenceAll = sync.OnceValue(func() bool {
	_, _, errno := unix.Syscall(unix.SYS_MEMBARRIER, membarrierRegisterPrivateExpedited, 0, 0)
	return errno == 0
})

// fenceAll makes every thread of the process that is running execute a
// full memory barrier before it returns (membarrier(2),
// MEMBARRIER_CMD_PRIVATE_EXPEDITED, which interrupts the CPUs that run
// them); a thread that is not running passes through one when it is next
// scheduled. So every store that any thread made before the call is
// visible to the caller afterwards, and every load that a thread makes
// after it sees the caller's earlier stores. It costs a system call and
// an interrupt of each such CPU: 2.9 µs on ringq's 2-core Intel Xeon
// with one other thread running. canFenceAll must have reported true.
func fenceAll() {
	if _, _, errno := unix.Syscall(unix.SYS_MEMBARRIER, membarrierPrivateExpedited, 0, 0); errno != 0 {
		panic("ring: membarrier: " + errno.Error()) // registered by canFenceAll, so it cannot fail
	}
}
