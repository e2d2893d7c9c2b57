package atomicsem

import (
	"context"
	"sync"

	"github.com/ringq/ringq/internal/wait"
)

// buffer is the bounded buffer that SPSCBuffer and MPMCBuffer are: slots,
// a circular array, between two semaphores. A producer acquires room,
// writes slots[in] and releases items, which publishes the item; a
// consumer takes a unit of items, reads and clears slots[out], and
// releases room. The semaphores order each slot's write before its read
// and its read before its next write, so in and out need no atomics: each
// belongs to its side, which is one goroutine at a time, or any number
// under mu when shared.
//
// The items count is the buffer's length at every instant: it rises when
// an enqueue publishes and falls when a dequeue takes the item, and these
// are the instants at which the calls take effect. So Len is exact,
// TryDequeue fails exactly when the buffer is empty, and TryEnqueue, which
// sees no room also while a slot is in transit (held by an enqueue that
// has yet to publish, or by a dequeue that has yet to release it), fails
// only when items says full, and otherwise waits for the transit to end.
// When shared, a dequeue takes its unit of items and its slot under mu as
// one step, so that dequeues get items in the order they take units: a
// consumer that took a unit and was then delayed must not get a younger
// item than a consumer that came after it.
//
// Close closes both semaphores. A closed items semaphore refuses releases,
// so the release that publishes an item either comes before Close and the
// item is delivered, or is refused and the enqueue returns ErrClosed: an
// accepted item is never lost, and Close does not wait for enqueues in
// flight. Consumers take what items holds, then fail: closed with no units
// is final. A closed room semaphore wakes and fails the producers waiting
// for a slot; the releases that consumers make after Close are refused,
// which no producer can miss.
//
// This is the classic two-semaphore design (the one in ringq's seed
// sketch) with the changes that Close and exact Try failures need:
// publishing under mu, taking under mu, and TryEnqueue's wait for slots
// in transit.
//
// Invariants:
//   - while open, room + items + the slots in transit is len(slots).
//   - items counts the published items, which are in slots[out],
//     slots[out+1], … (mod len(slots)), oldest first.
//   - every slot that holds no published item, and is not being written,
//     holds the zero value, so the buffer keeps nothing alive.
//   - when shared, mu is held around every change of in, out, slots and
//     the items count; room is released, and items closed, outside it.
type buffer[T any] struct {
	room   Semaphore // free slots: starts at len(slots), limit len(slots)
	items  Semaphore // published items: starts at 0, limit len(slots)
	shared bool      // several producers or consumers: take mu
	mu     sync.Mutex
	slots  []T
	in     int // the next slot to write; the producers'
	out    int // the next slot to read; the consumers'
}

func (b *buffer[T]) init(capacity int, shared bool) {
	if capacity < 1 {
		panic("atomicsem: capacity < 1")
	}
	b.room.init(capacity, capacity)
	b.items.init(0, capacity)
	b.shared = shared
	b.slots = make([]T, capacity)
}

func (b *buffer[T]) tryEnqueue(v T) bool {
	w := wait.Backoff{Policy: wait.Yield} // never parks: needs no Event
	for !b.room.TryAcquire() {
		if b.items.fullOrClosed() {
			return false
		}
		// Not full, yet no room: a slot is in transit, and the call that
		// holds it finishes without waiting for anyone.
		_ = w.Wait(context.Background(), nil, nil)
	}
	return b.put(v)
}

func (b *buffer[T]) enqueue(ctx context.Context, v T) error {
	if err := b.room.AcquireContext(ctx); err != nil {
		return err
	}
	if !b.put(v) {
		return ErrClosed
	}
	return nil
}

func (b *buffer[T]) tryDequeue() (T, bool) {
	v, ok, _ := b.take()
	return v, ok
}

func (b *buffer[T]) dequeue(ctx context.Context) (T, error) {
	var v T
	err := b.items.await(ctx, func() (ok, closed bool) {
		v, ok, closed = b.take()
		return ok, closed
	})
	return v, err
}

// put stores v in the slot that the caller's unit of room holds and
// publishes it. It reports false, leaving the slot empty, once the buffer
// is closed; the unit of room is not given back, as nobody can use it.
func (b *buffer[T]) put(v T) bool {
	if b.shared {
		b.mu.Lock()
	}
	b.slots[b.in] = v
	ok := b.items.release()
	if ok {
		b.in = b.next(b.in)
	} else {
		var zero T
		b.slots[b.in] = zero
	}
	if b.shared {
		b.mu.Unlock()
	}
	return ok
}

// take removes the oldest item, if there is one, and releases its slot.
// Otherwise it reports whether the buffer is closed, and so drained for
// good.
func (b *buffer[T]) take() (v T, ok, closed bool) {
	if b.shared {
		if !b.items.ready() {
			return v, false, false // open and empty: no need to lock
		}
		b.mu.Lock()
	}
	ok, closed = b.items.take()
	if ok {
		var zero T
		v = b.slots[b.out]
		b.slots[b.out] = zero
		b.out = b.next(b.out)
	}
	if b.shared {
		b.mu.Unlock()
	}
	if ok {
		b.room.release() // refused once closed: no enqueue can use it then
	}
	return v, ok, closed
}

func (b *buffer[T]) next(i int) int {
	if i++; i == len(b.slots) {
		return 0
	}
	return i
}

func (b *buffer[T]) close() {
	b.items.close() // first: from here on no item can be published
	b.room.close()
}
