//go:build unix

package ring_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/ringq/ringq/internal/wait"
	"github.com/ringq/ringq/ring"
)

// cpuTime returns the CPU time, user and system, this process has used.
func cpuTime(t *testing.T) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// idleCPU blocks a consumer in Dequeue on an empty queue and returns the
// share of one core the process used while it waited.
// consumer is the part of a queue that idleCPU uses.
type consumer interface {
	Dequeue() (int, error)
	Close()
}

func idleCPU(t *testing.T, q consumer) float64 {
	done := make(chan error)
	go func() {
		_, err := q.Dequeue()
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // past the spin and yield stages
	const window = 300 * time.Millisecond
	before, start := cpuTime(t), time.Now()
	time.Sleep(window)
	used, elapsed := cpuTime(t)-before, time.Since(start)
	q.Close()
	if err := <-done; err != ring.ErrClosed {
		t.Fatalf("Dequeue after Close: %v, want ErrClosed", err)
	}
	return float64(used) / float64(elapsed)
}

// TestIdleConsumerParks checks that a consumer blocked on an idle queue
// with the default policy uses under 1% of a core, and, so that the
// measurement itself is shown able to fail, that one with the Yield
// policy uses far more.
func TestIdleConsumerParks(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2: with one P a yielding consumer shares it with the test")
	}
	for _, c := range []struct {
		name string
		new  func(ring.Option) consumer
	}{
		{"SPSC", func(o ring.Option) consumer {
			return ring.NewSPSC[int](8, o)
		}},
		{"SPSC.lamport", func(o ring.Option) consumer {
			return ring.NewLamportAt[int](8, 0, o)
		}},
		{"MPSC", func(o ring.Option) consumer {
			return ring.NewMPSC[int](8, o)
		}},
		{"MPMC", func(o ring.Option) consumer {
			return ring.NewMPMC[int](8, o)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			park := idleCPU(t, c.new(ring.WithWaitPolicy(ring.WaitPark)))
			yield := idleCPU(t, c.new(ring.WithWaitPolicy(ring.WaitYield)))
			t.Logf("CPU of a blocked idle consumer: park %.2f%% of a core, yield %.1f%%", 100*park, 100*yield)
			if park >= 0.01 {
				t.Errorf("parked consumer used %.2f%% of a core, want < 1%%", 100*park)
			}
			if yield < 0.2 {
				t.Errorf("yielding consumer used %.1f%% of a core; the measurement cannot see spinning", 100*yield)
			}
		})
	}
}

// TestNoLostWakeup drives capacity-1 queues with many blocking goroutines
// that park at once whenever they must wait, so that producers and
// consumers park and wake each other on nearly every item; a
// lost wakeup leaves goroutines parked with work to do, and the test
// reports it instead of hanging.
func TestNoLostWakeup(t *testing.T) {
	items := 100000
	if testing.Short() {
		items = 10000
	}
	for _, procs := range []int{1, 2} {
		for _, name := range []string{"MPMC", "MPSC", "SPSC", "SPSC.lamport"} {
			t.Run(fmt.Sprintf("%s/GOMAXPROCS=%d", name, procs), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				defer wait.ParkAtOnce()()
				type q interface {
					Enqueue(int) error
					Dequeue() (int, error)
				}
				P, C := 8, 8
				var qq q
				switch name {
				case "MPMC":
					qq = ring.NewMPMC[int](1)
				case "MPSC":
					qq, C = ring.NewMPSC[int](1), 1
				case "SPSC":
					qq, P, C = ring.NewSPSC[int](1), 1, 1
				case "SPSC.lamport":
					qq, P, C = ring.NewLamportAt[int](1, 0), 1, 1
				}
				per := items / P
				var wg sync.WaitGroup
				sums := make(chan int, C)
				for range P {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 1; i <= per; i++ {
							if err := qq.Enqueue(i); err != nil {
								t.Error(err)
								return
							}
						}
					}()
				}
				for c := range C {
					go func() {
						sum := 0
						for i := c; i < per*P; i += C {
							v, err := qq.Dequeue()
							if err != nil {
								t.Error(err)
								break
							}
							sum += v
						}
						sums <- sum
					}()
				}
				total := 0
				timeout := time.After(20 * time.Second)
				for range C {
					select {
					case s := <-sums:
						total += s
					case <-timeout:
						buf := make([]byte, 1<<20)
						t.Fatalf("GOMAXPROCS=%d: goroutines stuck, a wakeup was lost:\n%s", procs, buf[:runtime.Stack(buf, true)])
					}
				}
				wg.Wait()
				if want := P * per * (per + 1) / 2; total != want {
					t.Fatalf("sum of dequeued items = %d, want %d", total, want)
				}
			})
		}
	}
}

// A batch that publishes n items wakes n parked consumers, and one that
// frees n slots wakes n parked producers, not one each: the others would
// sleep with items (or room) in the queue until some later call woke
// them, and for ever if none came. Mutation testing found that a batch
// waking one peer passed every other test.
func TestBatchWakesEveryPeer(t *testing.T) {
	defer wait.ParkAtOnce()()
	const k = 4
	type parker interface {
		Enqueue(int) error
		Dequeue() (int, error)
		TryEnqueueBatch([]int) int
		TryDequeueBatch([]int) int
		TryEnqueue(int) bool
		Parked() (consumers, producers int)
	}
	// parkAll starts k goroutines making call and waits until all are
	// parked, as parked reports; it returns their results.
	parkAll := func(t *testing.T, call func(i int) error, parked func() int) chan error {
		results := make(chan error, k)
		for i := range k {
			go func() { results <- call(i) }()
		}
		require.Eventually(t, func() bool { return parked() >= k }, 10*time.Second, time.Millisecond, "%d goroutines parked", k)
		return results
	}
	// awaitAll requires all k results, each within 2 seconds.
	awaitAll := func(t *testing.T, results chan error, what string) {
		for i := range k {
			select {
			case err := <-results:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(2 * time.Second):
				t.Fatalf("%s: %d of %d parked goroutines still asleep after 2s", what, k-i, k)
			}
		}
	}
	t.Run("consumers/MPMC", func(t *testing.T) {
		q := parker(ring.NewMPMC[int](2 * k))
		results := parkAll(t, func(int) error { _, err := q.Dequeue(); return err },
			func() int { c, _ := q.Parked(); return c })
		if n := q.TryEnqueueBatch([]int{1, 2, 3, 4}); n != k {
			t.Fatalf("TryEnqueueBatch of %d into an empty queue = %d", k, n)
		}
		awaitAll(t, results, "after one batch of 4 items")
	})
	for _, name := range []string{"MPMC", "MPSC"} {
		t.Run("producers/"+name, func(t *testing.T) {
			var q parker = ring.NewMPMC[int](k)
			if name == "MPSC" {
				q = ring.NewMPSC[int](k)
			}
			for i := range k {
				if !q.TryEnqueue(i) {
					t.Fatal("TryEnqueue into a queue with room failed")
				}
			}
			results := parkAll(t, func(i int) error { return q.Enqueue(10 + i) },
				func() int { _, p := q.Parked(); return p })
			if n := q.TryDequeueBatch(make([]int, k)); n != k {
				t.Fatalf("TryDequeueBatch of %d from a full queue = %d", k, n)
			}
			awaitAll(t, results, "after one batch freed 4 slots")
		})
	}
}
