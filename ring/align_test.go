package ring

import (
	"runtime"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/ringq/ringq/pad"
)

// TestLineAligned checks that lineAligned's arrays of 512 bytes or more
// start on a cache line, for pointer-free and pointer-holding elements of
// several sizes, with lengths on both sides of 32 KiB, where the allocator
// stops adding a header; and that they come zeroed. (Smaller objects sit
// where their size class puts them, not always on a line.)
func TestLineAligned(t *testing.T) {
	for _, n := range []int{64, 512, 1024, 2048, 4096, 65536} {
		checkAligned[slot[uint64]](t, n)
		checkAligned[slot[*int]](t, n)
		checkAligned[paddedSlot[[8]*int]](t, n)
		checkAligned[*int](t, n)
		checkAligned[[8]*int](t, n)
		checkAligned[string](t, n)
	}
}

func checkAligned[S any](t *testing.T, n int) {
	t.Helper()
	n = max(n, 512/int(unsafe.Sizeof(*new(S)))) // 512 bytes at least (pointers take 4 on 32-bit platforms)
	p := lineAligned[S](n)
	if off := uintptr(p) % uintptr(pad.CacheLine); off != 0 {
		t.Errorf("%T x %d: first element %d bytes into a line", *new(S), n, off)
	}
	var zero S
	for i, v := range unsafe.Slice((*S)(p), n) {
		if any(v) != any(zero) {
			t.Fatalf("%T x %d: element %d is not zero", zero, n, i)
		}
	}
}

// TestLineAlignedKeepsPointers checks that the garbage collector sees the
// pointers in an array that lineAligned placed behind a lead: objects that
// only the array refers to must survive collections.
func TestLineAlignedKeepsPointers(t *testing.T) {
	const n = 1024 // 16 KiB of slots: make's array has a malloc header
	var freed atomic.Int32
	slots := unsafe.Slice((*slot[*int])(lineAligned[slot[*int]](n)), n)
	for i := range slots {
		v := new(int)
		*v = i
		runtime.SetFinalizer(v, func(*int) { freed.Add(1) })
		slots[i].val = v
	}
	for range 3 {
		runtime.GC()
	}
	if f := freed.Load(); f != 0 {
		t.Fatalf("%d objects referred to only by the slots were freed", f)
	}
	for i := range slots {
		if *slots[i].val != i {
			t.Fatalf("slot %d holds %d", i, *slots[i].val)
		}
	}
	runtime.KeepAlive(slots)
}
