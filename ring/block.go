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

// An attempt is strict or loose. A strict attempt that finds its slot
// taken by a peer tells a full or empty queue from a peer in the middle
// of its operation, by reading the other side's position, and waits for
// the peer; so it fails only when the queue really is full or empty, as
// the Try methods promise. A loose attempt fails at once, without reading
// the other side's position: a blocking call that polls a slot the other
// side is about to fill or free need not pull that position's cache line
// away from it on every poll. (Only MPSC and MPMC are loose: an SPSC
// learns of room and items from the positions alone.)

// await makes the attempts of a blocking call after its first one failed
// (a loose one, where the core has loose attempts): it waits through the
// policy's stages on e between attempts, until an attempt succeeds, the
// queue is closed or ctx is done. Attempts made while spinning are loose;
// from the first yield on they are strict, so that a closed queue is seen
// before anyone parks. When ctx is done, one strict attempt still adds or
// takes an item if one can be had at once. ready reports whether an
// attempt could now succeed or the queue is closed; it lets a parking
// goroutine check once more after it has registered.
func await(ctx context.Context, p wait.Policy, e *wait.Event, attempt func(strict bool) status, ready func() bool) error {
	b := wait.Backoff{Policy: p}
	for {
		err := b.Wait(ctx, e, ready)
		switch attempt(err != nil || !b.Spinning()) {
		case done:
			b.Done(e)
			return nil
		case closed:
			return ErrClosed
		}
		if err != nil {
			return err
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
func (s *state) awaitRoom(ctx context.Context, attempt func(strict bool) status) error {
	return await(ctx, s.policy, &s.notFull, attempt, s.canEnqueue)
}

// awaitItem makes the further attempts of a blocking dequeue.
func (s *state) awaitItem(ctx context.Context, attempt func(strict bool) status) error {
	return await(ctx, s.policy, &s.notEmpty, attempt, s.canDequeue)
}
