package bench

// Impls returns every implementation the harness compares, the baseline
// first, then ringq's, then the peers'.
func Impls() []*Impl {
	impls := []*Impl{{
		Name:    "chan",
		Origin:  Baseline,
		Waits:   "parks (runtime)",
		newU64:  newChan[uint64],
		newPtr:  newChan[*Ptr],
		newBlob: newChan[Blob64],
	}}
	impls = append(impls, ringqImpls()...)
	return append(impls, &Impl{
		Name:           "xsync.SPSCQueue",
		Origin:         Peer,
		SingleProducer: true,
		SingleConsumer: true,
		Waits:          "spins, then Gosched (Spinning wrapper)",
		Note:           "Try calls only; made blocking by the shared Spinning wrapper",
		newU64:         newXsyncSPSC[uint64],
		newPtr:         newXsyncSPSC[*Ptr],
		newBlob:        newXsyncSPSC[Blob64],
	}, &Impl{
		Name:    "xsync.MPMCQueue",
		Origin:  Peer,
		Waits:   "spins, then Gosched (Spinning wrapper)",
		Note:    "Try calls only; made blocking by the shared Spinning wrapper. A Try call also fails when it loses a compare-and-swap, and the wrapper then backs off as if the queue were full or empty",
		newU64:  newXsyncMPMC[uint64],
		newPtr:  newXsyncMPMC[*Ptr],
		newBlob: newXsyncMPMC[Blob64],
	}, &Impl{
		Name:    "workiva.RingBuffer",
		Origin:  Peer,
		Waits:   "Gosched loop (its own Put/Get)",
		Note:    "holds interface{}: boxing allocates for every item that is not a pointer",
		newU64:  newWorkiva[uint64],
		newPtr:  newWorkiva[*Ptr],
		newBlob: newWorkiva[Blob64],
	})
}
