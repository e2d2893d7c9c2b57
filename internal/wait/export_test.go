package wait

// PeerSpinRounds exports peerSpinRounds to the tests.
const PeerSpinRounds = peerSpinRounds

// SpinLoads exports Backoff.spinLoads to the tests.
func (b *Backoff) SpinLoads(r int) int { return b.spinLoads(r) }
