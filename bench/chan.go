package bench

// chanQueue is a buffered channel behind the Queue interface: the baseline.
type chanQueue[T any] chan T

func newChan[T any](capacity int) Queue[T] { return chanQueue[T](make(chan T, capacity)) }

// TryEnqueue sends v unless the buffer is full, with a select.
func (c chanQueue[T]) TryEnqueue(v T) bool {
	select {
	case c <- v:
		return true
	default:
		return false
	}
}

// TryDequeue receives unless the buffer is empty, with a select.
func (c chanQueue[T]) TryDequeue() (T, bool) {
	select {
	case v := <-c:
		return v, true
	default:
		var zero T
		return zero, false
	}
}

// Enqueue sends v. It never fails: the harness never closes the channel.
func (c chanQueue[T]) Enqueue(v T) error {
	c <- v
	return nil
}

// Dequeue receives. It never fails.
func (c chanQueue[T]) Dequeue() (T, error) {
	return <-c, nil
}
