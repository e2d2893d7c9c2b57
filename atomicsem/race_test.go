//go:build race

package atomicsem_test

// raceEnabled reports whether the race detector is on. It allocates on its
// own and slows atomics, so allocation counts are skipped and stress
// tests do less.
const raceEnabled = true
