// Package report holds the results of a ringbench run and turns them into
// what people read: BENCHMARKS.md, its SVG charts (drawn with
// gonum.org/v1/plot), and a text file in Go's benchmark format that
// benchstat reads.
//
// A [Result] is one run on one machine. Every ratio is computed between
// results of the same Result, so numbers of different machines never meet
// in one table: [Write] gives each machine its own section.
package report
