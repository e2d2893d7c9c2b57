package ring

import (
	"math"
	"math/bits"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCapacityLimit checks the largest capacity a queue takes: 1<<40 on
// 64-bit platforms, 1<<30 on 32-bit ones, where a larger power of two
// would not fit in an int. It checks roundCapacity alone, since a queue
// that large would not fit in memory.
func TestCapacityLimit(t *testing.T) {
	want, msg := uint64(1)<<40, "ring: capacity > 1<<40"
	if bits.UintSize == 32 {
		want, msg = 1<<30, "ring: capacity > 1<<30"
	}
	require.Equal(t, want, uint64(maxCapacity))
	require.Equal(t, maxCapacity, roundCapacity(maxCapacity))
	require.Equal(t, maxCapacity, roundCapacity(maxCapacity/2+1))
	for _, c := range []int{maxCapacity + 1, math.MaxInt} {
		require.PanicsWithValue(t, msg, func() { roundCapacity(c) }, "capacity %d", c)
	}
}
