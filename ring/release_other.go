//go:build !amd64 || race

package ring

import "sync/atomic"

// storeRelease stores v in p with Go's atomic store: where plain stores
// are not known to be release stores, and in race builds, whose detector
// must see every store. It is at least a release store everywhere (on
// arm64 an STLR).
func storeRelease(p *atomic.Uint64, v uint64) { p.Store(v) }

// plainPublish is the publish of a fenceless SPSC (see fenceless.go),
// with Go's atomic operations, which the race detector sees. Race builds
// on amd64 use it, so that the detector checks the protocol; SPSCs are
// fenceless only on linux/amd64 (see fencePlatform).
func plainPublish(publishing, guard, tail *atomic.Uint64, own *uint64, next uint64) bool {
	publishing.Store(1)
	if guard.Load() != 0 {
		publishing.Store(0)
		return false
	}
	tail.Store(next)
	publishing.Store(0)
	*own = next
	return true
}
