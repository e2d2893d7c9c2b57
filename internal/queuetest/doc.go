// Package queuetest is the conformance suite that every queue in ringq
// passes: the baselines in atomicsem, the rings in ring, the adapters in the
// bench module, and a channel-backed reference queue that proves the suite
// itself on a queue known to be correct.
package queuetest
