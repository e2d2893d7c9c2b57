// Command inline calls the methods of ring's queues that a caller's code
// should get inlined, one call a line, for TestIntendedInlining to build
// with -gcflags=-m.
package main

import (
	"context"

	"github.com/ringq/ringq/ring"
)

func main() {
	ctx := context.Background()
	s, m, c := ring.NewSPSC[int](64), ring.NewMPSC[int](64), ring.NewMPMC[int](64)

	s.TryEnqueue(1)
	_ = s.Enqueue(2)
	_ = s.EnqueueContext(ctx, 3)
	_, _ = s.TryDequeue()
	_, _ = s.Dequeue()
	_, _ = s.DequeueContext(ctx)

	m.TryEnqueue(1)
	_ = m.Enqueue(2)
	_ = m.EnqueueContext(ctx, 3)
	_, _ = m.TryDequeue()
	_, _ = m.Dequeue()
	_, _ = m.DequeueContext(ctx)

	c.TryEnqueue(1)
	_ = c.Enqueue(2)
	_ = c.EnqueueContext(ctx, 3)
	_, _ = c.TryDequeue()
	_, _ = c.Dequeue()
	_, _ = c.DequeueContext(ctx)
}
