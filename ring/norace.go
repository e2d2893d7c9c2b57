//go:build !race

package ring

// raceEnabled reports whether the race detector is on (see state.mark).
const raceEnabled = false
