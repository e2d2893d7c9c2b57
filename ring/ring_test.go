package ring_test

import (
	"iter"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ringq/ringq/internal/queuetest"
	"github.com/ringq/ringq/ring"
)

// Every ring has the whole contract, batches included. queuetest.Run
// checks the batch methods only of a queue that has all of them, so
// without these a missing method would skip those checks, not fail them.
var (
	_ queuetest.BatchQueue[uint64] = (*ring.SPSC[uint64])(nil)
	_ queuetest.BatchQueue[uint64] = (*ring.MPSC[uint64])(nil)
	_ queuetest.BatchQueue[uint64] = (*ring.MPMC[uint64])(nil)
	_ queuetest.Closer             = (*ring.SPSC[uint64])(nil)
	_ queuetest.Closer             = (*ring.MPSC[uint64])(nil)
	_ queuetest.Closer             = (*ring.MPMC[uint64])(nil)
)

// factories are every ring under every wait policy, as the shared
// conformance suite sees them, and SPSC's two cores at every capacity.
func factories() []queuetest.Factory {
	var fs []queuetest.Factory
	fenced := ring.WithoutMembarrier()
	for _, p := range []ring.WaitPolicy{ring.WaitPark, ring.WaitYield} {
		opt := ring.WithWaitPolicy(p)
		fs = append(fs,
			queuetest.Factory{
				Name:           "SPSC/" + p.String(),
				New:            func(n int) queuetest.Queue[uint64] { return ring.NewSPSC[uint64](n, opt) },
				NewPointer:     func(n int) queuetest.Queue[*queuetest.Item] { return ring.NewSPSC[*queuetest.Item](n, opt) },
				NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return ring.NewSPSCAt[uint64](n, start, opt) },
				SingleProducer: true,
				SingleConsumer: true,
			},
			queuetest.Factory{
				Name:           "MPSC/" + p.String(),
				New:            func(n int) queuetest.Queue[uint64] { return ring.NewMPSC[uint64](n, opt) },
				NewPointer:     func(n int) queuetest.Queue[*queuetest.Item] { return ring.NewMPSC[*queuetest.Item](n, opt) },
				NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return ring.NewMPSCAt[uint64](n, start, opt) },
				SingleConsumer: true,
			},
			queuetest.Factory{
				Name:       "MPMC/" + p.String(),
				New:        func(n int) queuetest.Queue[uint64] { return ring.NewMPMC[uint64](n, opt) },
				NewPointer: func(n int) queuetest.Queue[*queuetest.Item] { return ring.NewMPMC[*queuetest.Item](n, opt) },
				NewAt:      func(n int, start uint64) queuetest.Queue[uint64] { return ring.NewMPMCAt[uint64](n, start, opt) },
			},
			// An SPSC that is a Lamport ring at every capacity: NewSPSC
			// builds one only from 32 slots, and most of the suite's
			// cases use fewer.
			lamportFactory("SPSC.lamport/"+p.String(), opt),
			// A Lamport SPSC that keeps its fences (WithoutMembarrier), as
			// it does off linux/amd64.
			lamportFactory("SPSC.fenced/"+p.String(), opt, fenced),
			// A Lamport SPSC whose sides let go of their guards at every
			// chance (see NewRelaxedAt), so that the suite drives the
			// fenceless protocol rather than the fences a new SPSC keeps
			// for its first items.
			queuetest.Factory{
				Name:           "SPSC.relaxed/" + p.String(),
				New:            func(n int) queuetest.Queue[uint64] { return ring.NewRelaxedAt[uint64](n, 0, opt) },
				NewPointer:     func(n int) queuetest.Queue[*queuetest.Item] { return ring.NewRelaxedAt[*queuetest.Item](n, 0, opt) },
				NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return ring.NewRelaxedAt[uint64](n, start, opt) },
				SingleProducer: true,
				SingleConsumer: true,
			},
		)
	}
	return fs
}

// lamportFactory is the Factory of an SPSC that is a Lamport ring at every
// capacity (NewLamportAt), made with opts.
func lamportFactory(name string, opts ...ring.Option) queuetest.Factory {
	return queuetest.Factory{
		Name:           name,
		New:            func(n int) queuetest.Queue[uint64] { return ring.NewLamportAt[uint64](n, 0, opts...) },
		NewPointer:     func(n int) queuetest.Queue[*queuetest.Item] { return ring.NewLamportAt[*queuetest.Item](n, 0, opts...) },
		NewAt:          func(n int, start uint64) queuetest.Queue[uint64] { return ring.NewLamportAt[uint64](n, start, opts...) },
		SingleProducer: true,
		SingleConsumer: true,
	}
}

func TestConformance(t *testing.T) {
	for _, f := range factories() {
		queuetest.Run(t, f)
	}
}

func FuzzSPSC(f *testing.F) { queuetest.Fuzz(f, factories()[0]) }
func FuzzMPSC(f *testing.F) { queuetest.Fuzz(f, factories()[1]) }
func FuzzMPMC(f *testing.F) { queuetest.Fuzz(f, factories()[2]) }

// FuzzLamport fuzzes an SPSC that is a Lamport ring at every capacity.
func FuzzLamport(f *testing.F) { queuetest.Fuzz(f, factories()[3]) }

func TestCapacityRoundsUp(t *testing.T) {
	for _, c := range []struct{ asked, want int }{{1, 1}, {2, 2}, {3, 4}, {1000, 1024}, {1024, 1024}, {1025, 2048}} {
		if got := ring.NewSPSC[int](c.asked).Cap(); got != c.want {
			t.Errorf("NewSPSC(%d).Cap() = %d, want %d", c.asked, got, c.want)
		}
		if got := ring.NewMPSC[int](c.asked).Cap(); got != c.want {
			t.Errorf("NewMPSC(%d).Cap() = %d, want %d", c.asked, got, c.want)
		}
		if got := ring.NewMPMC[int](c.asked).Cap(); got != c.want {
			t.Errorf("NewMPMC(%d).Cap() = %d, want %d", c.asked, got, c.want)
		}
	}
}

// TestBadOptionsPanic checks that an option a ring cannot honour fails
// where it is made, with a message that names the package, rather than
// leaving the ring to wait in some other way than asked.
func TestBadOptionsPanic(t *testing.T) {
	for _, c := range []struct {
		name string
		make func()
		want string
	}{
		{"UnknownPolicy", func() { ring.WithWaitPolicy(ring.WaitPolicy(9)) }, "ring: unknown wait policy 9"},
		{"NilOption", func() { ring.NewMPMC[int](8, nil) }, "ring: nil Option"},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.PanicsWithValue(t, c.want, c.make)
		})
	}
}

func TestWaitPolicyString(t *testing.T) {
	require.Equal(t, "park", ring.WaitPark.String())
	require.Equal(t, "yield", ring.WaitYield.String())
	require.Equal(t, "ring.WaitPolicy(9)", ring.WaitPolicy(9).String())
}

// All ranges over the items as a range over a channel does: every item in
// order, to the end once the queue is closed, and a break leaves the rest.
func TestAll(t *testing.T) {
	type ranged interface {
		queuetest.Queue[uint64]
		All() iter.Seq[uint64]
	}
	for _, f := range factories() {
		t.Run(f.Name, func(t *testing.T) {
			q := f.New(4).(ranged)
			var want []uint64
			go func() {
				for v := range uint64(100) {
					if q.Enqueue(v) != nil {
						panic("Enqueue on an open queue failed")
					}
				}
				q.Close()
			}()
			for v := range uint64(100) {
				want = append(want, v)
			}
			require.Equal(t, want, slices.Collect(q.All()), "all items, in order, until Close")
			require.Empty(t, slices.Collect(q.All()), "a closed, drained queue")

			q = f.New(8).(ranged)
			for v := range uint64(5) {
				require.True(t, q.TryEnqueue(v))
			}
			var got []uint64
			for v := range q.All() {
				got = append(got, v)
				if v == 2 {
					break
				}
			}
			require.Equal(t, []uint64{0, 1, 2}, got)
			require.Equal(t, 2, q.Len(), "a break leaves the rest")
			v, ok := q.TryDequeue()
			require.True(t, ok)
			require.Equal(t, uint64(3), v)
		})
	}
}
