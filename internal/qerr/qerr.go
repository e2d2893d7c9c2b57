// Package qerr holds the errors that every ringq queue shares, defined once so
// that errors.Is(err, ring.ErrClosed) and errors.Is(err, atomicsem.ErrClosed)
// hold for every queue in the module.
package qerr

import "errors"

// ErrClosed is returned by the blocking methods of a queue that has been
// closed: by an enqueue at once, and by a dequeue once the queue is drained.
var ErrClosed = errors.New("ringq: queue closed")
