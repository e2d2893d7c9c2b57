package ring

import (
	"reflect"
	"runtime"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/ringq/ringq/pad"
)

// TestBlockAligned checks that blockAligned's arrays of 512 bytes or more
// start on a pad.Size boundary, for pointer-free and pointer-holding elements of
// several sizes, with lengths on both sides of 32 KiB, where the allocator
// stops adding a header; and that they come zeroed. (Smaller objects sit
// where their size class puts them, not always on a line.)
func TestBlockAligned(t *testing.T) {
	for _, n := range []int{64, 512, 1024, 2048, 4096, 65536} {
		checkAligned[slot[uint64]](t, n)
		checkAligned[slot[*int]](t, n)
		checkAligned[slot[string]](t, n)
		checkAligned[*int](t, n)
		checkAligned[[8]*int](t, n)
		checkAligned[string](t, n)
	}
}

func checkAligned[S any](t *testing.T, n int) {
	t.Helper()
	n = max(n, 512/int(unsafe.Sizeof(*new(S)))) // 512 bytes at least (pointers take 4 on 32-bit platforms)
	p := blockAligned(reflect.TypeFor[S](), n)
	if off := uintptr(p) % uintptr(pad.Size); off != 0 {
		t.Errorf("%T x %d: first element %d bytes into a %d-byte block", *new(S), n, off, pad.Size)
	}
	var zero S
	for i, v := range unsafe.Slice((*S)(p), n) {
		if any(v) != any(zero) {
			t.Fatalf("%T x %d: element %d is not zero", zero, n, i)
		}
	}
}

// TestBlockAlignedKeepsPointers checks that the garbage collector sees the
// pointers in an array that blockAligned placed behind a lead: objects that
// only the array refers to must survive collections.
func TestBlockAlignedKeepsPointers(t *testing.T) {
	const n = 1024 // 16 KiB of slots: make's array has a malloc header
	var freed atomic.Int32
	slots := unsafe.Slice((*slot[*int])(blockAligned(reflect.TypeFor[slot[*int]](), n)), n)
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

// TestPaddedSlotsKeepPointers checks the same for the padded slot types
// that slotType builds, in arrays small enough to need a lead (8 KiB) and
// large enough for the allocator's large objects (128 KiB).
func TestPaddedSlotsKeepPointers(t *testing.T) {
	for _, n := range []int{64, 1024} {
		var q vyukov[[8]*int]
		q.init(n, 0, [2]bool{}, nil)
		if q.stride <= unsafe.Sizeof(slot[[8]*int]{}) {
			t.Fatalf("%d-byte slots of [8]*int are not padded (stride %d)", unsafe.Sizeof(slot[[8]*int]{}), q.stride)
		}
		var freed atomic.Int32
		for i := range n {
			s := q.slot(uint64(i) * step)
			for j := range s.val {
				v := new(int)
				*v = i*8 + j
				runtime.SetFinalizer(v, func(*int) { freed.Add(1) })
				s.val[j] = v
			}
		}
		for range 3 {
			runtime.GC()
		}
		if f := freed.Load(); f != 0 {
			t.Fatalf("%d slots: %d objects referred to only by the slots were freed", n, f)
		}
		for i := range n {
			for j, v := range q.slot(uint64(i) * step).val {
				if *v != i*8+j {
					t.Fatalf("%d slots: slot %d holds %d at %d", n, i, *v, j)
				}
			}
		}
		runtime.KeepAlive(&q)
	}
}

// TestSlotLayout checks where a Vyukov ring puts its slots, for items of
// many sizes: a slot of at most half a cache line sits right after the one
// before it, so that a consumer takes two or more items with each line it
// fetches; a larger slot starts on a pad.Size boundary and shares no
// block of pad.Size bytes with its neighbours, and takes no more blocks
// than its size needs.
func TestSlotLayout(t *testing.T) {
	checkLayout[byte](t)
	checkLayout[uint64](t)
	checkLayout[*int](t)
	checkLayout[string](t)
	checkLayout[any](t)
	checkLayout[[]byte](t)
	checkLayout[[4]uint64](t)
	checkLayout[[5]uint64](t)
	checkLayout[[6]uint64](t)
	checkLayout[[7]uint64](t)
	checkLayout[[8]uint64](t)
	checkLayout[[8]*int](t)
	checkLayout[[15]uint64](t)
	checkLayout[[16]uint64](t)
	checkLayout[struct{}](t)
}

func checkLayout[T any](t *testing.T) {
	t.Helper()
	const n = 1024 // enough slots for blockAligned to place them on a block
	var q vyukov[T]
	q.init(n, 0, [2]bool{}, nil)
	line, block := uintptr(pad.CacheLine), uintptr(pad.Size)
	size := unsafe.Sizeof(slot[T]{})
	addr := func(i int) uintptr { return uintptr(unsafe.Pointer(q.slot(uint64(i) * step))) }
	if size <= line/2 {
		for i := 1; i < n; i++ {
			if d := addr(i) - addr(i-1); d != size {
				t.Fatalf("%T (%d-byte slots): slot %d is %d bytes after slot %d, want %d (unpadded)", *new(T), size, i, d, i-1, size)
			}
		}
		return
	}
	blocks := (size + block - 1) / block
	for i := range n {
		a := addr(i)
		if a%block != 0 {
			t.Fatalf("%T (%d-byte slots): slot %d starts %d bytes into a %d-byte block", *new(T), size, i, a%block, block)
		}
		if i > 0 && a-addr(i-1) != blocks*block {
			t.Fatalf("%T (%d-byte slots): slot %d is %d bytes after slot %d, want %d (%d block(s) each)", *new(T), size, i, a-addr(i-1), i-1, blocks*block, blocks)
		}
	}
}

// TestAlignedSPSCKeepsPointers checks the same for the core of a Lamport
// SPSC, which newLamportAt places with blockAligned: the items that only
// its ring refers to must survive collections.
func TestAlignedSPSCKeepsPointers(t *testing.T) {
	const n = 64
	var freed atomic.Int32
	q := NewSPSC[*int](n)
	for i := range n {
		v := new(int)
		*v = i
		runtime.SetFinalizer(v, func(*int) { freed.Add(1) })
		if !q.TryEnqueue(v) {
			t.Fatalf("TryEnqueue of item %d failed", i)
		}
	}
	for range 3 {
		runtime.GC()
	}
	if f := freed.Load(); f != 0 {
		t.Fatalf("%d items referred to only by the queue were freed", f)
	}
	for i := range n {
		if v, ok := q.TryDequeue(); !ok || *v != i {
			t.Fatalf("item %d: got %v, %v", i, v, ok)
		}
	}
}

// TestBlockAlignedRemembersLead checks that a type which needed a lead to
// land on a block gets it at once the next time: one allocation, where
// the search makes several (an SPSC's core always needs one).
func TestBlockAlignedRemembersLead(t *testing.T) {
	core := reflect.TypeFor[spsc[uint64]]()
	blockAligned(core, 1)
	var p unsafe.Pointer
	if n := testing.AllocsPerRun(100, func() { p = blockAligned(core, 1) }); n != 1 {
		t.Errorf("blockAligned of an SPSC core made %v allocations, want 1", n)
	}
	if off := uintptr(p) % uintptr(pad.Size); off != 0 {
		t.Errorf("the core starts %d bytes into a %d-byte block", off, pad.Size)
	}
}
