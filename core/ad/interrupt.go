package ad

import (
	"sync/atomic"

	"autograd/core/nd"
)

// An InterruptWatch is called once at the start of every backward pass.
// It returns nil when the pass may not be interrupted, or a function the
// pass calls before visiting each node: when that returns true the pass
// stops, panicking with an *nd.Error of kind nd.Interrupted (which the
// public entry points return as an error).
type InterruptWatch func() (stop func() bool)

var interruptWatch atomic.Pointer[InterruptWatch]

// SetInterruptWatch makes w the watch of every backward pass started from
// now on (nil: passes run to completion). The C ABI uses it to stop a long
// pass when the user presses Ctrl-C; a Go program may use it to cancel.
func SetInterruptWatch(w InterruptWatch) {
	if w == nil {
		interruptWatch.Store(nil)
		return
	}
	interruptWatch.Store(&w)
}

// interruptCheck returns the current pass's stop function, or nil.
func interruptCheck() func() bool {
	w := interruptWatch.Load()
	if w == nil {
		return nil
	}
	return (*w)()
}

// errInterrupted is the error of a stopped pass.
func errInterrupted() *nd.Error {
	return nd.Errorf(nd.Interrupted, "backward pass interrupted")
}
