package wait

import (
	"context"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Policy selects how a blocked call waits once spinning has not helped.
type Policy uint8

const (
	// Park spins, yields for a bounded while, then parks the goroutine until
	// it is woken. An idle blocked goroutine uses no CPU. It is the default.
	Park Policy = iota
	// Yield spins, then calls runtime.Gosched until the call can proceed. It
	// never parks, so a waiter never waits to be woken, at the price of a
	// core kept busy while the queue is idle: for a goroutine that owns a
	// core. It is not always faster than Park: a woken goroutine runs on its
	// waker's P, and two goroutines that hand items back and forth on one P
	// measured faster on the 2-core test machine than two on their own Ps.
	Yield
)

// String returns the policy's name.
func (p Policy) String() string {
	switch p {
	case Park:
		return "park"
	case Yield:
		return "yield"
	}
	return "wait.Policy(?)"
}

const (
	// firstRound is how long the first spin round lasts; round r lasts
	// 1<<min(r, maxRoundShift) times as long. Rounds much shorter than a
	// cache-line transfer (110-150 ns, PERFORMANCE.md) only steal the line
	// the other side is writing, and measured slower.
	firstRound = 45 * time.Nanosecond
	// maxRoundShift stops the rounds' doubling at 90 ns. A waiter sees what
	// it waits for only at the end of the round it arrives in, so where two
	// goroutines spin for each other's replies on two Ps, as a ping-pong's
	// do now and then, each one's lateness lengthens the other's wait, and
	// with rounds that grew to 180 and 360 ns both came to end their waits
	// in those rounds: such round trips took 0.5-1.3 µs, where a ping-pong
	// on one P took 260-300 ns. Together with probeGap, this brought a
	// ping-pong's p99 from 1.26-1.30 times the channel's to 1.07-1.16 on
	// ringq's 2-core machine (541-561 ns to 461-466), with throughput
	// level (bench/results/round-cap.txt).
	maxRoundShift = 1
	// maxSpinRounds bounds the spin stage at about 45+7*90 ns, as long as
	// the 45+90+180+360 ns of doubling rounds.
	maxSpinRounds = 8
	// spinCredits is what Event.spin counts per spin round (see
	// Backoff.Done): a success while spinning earns one credit, and a
	// wait that spun in vain and then yielded once, or parked, costs a
	// round.
	spinCredits = 4
	// probeGap is how far below zero an Event's credits fall, a debt, when
	// a wait spins the whole stage in vain where one yield was then enough
	// (see Backoff.Done); probes in vain double it, up to maxProbeGap.
	probeGap    = 60
	maxProbeGap = 16 * probeGap
	// peerSpinRounds is the spin stage of a wait with no Event: a wait for
	// a peer that is between claiming a slot and publishing it, and so is
	// running now, most likely on another processor.
	peerSpinRounds = 2
	// idleWaits is how many calls in a row whose waits on an Event parked
	// make the Event's later waits park without yielding first (see
	// Backoff.learnYields), and yieldProbe how often one of those yields
	// through the yield stage all the same, a probe. With 16, no wait of
	// ring's throughput workloads, from 1x1 to 8x8 at 16 and 1024 slots,
	// skipped its yields on ringq's 2-core machine, where at most 7% of
	// their calls parked; a consumer fed an item every 10 µs skipped them
	// in 97% of its waits (bench/results/idle-yields.txt).
	idleWaits  = 16
	yieldProbe = 32
	// eagerPolls is how many times an Eager wait polls before its first
	// spin round, each poll after a spin an eighth as long as a first
	// round (firstRound>>eagerShift, about 6 ns): some 100 ns in all,
	// about what a reply takes to come back on ringq's 2-core machine,
	// where two goroutines passing a counter through two one-slot queues,
	// each spinning on its own P, took 100-114 ns a round trip. The first
	// poll waits half a round more (firstRound>>eagerDelayShift, about 22
	// ns), sooner than a reply from another processor comes, so that a
	// side streaming items at the waiter has a few ready by then, not one:
	// polls from the start made single items through rings of 16 slots
	// 3-17% slower, the delay took 2-14% off that, and against the code
	// before eager polls no row was then slower beyond the spread; the
	// ping-pong's p50 came 0-12% later than without the delay
	// (bench/results/eager-polls.txt).
	eagerPolls      = 16
	eagerShift      = 3
	eagerDelayShift = 1
	// briefRounds is how many rounds a Brief wait spins before its last
	// peerSpinRounds, each half as long as the next: it starts at about
	// 6 ns, as crossbeam-utils' Backoff::spin starts at one spin-loop hint
	// and doubles (https://docs.rs/crossbeam-utils, Backoff).
	briefRounds = 3
)

var (
	// yieldRounds calls of runtime.Gosched (~110 ns each here) before a
	// Park-policy waiter parks. With 16, a consumer waiting for items that
	// came every 10 µs saw its hand-off latency pass 1 µs at p90 in 26 of
	// 30 runs on ringq's 2-core machine, mostly by 0.2-2.4 ms, where the
	// channel's stayed under 0.5 µs; with 4, in 6 of 30. An SPSC
	// ping-pong's p99 went from 0.44-3.2 µs to 0.43-0.51, and throughput
	// stayed level, but MPMC's ping-pong went from 216 to 275 ns: its
	// goroutines now park where they used to yield until they learnt to
	// spin (bench/results/yield-rounds.txt). With 2, SPSC's ping-pong p50
	// varied more (280-410 ns against 290-310); with none, the ping-pong
	// took 1.6-2.3 times as long. An Event whose waits keep parking anyway
	// learns to skip the stage (see Backoff.learnYields).
	yieldRounds = 4
	// parkAtOnce makes every wait skip the spin and yield stages.
	parkAtOnce = false
)

// ParkAtOnce makes every Park-policy wait skip the spin and yield stages,
// so that tests drive the park-and-wake path on every wait, where a lost
// wakeup would show. It returns a function that restores the stages. It is
// for tests only, and must not be called while any goroutine waits.
func ParkAtOnce() (restore func()) {
	y, p := yieldRounds, parkAtOnce
	yieldRounds, parkAtOnce = 0, true
	return func() { yieldRounds, parkAtOnce = y, p }
}

// Backoff carries one blocking call through the spin, yield and park
// stages. Its zero value waits with the Park policy; set Policy for another.
// A Backoff belongs to one call of one goroutine and lives on its stack.
type Backoff struct {
	Policy Policy
	// Patience makes the first spin round 1<<Patience times as long, for a
	// waiter that expects the other side to be busy writing the very line
	// its next attempt reads: waiting longer before that attempt lets the
	// other side get further ahead, and each read of the line then finds
	// more. The caller learns how patient to be (ring's SPSC does, from
	// what its reads find); 0 is not patient at all.
	Patience int

	// Brief is for a wait with no Event on a peer that is in the middle
	// of a few stores to the very slot the caller needs (ring's strict
	// single-item attempts; see ring's awaitPeer): its rounds start at
	// firstRound>>briefRounds, about 6 ns, and double, briefRounds more of
	// them, to end where a plain peer wait's rounds end. It spins without
	// asking how many Ps there are, since runtime.GOMAXPROCS takes the
	// scheduler's lock, which took longer than those first rounds; with
	// one P it spins about 170 ns in vain before it yields, but a peer is
	// rarely preempted inside such a window. Where a consumer that polled
	// TryDequeue found its producer between claim and publish, a
	// ping-pong through MPSC or MPMC took 309-314 ns a round trip instead
	// of 443-449 on ringq's 2-core machine, and throughput did not move
	// (bench/results/brief-peer.txt).
	Brief bool

	// Eager is for a waiter whose attempt reads only the line that the other
	// side writes to publish what it waits for (a slot of ring's Vyukov
	// rings): its spin stage starts with eagerPolls polls about 6 ns apart,
	// from about 28 ns on. A waiter sees what it waits for only at the end
	// of the spin round it arrives in, and the rounds last 45 and then 90
	// ns, so where two goroutines on two Ps hand items back and forth, as in
	// a ping-pong, each hand-off came up to a round late. A wait that spins
	// no rounds, with one P or on an Event in debt, makes no polls either.
	// On ringq's 2-core machine, in its usual (fast) phase, eager polls took
	// the bench module's ping-pong through MPSC and MPMC rings, and through
	// an SPSC of 16 slots, from 300-310 ns to 200-210 at p50 (under the
	// Yield policy from 231-270 to 200), and its p99 7-27% lower; throughput
	// at 1,024 slots was level, and at 16 slots no row was slower beyond the
	// spread. In its slow phase, where a cache line's round trip takes
	// 300-500 ns, ring's one-slot ping-pong took 25-46% longer at the median
	// of 3 pairs, each of them slower (bench/results/eager-polls.txt).
	Eager bool

	// CachedProcs makes the call learn whether there is more than one P
	// from the count that a call last read (see procs), instead of from
	// runtime.GOMAXPROCS at its start, which takes the scheduler's global
	// lock. It is for a waiter whose other side is most likely waiting for
	// it in turn, as the consumers of ring's Vyukov rings are in a
	// ping-pong: the lock's line then crosses between their processors at
	// every hand-off. A call without it still reads the count at its
	// start, for a reason measured on a 16-core machine: there, with the
	// code of 2026-11-26, producers waiting together on a full ring were
	// spaced out by that lock, and with no wait taking it MPSC 4x1 took
	// twice as long (bench/results/gomaxprocs-call.txt).
	CachedProcs bool

	round  int
	polls  int  // eager polls made, before the spin rounds
	spins  int  // spin rounds this call may use, fixed at its first round
	yields int  // yields this call may use before it parks, fixed likewise
	parked bool // whether the call has parked
	probe  bool // whether its spin stage is a probe (see Done)
}

// Wait waits once after a failed attempt, then returns so that the caller
// tries again. Early rounds spin or yield and return nil; once those are
// used up a Park-policy Backoff parks on e until a notifier wakes it, ready
// reports true, or ctx is done. Wait returns ctx.Err() when ctx is done and
// nil otherwise. ready must report whether the caller's attempt could now
// succeed, or the queue is closed. With a nil e, Wait never parks and
// ready is not called.
func (b *Backoff) Wait(ctx context.Context, e *Event, ready func() bool) error {
	park, err := b.Next(ctx, e)
	if !park {
		return err
	}
	return e.park(ctx, ready)
}

// Next is Wait for a caller that parks in its own frame: it spins or
// yields as Wait does, but where Wait would park, Next returns park true
// and leaves the parking to the caller, which must then park on e as
// Event.park does, through Enter. Each frame between a park and the code
// that called the blocking method made a woken goroutine's hand-off about
// 5 ns later on ringq's 2-core AMD EPYC, most likely because each of
// their returns is mispredicted, the processor's stack of return
// addresses holding the waker's (bench/results/park-depth.txt); so the
// blocking calls of ring and atomicsem park in the frame that makes their
// attempts, not two or three calls below it.
func (b *Backoff) Next(ctx context.Context, e *Event) (park bool, err error) {
	if done := ctx.Done(); done != nil {
		select {
		case <-done:
			return false, ctx.Err()
		default:
		}
	}
	if b.Spin(e) {
		return false, nil
	}
	r := b.round
	b.round++
	if r == b.spins && b.CachedProcs {
		readProcs() // the call is done spinning: see procs
	}
	if r < b.spins+b.yields || b.Policy == Yield || e == nil {
		runtime.Gosched()
		return false, nil
	}
	b.parked = true
	return true, nil
}

// procs is runtime.GOMAXPROCS(0) as a wait last read it, 0 before any
// did. A wait needs it only to know whether to spin at all (with one P the
// goroutine it waits for cannot run while it spins), but
// runtime.GOMAXPROCS takes the scheduler's global lock even to read the
// value, and so takes that lock's cache line from whichever processor last
// held it. A call reads it at its start, but for a Backoff.CachedProcs
// call, which reads it only where it stops spinning, before its first
// yield or park, which cost far more than the lock. So a cached call
// after GOMAXPROCS has changed spins, or not, by the old count until a
// call has read it since; with one P that is, at worst, the very call that
// spun, some 700 ns in vain.
//
// On ringq's 2-core AMD EPYC, in its usual phase, with the consumers of
// ring's Vyukov rings cached, ring's own ping-pong through two one-slot
// rings, where each side waits once a hand-off, went from 143 ns a round
// trip to 134 through SPSC, from 189 to 153 through MPMC and from 134 to
// 105 under the Yield policy, against the channel's 273-278 (medians of 25
// interleaved pairs of runs, each faster in 18, 18 and 23 of them); the
// bench module's ping-pong through MPSC and MPMC of 1,024 slots went from
// 200-201 ns at p50 to 181-190. In its slow phase each was 7-9% faster
// too, and throughput did not move (bench/results/cached-procs.txt).
var procs atomic.Int32

// numProcs returns the number of Ps as procs has it, reading it on the
// first call.
func numProcs() int {
	if n := procs.Load(); n != 0 {
		return int(n)
	}
	return readProcs()
}

// readProcs reads runtime.GOMAXPROCS into procs and returns it. It stores
// only a changed count, so that the line of procs, which every wait reads,
// stays in each processor's cache.
func readProcs() int {
	n := int32(runtime.GOMAXPROCS(0))
	if procs.Load() != n {
		procs.Store(n)
	}
	return int(n)
}

// Spin spins one round of the spin stage on e (nil for a wait for a peer
// that is running now) if the stage has a round left, and reports whether
// it did. It never yields or parks: it is Wait's spin stage, for a caller
// that would rather give up than wait for a goroutine that is not running.
func (b *Backoff) Spin(e *Event) bool {
	if b.round == 0 && b.polls == 0 {
		if b.Brief && e == nil {
			b.spins = peerSpinRounds + briefRounds // whatever GOMAXPROCS: see Brief
		} else {
			if !b.CachedProcs {
				readProcs()
			}
			b.spins, b.probe = e.spinRounds()
		}
		b.yields = e.yieldRounds()
	}
	if b.Eager && b.round == 0 && b.spins > 0 && b.polls < eagerPolls {
		spin(eagerLoads(b.polls))
		b.polls++
		return true
	}
	if b.round >= b.spins {
		return false
	}
	spin(b.spinLoads(b.round))
	b.round++
	return true
}

// eagerLoads returns how many loads an Eager wait's poll i (from 0)
// busy-loops on before it looks: an eighth of a first round, and for the
// first poll half a round more (see eagerPolls).
func eagerLoads(i int) int {
	first := firstRoundLoads()
	n := first >> eagerShift
	if i == 0 {
		n += first >> eagerDelayShift
	}
	return max(n, 1)
}

// spinLoads returns how many loads spin round r busy-loops on.
func (b *Backoff) spinLoads(r int) int {
	first := firstRoundLoads()
	n := first << r
	if b.Brief {
		n = max(n>>briefRounds, 1)
	}
	n = min(n, first<<maxRoundShift)
	if r == 0 {
		n <<= b.Patience
	}
	return n
}

// spin busy-loops n times on an atomic load, which the compiler must
// keep. It is never inlined, so that the loop that firstRoundLoads times
// is the very loop that Wait runs.
//
// The load is of a variable on the spinning goroutine's own stack, whose
// cache line no other core writes. It used to be of a global, which sits
// wherever the linker puts it: in the bench module's test binary, on the
// line of runtime.netpollWaiters, which the runtime updates whenever a
// goroutine blocks on the network. A waiter that spins on a line takes it
// from every core that writes it; an atomic add on a line that another
// core spins on took 5 times as long here
// (bench/results/spin-sink.txt).
//
//go:noinline
func spin(n int) {
	var sink atomic.Uint32
	for range n {
		sink.Load()
	}
}

// firstRoundLoads returns how many of spin's loads take firstRound on this
// machine, measured once per process, when a wait first spins. A fixed
// count is not enough, since the time a load of spin's loop takes depends
// on where the linker happens to place the loop. On ringq's 2-core
// machine, a first round of 128 loads, with Wait's own work, took 47 ns in
// one build and 83 ns in another, and SPSC's single items 20 and 15 ns an
// item (bench/results/spin-calibration.txt). The fastest of three timings
// of a long loop is taken, since interference can only make a timing
// longer, never shorter.
var firstRoundLoads = sync.OnceValue(func() int {
	const loads = 1 << 14
	best := time.Duration(math.MaxInt64)
	for range 3 {
		start := time.Now()
		spin(loads)
		best = min(best, time.Since(start))
	}
	n := int64(loads) * int64(firstRound) / max(int64(best), 1)
	return int(min(max(n, 16), 4096))
})

// Spinning reports whether the last Wait was a round of the spin stage:
// the other side was most likely running on another processor all along,
// and nothing has been yielded or parked for yet.
func (b *Backoff) Spinning() bool { return b.round <= b.spins }

// Done tells e that the call the Backoff serves has succeeded, and what its
// wait showed about spinning; a call that never waited (its first attempt
// succeeded, or its ctx was done before it waited) showed nothing, and
// tells e nothing. This is adaptive spinning: spinning pays only
// while the other side runs on another processor, and Go's scheduler often
// puts two goroutines that hand items to each other on the same P, where
// spinning only delays the goroutine that would make progress. So e keeps
// credits, spinCredits to a spin round, and each call that succeeds moves
// them by what its wait showed:
//
//   - it succeeded in spin round r: the other side runs elsewhere; one
//     credit more, and at least r rounds' worth;
//   - it spun the whole stage in vain, and then a single yield was enough:
//     the yield ran the other side, on this P; the Event goes into debt
//     (below);
//   - it spun fewer rounds in vain, and then a single yield was enough:
//     most often the yield ran the other side on this P, as above; a
//     round less, and debt once less than a round is left;
//   - it needed several yields, but did not park: the other side runs on
//     another P, and each yield ran this goroutine again; a whole round
//     more, since spinning would have found the other side sooner;
//   - it spun in vain, and then waited longer still (it parked, or under
//     the Yield policy yielded past the yield stage): the other side is
//     slow; a round less, and debt once less than a round is left.
//
// An Event in debt does not spin. Its debt is probeGap credits, which
// each call that succeeds after a single yield pays off one at a time and
// several yields clear at once. An Event whose debt is paid (credits from
// 0 to below one round, as a new Event's are) spins the whole stage once
// more, a probe: one that succeeds in round r leaves the credits of r
// rounds, and one in vain, where a single yield was then enough, doubles
// the debt, up to maxProbeGap, until a wait succeeds while spinning. So
// two goroutines that take turns on one P, as a ping-pong's often do, spin
// in vain in one wait in some hundreds, while the goroutine that would
// make progress cannot run. With a debt of
// 12, 6% of ring.SPSC's round trips carried such a probe on ringq's 2-core
// AMD EPYC, against a fifth without debt, and took 270 ns at p50 instead
// of 290 (bench/results/probe-gap.txt); with 60, about 2% did, which
// brought a ping-pong's p99 within 7-16% of the channel's
// (bench/results/round-cap.txt).
//
// A probe spins the whole stage because a shorter one can miss the other
// side even where it runs on a P of its own. Probes of one round, 45 ns,
// as a debt used to end in, did on ringq's 2-core Intel Xeon, whose cache
// lines take 140-240 ns there and back: with each goroutine of a
// ping-pong on its own P, a round trip took 420-470 ns, so a probe that
// short always failed, a yield was then enough, and the Event went back
// into debt, where every wait yielded. A ping-pong through two one-slot
// ring.SPSCs took 583 ns at the median of 30 interleaved runs (ring.MPMC
// 540), and 490 (492) with whole-stage probes and the rules above; ring's
// throughput did not move. A probe in vain costs more than it used to,
// hence the doubling debt: in the bench module's ping-pong (1024 slots),
// where a Lamport SPSC's waits often outlast the stage, it took the p99
// from 2442 to 2278 ns (ring.MPMC: 2337 to 2168) at the median of 44
// interleaved runs (bench/results/whole-probe.txt). On a 16-core machine
// these rules measured level or better against the ones before, in every
// row of ring's benchmarks: MPMC 1x1 15% faster, its one-slot ping-pong
// 16% (bench/results/floors-16core.txt, part 3).
//
// A wait that spun fewer rounds in vain and then needed a single yield
// earned a round with those rules, as if the other side had answered
// just after the spin. On ringq's 2-core AMD EPYC, whose ping-pongs mostly
// take turns on one P, that made an Event climb round by round to the
// whole stage, every climbing wait spinning in vain, and put the bench
// module's ping-pong p99 at 960-1140 ns, against 450-460 with the rules
// before and the channel's 390-470. A round less took it to 490-580 ns,
// with p50 2-9% later and throughput level; ring's one-slot ping-pong, a
// mean, was faster with the round more, 200 ns against 236-243
// (bench/results/one-yield.txt). On a 16-core Intel Xeon, whose ping-pongs
// run on two Ps, the round less made them slower at p50 in every one of 6
// runs: ring.SPSC's p50 from 790 to 940 ns, and its p99 from 3.6 to 6.1
// µs at the median. Timing a wait's yield tells the two cases apart, but
// a round more only after a yield that ran nothing else still raised the
// EPYC's p99 by 31-73% at the median of the fast-phase runs
// (bench/results/timed-yield.txt).
//
// Crediting several yields a whole round at once matters on a
// machine with idle processors: there, two goroutines that each run on a
// P of their own and yield wait for each other's yields, each wait needs a
// few, and such an Event, credited one at a time (or not at all), stayed
// in that state. A ping-pong through ring.MPMC then took 1.7 µs a round
// trip at p50 on a 16-core machine, and 0.68 µs with this rule, where the
// channel took 0.78 (bench/results/yield-learning.txt). On 2 cores it
// made MPMC's ping-pong faster only while waiters yielded 16 times before
// parking (see yieldRounds).
//
// The rule holds for ring.SPSC's waiters too, though they learn of an
// item through two lines (the producer's position, then the slot), so
// that spinning costs them more: an exception for them measured level on
// 2 cores, and made their ping-pong 1.5-1.7 times as long on 16 cores, and
// a Yield-policy one 2.1-2.6 times as long on both
// (bench/results/two-lines.txt).
func (b *Backoff) Done(e *Event) {
	if e == nil || b.round == 0 && b.polls == 0 {
		return // no Event, or a call that never waited, which showed nothing
	}
	if b.Policy == Park {
		b.learnYields(e)
	}
	old := e.spin.Load()
	v := old
	switch yields := b.round - b.spins; {
	case yields <= 0: // succeeded in spin round b.round
		v = max(v+1, int32(b.round*spinCredits))
		if e.gap.Load() > probeGap {
			e.gap.Store(probeGap)
		}
	case b.parked, yields > yieldRounds:
		if b.spins > 0 { // spun in vain, and yields did not help either
			v = e.roundLess(v)
		}
	case yields == 1 && b.spins == 0:
		v++
	case yields == 1 && b.spins == maxSpinRounds:
		d := e.debt()
		if b.probe {
			d = min(2*d, maxProbeGap)
			e.gap.Store(d)
		}
		v = -d
	case yields == 1: // spun in vain, where a yield was enough
		v = e.roundLess(v)
	default: // several yields, all within the stage
		v = max(v, 0) + spinCredits
	}
	// A lost race with another waiter loses the update, which only slows
	// the learning.
	if v = min(v, maxSpinRounds*spinCredits); v != old {
		e.spin.CompareAndSwap(old, v)
	}
}

// roundLess returns credits v less a round, or e's debt once less than a
// round would be left.
func (e *Event) roundLess(v int32) int32 {
	if v -= spinCredits; v < spinCredits {
		return -e.debt()
	}
	return v
}

// debt returns the debt that puts e's waiters off spinning: probeGap,
// doubled by each probe in vain since the last success while spinning.
func (e *Event) debt() int32 {
	return max(e.gap.Load(), probeGap)
}

// learnYields tells e whether the Park-policy call that b served showed
// its yields to be of use. Yielding pays while the other side is about to
// act, as in a ping-pong, where a yield most often runs the very goroutine
// that answers. But where the other side acts only now and then, each
// wait yields in vain and then parks, and a waiter that yields keeps its
// CPU busy meanwhile, so that both CPUs of a 2-core guest are: its
// hypervisor then takes one away, for milliseconds, more often, and a
// consumer that waits on the CPU taken finds its items late. So after
// idleWaits calls in a row that parked, e's waiters park without
// yielding, but for one call in yieldProbe, which yields through the stage
// again, as a probe; any call that succeeds while yielding restores the
// stage. Calls that succeed while spinning, or at once, change nothing.
//
// On ringq's 2-core Intel Xeon, a consumer fed an item every 10 µs
// (bench.Handoff, 14 interleaved runs of 20,000 items) found a median of
// 857 items a run more than 100 µs late through ring.SPSC, against 1608
// before (ring.MPSC 1152 against 2398, ring.MPMC 1496 against 1872, the
// channel 385 in both builds); the median p90 fell from 1.9 µs to 1.0
// (MPSC: from 727 µs to 1.0 µs), and p50 did not move. Throughput, the
// ping-pong and the semaphore measured level (bench/results/idle-yields.txt).
func (b *Backoff) learnYields(e *Event) {
	old := e.idle.Load()
	v := old
	switch {
	case b.parked:
		v++
		if v == idleWaits+yieldProbe { // one lap of probes: start the next
			v = idleWaits
		}
	case b.round > b.spins: // it yielded, and then succeeded
		v = 0
	}
	// A lost race with another waiter loses the update, which only slows
	// the learning.
	if v != old {
		e.idle.CompareAndSwap(old, v)
	}
}

// yieldRounds returns how many times a waiter on e should yield before it
// parks (see Backoff.learnYields).
func (e *Event) yieldRounds() int {
	if e == nil {
		return yieldRounds
	}
	n := int(e.idle.Load())
	if n < idleWaits || n == idleWaits+yieldProbe-1 {
		return yieldRounds
	}
	return 0
}

// spinRounds returns how many spin rounds a waiter on e should try, and
// whether they are a probe (see Backoff.Done).
func (e *Event) spinRounds() (rounds int, probe bool) {
	switch {
	case parkAtOnce || numProcs() == 1:
		return 0, false // with one P, the goroutine that would make progress cannot run
	case e == nil:
		return peerSpinRounds, false
	}
	switch v := int(e.spin.Load()); {
	case v < 0:
		return 0, false // in debt
	case v < spinCredits:
		return maxSpinRounds, true
	default:
		return v / spinCredits, false
	}
}
