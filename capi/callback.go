package main

/*
#include <stdint.h>
typedef int32_t (*ag_vjp_fn)(int64_t id, int64_t g, int32_t nparents, int64_t *grads);
static inline int32_t ag_call_vjp(void *fn, int64_t id, int64_t g, int32_t n, int64_t *grads) {
	return ((ag_vjp_fn)fn)(id, g, n, grads);
}
*/
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"autograd/core/ad"
)

// vjpCallback is the caller's function that computes the VJPs of the
// primitives it defined (Python functions, for the Python package).
var vjpCallback atomic.Pointer[byte]

// customVJP is the Go side of one caller-defined node: calling it calls
// back into the caller with the node's id.
type customVJP struct {
	id       int64
	nparents int
}

func (c *customVJP) vjp(g ad.Value) []ad.Value {
	fn := vjpCallback.Load()
	if fn == nil {
		panic(callbackError{c.id})
	}
	gh := handles.put(g)
	defer handles.release(gh)
	out := make([]C.int64_t, c.nparents+1) // +1: never pass a zero-length slice's pointer
	rc := C.ag_call_vjp(unsafe.Pointer(fn), C.int64_t(c.id), C.int64_t(gh), C.int32_t(c.nparents), &out[0])
	// Take every handle written before reporting any problem, so that
	// none of them leaks.
	grads := make([]ad.Value, c.nparents)
	bad := int64(0)
	for i := 0; i < c.nparents; i++ {
		if h := int64(out[i]); h != 0 {
			v, ok := handles.take(h)
			if !ok && bad == 0 {
				bad = h
			}
			grads[i] = v
		}
	}
	if rc != 0 {
		panic(callbackError{c.id})
	}
	if bad != 0 {
		panic(errBadHandle(bad))
	}
	return grads
}

// dead collects the caller's ids of what the library no longer uses:
// custom nodes the garbage collector has freed, and borrowed buffers
// (ag_array_borrow) no array refers to any more.
var dead struct {
	sync.Mutex
	ids []int64
}

func reportDead(id int64) {
	dead.Lock()
	dead.ids = append(dead.ids, id)
	dead.Unlock()
}

func newCustomVJP(id int64, nparents int) *customVJP {
	c := &customVJP{id: id, nparents: nparents}
	runtime.AddCleanup(c, reportDead, id)
	return c
}
