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
	// The producer's words run from the handshake and guard of a
	// fenceless SPSC (publishing, tailGuard), which the consumer and Close
	// write or read only now and then, to the end of its view; the
	// consumer's, from its guard (headGuard), likewise, to the end of its.
	prodLast := unsafe.Offsetof(s.prod) + unsafe.Sizeof(s.prod) - 8
	consFirst := unsafe.Offsetof(s.headGuard)
	consLast := unsafe.Offsetof(s.cons) + unsafe.Sizeof(s.cons) - 8
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

// TestSideFieldsShareALine checks that what each side of a Lamport SPSC
// touches on every item, besides the positions and the slots, lies on one
// cache line, in a core that newLamportAt placed on a pad.Size block (see
// state). The layout is worked out for 64-bit platforms.
func TestSideFieldsShareALine(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("state's layout is worked out for 64-bit platforms")
	}
	size := uintptr(max(pad.CacheLine, 64)) // CacheLine is 0 where x/sys/cpu does not know it
	line := func(p unsafe.Pointer) uintptr { return uintptr(p) / size }
	for _, c := range []*spsc[uint64]{newLamportAt[uint64](1024, 0, nil).lamport, newLamportAt[uint64](64, 0, nil).lamport} {
		if off := uintptr(unsafe.Pointer(c)) % uintptr(pad.Size); off != 0 {
			t.Fatalf("the core starts %d bytes into a %d-byte block", off, pad.Size)
		}
		for _, side := range []struct {
			name   string
			fields []unsafe.Pointer
		}{
			{"the producer's publishing, tailGuard, prod.pos and prod.own", []unsafe.Pointer{
				unsafe.Pointer(&c.publishing), unsafe.Pointer(&c.tailGuard), unsafe.Pointer(&c.prod.pos), unsafe.Pointer(&c.prod.own)}},
			{"the consumer's headGuard, cons.pos and cons.own", []unsafe.Pointer{
				unsafe.Pointer(&c.headGuard), unsafe.Pointer(&c.cons.pos), unsafe.Pointer(&c.cons.own)}},
		} {
			for _, f := range side.fields[1:] {
				if line(f) != line(side.fields[0]) {
					t.Errorf("%s span more than one %d-byte line", side.name, size)
					break
				}
			}
		}
	}
}
