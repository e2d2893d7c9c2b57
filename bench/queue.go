package bench

import "fmt"

// Queue is the part of ringq's queue contract that the harness drives: the
// blocking and the non-blocking calls. The harness never closes a queue, so
// queues without Close (the peers) can take part; an error from Enqueue or
// Dequeue ends the run.
type Queue[T any] interface {
	TryEnqueue(v T) bool
	TryDequeue() (T, bool)
	Enqueue(v T) error
	Dequeue() (T, error)
}

// BatchQueue is a Queue with the batch calls of package ring.
type BatchQueue[T any] interface {
	Queue[T]
	EnqueueBatch(vs []T) (int, error)
	DequeueBatch(dst []T) (int, error)
}

// Origin says where an implementation comes from.
type Origin uint8

const (
	// Baseline is Go's buffered channel, the reference every ratio is
	// taken against.
	Baseline Origin = iota
	// Ringq is a queue of this repository.
	Ringq
	// Peer is a queue from another library.
	Peer
)

// String returns "baseline", "ringq" or "peer".
func (o Origin) String() string {
	switch o {
	case Baseline:
		return "baseline"
	case Ringq:
		return "ringq"
	case Peer:
		return "peer"
	}
	return fmt.Sprintf("Origin(%d)", uint8(o))
}

// Impl describes one implementation to the harness: its name, what it can
// do, and how to make one for each item type.
type Impl struct {
	// Name is the implementation's name in benchmark names and tables, such
	// as "ring.MPMC+yield". It contains no '/' and no spaces.
	Name string
	// Origin says whether it is the baseline, ringq's or a peer's.
	Origin Origin
	// SingleProducer and SingleConsumer say that at most one goroutine may
	// enqueue, or dequeue; shapes that need more are skipped.
	SingleProducer, SingleConsumer bool
	// Batch, when positive, says that the harness moves items through
	// EnqueueBatch and DequeueBatch in batches of up to Batch items.
	Batch int
	// Waits says in a few words how a blocked call waits.
	Waits string
	// Note is anything else a reader of the numbers must know, or "".
	Note string

	newU64  func(capacity int) Queue[uint64]
	newPtr  func(capacity int) Queue[*Ptr]
	newBlob func(capacity int) Queue[Blob64]
}

// Supports reports whether the implementation can run with p producers and
// c consumers.
func (im *Impl) Supports(p, c int) bool {
	return (p == 1 || !im.SingleProducer) && (c == 1 || !im.SingleConsumer)
}

// New returns an empty queue of the implementation with room for at least
// capacity items of type T.
func New[T Item](im *Impl, capacity int) Queue[T] {
	var q any
	switch any(*new(T)).(type) {
	case uint64:
		q = im.newU64(capacity)
	case *Ptr:
		q = im.newPtr(capacity)
	case Blob64:
		q = im.newBlob(capacity)
	}
	return q.(Queue[T])
}

// ByName returns the implementation of that name among impls, or nil.
func ByName(impls []*Impl, name string) *Impl {
	for _, im := range impls {
		if im.Name == name {
			return im
		}
	}
	return nil
}
