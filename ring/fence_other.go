//go:build !linux || !amd64

package ring

// fencePlatform says that SPSCs here are not fenceless: outside
// linux/amd64 there is no fenceAll (see fenceless.go).
const fencePlatform = false

// registerFence records that there is no fenceAll here.
func registerFence() { fenceState.Store(fenceRefused) }

// fencesCostly is never asked where fencePlatform is false.
func fencesCostly() bool { return false }

// fenceAll is never called where fencePlatform is false.
func fenceAll() { panic("ring: fenceAll without membarrier") }
