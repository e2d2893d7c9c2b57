package ring

import (
	"github.com/ringq/ringq/internal/wait"
	"github.com/ringq/ringq/pad"
)

// state is what every ring has besides its slots: the two positions, each
// on cache lines of its own, the wait policy and the two Events that
// blocked goroutines park on. Both cores embed it.
//
// Invariants, in wrapping arithmetic:
//   - head <= tail&^closedMark <= head+span;
//   - tail and head are multiples of step, but for closedMark in tail;
//   - once closedMark is set in tail it stays set and tail never moves.
type state struct {
	span     uint64 // step * capacity: one lap of positions
	policy   wait.Policy
	notEmpty wait.Event // consumers park here
	notFull  wait.Event // producers park here

	// Each position has a padded block of its own (see package pad). The
	// cached copies are private to one side: the producer reads headCache
	// on every enqueue and the consumer tailCache on every dequeue, and
	// neither writes them unless it has to reload.
	tail      pad.Uint64 // next position to fill | closedMark; producers write it
	headCache uint64     // SPSC: the producer's last reading of head
	head      pad.Uint64 // next position to empty; consumers write it
	tailCache uint64     // SPSC: the consumer's last reading of tail, unmarked
	_         [pad.Size - 8]byte
}

func (s *state) init(capacity int, start uint64, opts []Option) {
	start &^= closedMark
	s.span = step * uint64(capacity)
	s.policy = buildOptions(opts).policy
	s.tail.Store(start)
	s.head.Store(start)
	s.headCache = start
	s.tailCache = start
}

// canEnqueue reports whether an enqueue could succeed now, or the queue is
// closed: the condition a parked producer waits for.
func (s *state) canEnqueue() bool {
	t := s.tail.Load()
	return t&closedMark != 0 || t-s.head.Load() < s.span
}

// canDequeue reports whether a dequeue could succeed now, or the queue is
// closed: the condition a parked consumer waits for.
func (s *state) canDequeue() bool { return s.tail.Load() != s.head.Load() }

func (s *state) positions() *state { return s }

func (s *state) close() {
	s.tail.Or(closedMark)
	s.notEmpty.NotifyAll()
	s.notFull.NotifyAll()
}

func (s *state) len() int {
	h := s.head.Load()
	n := int64(s.tail.Load()&^closedMark-h) / step
	return int(min(max(n, 0), int64(s.cap())))
}

func (s *state) cap() int { return int(s.span / step) }
