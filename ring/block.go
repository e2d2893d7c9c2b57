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
// away from it on every poll. (Only the Vyukov rings, MPSC, MPMC and an
// SPSC of fewer than minLamportCap slots, are loose: a Lamport SPSC learns
// of room and items from the positions alone.)

// await makes the attempts of a blocking call of side (producers or
// consumers) after its first one failed (a loose one, where the core has
// loose attempts): it waits through the policy's stages on the side's Event
// between attempts, until an attempt succeeds, the queue is closed or ctx
// is done. Attempts made while spinning are loose, and from the first yield
// on strict. A waiter whose Event has learnt to park without yielding parks
// after loose attempts alone, which is safe: ready, which a parking
// goroutine calls once more after it has registered, reports whether an
// attempt could now succeed or the queue is closed, and reads both
// positions. When ctx is done, one strict attempt still adds or takes an
// item if one can be had at once.
//
// v is the waiting side's view of the other side's position, which the
// cores that keep one (SPSC) have in rings of at least minPatientCap slots.
// Such a side learns of room or items only by reading the other side's
// position, and a read while the other side is writing that position takes
// the line away from it. So when a wait ends with several items (or free
// slots) found at once, the other side is streaming, and the next wait of
// this side is patient: it spins longer before its first read, and finds
// more with it. How much longer it learns (see view.learn). A wait that
// ends with one item found, as in a ping-pong, makes the next one
// impatient, so a lone item is not kept waiting.
//
// The waits park in await's own frame, not in a callee's, to spare a woken
// goroutine the returns through those frames (see wait.Backoff.Next). A
// queue's eager flag makes the waits poll eagerly, as the Vyukov rings'
// waits do: from about 28 ns on they poll their slot about every 6 ns for
// some 100 ns before the spin rounds, so that a lone item from a goroutine
// on another processor is seen about as soon as its line arrives. A Lamport
// side's waits are not eager: its attempt reads the other side's position
// before the slot, and polls of that line made a ping-pong slower in the
// 2-core machine's slow phase (bench/results/eager-polls.txt,
// fine-polls.txt).
func (s *state) await(ctx context.Context, side int, attempt func(strict bool) status) error {
	if ctx == nil {
		panic(nilContext)
	}
	b := wait.Backoff{Policy: s.policy, Eager: s.eager}
	e, v, ready := &s.notFull, &s.prod, s.canEnqueue
	if s.fenceless {
		ready = s.producerReady
	}
	if side == consumers {
		// A Vyukov ring's consumer reads a cached count of Ps: in a
		// ping-pong, the scheduler lock that runtime.GOMAXPROCS takes
		// crossed between the two sides' processors at every hand-off
		// (see wait.Backoff.CachedProcs). A Lamport consumer does not:
		// with it, under the Yield policy, the bench module's ping-pong
		// through two SPSCs of 1,024 slots took 290 ns at p50 instead of
		// 235-251, for reasons not measured
		// (bench/results/cached-procs.txt).
		b.CachedProcs = s.eager
		e, v, ready = &s.notEmpty, &s.cons, s.canDequeue
		if s.fenceless {
			ready = s.consumerReady
		}
	}
	if v = s.own(v); v != nil {
		b.Patience = v.patience
	}
	for {
		park, err := b.Next(ctx, e)
		if park { // parked here, not in a callee: see wait.Backoff.Next
			if t, ok := e.Enter(ready); ok {
				err = e.End(ctx, t, t.Block(ctx.Done()))
			}
		}
		switch attempt(err != nil || !b.Spinning()) {
		case done:
			b.Done(e)
			if v != nil {
				v.learn()
			}
			return nil
		case closed:
			return ErrClosed
		}
		if err != nil {
			return err
		}
	}
}

// nilContext is what a Context method given a nil ctx panics with once it
// has to wait. The check is made here, off the fast paths, whose inlining
// budget it would break (see TestIntendedInlining); a call that need not
// wait does not look at ctx.
const nilContext = "ring: nil Context"

// patientAfter is how many items (or free slots) a wait must find at once
// for the side's next wait to be patient (see await).
const patientAfter = 2

// A patient first spin round is 1<<level times as long as an impatient
// one, about 45 ns: a side starts at firstPatience (about 360 ns) and
// learns from 1 (90 ns) to maxPatience (about 2.9 µs).
const (
	firstPatience = 3
	maxPatience   = 6
)

// learn sets the patience of the side's next wait from what the reading of
// the other side's position that ended its wait found. Each read takes the
// line of that position from the other side, which writes it once an item
// (or a batch), so a side that streams items one at a time loses a line
// transfer to every read: the fewer reads, the better, as long as the
// other side never finds the ring full (or empty) and has to wait too. So
// while each read finds at most half the ring, a side grows more patient,
// and when one finds more, less. With patience fixed at about 360 ns, an
// SPSC moved single items at 14 ns against 29 without it, with the same
// ping-pong round trip (bench/results/spin-calibration.txt); learnt up to
// about 2.9 µs, at 6.9 ns against 8.7, and 64-byte items at 15 against 30,
// while batches of 64, which fill half the ring in a few hundred
// nanoseconds, kept their speed at cap 1024 and gained 38-57% in rings of
// 128 and 65536 slots (bench/results/patience.txt). The price: when a
// stream stops, its last items may wait up to a patient round to be seen.
func (v *view) learn() {
	switch {
	case v.found < patientAfter: // the other side is not streaming
		v.patience = 0
		return
	case v.found > v.half:
		v.level = max(v.level-1, 1)
	default:
		v.level = min(v.level+1, maxPatience)
	}
	v.patience = v.level
}

// minPatientCap is the smallest Lamport ring whose sides wait patiently
// (NewSPSC builds none smaller, see minLamportCap; tests do). A patient
// first round lasts from about 90 ns to 2.9 µs, in which a streaming side
// moves some 10 to 300 single items, or hundreds in batches: a smaller
// ring is full (or empty) long before the patient side looks, and then the
// other side waits too. On ringq's 2-core machine, without patience, SPSCs
// of 8 and 16 slots moved single items 20-34% faster and batches 46-51%,
// with a patient round fixed at about 360 ns. At 32 slots patience still
// made single items 19% faster (at 64, twice as fast), though it halved
// the speed of batches there: a wait does not know how fast the other
// side moves (bench/results/small-rings.txt).
const minPatientCap = 32

// pause waits for a peer that is between claiming a slot and finishing with
// it: it spins on a multiprocessor, then yields, so that the peer can run
// even when goroutines outnumber processors.
func pause(b *wait.Backoff) {
	b.Policy = wait.Yield // never parks, so Wait needs neither an Event nor ready
	b.Wait(context.Background(), nil, nil)
}

// awaitPeer is pause for a strict single-item attempt whose slot a peer
// is in the middle of publishing or freeing, a window of a few stores:
// its spin rounds start shorter (wait.Backoff.Brief). A batch's lost race
// still pauses in full rounds, which keep the losers off the winner's line,
// and so do batches waiting for a slot: with brief rounds there, MPSC batches
// of 64 measured 7-16% slower on ringq's 2-core machine, as a poll of a
// slot every few nanoseconds takes its line from the peer writing it
// (bench/results/brief-peer.txt).
func awaitPeer(b *wait.Backoff) {
	b.Brief = true
	pause(b)
}

// awaitRoom makes the further attempts of a blocking enqueue.
func (s *state) awaitRoom(ctx context.Context, attempt func(strict bool) status) error {
	return s.await(ctx, producers, attempt)
}

// awaitItem makes the further attempts of a blocking dequeue.
func (s *state) awaitItem(ctx context.Context, attempt func(strict bool) status) error {
	return s.await(ctx, consumers, attempt)
}
