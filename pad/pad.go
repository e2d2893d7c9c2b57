// Package pad keeps concurrently written memory apart, so that two cores
// writing two different variables do not fight over one cache line: false
// sharing, which costs a cache-line round trip between cores (about
// 110–150 ns on ringq's development machine) on every write.
//
// Size is the false-sharing distance: the size of the aligned block of
// memory, a cache line or the pair of lines that a prefetcher fetches
// together, within which one core's writes disturb another core's accesses.
// Variables in different Size-aligned blocks do not share falsely. Uint64
// is an atomic counter with padding enough on both sides that no other
// variable shares its block, for the head and tail indices of the rings;
// Line is Size bytes of padding for laying out other structs.
//
// Go cannot align a struct field to more than 8 bytes, so padding here is
// always a distance, never an alignment, and each type's layout is checked
// by pad_test.go with unsafe.Sizeof and unsafe.Offsetof.
package pad

import (
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/cpu"
)

// CacheLine is the cache-line size in bytes of GOARCH as
// golang.org/x/sys/cpu reports it: the size of cpu.CacheLinePad, 64 on
// amd64, 128 on arm64, and 0 on wasm, where the package does not know it.
const CacheLine = int(unsafe.Sizeof(cpu.CacheLinePad{}))

// Line is Size bytes of padding. A struct puts one between fields that
// different goroutines write, as in
//
//	head atomic.Uint64
//	_    pad.Line // keeps tail off head's lines
//	tail atomic.Uint64
//
// Between two 8-byte-aligned fields, Size-8 bytes of padding would do (see
// Uint64); a whole Line is 8 bytes more, for a rule that needs no thought.
type Line struct{ _ [Size]byte }

// Uint64 is an atomic.Uint64 with Size-8 bytes of padding on each side, so
// that no other variable shares the Size-aligned block that holds it,
// wherever it is placed. Its zero value is zero; its methods are those of
// the embedded atomic.Uint64. A Uint64 must not be copied after first use.
//
// Layout (Size is 128 on amd64 and arm64, so a Uint64 is 248 bytes):
//
//	offset 0       [Size-8]byte   padding before
//	offset Size-8  atomic.Uint64  the value
//	offset Size    [Size-8]byte   padding after
//
// Why Size-8 and not Size: the value is 8-byte aligned, so it starts 0, 8,
// … or Size-8 bytes into its Size-aligned block. At Size-8, the Size-8
// bytes before it fill the block's start; at 0, the Size-8 bytes after it
// fill its end; anywhere else both sides do. So the fields around a
// Uint64, and the next Uint64 in
//
//	head pad.Uint64 // written by consumers
//	tail pad.Uint64 // written by producers
//
// lie in other blocks. Its operations have the memory-order guarantees
// of atomic.Uint64.
type Uint64 struct {
	_ [Size - 8]byte
	atomic.Uint64
	_ [Size - 8]byte
}
