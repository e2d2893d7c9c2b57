package bench

import (
	"github.com/ringq/ringq/atomicsem"
	"github.com/ringq/ringq/ring"
)

// RingBatch is the batch size with which the harness drives the batched
// ring variants ("+batch"), on both sides; capped at the capacity.
const RingBatch = 64

// ringKind is one of the three rings of package ring.
type ringKind uint8

const (
	spsc ringKind = iota
	mpsc
	mpmc
)

// ringMaker returns the constructor of a ring of kind k that waits with p.
func ringMaker[T any](k ringKind, p ring.WaitPolicy) func(capacity int) Queue[T] {
	opt := ring.WithWaitPolicy(p)
	switch k {
	case spsc:
		return func(capacity int) Queue[T] { return ring.NewSPSC[T](capacity, opt) }
	case mpsc:
		return func(capacity int) Queue[T] { return ring.NewMPSC[T](capacity, opt) }
	}
	return func(capacity int) Queue[T] { return ring.NewMPMC[T](capacity, opt) }
}

// ringqImpls returns the queues of this repository: the semaphore buffers of
// package atomicsem, and each ring of package ring with each wait policy,
// driven one item at a time and in batches.
func ringqImpls() []*Impl {
	const semWaits = "spins, yields, then parks (internal/wait)"
	impls := []*Impl{{
		Name:           "atomicsem.SPSCBuffer",
		Origin:         Ringq,
		SingleProducer: true,
		SingleConsumer: true,
		Waits:          semWaits,
		Note:           "baseline design: a ring between two semaphores",
		newU64:         newSPSCBuffer[uint64],
		newPtr:         newSPSCBuffer[*Ptr],
		newBlob:        newSPSCBuffer[Blob64],
	}, {
		Name:    "atomicsem.MPMCBuffer",
		Origin:  Ringq,
		Waits:   semWaits,
		Note:    "baseline design: two semaphores and a mutex",
		newU64:  newMPMCBuffer[uint64],
		newPtr:  newMPMCBuffer[*Ptr],
		newBlob: newMPMCBuffer[Blob64],
	}}
	for _, r := range []struct {
		name   string
		kind   ringKind
		sp, sc bool
	}{
		{"ring.SPSC", spsc, true, true},
		{"ring.MPSC", mpsc, false, true},
		{"ring.MPMC", mpmc, false, false},
	} {
		for _, batch := range []int{0, RingBatch} {
			for _, p := range []ring.WaitPolicy{ring.WaitPark, ring.WaitYield} {
				name, waits := r.name, "spins, yields, then parks (internal/wait)"
				if batch > 0 {
					name += "+batch"
				}
				if p == ring.WaitYield {
					name += "+yield"
					waits = "spins, then Gosched (internal/wait)"
				}
				impls = append(impls, &Impl{
					Name:           name,
					Origin:         Ringq,
					SingleProducer: r.sp,
					SingleConsumer: r.sc,
					Batch:          batch,
					Waits:          waits,
					newU64:         ringMaker[uint64](r.kind, p),
					newPtr:         ringMaker[*Ptr](r.kind, p),
					newBlob:        ringMaker[Blob64](r.kind, p),
				})
			}
		}
	}
	return impls
}

func newSPSCBuffer[T any](capacity int) Queue[T] { return atomicsem.NewSPSCBuffer[T](capacity) }

func newMPMCBuffer[T any](capacity int) Queue[T] { return atomicsem.NewMPMCBuffer[T](capacity) }

// ringqSemImpls returns the semaphores of this repository.
func ringqSemImpls() []*SemImpl {
	return []*SemImpl{{
		Name:   "atomicsem.Semaphore",
		Origin: Ringq,
		New:    func(limit int) Semaphore { return atomicsem.New(limit, limit) },
	}}
}
