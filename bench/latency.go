package bench

import (
	"fmt"
	"runtime"
	"time"

	"github.com/loov/hrtime"
)

// Handoff measures hand-off latency: n times, a producer stamps an 8-byte
// item with hrtime.Now and enqueues it, and a consumer waiting in Dequeue
// subtracts the stamp from hrtime.Now once it has the item. Between items
// the producer pauses for gap, yielding with runtime.Gosched, so that the
// consumer finds the queue empty and waits as its queue makes it wait
// (spinning, yielding or parked): the latency of a lightly loaded queue,
// not the queueing delay of a full one. Handoff returns one latency per item.
func Handoff(im *Impl, capacity, n int, gap time.Duration) ([]time.Duration, error) {
	q := New[uint64](im, capacity)
	lat := make([]time.Duration, n)
	errc := make(chan error, 1)
	go func() {
		for i := range lat {
			v, err := q.Dequeue()
			if err != nil {
				errc <- err
				return
			}
			lat[i] = hrtime.Now() - time.Duration(v)
		}
		errc <- nil
	}()
	for range n {
		t := hrtime.Now()
		if err := q.Enqueue(uint64(t)); err != nil {
			return nil, fmt.Errorf("bench: %s handoff: %w", im.Name, err)
		}
		for hrtime.Since(t) < gap {
			runtime.Gosched()
		}
	}
	if err := <-errc; err != nil {
		return nil, fmt.Errorf("bench: %s handoff: %w", im.Name, err)
	}
	return lat, nil
}

// PingPong measures the round trip of one item through two queues of im:
// n times, the caller enqueues an item on the first queue and waits for an
// echo goroutine to send it back on the second. PingPong returns one round
// trip time per item, taken with hrtime.
func PingPong(im *Impl, capacity, n int) ([]time.Duration, error) {
	ping, pong := New[uint64](im, capacity), New[uint64](im, capacity)
	errc := make(chan error, 1)
	go func() {
		for range n {
			v, err := ping.Dequeue()
			if err == nil {
				err = pong.Enqueue(v)
			}
			if err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	rtt := make([]time.Duration, n)
	for i := range rtt {
		t := hrtime.Now()
		if err := ping.Enqueue(uint64(i)); err != nil {
			return nil, fmt.Errorf("bench: %s ping-pong: %w", im.Name, err)
		}
		v, err := pong.Dequeue()
		rtt[i] = hrtime.Since(t)
		if err != nil {
			return nil, fmt.Errorf("bench: %s ping-pong: %w", im.Name, err)
		}
		if v != uint64(i) {
			return nil, fmt.Errorf("bench: %s ping-pong: sent %d, got %d back", im.Name, i, v)
		}
	}
	if err := <-errc; err != nil {
		return nil, fmt.Errorf("bench: %s ping-pong: %w", im.Name, err)
	}
	return rtt, nil
}

// IdleCPU returns the CPU time that the process uses over d while one
// consumer of im waits in Dequeue on an empty queue, and nothing else runs.
// The consumer is given settle first to go through its spinning and yielding
// into its steady waiting state. A nil im measures the process with no
// consumer at all, the floor that every other figure includes.
func IdleCPU(im *Impl, settle, d time.Duration) (time.Duration, error) {
	if im == nil {
		time.Sleep(settle)
		c0 := cpuTime()
		time.Sleep(d)
		return cpuTime() - c0, nil
	}
	q := New[uint64](im, 1024)
	errc := make(chan error, 1)
	go func() {
		_, err := q.Dequeue()
		errc <- err
	}()
	time.Sleep(settle)
	c0 := cpuTime()
	time.Sleep(d)
	cpu := cpuTime() - c0
	if err := q.Enqueue(1); err != nil {
		return cpu, fmt.Errorf("bench: %s idle: %w", im.Name, err)
	}
	if err := <-errc; err != nil {
		return cpu, fmt.Errorf("bench: %s idle: %w", im.Name, err)
	}
	return cpu, nil
}
