package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/ringq/ringq/bench"
	"github.com/ringq/ringq/bench/report"
)

// machine describes the machine ringbench runs on; name labels its
// section of BENCHMARKS.md ("" for the default: cores, CPU, hypervisor).
func machine(name string, start time.Time) report.Machine {
	model := cpuModel()
	if name == "" {
		name = fmt.Sprintf("%d-core %s", runtime.NumCPU(), model)
		if hv := hypervisor(); hv != "" {
			name += " (" + hv + ")"
		}
	}
	return report.Machine{
		Name:       name,
		CPU:        model,
		Cores:      runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion:  runtime.Version(),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		Date:       start.UTC().Format(time.RFC3339),
	}
}

// lineRoundTrip returns bench.LineRoundTrip in nanoseconds: the median of
// 5 tries of 100 000 round trips, a fraction of a second.
func lineRoundTrip() float64 {
	return float64(bench.LineRoundTrip(100_000, 5).Nanoseconds())
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or the
// architecture where there is none.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(key) == "model name" {
			return strings.Join(strings.Fields(val), " ")
		}
	}
	return runtime.GOARCH
}

// hypervisor names the hypervisor that Linux found, from the clock
// sources it offers; "VM" when the CPU flags say there is one but not
// which; "" on bare metal or elsewhere.
func hypervisor() string {
	data, _ := os.ReadFile("/sys/devices/system/clocksource/clocksource0/available_clocksource")
	for _, hv := range []struct{ clock, name string }{
		{"kvm-clock", "KVM"}, {"hyperv_clocksource", "Hyper-V"}, {"xen", "Xen"}, {"vmware", "VMware"},
	} {
		if strings.Contains(string(data), hv.clock) {
			return hv.name
		}
	}
	info, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.Lines(string(info)) {
		if strings.HasPrefix(line, "flags") && strings.Contains(line, " hypervisor") {
			return "VM"
		}
	}
	return ""
}
