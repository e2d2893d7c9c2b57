package wait_test

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/ringq/ringq/internal/wait"
)

// BenchmarkParkWake measures one park-and-wake cycle an op: a consumer
// waits for a counter to reach the next value, and a producer advances it,
// wakes the consumer and yields until the consumer has seen it. With
// wait.ParkAtOnce every wait of the Event row parks; the chan row does the
// same through a channel's receive and send, the cost the Event adds to.
// Run it at -cpu 1, where no cache line moves between cores.
func BenchmarkParkWake(b *testing.B) {
	b.Run("impl=chan", func(b *testing.B) {
		c := make(chan uint64, 1)
		var taken atomic.Uint64
		go func() {
			for v := range c {
				taken.Store(v)
			}
		}()
		for i := range uint64(b.N) {
			c <- i + 1
			for taken.Load() != i+1 {
				runtime.Gosched()
			}
		}
		close(c)
	})
	b.Run("impl=event", func(b *testing.B) {
		defer wait.ParkAtOnce()()
		var e wait.Event
		var posted, taken atomic.Uint64
		n := uint64(b.N)
		go func() {
			for i := uint64(1); i <= n; i++ {
				ready := func() bool { return posted.Load() >= i }
				bo := wait.Backoff{}
				for !ready() {
					if err := bo.Wait(context.Background(), &e, ready); err != nil {
						panic(err)
					}
				}
				bo.Done(&e)
				taken.Store(i)
			}
		}()
		for i := uint64(1); i <= n; i++ {
			posted.Store(i)
			e.Notify(1)
			for taken.Load() != i {
				runtime.Gosched()
			}
		}
	})
}
