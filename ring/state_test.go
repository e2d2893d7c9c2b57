package ring

import (
	"testing"
	"unsafe"

	"github.com/ringq/ringq/pad"
)

// TestStateLayout checks that the fields written by different sides never
// share a pad.Size-aligned block, wherever the state is placed: two 8-byte
// fields at offsets a < b can share one only if b+8-a <= pad.Size.
func TestStateLayout(t *testing.T) {
	var s state
	value := uintptr(pad.Size - 8) // the atomic's offset inside a pad.Uint64
	tail := unsafe.Offsetof(s.tail) + value
	head := unsafe.Offsetof(s.head) + value
	// A view is wider than a word: take its word nearest to each
	// neighbour.
	// The producer's words run from its view to the handshake and guard
	// of a fenceless SPSC (publishing, tailGuard), which the consumer and
	// Close write or read only now and then; the consumer's, from its
	// view to its guard (headGuard), likewise.
	prodLast := unsafe.Offsetof(s.tailGuard)
	consFirst := unsafe.Offsetof(s.cons)
	consLast := unsafe.Offsetof(s.headGuard)
	readMostly := unsafe.Offsetof(s.notFull) + unsafe.Sizeof(s.notFull) - 8 // last word
	end := unsafe.Sizeof(s)                                                 // whatever is allocated next

	for _, c := range []struct {
		name string
		a, b uintptr
	}{
		{"read-mostly fields and tail", readMostly, tail},
		{"tail and head", tail, head},
		{"tail and the consumer's view", tail, consFirst},
		{"the producer's words and head", prodLast, head},
		{"the producer's words and the consumer's view", prodLast, consFirst},
		{"head and the next allocation", head, end},
		{"the consumer's view and the next allocation", consLast, end},
	} {
		if c.b+8-c.a <= uintptr(pad.Size) {
			t.Errorf("%s at offsets %d and %d may share a %d-byte block", c.name, c.a, c.b, pad.Size)
		}
	}
	t.Logf("state is %d bytes", end)
}
