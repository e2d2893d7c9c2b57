//go:build !amd64 || race

package ring

import "sync/atomic"

// storeRelease stores v in p with Go's atomic store: where plain stores
// are not known to be release stores, and in race builds, whose detector
// must see every store. It is at least a release store everywhere (on
// arm64 an STLR).
func storeRelease(p *atomic.Uint64, v uint64) { p.Store(v) }
