package wait

// PeerSpinRounds exports peerSpinRounds to the tests.
const PeerSpinRounds = peerSpinRounds

// SpinLoads exports Backoff.spinLoads to the tests.
func (b *Backoff) SpinLoads(r int) int { return b.spinLoads(r) }

// ProbeGap exports probeGap to the tests.
const ProbeGap = probeGap

// BriefRounds exports briefRounds to the tests.
const BriefRounds = briefRounds

// MaxSpinRounds exports maxSpinRounds to the tests.
const MaxSpinRounds = maxSpinRounds

// SpinCredits returns the spin credits e has earned.
func (e *Event) SpinCredits() int { return int(e.spin.Load()) }

// SetSpinCredits sets the spin credits of e.
func (e *Event) SetSpinCredits(n int) { e.spin.Store(int32(n)) }

// YieldRounds returns how many yields a Park-policy waiter makes before
// it parks.
func YieldRounds() int { return yieldRounds }

// IdleWaits exports idleWaits to the tests.
const IdleWaits = idleWaits

// YieldProbe exports yieldProbe to the tests.
const YieldProbe = yieldProbe

// Parked reports whether the Backoff's wait has parked.
func (b *Backoff) Parked() bool { return b.parked }

// MaxProbeGap exports maxProbeGap to the tests.
const MaxProbeGap = maxProbeGap

// Debt returns the debt of e's next wait that shows spinning in vain.
func (e *Event) Debt() int { return int(e.debt()) }

// SetDebt sets that debt.
func (e *Event) SetDebt(n int) { e.gap.Store(int32(n)) }

// EagerPolls exports eagerPolls to the tests.
const EagerPolls = eagerPolls

// Polls returns how many eager polls the Backoff's wait has made.
func (b *Backoff) Polls() int { return b.polls }

// EagerLoads exports eagerLoads to the tests.
func EagerLoads(i int) int { return eagerLoads(i) }
