package ring

import "github.com/ringq/ringq/internal/wait"

// The batch methods of the Vyukov rings: a batch takes one claim of
// consecutive positions, then fills or empties their slots one by one.

// enqueueBatch adds a prefix of vs with one claim of consecutive
// positions and returns its length, or 0 with retry (full) or closed.
//
// It publishes its items with release stores (storeRelease), where a
// single item's is an atomic store: on x86 an XCHG, a locked instruction.
// A release store needs no fence here, since no goroutine's wakeup waits
// on a slot's sequence number: a parked consumer checks the tail, which
// the claim moved with a locked instruction before any item was written,
// and a consumer that then finds an item not yet published waits for its
// producer, as for any peer in the middle of an enqueue. On ringq's 2-core
// Intel Xeon, where a locked instruction takes 9-11 ns, batches of 64
// moved 16-42% faster through MPSC and MPMC so
// (bench/results/batch-release.txt). Single items keep their atomic
// stores: as release stores they made MPSC 19-31% slower there
// (bench/results/release-gate.txt), and MPSC and MPMC 10% slower on the
// AMD EPYC (release-store.txt). dequeueBatch frees its slots the same
// way; a parked producer checks the head.
//
// Among many consumers (MPMC), a claim of slots that share cache lines
// (items of up to 24 bytes; see maxFreeClaimSlot) takes only slots
// already free (freeRun) and stops at the first that a consumer has
// claimed but not yet freed; a batch whose first slot is so held waits for
// that consumer, as a single item does. A claim over held slots waits for
// their consumers one by one, and where goroutines outnumber processors
// such a consumer is often not running; the consumers behind the claim
// then wait for its producer, and the producers for them. Batches of 4 and
// 8 through a 16-slot MPMC, whose consumers' claims may cover items not
// yet published (see dequeueBatch), took 59-224 ns an item at 2x2 to 8x8
// on ringq's 2-core AMD EPYC, single items 11; with this rule they took
// 14-27, and at 128 slots batches of 32 and 64 took 7.4-8.3 instead of
// 12.5-25.4. It cost the shapes with one producer or one consumer up to a
// third at those sizes (a tenth at the median), batches as big as the ring
// 1-27%, and batches through 1,024 slots up to a fifth
// (bench/results/batch-free-run.txt). Larger slots keep claiming ahead:
// for 64-byte items the rule mended the same stall, but made batches of 64
// through 1,024 slots 2-3 times as slow at 2x2 to 8x8: there producers
// keep reaching slots that consumers still read, and the rule cut their
// claims from 64 items to 21-49, with thousands of waits on a held first
// slot, where claiming ahead waits behind a running consumer slot by slot
// and keeps its claims whole; their stall in small rings is mended on the
// consumers' side instead (see dequeueBatch). An MPSC's producers keep
// claiming held slots too: they wait only for its one consumer, whom
// every item waits for anyway, and the rule made its batches as big as the
// ring 1.6-1.9 times as slow.
func (q *vyukov[T]) enqueueBatch(vs []T) (int, status) {
	if len(vs) == 0 {
		return 0, done
	}
	t := q.tail.Load()
	if n := uint64(len(vs)); n <= q.scanMax && t&closedMark == 0 &&
		q.freeRun(t, n) == n && q.tail.CompareAndSwap(t, t+n*step) {
		return q.fill(t, vs), done // see maxScanBatch
	}
	var lost wait.Backoff
	for t&closedMark == 0 {
		room := (q.head.Load() + q.span - t) / step
		if room == 0 {
			return 0, retry
		}
		n := min(uint64(len(vs)), room)
		if q.claimFree {
			n = q.freeRun(t, n) // among many consumers, only free slots: see above
		}
		if n > 0 && q.tail.CompareAndSwap(t, t+n*step) {
			return q.fill(t, vs[:n]), done
		}
		pause(&lost) // a lost race, or t's consumer still reads its slot
		t = q.tail.Load()
	}
	return 0, closed
}

// fill writes vs into the slots of the positions from t on, which the
// caller has claimed, waiting for consumers still reading them, and
// returns len(vs).
func (q *vyukov[T]) fill(t uint64, vs []T) int {
	var b wait.Backoff
	for i, v := range vs {
		p := t + uint64(i)*step
		s := q.slot(p)
		for s.seq.Load() != p { // its consumer is still reading it
			pause(&b)
		}
		s.val = v
		storeRelease(&s.seq, p+1)
	}
	q.notEmpty.Notify(len(vs))
	return len(vs)
}

// published waits for the producer of position h, which a batch has
// claimed by the tail alone, to finish publishing its item, and returns
// its slot. (A single item is claimed only once its slot shows it
// published, and then no one but its consumer changes the slot.)
func (q *vyukov[T]) published(h uint64) *slot[T] {
	s := q.slot(h)
	if s.seq.Load() != h+1 {
		var b wait.Backoff
		for s.seq.Load() != h+1 {
			pause(&b)
		}
	}
	return s
}

// empty moves the items of the positions from h on, which the caller has
// claimed, into dst, waiting for producers still writing them, frees
// their slots and returns len(dst).
func (q *vyukov[T]) empty(h uint64, dst []T) int {
	for i := range dst {
		p := h + uint64(i)*step
		s := q.published(p)
		dst[i] = s.val
		q.freeInBatch(s, p)
	}
	q.notFull.Notify(len(dst))
	return len(dst)
}

// freeInBatch is free for the items of a batch, with a release store
// (see enqueueBatch).
func (q *vyukov[T]) freeInBatch(s *slot[T], h uint64) {
	var zero T
	s.val = zero
	storeRelease(&s.seq, h+q.span)
}

// dequeueBatch removes up to len(dst) items into dst with one claim of
// consecutive positions and returns how many, or 0 with retry (empty) or
// closed (closed and drained).
//
// It claims items that producers have claimed but may not have published
// yet, and waits for each after the claim: a consumer can then take a
// batch while its producer is still writing it. But a claim that covers
// most of the ring holds up everyone if one of those producers is not
// running: the other consumers find nothing to claim, and the producers
// soon wait for this consumer's slots. Batches of 64 through a 16-slot
// MPMC took 190 ns an item at 8x8 on ringq's 2-core machine, where single
// items took 14, and 1.3-2.5 µs at 4x4 and 8x8 on a 16-core one. So among
// many consumers, a claim of more than half the ring takes only the items
// that are published, after a brief spin for each that is not
// (publishedRun), and stops at the first still unpublished. That made
// those shapes 1.8-10 times faster on both machines, and took 10-50% off
// the 16-slot shapes with one producer or one consumer on 16 cores (20-70%
// on 2, where the spread is wider). Smaller claims keep the wait, which
// measured 25-40% faster at cap 1024 with few goroutines, and so does
// MPSC's single consumer, which no consumer waits behind
// (bench/results/batch-claims.txt).
//
// Among many consumers of items over 24 bytes, whose producers' batches
// claim ahead (see enqueueBatch), every claim in a ring of up to 64 slots
// (maxPublishedClaimCap) takes only published items too. There, with more
// goroutines than processors, the waits of the two sides chained: batches
// of 4 to 16 such items through 16 to 64 slots took 25-195 ns an item at
// 2x2 to 8x8 on ringq's 2-core AMD EPYC, and 15-32 with the rule (medians
// of paired runs; ratios 0.11-0.70); the shapes with one producer or one
// consumer took 0.81-1.14 times as long, no slower than rows of unchanged
// code measured in those runs (up to 1.22). From 128 slots on, the stall
// was small or gone, and the rule cost those shapes up to half again at
// 128 and 256 slots, and batches of 64 at 2x2 and 4x4 through 256 to 1,024
// slots 2-2.4 times as long, so larger rings keep claiming ahead. A rule
// keyed on a claim's share of the ring instead cost batches of 256 through
// 1,024 slots 1.4-1.8 times at 1x4 and 2x2 to 8x8. Items of up to 24 bytes
// keep only their producers' rule, which mends their stall: with a
// consumers' rule too (keyed on a claim's share), their batches of 64
// through 128 slots took 1.5 times as long
// (bench/results/batch-published-claims.txt).
func (q *vyukov[T]) dequeueBatch(dst []T) (int, status) {
	if len(dst) == 0 {
		return 0, done
	}
	h := q.head.Load()
	if n := uint64(len(dst)); n <= q.scanMax && q.readyRun(h, n) == n && q.claim(h, h+n*step) {
		return q.empty(h, dst), done // see maxScanBatch
	}
	var lost wait.Backoff
	for {
		t := q.tail.Load()
		avail := (t&^closedMark - h) / step
		if avail == 0 {
			if t&closedMark != 0 {
				return 0, closed
			}
			return 0, retry
		}
		n := min(uint64(len(dst)), avail)
		if q.claimPublished || !q.single && 2*n > q.mask+1 {
			n = q.publishedRun(h, n) // a claim over most of the ring, or in a small one: see above
		}
		if n > 0 && q.claim(h, h+n*step) {
			return q.empty(h, dst[:n]), done
		}
		pause(&lost)
		h = q.head.Load()
	}
}

// publishedRun returns how many consecutive positions from p on, up to
// most, hold published items. For an item whose producer is still writing
// it, it waits while the spin stage of a wait for a peer lasts; a slot that
// another consumer has taken ends the count at once.
func (q *vyukov[T]) publishedRun(p, most uint64) uint64 {
	var n uint64
	for ; n < most; n, p = n+1, p+step {
		s := q.slot(p)
		var b wait.Backoff
		for seq := s.seq.Load(); seq != p+1; seq = s.seq.Load() {
			if int64(seq-(p+1)) > 0 || !b.Spin(nil) {
				return n
			}
		}
	}
	return n
}

// maxFreeClaimSlot is the largest slot, in bytes, whose producers' batches
// claim only free slots in a ring with many consumers: the slot of an item
// of up to 24 bytes (see enqueueBatch). It is a size, not a fraction of
// GOARCH's cache line, since it was measured on amd64 only and wasm has
// no cache line to take a fraction of.
const maxFreeClaimSlot = 32

// maxPublishedClaimCap is the largest ring, in slots, whose consumers'
// batches of items over 24 bytes claim only published items (see
// dequeueBatch).
const maxPublishedClaimCap = 64

// freeRun returns how many consecutive positions from p on, up to most,
// have free slots. Unlike publishedRun it does not wait for a consumer
// still reading a slot (see enqueueBatch).
func (q *vyukov[T]) freeRun(p, most uint64) uint64 {
	var n uint64
	for ; n < most && q.slot(p).seq.Load() == p; n, p = n+1, p+step {
	}
	return n
}

// readyRun returns how many consecutive positions from p on, up to most,
// hold published items. Unlike publishedRun it does not wait for a
// producer still writing one.
func (q *vyukov[T]) readyRun(p, most uint64) uint64 {
	var n uint64
	for ; n < most && q.slot(p).seq.Load() == p+1; n, p = n+1, p+step {
	}
	return n
}

// maxScanBatch is the largest batch of items of up to 24 bytes (slots of
// up to maxFreeClaimSlot bytes, which share cache lines) that first looks
// at its own slots and, if all are free (a producer's) or published (a
// consumer's), claims them without reading the other side's position; a
// batch of more than half the ring never does (see vyukov.scanMax). The
// other side writes its position at every claim, so each read of it
// fetches that line from the other core, where the slots' lines are
// fetched anyway. Batches of 4 and 8 such items moved faster so on ringq's
// 2-core AMD EPYC, through 16 to 1,024 slots: 8-byte items took 0.66-0.94
// times as long in most shapes (medians of per-rep ratios), strings
// 0.86-0.91 times through 1,024 slots; MPSC 4x1 at 64 slots (1.08) and
// strings through 16 slots (0.97-1.02) were level, as were batches of 16
// and 64, whose code did not change (0.88-1.09). Scanning 16 or 32 slots
// first made batches of 16 and 32 through 64 and 1,024 slots 11-39%
// slower, more than the read of the position saves
// (bench/results/scan-first.txt).
const maxScanBatch = 8
