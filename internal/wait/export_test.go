package wait

// PeerSpinRounds exports peerSpinRounds to the tests.
const PeerSpinRounds = peerSpinRounds
