package main

/*
#include <stdint.h>
void ag_set_error(int32_t kind, const char *msg, int64_t len);
int32_t ag_take_error(char *buf, int64_t cap);
*/
import "C"

import (
	"fmt"
	"unsafe"

	"autograd/core/nd"
)

// Error kinds of the C ABI (AG_E* in autograd.h).
const (
	agOK         = 0
	agEValue     = 1
	agEType      = 2
	agEIndex     = 3
	agELinAlg    = 4
	agENotImpl   = 5
	agECallback  = 6
	agEInternal  = 7
	agEInterrupt = 8
	agEMemory    = 9
)

// callbackError is raised when the caller's vjp callback reports failure.
type callbackError struct{ id int64 }

func (e callbackError) Error() string {
	return fmt.Sprintf("vjp callback failed for node %d", e.id)
}

func errSigaction() *nd.Error {
	return nd.Errorf(nd.Internal, "sigaction(SIGINT) failed")
}

func errBadHandle(h int64) *nd.Error {
	return nd.Errorf(nd.TypeError, "invalid handle %d (released, or never issued)", h)
}

// setError records the calling OS thread's last error in per-thread C
// storage (errors.c), so it dies with the thread. An export runs on its C
// caller's thread for its whole duration, so this is the caller's slot.
func setError(kind int32, msg string) {
	if msg == "" {
		msg = "unknown error"
	}
	p := unsafe.StringData(msg)
	C.ag_set_error(C.int32_t(kind), (*C.char)(unsafe.Pointer(p)), C.int64_t(len(msg)))
}

// record turns a recovered panic value into the calling thread's error.
func record(r any) {
	switch e := r.(type) {
	case callbackError:
		setError(agECallback, e.Error())
	case takeError: // recorded by the call that failed
	case *nd.Error:
		kinds := map[nd.Kind]int32{nd.ValueError: agEValue, nd.TypeError: agEType, nd.IndexError: agEIndex,
			nd.LinAlgError: agELinAlg, nd.NotImplemented: agENotImpl, nd.Internal: agEInternal,
			nd.Interrupted: agEInterrupt, nd.MemoryError: agEMemory}
		setError(kinds[e.Kind], e.Msg)
	default:
		setError(agEInternal, fmt.Sprint("internal error: ", r))
	}
}

// guard runs f, turning any panic into the calling thread's error and the
// result fail. Every exported function that can fail goes through it, so
// no Go panic ever crosses the C boundary.
func guard[T any](fail T, f func() T) (res T) {
	defer func() {
		if r := recover(); r != nil {
			record(r)
			res = fail
		}
	}()
	return f()
}
