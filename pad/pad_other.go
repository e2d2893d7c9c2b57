//go:build !amd64 && !arm64

package pad

// Size is the false-sharing distance on this GOARCH: its cache line as
// golang.org/x/sys/cpu reports it (128 on ppc64, 256 on s390x), and at
// least 64. The floor covers wasm, where cpu does not know the line size,
// and 32-bit arm and mips, whose 32-byte lines are smaller than the 64-byte
// lines of many of the cores that run those GOARCHes.
const Size int = max(CacheLine, 64)
