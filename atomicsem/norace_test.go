//go:build !race

package atomicsem_test

// raceEnabled reports whether the race detector is on.
const raceEnabled = false
