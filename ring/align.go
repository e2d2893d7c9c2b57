package ring

import (
	"reflect"
	"sync"
	"unsafe"

	"github.com/ringq/ringq/pad"
)

// blockAligned returns the first of n zeroed values of type elem, laid out
// as an array that starts on a boundary of pad.Size bytes, the
// false-sharing distance (a cache line, or two where the prefetcher
// fetches lines in pairs), wherever the allocator allows it.
//
// The allocator does not promise that, nor even a line. Since Go 1.22, an
// object of 512 bytes to 32 KiB that holds pointers starts with an 8-byte
// malloc header (runtime/mbitmap.go), so its first element sits 8 bytes
// into a line. With 16-byte Vyukov slots, every fourth slot then straddles
// two lines, and pointer items moved a third slower than 8-byte ones
// between cores (bench/results/slot-alignment.txt). So where the array is
// off a block, blockAligned allocates it again inside a struct, behind a
// lead of bytes that makes up for the offset. The types, built with
// reflect, tell the garbage collector where the pointers are, and the
// returned interior pointer keeps the whole object alive. newLamportAt
// places an SPSC's core with it too (n = 1), so that state's layout falls
// on the lines it was laid out for.
func blockAligned(elem reflect.Type, n int) unsafe.Pointer {
	block := uintptr(pad.Size)
	key := alignKey{elem, n}
	if t, ok := leads.Load(key); ok {
		if q := behindLead(t.(reflect.Type)); uintptr(q)%block == 0 {
			return q
		}
	}
	array := reflect.ArrayOf(n, elem)
	p := reflect.New(array).UnsafePointer()
	off := uintptr(p) % block
	if off == 0 || elem.Size() == 0 {
		return p
	}
	// The lead changes the object's size, and so, at a size class's edge,
	// where the allocator puts it: try each lead, from the one that makes
	// up for this offset, and keep the first array that lands aligned.
	for i := uintptr(0); i < block/8; i++ {
		lead := (block - off + 8*i) % block
		t := reflect.StructOf([]reflect.StructField{
			{Name: "Lead", Type: reflect.ArrayOf(int(lead), reflect.TypeFor[byte]())},
			{Name: "Slots", Type: array},
		})
		q := behindLead(t)
		if uintptr(q)%block == 0 {
			leads.Store(key, t)
			return q
		}
	}
	return p // no lead helped: the slots work as well, a little slower
}

// behindLead allocates a struct of type t, a lead and an array, and
// returns the array's first element.
func behindLead(t reflect.Type) unsafe.Pointer {
	return reflect.New(t).Elem().Field(1).Addr().UnsafePointer()
}

// leads holds, for each element type and count that needed a lead, the
// struct of lead and array that last landed on a block, so that the next
// call tries it first, with one allocation. An SPSC's core needs a lead
// every time (its first allocation sits 8 bytes into a block, after the
// malloc header): without leads, NewSPSC took 5.2 µs and 10 allocations
// on ringq's 2-core Intel Xeon, against 3.2 µs and 4 before its core was
// aligned; with it, 3.7 µs and 4. An MPMC of 64 pointer slots went from
// 3.3 µs and 9 allocations to 1.5 µs and 3
// (bench/results/side-lines.txt). (Each ring under WaitPark has made two
// allocations more since, its Events' solo slots: solo-park.txt.)
var leads sync.Map // alignKey -> reflect.Type

type alignKey struct {
	elem reflect.Type
	n    int
}
