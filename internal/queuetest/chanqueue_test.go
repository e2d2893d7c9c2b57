package queuetest_test

import (
	"testing"

	"github.com/ringq/ringq/internal/queuetest"
)

// chanFactory makes the reference queue, which the suite must pass: a
// failure here is a bug in the suite.
var chanFactory = queuetest.Factory{
	Name:       "chan",
	New:        func(c int) queuetest.Queue[uint64] { return queuetest.NewChanQueue[uint64](c) },
	NewPointer: func(c int) queuetest.Queue[*queuetest.Item] { return queuetest.NewChanQueue[*queuetest.Item](c) },
	ExactCap:   true,
}

func TestChanQueue(t *testing.T) { queuetest.Run(t, chanFactory) }

func FuzzChanQueue(f *testing.F) { queuetest.Fuzz(f, chanFactory) }
