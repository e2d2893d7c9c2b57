package bench

// chanQueue is a buffered channel behind the Queue interface: the baseline.
type chanQueue[T any] chan T

func newChan[T any](capacity int) Queue[T] { return chanQueue[T](make(chan T, capacity)) }

func (c chanQueue[T]) TryEnqueue(v T) bool {
	select {
	case c <- v:
		return true
	default:
		return false
	}
}

func (c chanQueue[T]) TryDequeue() (T, bool) {
	select {
	case v := <-c:
		return v, true
	default:
		var zero T
		return zero, false
	}
}

func (c chanQueue[T]) Enqueue(v T) error {
	c <- v
	return nil
}

func (c chanQueue[T]) Dequeue() (T, error) {
	return <-c, nil
}
