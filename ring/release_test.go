package ring

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// plainPublish stores the tail, and the producer's copy of it, only while
// the guard is clear, and leaves publishing clear either way. Its callers
// read the guard first as well, so this is the only test that reaches
// its own reading of it: the one that a side setting the guard relies on
// (see fenceless.go).
func TestPlainPublish(t *testing.T) {
	for _, c := range []struct {
		guard  uint64
		stored bool
	}{
		{0, true},
		{guardClose, false},
		{guardPark, false},
		{guardClose | guardPark, false},
	} {
		var publishing, guard, tail atomic.Uint64
		guard.Store(c.guard)
		tail.Store(10)
		own := uint64(10)
		require.Equal(t, c.stored, plainPublish(&publishing, &guard, &tail, &own, 12), "guard %b", c.guard)
		want := uint64(10)
		if c.stored {
			want = 12
		}
		require.Equal(t, want, tail.Load(), "the tail, guard %b", c.guard)
		require.Equal(t, want, own, "the producer's copy of the tail, guard %b", c.guard)
		require.Zero(t, publishing.Load(), "publishing after the call, guard %b", c.guard)
	}
	var p atomic.Uint64
	storeRelease(&p, 7)
	require.Equal(t, uint64(7), p.Load(), "storeRelease")
}
