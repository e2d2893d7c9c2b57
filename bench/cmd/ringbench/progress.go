package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress prints where a run is: "[12/96] 14% 0:05, ~0:31 left  throughput
// impl=ring.MPMC P=4 C=4 cap=1024 item=8B rep 2/5". On a terminal the line
// is rewritten in place; elsewhere (a CI log) one line is printed every few
// seconds. The share done and the time left are weighed by each step's
// expected cost, not by the count of steps.
type progress struct {
	w        io.Writer
	tty      bool
	n        int
	total    time.Duration // expected cost of all steps
	spent    time.Duration // expected cost of the steps done
	began    time.Time
	lastLine time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil {
			p.tty = st.Mode()&os.ModeCharDevice != 0
		}
	}
	return p
}

func (p *progress) start(n int, total time.Duration) {
	p.n, p.total, p.began = n, max(total, 1), time.Now()
}

// show announces step i before it runs.
func (p *progress) show(i int, s step) {
	now := time.Now()
	if !p.tty && now.Sub(p.lastLine) < 3*time.Second && i+1 != p.n {
		return
	}
	p.lastLine = now
	frac := float64(p.spent) / float64(p.total)
	elapsed := now.Sub(p.began)
	left := "?"
	if frac > 0.02 {
		left = clock(time.Duration(float64(elapsed) * (1 - frac) / frac))
	}
	line := fmt.Sprintf("[%d/%d] %3.0f%% %s, ~%s left  %s", i+1, p.n, 100*frac, clock(elapsed), left, s.label)
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
}

// advance counts a finished step.
func (p *progress) advance(s step) { p.spent += s.cost }

// done ends the progress line.
func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

// clock formats d as m:ss.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
