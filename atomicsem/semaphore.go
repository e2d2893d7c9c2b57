package atomicsem

import (
	"context"
	"math"
	"sync/atomic"

	"github.com/ringq/ringq/internal/wait"
)

// closedBit is the sign bit of Semaphore.count. Only the buffers set it, by
// closing their semaphores; a Semaphore from New never has it.
const closedBit int64 = math.MinInt64

// Semaphore is a counting semaphore with a limit: it holds between 0 and
// limit units, Acquire takes one, waiting while there are none, and Release
// gives one back. A Release that would push the count past the limit is a
// bug, such as a consumer that releases the semaphore of items instead of
// the one of free slots, and panics. The zero Semaphore has a limit of 0
// and is of no use; make one with New.
//
// A Semaphore must not be copied after first use.
//
// In the terminology of [the Go memory model], a Release synchronizes
// before the Acquire it unblocks, and before every acquire that succeeds
// after it: each is a read-modify-write of one atomic counter.
//
// It is Dijkstra's semaphore with a bound, as Python's BoundedSemaphore,
// but with the initial count and the limit apart, so that a semaphore of
// items can start at 0 and stop at the capacity (a BoundedSemaphore(0),
// whose limit is its initial count, could never be released). The count
// is one atomic, taken and given with a CompareAndSwap loop; a call that
// finds no unit waits through package wait, which spins, yields and then
// parks, and never loses a wakeup.
//
// [the Go memory model]: https://go.dev/ref/mem
type Semaphore struct {
	// Invariants:
	//   - count&^closedBit, the units, is in [0, limit].
	//   - once closedBit is set it stays set, and the units never grow.
	//   - a goroutine parks on avail only after seeing count == 0, and
	//     every release and close notifies avail after it changes count.
	count atomic.Int64
	limit int64
	avail wait.Event // goroutines waiting for count to become nonzero
}

// New returns a semaphore that holds initial units and at most limit. It
// panics if limit < 1 or initial is outside [0, limit].
func New(initial, limit int) *Semaphore {
	s := new(Semaphore)
	s.init(initial, limit)
	return s
}

func (s *Semaphore) init(initial, limit int) {
	if limit < 1 {
		panic("atomicsem: limit < 1")
	}
	if initial < 0 || initial > limit {
		panic("atomicsem: initial count outside [0, limit]")
	}
	s.count.Store(int64(initial))
	s.limit = int64(limit)
	s.avail.Init()
}

// TryAcquire takes a unit if one is available and reports whether it did.
// It never blocks. It may be called from any goroutine.
func (s *Semaphore) TryAcquire() bool {
	ok, _ := s.take()
	return ok
}

// Acquire takes a unit, waiting until one is available. It may be called
// from any goroutine.
func (s *Semaphore) Acquire() {
	if !s.TryAcquire() {
		// Background is never done and s is never closed: it cannot fail.
		_ = s.await(context.Background(), s.take)
	}
}

// AcquireContext takes a unit, waiting until one is available or ctx is
// done. On failure it returns ctx.Err() and leaves the semaphore as it
// was. When a unit is available at once it takes it, even if ctx is
// already done (or nil); a nil ctx panics with "atomicsem: nil Context"
// once the call has to wait. It may be called from any goroutine.
func (s *Semaphore) AcquireContext(ctx context.Context) error {
	if s.TryAcquire() {
		return nil
	}
	return s.await(ctx, s.take)
}

// Release gives a unit back and wakes one waiting goroutine, if any. It
// panics with "atomicsem: release beyond limit", leaving the count as it
// was, if the semaphore already holds limit units. It may be called from
// any goroutine, not only from one that acquired.
func (s *Semaphore) Release() {
	s.release()
}

// take takes a unit if there is one. Otherwise it reports whether s is
// closed, in which case no unit will come.
func (s *Semaphore) take() (ok, closed bool) {
	for {
		c := s.count.Load()
		if c&^closedBit == 0 {
			return false, c != 0
		}
		if s.count.CompareAndSwap(c, c-1) {
			return true, false
		}
	}
}

// await makes attempt until it succeeds, waiting on s between attempts for
// a unit or for Close. attempt must take a unit of s when it succeeds, and
// report closed only when s is closed and has no unit. await returns nil
// once attempt succeeds, ErrClosed once it reports closed, and ctx.Err()
// if ctx is done first. The first attempt is made even if ctx is done.
func (s *Semaphore) await(ctx context.Context, attempt func() (ok, closed bool)) error {
	if ctx == nil {
		panic("atomicsem: nil Context") // a caller's bug, which would otherwise dereference nil in Next
	}
	var b wait.Backoff
	for {
		ok, closed := attempt()
		if ok {
			b.Done(&s.avail)
			return nil
		}
		if closed {
			return ErrClosed
		}
		park, err := b.Next(ctx, &s.avail)
		if park { // parked here, not in a callee: see wait.Backoff.Next
			if t, ok := s.avail.Enter(s.ready); ok {
				err = s.avail.End(ctx, t, t.Block(ctx.Done()))
			}
		}
		if err != nil {
			return err
		}
	}
}

// ready reports whether a waiter should look again: a unit is there, or s
// is closed.
func (s *Semaphore) ready() bool { return s.count.Load() != 0 }

// release gives a unit back and wakes one waiter, as Release does, and
// reports true; once s is closed it gives nothing back and reports false.
// The limit is checked before the count changes, so a panicking release
// leaves it as it was.
func (s *Semaphore) release() bool {
	for {
		c := s.count.Load()
		if c < 0 {
			return false
		}
		if c >= s.limit {
			panic("atomicsem: release beyond limit")
		}
		if s.count.CompareAndSwap(c, c+1) {
			// Always notify: a waiter may have parked while count was 0 and
			// not yet been woken by the release that made it 1.
			s.avail.Notify(1)
			return true
		}
	}
}

// close refuses every later release, so that the units can only fall, and
// wakes every waiter: from then on acquire takes what is left, then
// returns ErrClosed.
func (s *Semaphore) close() {
	s.count.Or(closedBit)
	s.avail.NotifyAll()
}

// fullOrClosed reports whether s holds limit units or is closed.
func (s *Semaphore) fullOrClosed() bool {
	c := s.count.Load()
	return c < 0 || c == s.limit
}

// closed reports whether s is closed.
func (s *Semaphore) closed() bool { return s.count.Load()&closedBit != 0 }

// available returns the number of units s holds.
func (s *Semaphore) available() int { return int(s.count.Load() &^ closedBit) }
