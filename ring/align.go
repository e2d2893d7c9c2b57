package ring

import (
	"reflect"
	"unsafe"

	"github.com/ringq/ringq/pad"
)

// lineAligned returns the first of n zeroed values of type S, laid out as
// an array that starts on a cache-line boundary wherever the allocator
// allows it.
//
// make([]S, n) does not promise that. Since Go 1.22, an object of 512
// bytes to 32 KiB that holds pointers starts with an 8-byte malloc header
// (runtime/mbitmap.go), so its first element sits 8 bytes into a line.
// With 16-byte Vyukov slots, every fourth slot then straddles two lines,
// and pointer items moved a third slower than 8-byte ones between cores
// (bench/results/slot-alignment.txt). So where make's array is off a line,
// lineAligned allocates it again inside a struct, behind a lead of bytes
// that makes up for the offset. The struct's type, built with reflect,
// tells the garbage collector where the pointers are, and the returned
// interior pointer keeps the whole object alive.
func lineAligned[S any](n int) unsafe.Pointer {
	s := make([]S, n)
	p := unsafe.Pointer(&s[0])
	line := uintptr(pad.CacheLine)
	off := uintptr(p) % line
	if off == 0 || unsafe.Sizeof(s[0]) == 0 {
		return p
	}
	array := reflect.ArrayOf(n, reflect.TypeFor[S]())
	// The lead changes the object's size, and so, at a size class's edge,
	// where the allocator puts it: try each lead, from the one that makes
	// up for this offset, and keep the first array that lands aligned.
	for i := uintptr(0); i < line/8; i++ {
		lead := (line - off + 8*i) % line
		v := reflect.New(reflect.StructOf([]reflect.StructField{
			{Name: "Lead", Type: reflect.ArrayOf(int(lead), reflect.TypeFor[byte]())},
			{Name: "Slots", Type: array},
		}))
		q := v.Elem().Field(1).Addr().UnsafePointer()
		if uintptr(q)%line == 0 {
			return q
		}
	}
	return p // no lead helped: the slots work as well, a little slower
}
