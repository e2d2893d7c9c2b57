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

// TestRingTooLarge checks that a capacity within the limit but with items
// so large that the slots could not be allocated panics with ring's own
// message, before anything is allocated, rather than in reflect or
// makeslice: with 16 MiB items, a ring of 1<<30 slots (16 PiB), for each
// kind of queue and each core of SPSC. The limit itself is checked with
// 1-byte items, which take 16-byte slots in a Vyukov ring.
func TestRingTooLarge(t *testing.T) {
	const msg = "ring: capacity too large for the item size"
	type huge [1 << 24]byte
	for name, fn := range map[string]func(){
		"NewSPSC":      func() { NewSPSC[huge](1 << 30) },
		"NewMPSC":      func() { NewMPSC[huge](1 << 30) },
		"NewMPMC":      func() { NewMPMC[huge](1 << 30) },
		"newLamportAt": func() { newLamportAt[huge](1<<30, 0, nil) },
	} {
		require.PanicsWithValue(t, msg, fn, name)
	}
	require.NotPanics(t, func() { checkRingBytes(maxRingBytes/16, 16) })
	require.PanicsWithValue(t, msg, func() { checkRingBytes(maxRingBytes/16+1, 16) })
	require.NotPanics(t, func() { checkRingBytes(1<<20, 0) }, "items of no size take no memory")
}
