package atomicsem_test

import (
	"testing"

	"github.com/ringq/ringq/atomicsem"
	"github.com/ringq/ringq/internal/queuetest"
)

var (
	spscFactory = queuetest.Factory{
		Name: "atomicsem.SPSC",
		New: func(capacity int) queuetest.Queue[uint64] {
			return atomicsem.NewSPSCBuffer[uint64](capacity)
		},
		NewPointer: func(capacity int) queuetest.Queue[*queuetest.Item] {
			return atomicsem.NewSPSCBuffer[*queuetest.Item](capacity)
		},
		SingleProducer: true,
		SingleConsumer: true,
		ExactCap:       true,
	}
	mpmcFactory = queuetest.Factory{
		Name: "atomicsem.MPMC",
		New: func(capacity int) queuetest.Queue[uint64] {
			return atomicsem.NewMPMCBuffer[uint64](capacity)
		},
		NewPointer: func(capacity int) queuetest.Queue[*queuetest.Item] {
			return atomicsem.NewMPMCBuffer[*queuetest.Item](capacity)
		},
		ExactCap: true,
	}
)

func TestSPSCBuffer(t *testing.T) { queuetest.Run(t, spscFactory) }

func TestMPMCBuffer(t *testing.T) { queuetest.Run(t, mpmcFactory) }

func FuzzSPSCBuffer(f *testing.F) { queuetest.Fuzz(f, spscFactory) }

func FuzzMPMCBuffer(f *testing.F) { queuetest.Fuzz(f, mpmcFactory) }
