package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target (GOGC) unless the
// environment sets GOGC. The library's Go heap holds little that lives
// (graph nodes and small arrays of the current computation; large buffers
// are pooled, and the pool asks for collections itself, see core/nd), so
// with Go's default of 100 the heap goal sits at its 4 MB floor and a
// gradient of many small ops (rnn_t20) ran 1.5 collections per call; at
// 400 it runs one every three or four calls.
const gcPercent = 400

func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
