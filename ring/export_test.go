package ring

// NewSPSCAt, NewMPSCAt and NewMPMCAt return queues whose positions start at
// start, so that tests can cross the wraparound of the 64-bit positions
// without 2^63 operations.
func NewSPSCAt[T any](capacity int, start uint64, opts ...Option) *SPSC[T] {
	return newSPSCAt[T](capacity, start, opts)
}

func NewMPSCAt[T any](capacity int, start uint64, opts ...Option) *MPSC[T] {
	q := new(MPSC[T])
	q.c.init(capacity, start, true, opts)
	return q
}

func NewMPMCAt[T any](capacity int, start uint64, opts ...Option) *MPMC[T] {
	q := new(MPMC[T])
	q.c.init(capacity, start, false, opts)
	return q
}
