package ring

import (
	"testing"

	"github.com/ringq/ringq/pad"
)

// TestPerLine checks how many items an SPSC side counts to a cache line
// when it reaches ahead (see reachWrite), for items that divide a line,
// that do not, that are larger, and that take no memory, and that no side
// reaches ahead where GOARCH has no cache lines.
func TestPerLine(t *testing.T) {
	line := uint64(pad.CacheLine)
	big := uint64(1) // an item of a line or more counts one to its line
	if line == 0 {
		big = 0 // wasm has no cache lines, and no side reaches ahead
	}
	for _, c := range []struct {
		name      string
		got, want uint64
	}{
		{"uint64", perLine[uint64](), line / 8},
		{"[3]byte", perLine[[3]byte](), line / 3},
		{"[24]byte", perLine[[24]byte](), line / 24},
		{"[8]uint64", perLine[[8]uint64](), max(big, line/64)},
		{"[200]byte", perLine[[200]byte](), big},
		{"struct{}", perLine[struct{}](), 0},
		{"reachGroup[struct{}]", reachGroup[struct{}](), 0},
		{"reachGroup[uint64]", reachGroup[uint64](), line / 8 * reachLines},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
}

// TestSPSCOddSizes streams items through small SPSC rings, lap after lap,
// for item sizes whose groups of lines (reachGroup) do not divide the
// ring, that are moved in two steps (bigItem), and that take no memory:
// every item must come out once, in order, and under the race detector
// no side may reach into a slot the other side owns.
func TestSPSCOddSizes(t *testing.T) {
	const n = 20000
	t.Run("[3]byte", func(t *testing.T) {
		stream(t, NewSPSC[[3]byte](64), n,
			func(i int) [3]byte { return [3]byte{byte(i), byte(i >> 8), byte(i >> 16)} })
	})
	t.Run("[24]byte", func(t *testing.T) {
		stream(t, NewSPSC[[24]byte](32), n,
			func(i int) [24]byte { return [24]byte{0: byte(i), 1: byte(i >> 8), 23: byte(i >> 16)} })
	})
	t.Run("struct{}", func(t *testing.T) {
		stream(t, newLamportAt[struct{}](16, 0, nil), n, func(int) struct{} { return struct{}{} })
	})
}

// stream sends item(0) to item(n-1) through q from one goroutine and
// checks that they come out in that order.
func stream[T comparable](t *testing.T, q *SPSC[T], n int, item func(int) T) {
	go func() {
		for i := range n {
			if err := q.Enqueue(item(i)); err != nil {
				panic(err)
			}
		}
		q.Close()
	}()
	i := 0
	for v, err := q.Dequeue(); err == nil; v, err = q.Dequeue() {
		if i >= n || v != item(i) {
			t.Fatalf("item %d: got %v, want %v", i, v, item(i))
		}
		i++
	}
	if i != n {
		t.Fatalf("%d items came out, want %d", i, n)
	}
}
