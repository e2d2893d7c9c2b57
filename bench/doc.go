// Package bench is ringq's comparative benchmark harness: every queue, ringq's
// and its peers', behind one adapter interface, driven by the same producer
// and consumer loops in the same run.
//
// The queues compared are Go's buffered channel (the baseline), the semaphore
// buffers of package atomicsem, the rings of package ring (single-item and
// batched, with each wait policy), and two peers from the Go module proxy:
// github.com/puzpuzpuz/xsync/v4 (SPSCQueue, MPMCQueue) and
// github.com/Workiva/go-datastructures/queue (RingBuffer). Peers that only
// offer non-blocking calls are made blocking by one shared wrapper,
// [Spinning], which waits exactly as ringq's own Yield policy does.
//
// The workloads are:
//
//   - [Throughput]: P producers move n items to C consumers; ns per item,
//     items per second and CPU seconds per item.
//   - [Handoff]: the time from the moment an item is enqueued to the moment a
//     waiting consumer has it.
//   - [PingPong]: the round trip of one item through two queues.
//   - [IdleCPU]: the CPU that a consumer blocked on an empty queue uses.
//   - [SemaphoreLoop]: acquire and release of atomicsem.Semaphore against
//     golang.org/x/sync/semaphore and a channel.
//
// The go test benchmarks in this package run each workload under benchstat
// friendly names (BenchmarkThroughput/impl=ring.MPMC/P=4/C=4/cap=1024/item=8B);
// the ringbench command runs the whole matrix with warm-up and interleaved
// repetitions and writes BENCHMARKS.md.
//
// Every call goes through the [Queue] interface, channel included, so each
// operation pays one dynamic call whatever the implementation; the Try-only
// peers pay a second one in [Spinning].
package bench
