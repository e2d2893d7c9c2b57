//go:build !race

package ring

import "sync/atomic"

// storeRelease stores v in p with a plain MOV: a release store under
// x86-TSO, which keeps a core's stores in program order (Sewell et al.,
// "x86-TSO", CACM 53(7), 2010), as C++ compiles memory_order_release,
// without the fence of Go's atomic store, an XCHG, a locked instruction.
// It is in assembly because Go has no release store, and an assembly
// function is opaque to the compiler, which therefore keeps every store
// before the call before it. p's value is the only field of atomic.Uint64
// that takes memory, at its start. The race detector does not see the
// store, so race builds use release_other.go.
//
//go:noescape
func storeRelease(p *atomic.Uint64, v uint64)

// plainPublish is the publish of a fenceless SPSC (see fenceless.go),
// in one call: it sets publishing and, unless guard is set, stores next
// in tail; then it clears publishing, stores next in own (the producer's
// private copy) if it stored the tail, and reports whether it did. Every
// access is a plain MOV, which the compiler can neither reorder nor drop
// in an assembly function, and none is a locked instruction: the fenceAll
// of whoever sets the guard orders the store of publishing before the
// load of guard.
//
//go:noescape
func plainPublish(publishing, guard, tail *atomic.Uint64, own *uint64, next uint64) bool
