package bench

import (
	"context"

	"github.com/ringq/ringq/internal/wait"
)

// TryQueue is the non-blocking half of the contract: all that some peers
// offer.
type TryQueue[T any] interface {
	TryEnqueue(v T) bool
	TryDequeue() (T, bool)
}

// Spinning makes a TryQueue blocking, for the peers that offer no blocking
// calls. A blocked call retries with ringq's own Yield-policy backoff
// (internal/wait): spinning, for as many rounds as the wrapper has learnt
// pay (as ringq's queues learn it), then runtime.Gosched between tries,
// never parking. Every Try-only peer goes through this one wrapper, so they
// all wait alike, and alike to ringq's queues with the Yield policy.
type Spinning[T any] struct {
	Q TryQueue[T]
	// room and items only learn how long to spin; with the Yield policy
	// nobody parks on them.
	room, items *wait.Event
}

// NewSpinning wraps q.
func NewSpinning[T any](q TryQueue[T]) Spinning[T] {
	return Spinning[T]{Q: q, room: new(wait.Event), items: new(wait.Event)}
}

// TryEnqueue passes through to the wrapped queue.
func (s Spinning[T]) TryEnqueue(v T) bool { return s.Q.TryEnqueue(v) }

// TryDequeue passes through to the wrapped queue.
func (s Spinning[T]) TryDequeue() (T, bool) { return s.Q.TryDequeue() }

// Enqueue retries TryEnqueue until it succeeds. It never fails.
func (s Spinning[T]) Enqueue(v T) error {
	if s.Q.TryEnqueue(v) {
		return nil
	}
	b := wait.Backoff{Policy: wait.Yield}
	for !s.Q.TryEnqueue(v) {
		backoff(&b, s.room)
	}
	b.Done(s.room)
	return nil
}

// Dequeue retries TryDequeue until it succeeds. It never fails.
func (s Spinning[T]) Dequeue() (T, error) {
	if v, ok := s.Q.TryDequeue(); ok {
		return v, nil
	}
	b := wait.Backoff{Policy: wait.Yield}
	for {
		if v, ok := s.Q.TryDequeue(); ok {
			b.Done(s.items)
			return v, nil
		}
		backoff(&b, s.items)
	}
}

// backoff waits once. A Yield-policy Backoff never parks, so it needs no
// readiness check, and with a context that never ends it cannot fail.
func backoff(b *wait.Backoff, e *wait.Event) {
	_ = b.Wait(context.Background(), e, nil)
}
