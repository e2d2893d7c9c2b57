package report

import (
	"bytes"
	"fmt"
	"image/color"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// chart is one SVG file drawn from a result.
type chart struct {
	File   string    // file name inside the machine's results directory
	Alt    string    // what it shows, for the page
	Height vg.Length // of the drawing; 420 points when zero
	draw   func(c draw.Canvas)
}

// series is one implementation's line in a chart.
type series struct {
	name string
	xys  plotter.XYs
}

// chartsOf returns the charts that r has data for; Charts draws them and
// Write links them, so the two cannot disagree.
func chartsOf(r *Result) []chart {
	var out []chart
	if s := threadSeries(r); len(s) > 0 {
		out = append(out, chart{"throughput-threads.svg", "Throughput against goroutines (P = C)", 0, func(c draw.Canvas) {
			lines(c, s, "Throughput, P = C, cap 1024, 8-byte items", "producer + consumer goroutines", "million items/s", true)
		}})
	}
	if s := scalingSeries(r); len(s) > 0 {
		out = append(out, chart{"scaling.svg", "Throughput against GOMAXPROCS (P = C = GOMAXPROCS)", 0, func(c draw.Canvas) {
			lines(c, s, "Scaling, P = C = GOMAXPROCS, cap 1024, 8-byte items", "GOMAXPROCS", "million items/s", true)
		}})
	}
	for _, l := range []struct {
		file, title string
		lat         []Latency
	}{
		{"handoff", "Hand-off latency", r.Handoff},
		{"pingpong", "Ping-pong round trip", r.PingPong},
	} {
		if len(l.lat) == 0 {
			continue
		}
		rows := (len(l.lat) + histCols - 1) / histCols
		out = append(out, chart{"latency-" + l.file + ".svg", l.title + ": percentiles", 0, func(c draw.Canvas) {
			percentiles(c, l.lat, l.title)
		}}, chart{"latency-" + l.file + "-hist.svg", l.title + ": histograms", vg.Points(float64(30 + 180*rows)), func(c draw.Canvas) {
			histograms(c, l.lat, l.title)
		}})
	}
	return out
}

// Charts draws r's charts as SVG files into dir.
func Charts(r *Result, dir string) error {
	for _, ch := range chartsOf(r) {
		h := ch.Height
		if h == 0 {
			h = vg.Points(420)
		}
		c := vgsvg.New(vg.Points(760), h)
		dc := draw.New(c)
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		ch.draw(dc)
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return fmt.Errorf("report: %s: %w", ch.File, err)
		}
		if err := os.WriteFile(filepath.Join(dir, ch.File), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// threadSeries returns, per implementation, Mitems/s against goroutines
// over the balanced shapes of the reference configuration.
func threadSeries(r *Result) []series {
	return seriesOf(r, r.Throughput, func(c *Cell) (float64, bool) {
		return float64(c.P + c.C), c.P == c.C && c.Cap == RefCap && c.Item == RefItem
	})
}

// scalingSeries returns, per implementation, Mitems/s against GOMAXPROCS.
func scalingSeries(r *Result) []series {
	return seriesOf(r, r.Scaling, func(c *Cell) (float64, bool) { return float64(c.GOMAXPROCS), true })
}

// seriesOf makes one series per implementation from the cells that x
// accepts, in the order of r.Impls, keeping those of two points or more.
func seriesOf(r *Result, cells []Cell, x func(*Cell) (float64, bool)) []series {
	byImpl := map[string]plotter.XYs{}
	for i := range cells {
		c := &cells[i]
		if xv, ok := x(c); ok && len(c.Samples) > 0 {
			byImpl[c.Impl] = append(byImpl[c.Impl], plotter.XY{X: xv, Y: 1e3 / c.NsPerItem().Median})
		}
	}
	var out []series
	for _, im := range r.Impls {
		if xys := byImpl[im.Name]; len(xys) >= 2 {
			out = append(out, series{im.Name, xys})
		}
	}
	return out
}

// style gives series i a color, a dash pattern and a glyph that together
// tell it apart from the others.
func style(i int, l *plotter.Line, s *plotter.Scatter) {
	n := len(plotutil.DefaultColors)
	l.Color = plotutil.Color(i)
	l.Dashes = plotutil.Dashes(i / n)
	l.Width = vg.Points(1.5)
	if s != nil {
		s.Color = plotutil.Color(i)
		s.Shape = plotutil.Shape(i)
	}
}

// newLegend returns a legend of small type, thumbnails on the left.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font.Size = vg.Points(9)
	l.Left = true
	return l
}

// logTicks marks a log axis at 1 to 9 times each power of ten, and labels
// 1, 2 and 5 times each, or every mark where those are too few.
type logTicks struct {
	format func(float64) string
}

// Ticks returns the marks between lo and hi.
func (t logTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	labels := 0
	for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi; e++ {
		for i := 1; i < 10; i++ {
			v := float64(i) * math.Pow(10, e)
			if v < lo || v > hi {
				continue
			}
			tick := plot.Tick{Value: v}
			if i == 1 || i == 2 || i == 5 {
				tick.Label = t.format(v)
				labels++
			}
			ticks = append(ticks, tick)
		}
	}
	if labels < 2 {
		for i := range ticks {
			ticks[i].Label = t.format(ticks[i].Value)
		}
	}
	return ticks
}

// formatG formats a tick value in the fewest digits.
func formatG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// withLegend draws p on the left of c and its legend on the right.
func withLegend(c draw.Canvas, p *plot.Plot, legend plot.Legend) {
	const legendWidth = 190
	p.Draw(draw.Crop(c, 0, -vg.Points(legendWidth), 0, 0))
	legend.Top = true
	legend.Draw(draw.Crop(c, c.Size().X-vg.Points(legendWidth-8), 0, 0, -vg.Points(30)))
}

// lines draws each series as a line with points; a log x axis when logX.
func lines(c draw.Canvas, ss []series, title, xLabel, yLabel string, logX bool) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{format: formatG}
	legend := newLegend()
	xs := map[float64]bool{}
	for i, s := range ss {
		l, pts, err := plotter.NewLinePoints(s.xys)
		if err != nil {
			continue // a NaN or infinite point: nothing to draw
		}
		style(i, l, pts)
		p.Add(l, pts)
		legend.Add(s.name, l, pts)
		for _, xy := range s.xys {
			xs[xy.X] = true
		}
	}
	if logX {
		p.X.Scale = plot.LogScale{}
		var ticks plot.ConstantTicks
		for _, x := range slices.Sorted(maps.Keys(xs)) { // sorted, so that a chart drawn again is the same file
			ticks = append(ticks, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', -1, 64)})
		}
		p.X.Tick.Marker = ticks
		p.X.Padding = vg.Points(10)
	}
	p.Add(plotter.NewGrid())
	withLegend(c, p, legend)
}

// percentileNames label the x axis of the percentile charts.
var percentileNames = []string{"p50", "p90", "p99", "p99.9", "max"}

// percentiles draws each implementation's latency percentiles.
func percentiles(c draw.Canvas, lats []Latency, title string) {
	p := plot.New()
	p.Title.Text = title + ", percentiles (log scale)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = logTicks{format: fmtDur}
	var ticks plot.ConstantTicks
	for i, name := range percentileNames {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: name})
	}
	p.X.Tick.Marker = ticks
	p.X.Padding = vg.Points(10)
	legend := newLegend()
	for i, l := range lats {
		vals := []float64{l.P50, l.P90, l.P99, l.P999, l.Max}
		xys := make(plotter.XYs, len(vals))
		for j, v := range vals {
			xys[j] = plotter.XY{X: float64(j), Y: math.Max(v, 1)}
		}
		line, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			continue
		}
		style(i, line, pts)
		p.Add(line, pts)
		legend.Add(l.Impl, line, pts)
	}
	p.Add(plotter.NewGrid())
	withLegend(c, p, legend)
}

// histCols is the number of histograms in a row.
const histCols = 3

// histograms draws one small histogram per implementation, histCols to a
// row, all on the same log-scaled x axis.
func histograms(c draw.Canvas, lats []Latency, title string) {
	rows := (len(lats) + histCols - 1) / histCols
	plots := make([][]*plot.Plot, rows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, histCols)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, l := range lats {
		if n := len(l.Bins); n > 0 {
			lo, hi = min(lo, l.Bins[0].Start), max(hi, l.Bins[n-1].End)
		}
	}
	for i, l := range lats {
		p := plot.New()
		p.Title.Text = l.Impl
		p.Title.TextStyle.Font.Size = vg.Points(10)
		p.X.Tick.Label.Font.Size = vg.Points(8)
		p.Y.Tick.Label.Font.Size = vg.Points(8)
		p.Y.Label.Text = "samples"
		p.Y.Label.TextStyle.Font.Size = vg.Points(8)
		if len(l.Bins) > 0 {
			hb := make([]plotter.HistogramBin, len(l.Bins))
			for j, b := range l.Bins {
				hb[j] = plotter.HistogramBin{Min: b.Start, Max: b.End, Weight: float64(b.Count)}
			}
			p.Add(&plotter.Histogram{Bins: hb, FillColor: plotutil.Color(i), LineStyle: plotter.DefaultLineStyle, LogY: true})
			p.Y.Scale = plot.LogScale{}
			p.Y.Tick.Marker = logTicks{format: formatG}
			p.X.Scale = plot.LogScale{}
			p.X.Tick.Marker = logTicks{format: fmtDur}
			p.X.Min, p.X.Max = lo, hi
		}
		plots[i/histCols][i%histCols] = p
	}
	head := plot.New()
	head.Title.Text = title + ": histograms, log-spaced bins (8 per factor of ten), log counts, the same x axis for all"
	head.HideAxes()
	head.Draw(draw.Crop(c, 0, 0, c.Size().Y-vg.Points(24), 0))
	body := draw.Crop(c, 0, 0, 0, -vg.Points(24))
	canvases := plot.Align(plots, draw.Tiles{Rows: rows, Cols: histCols, PadX: vg.Points(12), PadY: vg.Points(12),
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}, body)
	for j := range plots {
		for i, p := range plots[j] {
			if p != nil {
				p.Draw(canvases[j][i])
			}
		}
	}
}
