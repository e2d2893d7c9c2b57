//go:build !race

package queuetest

// raceEnabled reports whether the race detector is on: it slows every
// atomic and channel operation several times over and allocates on its
// own, so the suite scales its work down and skips allocation counts.
const raceEnabled = false
