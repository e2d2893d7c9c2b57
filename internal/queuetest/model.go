package queuetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ringq/ringq/internal/qerr"
)

// model is the sequential specification of a queue: its items in FIFO
// order, its capacity, and whether it is closed.
type model struct {
	items  []uint64
	cap    int
	closed bool
}

func (m *model) full() bool  { return len(m.items) == m.cap }
func (m *model) empty() bool { return len(m.items) == 0 }
func (m *model) room() int   { return m.cap - len(m.items) }

func (m *model) pop(n int) []uint64 {
	out := slices.Clone(m.items[:n])
	m.items = m.items[n:]
	return out
}

// op is one step of a sequential program: a call on the queue, whose
// result the model predicts.
type op uint8

const (
	opTryEnqueue op = iota
	opTryDequeue
	opEnqueue    // Enqueue; where it would block, EnqueueContext with a cancelled ctx
	opDequeue    // Dequeue; where it would block, DequeueContext with a cancelled ctx
	opEnqueueCtx // EnqueueContext with a live ctx; cancelled where it would block
	opDequeueCtx // DequeueContext with a live ctx; cancelled where it would block
	opEnqueueCancelled
	opDequeueCancelled
	opLen
	opClose
	opFill  // TryEnqueue until the model is full, then once more
	opDrain // TryDequeue until the model is empty, then once more
	opTryEnqueueBatch
	opTryDequeueBatch
	opEnqueueBatch // EnqueueBatch where it fits; TryEnqueueBatch where it would block
	opDequeueBatch // DequeueBatch where it can return; TryDequeueBatch otherwise
	// The batch ops from opTryEnqueueBatch on are the single-item ops from
	// opTryEnqueue on, in the same order, so that a queue without batch
	// methods runs the single-item op instead.
	opEnqueueBatchCtx // EnqueueBatchContext with a live ctx; cancelled where it would block
	opDequeueBatchCtx // DequeueBatchContext with a live ctx; cancelled where it would block
	opEnqueueBatchCancelled
	opDequeueBatchCancelled
	numOps
)

var opNames = [numOps]string{
	"TryEnqueue", "TryDequeue", "Enqueue", "Dequeue", "EnqueueContext",
	"DequeueContext", "EnqueueContext(cancelled)", "DequeueContext(cancelled)",
	"Len", "Close", "Fill", "Drain", "TryEnqueueBatch", "TryDequeueBatch",
	"EnqueueBatch", "DequeueBatch", "EnqueueBatchContext", "DequeueBatchContext",
	"EnqueueBatchContext(cancelled)", "DequeueBatchContext(cancelled)",
}

func (o op) String() string {
	if o < numOps {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", o)
}

func (o op) isBatch() bool { return o >= opTryEnqueueBatch && o < numOps }

// step is an op with its batch length. With capRel the length is Cap()+n,
// so that table cases can say "a batch one larger than the queue".
type step struct {
	op     op
	n      int
	capRel bool
}

// cancelled is a context that is already done, for the calls that must
// give up at once.
var cancelled = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// sentinel fills batch destinations, so that a write past the returned
// count shows. The runner never enqueues it.
const sentinel = ^uint64(0)

// runner drives a queue and the model side by side through a program and
// reports the first step where they disagree. Len, Cap and (for a Closer)
// Closed are checked after every step.
type runner struct {
	q     Queue[uint64]
	bq    BatchQueue[uint64] // q's batch methods; nil when it has none
	m     model
	next  uint64   // the next value to enqueue; values never repeat
	trace []string // the steps so far, for the failure message
}

func newRunner(q Queue[uint64]) *runner {
	bq, _ := q.(BatchQueue[uint64])
	// High bits set so that a queue that truncates values is caught.
	return &runner{q: q, bq: bq, m: model{cap: q.Cap()}, next: 0xA5<<48 + 1}
}

func (r *runner) value() uint64 {
	v := r.next
	r.next++
	return v
}

func (r *runner) values(n int) []uint64 {
	vs := make([]uint64, n)
	for i := range vs {
		vs[i] = r.value()
	}
	return vs
}

func (r *runner) do(s step) error {
	n := s.n
	if s.capRel {
		n += r.m.cap
	}
	n = max(n, 0)
	desc, err := r.apply(s.op, n)
	if err == nil {
		if got := r.q.Len(); got != len(r.m.items) {
			err = fmt.Errorf("Len() = %d, want %d", got, len(r.m.items))
		} else if got := r.q.Cap(); got != r.m.cap {
			err = fmt.Errorf("Cap() = %d, was %d", got, r.m.cap)
		} else if c, ok := r.q.(Closer); ok && c.Closed() != r.m.closed {
			err = fmt.Errorf("Closed() = %v, want %v", c.Closed(), r.m.closed)
		}
	}
	r.trace = append(r.trace, desc)
	if err != nil {
		return fmt.Errorf("step %d: %w\nqueue of Cap %d; steps so far:\n%s",
			len(r.trace), err, r.m.cap, r.program())
	}
	return nil
}

// program returns the last steps run, one to a line.
func (r *runner) program() string {
	tr := r.trace
	const keep = 40
	var b strings.Builder
	if len(tr) > keep {
		fmt.Fprintf(&b, "\t… %d steps\n", len(tr)-keep)
		tr = tr[len(tr)-keep:]
	}
	for _, line := range tr {
		b.WriteString("\t" + line + "\n")
	}
	return b.String()
}

// apply runs one op on the queue and the model. It returns a description of
// the call and its result, and an error if the queue's result is not the
// model's.
func (r *runner) apply(o op, n int) (string, error) {
	m := &r.m
	if o.isBatch() && r.bq == nil {
		o -= opTryEnqueueBatch // the single-item op of the same kind
	}
	switch o {
	case opTryEnqueue:
		v := r.value()
		got, want := r.q.TryEnqueue(v), !m.closed && !m.full()
		if got {
			m.items = append(m.items, v)
		}
		return fmt.Sprintf("TryEnqueue(%#x) = %v", v, got), expect(got == want,
			"TryEnqueue = %v, want %v (len %d, closed %v)", got, want, len(m.items), m.closed)

	case opTryDequeue:
		v, ok := r.q.TryDequeue()
		return fmt.Sprintf("TryDequeue() = (%#x, %v)", v, ok), r.checkDequeued(v, ok)

	case opEnqueue, opEnqueueCtx:
		if m.full() && !m.closed {
			return r.apply(opEnqueueCancelled, n)
		}
		v := r.value()
		var err error
		if o == opEnqueue {
			err = r.q.Enqueue(v)
		} else {
			ctx, cancel := context.WithCancel(context.Background())
			err = r.q.EnqueueContext(ctx, v)
			cancel()
		}
		return fmt.Sprintf("%v(%#x) = %v", o, v, err), r.checkEnqueued(v, err)

	case opDequeue, opDequeueCtx:
		if m.empty() && !m.closed {
			return r.apply(opDequeueCancelled, n)
		}
		var v uint64
		var err error
		if o == opDequeue {
			v, err = r.q.Dequeue()
		} else {
			ctx, cancel := context.WithCancel(context.Background())
			v, err = r.q.DequeueContext(ctx)
			cancel()
		}
		return fmt.Sprintf("%v() = (%#x, %v)", o, v, err), r.checkDequeueErr(v, err)

	case opEnqueueCancelled:
		v := r.value()
		err := r.q.EnqueueContext(cancelled, v)
		desc := fmt.Sprintf("EnqueueContext(cancelled, %#x) = %v", v, err)
		if errors.Is(err, context.Canceled) {
			// Allowed whenever the call has nothing to do at once; required
			// when it would have to wait. It must leave the queue as it was.
			return desc, nil
		}
		if m.full() && !m.closed {
			return desc, fmt.Errorf("EnqueueContext(cancelled) on a full queue = %v, want context.Canceled", err)
		}
		return desc, r.checkEnqueued(v, err)

	case opDequeueCancelled:
		v, err := r.q.DequeueContext(cancelled)
		desc := fmt.Sprintf("DequeueContext(cancelled) = (%#x, %v)", v, err)
		if errors.Is(err, context.Canceled) {
			return desc, expect(v == 0, "DequeueContext failed but returned %#x, want the zero value", v)
		}
		if m.empty() && !m.closed {
			return desc, fmt.Errorf("DequeueContext(cancelled) on an empty queue = (%#x, %v), want context.Canceled", v, err)
		}
		return desc, r.checkDequeueErr(v, err)

	case opLen:
		return fmt.Sprintf("Len() = %d, Cap() = %d", r.q.Len(), r.q.Cap()), nil

	case opClose:
		r.q.Close()
		m.closed = true
		return "Close()", nil

	case opFill, opDrain:
		var lines []string
		for {
			var desc string
			var err error
			if o == opFill {
				desc, err = r.apply(opTryEnqueue, 0)
			} else {
				desc, err = r.apply(opTryDequeue, 0)
			}
			lines = append(lines, desc)
			if err != nil {
				return strings.Join(lines, "; "), err
			}
			if o == opFill && (m.full() || m.closed) || o == opDrain && m.empty() {
				desc, err = r.apply(o-opFill, 0) // once more: it must fail
				return fmt.Sprintf("%v: %d calls, then %s", o, len(lines), desc), err
			}
		}

	case opTryEnqueueBatch:
		vs := r.values(n)
		got := r.bq.TryEnqueueBatch(vs)
		want := min(n, m.room())
		if m.closed {
			want = 0
		}
		err := expect(got == want, "TryEnqueueBatch(%d items) = %d, want %d (len %d, closed %v)",
			n, got, want, len(m.items), m.closed)
		if got >= 0 && got <= n {
			m.items = append(m.items, vs[:got]...)
		}
		return fmt.Sprintf("TryEnqueueBatch(%d items) = %d", n, got), err

	case opTryDequeueBatch:
		dst := sentinels(n)
		got := r.bq.TryDequeueBatch(dst)
		return fmt.Sprintf("TryDequeueBatch(%d) = %d", n, got), r.checkBatchDequeued("TryDequeueBatch", dst, got, nil)

	case opEnqueueBatch:
		if !m.closed && n > m.room() {
			return r.apply(opTryEnqueueBatch, n)
		}
		vs := r.values(n)
		got, err := r.bq.EnqueueBatch(vs)
		return fmt.Sprintf("EnqueueBatch(%d items) = (%d, %v)", n, got, err), r.checkBatchEnqueued(vs, got, err)

	case opDequeueBatch, opDequeueBatchCtx:
		if !m.closed && m.empty() && n > 0 {
			if o == opDequeueBatch {
				return r.apply(opTryDequeueBatch, n)
			}
			return r.apply(opDequeueBatchCancelled, n)
		}
		dst := sentinels(n)
		var got int
		var err error
		if o == opDequeueBatch {
			got, err = r.bq.DequeueBatch(dst)
		} else {
			ctx, cancel := context.WithCancel(context.Background())
			got, err = r.bq.DequeueBatchContext(ctx, dst)
			cancel()
		}
		return fmt.Sprintf("%v(%d) = (%d, %v)", o, n, got, err), r.checkBatchDequeued("DequeueBatch", dst, got, err)

	case opEnqueueBatchCtx:
		if !m.closed && n > m.room() {
			return r.apply(opEnqueueBatchCancelled, n)
		}
		vs := r.values(n)
		ctx, cancel := context.WithCancel(context.Background())
		got, err := r.bq.EnqueueBatchContext(ctx, vs)
		cancel()
		return fmt.Sprintf("EnqueueBatchContext(%d items) = (%d, %v)", n, got, err), r.checkBatchEnqueued(vs, got, err)

	case opEnqueueBatchCancelled:
		// What fits at once gets in, even with a done ctx; the call
		// reports context.Canceled if that is not all of vs.
		vs := r.values(n)
		room := m.room()
		got, err := r.bq.EnqueueBatchContext(cancelled, vs)
		desc := fmt.Sprintf("EnqueueBatchContext(cancelled, %d items) = (%d, %v)", n, got, err)
		if m.closed || n <= room {
			if m.closed && n > 0 && got == 0 && errors.Is(err, context.Canceled) {
				return desc, nil // refused either way: either error will do
			}
			return desc, r.checkBatchEnqueued(vs, got, err)
		}
		if got >= 0 && got <= n {
			m.items = append(m.items, vs[:got]...)
		}
		return desc, expect(got == room && errors.Is(err, context.Canceled),
			"EnqueueBatchContext(cancelled, %d items) with room for %d = (%d, %v), want (%d, context.Canceled)",
			n, room, got, err, room)

	case opDequeueBatchCancelled:
		dst := sentinels(n)
		got, err := r.bq.DequeueBatchContext(cancelled, dst)
		desc := fmt.Sprintf("DequeueBatchContext(cancelled, %d) = (%d, %v)", n, got, err)
		switch {
		case n == 0:
			// Nothing asked for: it returns at once, as the call with a
			// live ctx does.
			return desc, r.checkBatchDequeued("DequeueBatch", dst, got, err)
		case m.empty() && !m.closed:
			return desc, expect(got == 0 && errors.Is(err, context.Canceled) && dst[0] == sentinel,
				"DequeueBatchContext(cancelled, %d) on an empty queue = (%d, %v) with dst[0] %#x, want (0, context.Canceled) and dst untouched",
				n, got, err, dst[0])
		case m.empty() && got == 0 && errors.Is(err, context.Canceled) && dst[0] == sentinel:
			return desc, nil // closed and drained: either error will do
		}
		return desc, r.checkBatchDequeued("DequeueBatch", dst, got, err)
	}
	return o.String(), fmt.Errorf("unknown op %v", o)
}

// checkEnqueued checks the result of a blocking enqueue of v that the model
// says can return at once.
func (r *runner) checkEnqueued(v uint64, err error) error {
	m := &r.m
	if m.closed {
		return expect(errors.Is(err, qerr.ErrClosed), "enqueue on a closed queue = %v, want ErrClosed", err)
	}
	if err == nil {
		m.items = append(m.items, v)
	}
	return expect(err == nil, "enqueue on a queue with room = %v, want nil", err)
}

// checkBatchEnqueued checks a blocking batch enqueue of vs that the model
// says can return at once: all of vs gets in, unless the queue is closed.
func (r *runner) checkBatchEnqueued(vs []uint64, got int, err error) error {
	m := &r.m
	n := len(vs)
	if m.closed {
		return expect(got == 0 && errors.Is(err, qerr.ErrClosed),
			"batch enqueue of %d items on a closed queue = (%d, %v), want (0, ErrClosed)", n, got, err)
	}
	if got >= 0 && got <= n {
		m.items = append(m.items, vs[:got]...)
	}
	return expect(got == n && err == nil, "batch enqueue of %d items with room for %d = (%d, %v), want (%d, nil)",
		n, m.room()+got, got, err, n)
}

// checkDequeued checks a TryDequeue result against the model.
func (r *runner) checkDequeued(v uint64, ok bool) error {
	m := &r.m
	if m.empty() {
		return expect(!ok && v == 0, "TryDequeue on an empty queue = (%#x, %v), want (0, false)", v, ok)
	}
	want := m.pop(1)[0]
	return expect(ok && v == want, "TryDequeue = (%#x, %v), want (%#x, true)", v, ok, want)
}

// checkDequeueErr checks a blocking dequeue that the model says can return
// at once.
func (r *runner) checkDequeueErr(v uint64, err error) error {
	m := &r.m
	if m.empty() {
		return expect(v == 0 && errors.Is(err, qerr.ErrClosed),
			"dequeue on a closed, drained queue = (%#x, %v), want (0, ErrClosed)", v, err)
	}
	want := m.pop(1)[0]
	return expect(v == want && err == nil, "dequeue = (%#x, %v), want (%#x, nil)", v, err, want)
}

// checkBatchDequeued checks a batch dequeue into dst that returned got and
// err: the oldest min(len(dst), Len()) items, in order, and nothing written
// past them.
func (r *runner) checkBatchDequeued(name string, dst []uint64, got int, err error) error {
	m := &r.m
	want := min(len(dst), len(m.items))
	if m.closed && m.empty() && name == "DequeueBatch" {
		return expect(got == 0 && errors.Is(err, qerr.ErrClosed),
			"%s on a closed, drained queue = (%d, %v), want (0, ErrClosed)", name, got, err)
	}
	if got != want || err != nil {
		return fmt.Errorf("%s(%d) with %d queued = (%d, %v), want (%d, nil)", name, len(dst), len(m.items), got, err, want)
	}
	items := m.pop(got)
	if !slices.Equal(dst[:got], items) {
		return fmt.Errorf("%s got %#x, want %#x", name, dst[:got], items)
	}
	for i := got; i < len(dst); i++ {
		if dst[i] != sentinel {
			return fmt.Errorf("%s returned %d but wrote dst[%d] = %#x", name, got, i, dst[i])
		}
	}
	return nil
}

// sentinels returns a batch destination of n sentinels.
func sentinels(n int) []uint64 {
	dst := make([]uint64, n)
	for i := range dst {
		dst[i] = sentinel
	}
	return dst
}

// expect returns nil if ok and the formatted error otherwise.
func expect(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf(format, args...)
}
