package pad

// Size is the false-sharing distance on amd64: two cache lines of 64 bytes.
// Since Sandy Bridge, Intel's spatial prefetcher fetches lines in
// 128-byte-aligned pairs (Intel 64 and IA-32 Architectures Optimization
// Reference Manual, "Data Prefetching"), so writes to the two halves of a
// pair still interfere. crossbeam's CachePadded and folly's
// hardware_destructive_interference_size (folly/lang/Align.h) pad to 128 on
// x86-64 for the same reason.
const Size int = 2 * CacheLine
