module github.com/ringq/ringq/bench

go 1.26.0

replace github.com/ringq/ringq => ../

require (
	github.com/Workiva/go-datastructures v1.1.7
	github.com/loov/hrtime v1.0.3
	github.com/puzpuzpuz/xsync/v4 v4.5.0
	github.com/ringq/ringq v0.0.0-00010101000000-000000000000
	golang.org/x/sync v0.25.0
)

require golang.org/x/sys v0.50.0 // indirect
