package ring

import (
	"math/bits"
	"strconv"
)

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

// index returns the slot of position p in a ring whose length is mask+1.
func index(p, mask uint64) uint64 { return p / step & mask }
