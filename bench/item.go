package bench

import "math"

// Item is the set of item types the harness moves: an 8-byte value, a
// pointer and a 64-byte struct.
type Item interface {
	uint64 | *Ptr | Blob64
}

// Ptr is the target of pointer items.
type Ptr struct{ Seq uint64 }

// Blob64 is the 64-byte item. Only Seq takes part in ==, so telling the
// stop item apart costs one compare, while each move still copies 64 bytes.
type Blob64 struct {
	Seq uint64
	_   [7]uint64
}

// ItemName returns the name of T in benchmark names: "8B", "ptr" or "64B".
func ItemName[T Item]() string {
	switch any(*new(T)).(type) {
	case uint64:
		return "8B"
	case *Ptr:
		return "ptr"
	}
	return "64B"
}

// ItemNames lists the item names in the order of the tables.
var ItemNames = []string{ItemName[uint64](), ItemName[*Ptr](), ItemName[Blob64]()}

// ThroughputOf returns Throughput for the item type named item (one of
// ItemNames), or nil.
func ThroughputOf(item string) func(im *Impl, capacity int, sh Shape, n int) (Run, error) {
	switch item {
	case ItemName[uint64]():
		return Throughput[uint64]
	case ItemName[*Ptr]():
		return Throughput[*Ptr]
	case ItemName[Blob64]():
		return Throughput[Blob64]
	}
	return nil
}

// stopSeq marks the stop item that ends a consumer; no real item carries it.
const stopSeq = math.MaxUint64

// stopPtr is the stop item of pointer queues, told apart by its address.
var stopPtr = &Ptr{Seq: stopSeq}

// stopItem returns the item that tells a consumer to stop.
func stopItem[T Item]() T {
	var v any
	switch any(*new(T)).(type) {
	case uint64:
		v = uint64(stopSeq)
	case *Ptr:
		v = stopPtr
	case Blob64:
		v = Blob64{Seq: stopSeq}
	}
	return v.(T)
}

// itemRing is the number of distinct items a producer cycles through; a
// power of two.
const itemRing = 1024

// makeItems returns itemRing items numbered from base, none of them the
// stop item. Pointer items are allocated here, once, so that moving them
// allocates nothing.
func makeItems[T Item](base uint64) []T {
	out := make([]T, itemRing)
	for i := range out {
		seq := base + uint64(i)
		var v any
		switch any(*new(T)).(type) {
		case uint64:
			v = seq
		case *Ptr:
			v = &Ptr{Seq: seq}
		case Blob64:
			v = Blob64{Seq: seq}
		}
		out[i] = v.(T)
	}
	return out
}
