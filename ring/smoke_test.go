package ring_test

import (
	"sync"
	"testing"

	"github.com/ringq/ringq/ring"
)

type anyQ interface {
	Enqueue(uint64) error
	Dequeue() (uint64, error)
	Close()
}

func smoke(t *testing.T, q anyQ, P, C int, per int) {
	var wg sync.WaitGroup
	for p := 0; p < P; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				if err := q.Enqueue(uint64(p)<<32 | uint64(i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var mu sync.Mutex
	seen := make(map[uint64]bool)
	var cwg sync.WaitGroup
	for c := 0; c < C; c++ {
		cwg.Add(1)
		go func() {
			defer cwg.Done()
			last := make([]int64, P)
			for i := range last {
				last[i] = -1
			}
			for {
				v, err := q.Dequeue()
				if err != nil {
					return
				}
				p, i := int(v>>32), int64(v&0xffffffff)
				if i <= last[p] {
					t.Errorf("order: p%d %d after %d", p, i, last[p])
				}
				last[p] = i
				mu.Lock()
				if seen[v] {
					t.Errorf("dup %x", v)
				}
				seen[v] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	q.Close()
	cwg.Wait()
	if len(seen) != P*per {
		t.Fatalf("got %d items, want %d", len(seen), P*per)
	}
}

func TestSmoke(t *testing.T) {
	for _, start := range []uint64{0, ^uint64(0) - 200} {
		smoke(t, ring.NewSPSCAt[uint64](4, start), 1, 1, 20000)
		smoke(t, ring.NewMPSCAt[uint64](4, start), 4, 1, 20000)
		smoke(t, ring.NewMPMCAt[uint64](4, start), 4, 4, 20000)
		smoke(t, ring.NewMPMCAt[uint64](1, start, ring.WithWaitPolicy(ring.WaitYield)), 4, 4, 5000)
	}
}
