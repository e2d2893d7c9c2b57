package ring

import (
	"context"

	"github.com/ringq/ringq/internal/wait"
)

// status is what one attempt on a queue found.
type status uint8

const (
	done   status = iota // the attempt succeeded
	retry                // full (enqueue) or empty (dequeue): wait and try again
	closed               // the queue is closed (and, for a dequeue, drained)
)

// await makes the attempts of a blocking call after its first one failed:
// it waits through the policy's stages on e between attempts, until an
// attempt succeeds, the queue is closed or ctx is done. ready reports
// whether an attempt could now succeed or the queue is closed; it lets a
// parking goroutine check once more after it has registered.
func await(ctx context.Context, p wait.Policy, e *wait.Event, attempt func() status, ready func() bool) error {
	b := wait.Backoff{Policy: p}
	for {
		if err := b.Wait(ctx, e, ready); err != nil {
			return err
		}
		switch attempt() {
		case done:
			b.Done(e)
			return nil
		case closed:
			return ErrClosed
		}
	}
}

// pause waits for a peer that is between claiming a slot and finishing with
// it: it spins on a multiprocessor, then yields, so that the peer can run
// even when goroutines outnumber processors.
func pause(b *wait.Backoff) {
	b.Policy = wait.Yield // never parks, so Wait needs neither an Event nor ready
	b.Wait(context.Background(), nil, nil)
}

// awaitRoom makes the further attempts of a blocking enqueue.
func (s *state) awaitRoom(ctx context.Context, attempt func() status) error {
	return await(ctx, s.policy, &s.notFull, attempt, s.canEnqueue)
}

// awaitItem makes the further attempts of a blocking dequeue.
func (s *state) awaitItem(ctx context.Context, attempt func() status) error {
	return await(ctx, s.policy, &s.notEmpty, attempt, s.canDequeue)
}
