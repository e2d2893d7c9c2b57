package ring

import (
	"math/bits"
	"strconv"
)

// Positions. Each queue counts positions in 64-bit integers that grow
// without bound and wrap around: the producers' position (tail) and the
// consumers' position (head). Positions advance in steps of 2 so that bit
// 0 of the tail can carry the closed mark: Close sets it with one atomic
// OR, and a producer claims a position with a compare-and-swap that fails
// once the mark is set. The consumers therefore know exactly where the
// accepted items end, even while a producer that claimed a slot before
// Close is still writing it. (crossbeam's channels keep a mark bit in
// their tail for the same reason.)
const (
	// step is the distance between consecutive positions; bit 0 is free
	// for closedMark.
	step = 2
	// closedMark is set in a queue's tail by Close.
	closedMark = 1
	// maxCapacity keeps step*capacity well inside the 64-bit positions,
	// and, on 32-bit platforms, a capacity rounded up inside an int.
	maxCapacity = 1 << maxCapacityLog

	maxCapacityLog = min(40, bits.UintSize-2)
)

// roundCapacity returns capacity rounded up to a power of two, panicking
// for a capacity that no queue can have.
func roundCapacity(capacity int) int {
	if capacity < 1 {
		panic("ring: capacity < 1")
	}
	if capacity > maxCapacity {
		panic("ring: capacity > 1<<" + strconv.Itoa(maxCapacityLog))
	}
	return 1 << bits.Len(uint(capacity-1))
}

// maxRingBytes bounds the memory of a ring's slots: 128 TiB on 64-bit
// platforms, half of the most the Go runtime allocates at once on
// linux/amd64 (1<<48 bytes), and 2 GiB on 32-bit ones. Beyond it, reflect
// or makeslice would panic with a message of their own, or the
// allocation fail for want of address space.
const maxRingBytes = 1 << (min(48, bits.UintSize) - 1)

// checkRingBytes panics if n slots of size bytes each exceed maxRingBytes.
// Within the bound, an allocation that the machine cannot hold fails as
// make's does.
func checkRingBytes(n int, size uintptr) {
	if size != 0 && uint64(n) > maxRingBytes/uint64(size) {
		panic("ring: capacity too large for the item size")
	}
}

// index returns the slot of position p in a ring whose length is mask+1.
func index(p, mask uint64) uint64 { return p / step & mask }
