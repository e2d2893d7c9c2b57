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
// (internal/wait): a few hundred nanoseconds of spinning, then
// runtime.Gosched between tries, never parking. Every Try-only peer goes
// through this one wrapper, so they all wait alike, and alike to ringq's
// queues with the Yield policy.
type Spinning[T any] struct {
	Q TryQueue[T]
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
		backoff(&b)
	}
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
			return v, nil
		}
		backoff(&b)
	}
}

// backoff waits once. A Yield-policy Backoff never parks, so it needs no
// Event and no readiness check, and with a context that never ends it
// cannot fail.
func backoff(b *wait.Backoff) {
	_ = b.Wait(context.Background(), nil, nil)
}
