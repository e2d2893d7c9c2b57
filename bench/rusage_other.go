//go:build !unix

package bench

import "time"

// cpuTime returns zero: this system has no getrusage, and the reports leave
// the CPU columns empty.
func cpuTime() time.Duration { return 0 }
