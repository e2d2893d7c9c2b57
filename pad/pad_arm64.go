package pad

// Size is the false-sharing distance on arm64: 128 bytes. Apple's cores and
// the big cores of big.LITTLE designs have 128-byte lines, and the 64-byte
// lines of others are prefetched in pairs as on amd64, so 128 is the safe
// distance everywhere. golang.org/x/sys/cpu, crossbeam's CachePadded and
// folly's hardware_destructive_interference_size all use 128 on arm64.
const Size int = 128
