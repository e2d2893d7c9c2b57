package pad_test

import (
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/ringq/ringq/pad"
)

func TestSize(t *testing.T) {
	if pad.Size < 64 || bits.OnesCount(uint(pad.Size)) != 1 {
		t.Errorf("Size = %d, want a power of two of at least 64", pad.Size)
	}
	// A variable, not the constant: where CacheLine is 0 (wasm), Size %
	// CacheLine would be a constant division by zero, which does not compile.
	if line := pad.CacheLine; line > 0 && pad.Size%line != 0 {
		t.Errorf("Size = %d is not a multiple of CacheLine = %d", pad.Size, line)
	}
}

func TestLineSize(t *testing.T) {
	if got := unsafe.Sizeof(pad.Line{}); got != uintptr(pad.Size) {
		t.Errorf("unsafe.Sizeof(Line{}) = %d, want Size = %d", got, pad.Size)
	}
}

// TestUint64Layout checks the layout that the Uint64 doc comment promises,
// as go.uber.org/atomic's TestNocmpSize checks its types'.
func TestUint64Layout(t *testing.T) {
	var u pad.Uint64
	if got, want := unsafe.Sizeof(u), uintptr(2*pad.Size-8); got != want {
		t.Errorf("unsafe.Sizeof(Uint64{}) = %d, want 2*Size-8 = %d", got, want)
	}
	if got, want := unsafe.Offsetof(u.Uint64), uintptr(pad.Size-8); got != want {
		t.Errorf("value offset = %d, want Size-8 = %d", got, want)
	}
	// The padding argument counts on the value being 8-byte aligned, and
	// no more: a Uint64 may start at any multiple of 8.
	if got := unsafe.Alignof(u); got != 8 {
		t.Errorf("unsafe.Alignof(Uint64{}) = %d, want 8", got)
	}
}

// span is the bytes of one field, by their offsets in a struct.
type span struct {
	name        string
	first, last uintptr
}

// field returns the span of an 8-byte field at offset off.
func field(name string, off uintptr) span { return span{name, off, off + 7} }

// checkApart checks, for every address at which Go may place a struct with
// alignment align, that the Size-aligned block holding each of the written
// fields holds no byte of any other field in fields.
func checkApart(t *testing.T, align uintptr, fields []span, written ...string) {
	t.Helper()
	size := uintptr(pad.Size)
	for base := uintptr(0); base < size; base += align {
		block := func(off uintptr) uintptr { return (base + off) / size }
		for _, v := range fields {
			if !slices.Contains(written, v.name) {
				continue
			}
			if block(v.first) != block(v.last) {
				t.Fatalf("base %d: %s straddles two blocks", base, v.name)
			}
			for _, o := range fields {
				if o == v {
					continue
				}
				for off := o.first; off <= o.last; off++ {
					if block(off) == block(v.first) {
						t.Errorf("base %d: %s shares block %d with %s", base, v.name, block(off), o.name)
						break
					}
				}
			}
		}
	}
}

// TestUint64Apart places two Uint64s, as a ring's head and tail, between
// two other fields.
func TestUint64Apart(t *testing.T) {
	var r struct {
		before uint64
		head   pad.Uint64
		tail   pad.Uint64
		after  uint64
	}
	value := unsafe.Offsetof(r.head.Uint64)
	checkApart(t, unsafe.Alignof(r), []span{
		field("before", unsafe.Offsetof(r.before)),
		field("head", unsafe.Offsetof(r.head)+value),
		field("tail", unsafe.Offsetof(r.tail)+value),
		field("after", unsafe.Offsetof(r.after)),
	}, "head", "tail")
}

// TestLineApart checks the layout in Line's doc comment.
func TestLineApart(t *testing.T) {
	var r struct {
		head atomic.Uint64
		_    pad.Line
		tail atomic.Uint64
	}
	checkApart(t, unsafe.Alignof(r), []span{
		field("head", unsafe.Offsetof(r.head)),
		field("tail", unsafe.Offsetof(r.tail)),
	}, "head", "tail")
}

// hammer has two goroutines add 1 to a and to b n times each, at the same
// time, and returns how long that took.
func hammer(n int, a, b *atomic.Uint64) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	for _, c := range []*atomic.Uint64{a, b} {
		wg.Go(func() {
			for range n {
				c.Add(1)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// BenchmarkFalseSharing shows what padding buys: two goroutines each add to
// their own counter, once with the counters side by side in one cache line
// and once as two pad.Uint64s. An op is one Add by each goroutine in each
// layout. It reports both layouts' time per Add and their ratio,
// adjacent/padded, which is about 1 when the goroutines do not run on two
// cores at once.
func BenchmarkFalseSharing(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2: false sharing takes two cores")
	}
	adjacent := new(struct{ a, b atomic.Uint64 })
	if line := uintptr(64); uintptr(unsafe.Pointer(&adjacent.a))/line != uintptr(unsafe.Pointer(&adjacent.b))/line {
		b.Fatal("adjacent counters are not in one 64-byte line")
	}
	padded := new(struct{ a, b pad.Uint64 })
	b.ResetTimer()
	tAdjacent := hammer(b.N, &adjacent.a, &adjacent.b)
	tPadded := hammer(b.N, &padded.a.Uint64, &padded.b.Uint64)
	b.ReportMetric(float64(tAdjacent.Nanoseconds())/float64(b.N), "adjacent-ns/add")
	b.ReportMetric(float64(tPadded.Nanoseconds())/float64(b.N), "padded-ns/add")
	b.ReportMetric(float64(tAdjacent)/float64(tPadded), "adjacent/padded")
}
