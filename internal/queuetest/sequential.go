package queuetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// sequentialCases are hand-written programs, each run at several
// capacities against the model.
var sequentialCases = []struct {
	name  string
	batch bool // needs a BatchQueue
	steps []step
}{
	{"FillToCap", false, ops(opFill, opLen, opTryEnqueue, opLen)},
	{"FullRefusesEnqueue", false, ops(opFill, opTryEnqueue, opEnqueueCancelled, opEnqueue, opEnqueueCtx,
		opTryDequeue, opTryEnqueue, opTryEnqueue)},
	{"DrainInOrder", false, ops(opFill, opDrain, opTryDequeue, opDequeueCancelled, opDequeue)},
	{"EmptyRefusesDequeue", false, ops(opTryDequeue, opDequeueCancelled, opDequeueCtx, opTryEnqueue,
		opTryDequeue, opTryDequeue)},
	{"Interleaved", false, ops(opTryEnqueue, opTryEnqueue, opTryDequeue, opEnqueue, opLen, opDequeue,
		opEnqueueCtx, opTryEnqueue, opDequeueCtx, opTryDequeue, opTryDequeue, opTryDequeue, opLen,
		opEnqueue, opTryDequeue)},
	{"Laps", false, ops(opFill, opDrain, opFill, opDrain, opTryEnqueue, opFill, opDrain, opFill, opDrain,
		opTryEnqueue, opTryEnqueue, opTryDequeue, opFill, opDrain)},
	{"BlockingWhenReady", false, ops(opEnqueue, opEnqueueCtx, opEnqueue, opDequeue, opDequeueCtx,
		opDequeue, opEnqueueCancelled, opDequeueCancelled)},
	{"CloseEmpty", false, ops(opClose, opTryEnqueue, opEnqueue, opEnqueueCtx, opEnqueueCancelled,
		opTryDequeue, opDequeue, opDequeueCtx, opDequeueCancelled, opClose, opLen, opDequeue)},
	{"CloseDrains", false, ops(opTryEnqueue, opEnqueue, opEnqueueCtx, opClose, opTryEnqueue, opEnqueue,
		opEnqueueCtx, opDequeue, opTryDequeue, opDequeueCtx, opDequeue, opTryDequeue, opDequeueCtx)},
	{"CloseFull", false, ops(opFill, opClose, opEnqueue, opEnqueueCtx, opTryEnqueue, opDrain, opDequeue,
		opDequeueCtx)},
	{"CloseTwice", false, ops(opTryEnqueue, opClose, opClose, opTryDequeue, opClose, opDequeue)},
	{"BatchPrefix", true, []step{{op: opTryEnqueue}, {op: opTryEnqueueBatch, capRel: true},
		{op: opTryEnqueueBatch, n: 1}, {op: opTryDequeueBatch, n: 2}, {op: opTryEnqueueBatch, n: 3},
		{op: opTryDequeueBatch, capRel: true, n: 2}, {op: opTryDequeueBatch, n: 1}}},
	{"BatchEmpty", true, []step{{op: opTryEnqueueBatch}, {op: opTryDequeueBatch}, {op: opEnqueueBatch},
		{op: opDequeueBatch}, {op: opFill}, {op: opEnqueueBatch}, {op: opTryEnqueueBatch},
		{op: opDequeueBatch}, {op: opTryDequeueBatch}, {op: opDrain}, {op: opDequeueBatch}}},
	{"BatchBlockingWhenReady", true, []step{{op: opEnqueueBatch, n: 1}, {op: opEnqueueBatch, capRel: true, n: -1},
		{op: opDequeueBatch, n: 1}, {op: opDequeueBatch, capRel: true, n: 1}, {op: opEnqueueBatch, capRel: true},
		{op: opDequeueBatch, capRel: true}}},
	{"BatchMixedWithSingles", true, []step{{op: opTryEnqueue}, {op: opTryEnqueueBatch, n: 2},
		{op: opTryEnqueue}, {op: opTryDequeue}, {op: opTryDequeueBatch, n: 2}, {op: opTryDequeue},
		{op: opTryDequeue}, {op: opFill}, {op: opDequeueBatch, n: 1}, {op: opDrain}}},
	{"BatchContext", true, []step{{op: opEnqueueBatchCtx, n: 1}, {op: opEnqueueBatchCtx, capRel: true},
		{op: opEnqueueBatchCancelled, n: 2}, {op: opDequeueBatchCtx, n: 1}, {op: opEnqueueBatchCancelled, n: 2},
		{op: opDequeueBatchCancelled, capRel: true}, {op: opDequeueBatchCancelled, n: 1},
		{op: opDequeueBatchCtx, n: 1}, {op: opEnqueueBatchCancelled}, {op: opDequeueBatchCancelled},
		{op: opTryEnqueue}, {op: opClose}, {op: opEnqueueBatchCtx, n: 1}, {op: opEnqueueBatchCancelled, n: 1},
		{op: opDequeueBatchCancelled, n: 2}, {op: opDequeueBatchCtx, n: 1}, {op: opDequeueBatchCancelled, n: 1}}},
	{"BatchClose", true, []step{{op: opTryEnqueueBatch, n: 2}, {op: opClose}, {op: opTryEnqueueBatch, n: 1},
		{op: opEnqueueBatch, n: 1}, {op: opEnqueueBatch}, {op: opDequeueBatch, capRel: true},
		{op: opDequeueBatch, n: 1}, {op: opTryDequeueBatch, n: 1}, {op: opDequeueBatch}}},
}

// ops returns the steps for ops without batch lengths.
func ops(os ...op) []step {
	steps := make([]step, len(os))
	for i, o := range os {
		steps[i] = step{op: o}
	}
	return steps
}

// sequentialCaps are the capacities the table cases run at.
var sequentialCaps = []int{1, 2, 3, 8}

func testSequential(t *testing.T, f Factory) {
	_, batch := f.New(1).(BatchQueue[uint64])
	for _, tc := range sequentialCases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.batch && !batch {
				t.Skip("the queue has no batch methods")
			}
			for _, c := range sequentialCaps {
				if err := runProgram(f.New(c), tc.steps); err != nil {
					t.Fatalf("capacity %d: %v", c, err)
				}
			}
		})
	}
	t.Run("Random", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range scaled(400) {
			data := randomProgram(rng, 300)
			if err := runEncoded(f, data); err != nil {
				t.Fatalf("program %d (%x): %v", i, data, err)
			}
		}
	})
}

// Fuzz is a go test -fuzz target that runs programs of random operations
// on the queues fac makes and compares every result with a model queue: a
// slice in FIFO order. The first byte of the input picks the capacity, the
// second where the counters start when fac.NewAt is set, each further byte
// one operation. The seed corpus runs under a plain go test. Call it from a
// FuzzX function:
//
//	func FuzzMPMC(f *testing.F) { queuetest.Fuzz(f, mpmcFactory) }
func Fuzz(f *testing.F, fac Factory) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{8, 32, 64, 200, 500} {
		for range 4 {
			f.Add(randomProgram(rng, n))
		}
	}
	// Fill, close, and drain at capacities 1 and 4, with wrapping starts.
	f.Add([]byte{0, 0, byte(opFill), byte(opClose), byte(opDrain), byte(opDequeue)})
	f.Add([]byte{3, 7, byte(opFill), byte(opDrain), byte(opFill), byte(opDrain), byte(opFill), byte(opClose)})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			data = data[:4096]
		}
		if err := runEncoded(fac, data); err != nil {
			t.Fatal(err)
		}
	})
}

// randomProgram returns an encoded program of n ops: mostly enqueues and
// dequeues, with a Close now and then.
func randomProgram(rng *rand.Rand, n int) []byte {
	data := []byte{byte(rng.IntN(16)), byte(rng.IntN(256))}
	for range n {
		b := byte(rng.IntN(256))
		if op(b%byte(numOps)) == opClose && rng.IntN(8) != 0 {
			b++ // close rarely, so that most of the program runs open
		}
		data = append(data, b)
	}
	return data
}

// decodeProgram turns bytes into a capacity, a start position for NewAt
// (wrap reports whether to use it), and steps.
func decodeProgram(data []byte) (capacity int, start uint64, wrap bool, steps []step) {
	capacity = 1
	if len(data) > 0 {
		capacity = 1 + int(data[0]%16)
	}
	if len(data) > 1 {
		// An odd byte starts the counters up to 127 steps short of wrapping.
		wrap = data[1]&1 == 1
		start = math.MaxUint64 - uint64(data[1]>>1)
	}
	for _, b := range data[min(2, len(data)):] {
		o := op(b % byte(numOps))
		steps = append(steps, step{op: o, n: int(b/byte(numOps)) % (capacity + 3)})
	}
	return capacity, start, wrap, steps
}

// runEncoded decodes a program and runs it on a new queue, then closes and
// drains the queue, checking the rest of its items.
func runEncoded(f Factory, data []byte) error {
	c, start, wrap, steps := decodeProgram(data)
	q := f.New(c)
	if wrap && f.NewAt != nil {
		q = f.NewAt(c, start)
	}
	return runProgram(q, append(steps, step{op: opClose}, step{op: opDrain}, step{op: opDequeue}))
}

// runProgram runs steps on q against the model. A call that does not
// return within hangTimeout is reported rather than left to hang the test.
func runProgram(q Queue[uint64], steps []step) error {
	r := newRunner(q)
	var pos int
	done := make(chan error, 1)
	posc := make(chan int, len(steps)+1)
	go func() {
		for i, s := range steps {
			posc <- i
			if err := r.do(s); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	timer := time.NewTimer(hangTimeout)
	defer timer.Stop()
	for {
		select {
		case pos = <-posc:
		case err := <-done:
			return err
		case <-timer.C:
			for len(posc) > 0 {
				pos = <-posc
			}
			names := make([]string, 0, pos+1)
			for _, s := range steps[:pos+1] {
				names = append(names, fmt.Sprintf("%v/%d", s.op, s.n))
			}
			return fmt.Errorf("step %d (%v) did not return within %v; steps: %s",
				pos+1, steps[pos].op, hangTimeout, strings.Join(names, " "))
		}
	}
}
