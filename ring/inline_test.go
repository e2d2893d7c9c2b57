package ring_test

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestIntendedInlining checks that Go inlines the single-item methods
// into their callers, as ring/queue.go's put says they are, and as
// cmd/compile's test of the same name checks for the runtime's: without
// that inlining, single items were 18% slower through MPSC and MPMC
// (bench/results/fast-path.txt), and Dequeue is within a point of the
// budget, so a small change to it could lose it and fail nothing else.
// It builds testdata/inline, which makes each call on a line of its own,
// with -gcflags=-m, and wants the compiler to report each one inlined.
func TestIntendedInlining(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	const dir = "testdata/inline"
	src, err := os.ReadFile(dir + "/main.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`^\s*(?:_(?:, _)? = )?[smc]\.(\w+)\(`)
	want := map[int]string{} // line number -> method called there
	for i, line := range strings.Split(string(src), "\n") {
		if m := call.FindStringSubmatch(line); m != nil {
			want[i+1] = m[1]
		}
	}
	if len(want) != 18 {
		t.Fatalf("found %d calls in %s/main.go, want 18 (six methods of three queues)", len(want), dir)
	}

	out, err := exec.Command(goTool, "build", "-gcflags=-m", "-o", os.DevNull, "./"+dir).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	inlined := regexp.MustCompile(`main\.go:(\d+):\d+: inlining call to ring\.\(\*queue\[go\.shape\.int\]\)\.(\w+)$`)
	for _, line := range strings.Split(string(out), "\n") {
		if m := inlined.FindStringSubmatch(line); m != nil {
			if n, _ := strconv.Atoi(m[1]); want[n] == m[2] {
				delete(want, n)
			}
		}
	}
	for n, name := range want {
		t.Errorf("%s/main.go:%d: the call of %s is not inlined", dir, n, name)
	}
}
