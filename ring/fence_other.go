//go:build !linux || !amd64

package ring

// canFenceAll reports false: outside linux/amd64, SPSCs are not
// fenceless (see fenceless.go).
func canFenceAll() bool { return false }

// fenceAll is never called where canFenceAll reports false.
func fenceAll() { panic("ring: fenceAll without membarrier") }
