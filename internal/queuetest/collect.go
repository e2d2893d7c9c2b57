package queuetest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"weak"
)

// paddedItem keeps Items out of the tiny allocator: a pointer-free object
// of 8 bytes shares a 16-byte block with others and is freed only with all
// of them, so a weak pointer to it could stay set long after it became
// garbage.
type paddedItem struct {
	Item
	_ [24]byte
}

// newItem returns a new Item in an allocation of its own.
//
//go:noinline
func newItem(n uint64) *Item { return &(&paddedItem{Item: Item{N: n}}).Item }

// pointerDequeue is one way to dequeue from a queue of pointers.
type pointerDequeue struct {
	name  string
	batch bool
	do    func(q Queue[*Item]) (*Item, error)
}

var pointerDequeues = []pointerDequeue{
	{"TryDequeue", false, func(q Queue[*Item]) (*Item, error) {
		p, ok := q.TryDequeue()
		if !ok {
			return nil, errors.New("TryDequeue failed on a queue holding an item")
		}
		return p, nil
	}},
	{"Dequeue", false, func(q Queue[*Item]) (*Item, error) { return q.Dequeue() }},
	{"DequeueContext", false, func(q Queue[*Item]) (*Item, error) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		return q.DequeueContext(ctx)
	}},
	{"TryDequeueBatch", true, func(q Queue[*Item]) (*Item, error) {
		dst := make([]*Item, 1)
		if n := q.(BatchQueue[*Item]).TryDequeueBatch(dst); n != 1 {
			return nil, fmt.Errorf("TryDequeueBatch = %d on a queue holding an item", n)
		}
		return dst[0], nil
	}},
	{"DequeueBatch", true, func(q Queue[*Item]) (*Item, error) {
		dst := make([]*Item, 1)
		n, err := q.(BatchQueue[*Item]).DequeueBatch(dst)
		if n != 1 || err != nil {
			return nil, fmt.Errorf("DequeueBatch = (%d, %v) on a queue holding an item", n, err)
		}
		return dst[0], nil
	}},
}

func testCollectable(t *testing.T, f Factory) {
	if f.NewPointer == nil {
		t.Skip("Factory.NewPointer is nil")
	}
	if alive(garbage()) != 0 {
		t.Skip("the garbage collector kept an unreachable object: nothing can be concluded here")
	}
	_, batch := f.NewPointer(1).(BatchQueue[*Item])
	for _, d := range pointerDequeues {
		t.Run(d.name, func(t *testing.T) {
			if d.batch && !batch {
				t.Skip("the queue has no batch methods")
			}
			// Three items, so that a queue whose first slot takes another
			// path than the next (a ring's reach ahead) is held to both.
			q := f.NewPointer(4)
			ws, err := throughQueue(q, d, 3, false)
			if err != nil {
				t.Fatal(err)
			}
			if n := alive(ws); n != 0 {
				t.Errorf("%d of the 3 items dequeued with %s are still reachable: the queue keeps dequeued pointers alive", n, d.name)
			}
			runtime.KeepAlive(q)
		})
	}
	t.Run("AfterClose", func(t *testing.T) {
		q := f.NewPointer(4)
		ws, err := throughQueue(q, pointerDequeues[1], 1, true)
		if err != nil {
			t.Fatal(err)
		}
		if alive(ws) != 0 {
			t.Error("the item dequeued after Close is still reachable")
		}
		runtime.KeepAlive(q)
	})
	// Fill and drain several laps, starting part way round, with every
	// dequeue method: no slot may keep its item. Each method's items are
	// checked before the next method's overwrite the slots they used.
	t.Run("Laps", func(t *testing.T) {
		q := f.NewPointer(8)
		for lap := range 4 {
			for _, d := range pointerDequeues {
				if d.batch && !batch {
					continue
				}
				ws, err := throughQueue(q, d, q.Cap()-lap, false)
				if err != nil {
					t.Fatalf("lap %d: %v", lap, err)
				}
				if n := alive(ws); n != 0 {
					t.Errorf("lap %d: %d of %d items dequeued with %s are still reachable: the queue keeps dequeued pointers alive",
						lap, n, len(ws), d.name)
				}
			}
		}
		runtime.KeepAlive(q)
	})
	// The other side: what the queue holds it must keep alive.
	t.Run("QueuedStaysAlive", func(t *testing.T) {
		q := f.NewPointer(4)
		ws, err := queueItems(q, 3)
		if err != nil {
			t.Fatal(err)
		}
		if n := alive(ws); n != len(ws) {
			t.Fatalf("%d of %d items still in the queue were collected", len(ws)-n, len(ws))
		}
		for i := range ws {
			p, ok := q.TryDequeue()
			if !ok || p.N != uint64(i) {
				t.Fatalf("TryDequeue = (%v, %v), want item %d", p, ok, i)
			}
		}
		runtime.KeepAlive(q)
	})
}

// throughQueue enqueues n new items on q (closing it after, with
// closeFirst) and dequeues them with d, and returns weak pointers to them.
// No strong pointer to them is left behind in its frame.
//
//go:noinline
func throughQueue(q Queue[*Item], d pointerDequeue, n int, closeFirst bool) ([]weak.Pointer[Item], error) {
	ws, err := queueItems(q, n)
	if err != nil {
		return nil, err
	}
	if closeFirst {
		q.Close()
	}
	for i, w := range ws {
		p, err := d.do(q)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.name, err)
		}
		if p != w.Value() {
			return nil, fmt.Errorf("%s got item %v, want %d", d.name, p, i)
		}
	}
	if q.Len() != 0 {
		return nil, fmt.Errorf("Len() = %d after every item was dequeued with %s", q.Len(), d.name)
	}
	return ws, nil
}

// queueItems enqueues n new items numbered from 0 and returns weak
// pointers to them.
//
//go:noinline
func queueItems(q Queue[*Item], n int) ([]weak.Pointer[Item], error) {
	ws := make([]weak.Pointer[Item], n)
	for i := range ws {
		p := newItem(uint64(i))
		ws[i] = weak.Make(p)
		if !q.TryEnqueue(p) {
			return nil, fmt.Errorf("TryEnqueue of item %d into a queue of Cap %d holding %d failed", i, q.Cap(), q.Len())
		}
	}
	return ws, nil
}

// garbage returns a weak pointer to an unreachable object, to check that
// the collector frees one here.
//
//go:noinline
func garbage() []weak.Pointer[Item] {
	return []weak.Pointer[Item]{weak.Make(newItem(0))}
}

// alive collects garbage and returns how many of ws still point to an
// object.
func alive(ws []weak.Pointer[Item]) int {
	n := 0
	for range 3 {
		runtime.GC()
		n = 0
		for _, w := range ws {
			if w.Value() != nil {
				n++
			}
		}
		if n == 0 {
			break
		}
	}
	return n
}
