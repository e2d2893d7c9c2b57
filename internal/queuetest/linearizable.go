package queuetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/ringq/ringq/internal/qerr"
)

// linInput is a call in a history checked for linearizability.
type linInput struct {
	op   op
	seal bool     // for opClose: the second step of Close
	v    uint64   // the item of TryEnqueue, Enqueue and EnqueueContext
	vs   []uint64 // the items of TryEnqueueBatch
	n    int      // len(dst) of the batch dequeues
}

// linOutput is what a call returned.
type linOutput struct {
	ok  bool     // TryEnqueue, TryDequeue
	v   uint64   // the single dequeues
	vs  []uint64 // the batch dequeues: dst[:n]
	n   int      // TryEnqueueBatch
	err error
}

// linState is the model's state. Step never modifies one: it builds the
// next, so that porcupine can backtrack.
type linState struct {
	items []uint64
	phase closePhase
}

// closePhase is how far Close has gone.
type closePhase uint8

const (
	open    closePhase = iota
	closing            // enqueues may fail or succeed
	sealed             // enqueues fail; a drained queue reports ErrClosed
)

func (p closePhase) String() string { return [...]string{"open", "closing", "sealed"}[p] }

// fifoModel is the queue contract as a porcupine model of a queue of
// capacity c holding init. A call takes effect at one instant between its
// call and its return; a batch call too, all at once. TryEnqueue may fail
// only when the queue is full or closed and TryDequeue only when it is
// empty; a blocking call returns at an instant when it can proceed.
//
// A batch call moves at least one item unless none can move, and at most
// as many as can: it need not move all it could at its instant, since it
// measures the room or the items before it claims them, and a call on the
// other side may change both in between. (Alone in the queue, a batch
// moves all it can; the sequential tests hold it to that.)
//
// Close takes effect in two steps, both within its call: from the first,
// enqueues may fail; from the second they must, and dequeues on a drained
// queue report ErrClosed. An enqueue that races with Close may so succeed
// after another has been refused, as a producer that was waiting for room
// can, but no item gets in once a dequeue has reported the queue drained.
func fifoModel(c int, init []uint64) porcupine.Model {
	return porcupine.Model{
		Init: func() any { return linState{items: init} },
		Step: func(state, input, output any) (bool, any) {
			return linStep(c, state.(linState), input.(linInput), output.(linOutput))
		},
		Equal: func(a, b any) bool {
			x, y := a.(linState), b.(linState)
			return x.phase == y.phase && slices.Equal(x.items, y.items)
		},
		DescribeOperation: func(input, output any) string {
			return describeCall(input.(linInput), output.(linOutput))
		},
		DescribeState: func(state any) string {
			s := state.(linState)
			return fmt.Sprintf("%v %v", s.items, s.phase)
		},
	}
}

func linStep(c int, s linState, in linInput, out linOutput) (bool, linState) {
	full, empty := len(s.items) >= c, len(s.items) == 0
	closedErr := errors.Is(out.err, qerr.ErrClosed)
	push := func(vs ...uint64) linState {
		return linState{items: append(slices.Clip(s.items), vs...), phase: s.phase}
	}
	// pop is called on an empty state only where the step is illegal
	// anyway, and the state returned is ignored.
	pop := func(n int) linState { return linState{items: s.items[min(n, len(s.items)):], phase: s.phase} }
	switch in.op {
	case opTryEnqueue:
		switch {
		case s.phase == sealed || full:
			return !out.ok, s
		case !out.ok:
			return s.phase == closing, s
		}
		return true, push(in.v)
	case opEnqueue, opEnqueueCtx:
		if closedErr {
			return s.phase != open, s
		}
		return out.err == nil && s.phase != sealed && !full, push(in.v)
	case opTryDequeue:
		if empty {
			return !out.ok && out.v == 0, s
		}
		return out.ok && out.v == s.items[0], pop(1)
	case opDequeue, opDequeueCtx:
		if closedErr {
			return s.phase == sealed && empty, s
		}
		return out.err == nil && !empty && out.v == s.items[0], pop(1)
	case opClose:
		if in.seal {
			return s.phase == closing, linState{items: s.items, phase: sealed}
		}
		return s.phase == open, linState{items: s.items, phase: closing}
	case opTryEnqueueBatch:
		most := min(len(in.vs), c-len(s.items))
		switch {
		case s.phase == sealed:
			most = 0
		case s.phase == closing && out.n == 0:
			return true, s
		}
		return batchMoved(out.n, most), push(in.vs[:max(0, min(out.n, most))]...)
	case opTryDequeueBatch:
		k := len(out.vs)
		return batchMoved(k, min(in.n, len(s.items))) && slices.Equal(out.vs, s.items[:min(k, len(s.items))]), pop(k)
	case opDequeueBatch, opDequeueBatchCtx:
		if closedErr {
			return s.phase == sealed && empty && len(out.vs) == 0, s
		}
		if out.err != nil || empty {
			return false, s
		}
		k := len(out.vs)
		return batchMoved(k, min(in.n, len(s.items))) && slices.Equal(out.vs, s.items[:min(k, len(s.items))]), pop(k)
	}
	return false, s
}

// batchMoved reports whether a batch call that moved k items, where at
// most most could move, kept the contract: none only if none could move.
func batchMoved(k, most int) bool {
	if most == 0 {
		return k == 0
	}
	return k >= 1 && k <= most
}

func describeCall(in linInput, out linOutput) string {
	switch in.op {
	case opTryEnqueue:
		return fmt.Sprintf("TryEnqueue(%d) = %v", in.v, out.ok)
	case opEnqueue, opEnqueueCtx:
		return fmt.Sprintf("%v(%d) = %v", in.op, in.v, out.err)
	case opTryDequeue:
		return fmt.Sprintf("TryDequeue() = (%d, %v)", out.v, out.ok)
	case opDequeue, opDequeueCtx:
		return fmt.Sprintf("%v() = (%d, %v)", in.op, out.v, out.err)
	case opTryEnqueueBatch:
		return fmt.Sprintf("TryEnqueueBatch(%v) = %d", in.vs, out.n)
	case opTryDequeueBatch:
		return fmt.Sprintf("TryDequeueBatch(%d) = %v", in.n, out.vs)
	case opDequeueBatch, opDequeueBatchCtx:
		return fmt.Sprintf("%v(%d) = (%v, %v)", in.op, in.n, out.vs, out.err)
	case opClose:
		if in.seal {
			return "Close (sealed)"
		}
		return "Close (closing)"
	}
	return in.op.String()
}

func testLinearizable(t *testing.T, f Factory) {
	rng := rand.New(rand.NewPCG(5, 6))
	unknown := 0
	n := scaled(6000)
	for i := range n {
		c := 1 + rng.IntN(4)
		q := f.New(c)
		clients := 3 + rng.IntN(2)
		if f.SingleProducer && f.SingleConsumer {
			clients = 2
		}
		history, init, err := linHistory(q, f, rng, clients)
		if err != nil {
			t.Fatalf("history %d: %v", i, err)
		}
		model := fifoModel(q.Cap(), init)
		res, info := porcupine.CheckOperationsVerbose(model, history, 5*time.Second)
		switch res {
		case porcupine.Illegal:
			path := filepath.Join(os.TempDir(), fmt.Sprintf("queuetest-%s-history-%d.html", strings.ReplaceAll(t.Name(), "/", "-"), i))
			if porcupine.VisualizePath(model, info, path) != nil {
				path = "(none written)"
			}
			t.Fatalf("history %d is not linearizable: a queue of Cap %d holding %v, then (times are a logical clock)\n%s\nvisualization: %s",
				i, q.Cap(), init, describeHistory(history), path)
		case porcupine.Unknown:
			unknown++
		}
	}
	if unknown > 0 {
		t.Logf("%d of %d histories timed out in the checker", unknown, n)
	}
	if unknown > n/10 {
		t.Errorf("%d of %d histories could not be checked in time", unknown, n)
	}
}

// linHistory prefills q with up to Cap items, runs a short random history
// of calls from clients goroutines released at once, plus one Close, and
// returns it with the items q started with.
func linHistory(q Queue[uint64], f Factory, rng *rand.Rand, clients int) ([]porcupine.Operation, []uint64, error) {
	bq, _ := q.(BatchQueue[uint64])
	var init []uint64
	for range rng.IntN(q.Cap() + 1) {
		v := uint64(len(init) + 1)
		if !q.TryEnqueue(v) {
			return nil, nil, fmt.Errorf("TryEnqueue of item %d of %d into an empty queue of Cap %d failed", len(init)+1, q.Cap(), q.Cap())
		}
		init = append(init, v)
	}
	// Client c may enqueue unless only client 0 may, and dequeue unless
	// only client 1 may.
	calls := make([][]linInput, clients)
	for c := range calls {
		var kinds []op
		if !f.SingleProducer || c == 0 {
			kinds = append(kinds, opTryEnqueue, opEnqueue, opEnqueueCtx)
			if bq != nil {
				kinds = append(kinds, opTryEnqueueBatch)
			}
		}
		if !f.SingleConsumer || c == 1 {
			kinds = append(kinds, opTryDequeue, opDequeue, opDequeueCtx)
			if bq != nil {
				kinds = append(kinds, opTryDequeueBatch, opDequeueBatch, opDequeueBatchCtx)
			}
		}
		if len(kinds) == 0 {
			continue
		}
		for i := range 3 + rng.IntN(3) {
			in := linInput{op: kinds[rng.IntN(len(kinds))], v: uint64(100*(c+1) + i)}
			switch in.op {
			case opTryEnqueueBatch:
				for j := range rng.IntN(q.Cap() + 2) {
					in.vs = append(in.vs, uint64(100*(c+1)+10*i+j+10))
				}
			case opTryDequeueBatch:
				in.n = rng.IntN(q.Cap() + 2)
			case opDequeueBatch, opDequeueBatchCtx:
				in.n = 1 + rng.IntN(q.Cap()+1)
			}
			calls[c] = append(calls[c], in)
		}
	}

	var (
		clock   atomic.Int64
		wg      sync.WaitGroup
		start   = make(chan struct{})
		history = make([][]porcupine.Operation, clients+1)
	)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for c := range clients {
		wg.Go(func() {
			<-start
			for _, in := range calls[c] {
				call := clock.Add(1)
				out := linCall(ctx, q, bq, in)
				ret := clock.Add(1)
				history[c] = append(history[c], porcupine.Operation{
					ClientId: c, Input: in, Call: call, Output: out, Return: ret,
				})
			}
		})
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	close(start)
	// Close in the middle of the history in one run of three; otherwise once
	// the clients are done or stuck (no call has returned for a while),
	// which releases any that would wait forever.
	if rng.IntN(3) == 0 {
		for range rng.IntN(20) {
			runtime.Gosched()
		}
	} else {
	idle:
		for still := 0; still < 200; {
			select {
			case <-done:
				break idle
			default:
			}
			before := clock.Load()
			runtime.Gosched()
			if clock.Load() == before {
				still++
			} else {
				still = 0
			}
		}
	}
	call := clock.Add(1)
	q.Close()
	ret := clock.Add(1)
	// Close is two steps in the model, each somewhere within the call.
	history[clients] = []porcupine.Operation{
		{ClientId: clients, Input: linInput{op: opClose}, Call: call, Output: linOutput{}, Return: ret},
		{ClientId: clients, Input: linInput{op: opClose, seal: true}, Call: call, Output: linOutput{}, Return: ret},
	}
	if err := waitTimeout(&wg, hangTimeout, "clients of a history after Close"); err != nil {
		return nil, nil, err
	}
	return slices.Concat(history...), init, nil
}

// linCall makes the call in on q and returns its result.
func linCall(ctx context.Context, q Queue[uint64], bq BatchQueue[uint64], in linInput) linOutput {
	var out linOutput
	switch in.op {
	case opTryEnqueue:
		out.ok = q.TryEnqueue(in.v)
	case opEnqueue:
		out.err = q.Enqueue(in.v)
	case opEnqueueCtx:
		out.err = q.EnqueueContext(ctx, in.v)
	case opTryDequeue:
		out.v, out.ok = q.TryDequeue()
	case opDequeue:
		out.v, out.err = q.Dequeue()
	case opDequeueCtx:
		out.v, out.err = q.DequeueContext(ctx)
	case opTryEnqueueBatch:
		out.n = bq.TryEnqueueBatch(in.vs)
	case opTryDequeueBatch:
		dst := make([]uint64, in.n)
		n := bq.TryDequeueBatch(dst)
		out.vs = dst[:max(0, min(n, len(dst)))]
	case opDequeueBatch, opDequeueBatchCtx:
		dst := make([]uint64, in.n)
		var n int
		var err error
		if in.op == opDequeueBatch {
			n, err = bq.DequeueBatch(dst)
		} else {
			n, err = bq.DequeueBatchContext(ctx, dst)
		}
		out.vs, out.err = dst[:max(0, min(n, len(dst)))], err
	}
	return out
}

// describeHistory returns the operations of a history one to a line, in
// the order they were called.
func describeHistory(ops []porcupine.Operation) string {
	ops = slices.Clone(ops)
	slices.SortFunc(ops, func(a, b porcupine.Operation) int { return cmp.Compare(a.Call, b.Call) })
	var b strings.Builder
	for _, o := range ops {
		fmt.Fprintf(&b, "\tclient %d [%3d, %3d] %s\n", o.ClientId, o.Call, o.Return,
			describeCall(o.Input.(linInput), o.Output.(linOutput)))
	}
	return b.String()
}
