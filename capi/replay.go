package main

/*
#include <stdint.h>
*/
import "C"

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"autograd/core/ad"
	"autograd/core/nd"
)

// graphValue is a recorded graph (ag_graph_record) kept in the handle
// table, so that its handle is released and counted like any other. It is
// not an array: using it as one is a TypeError.
type graphValue struct{ g *ad.Graph }

func errGraphHandle() *nd.Error {
	return nd.Errorf(nd.TypeError, "the handle is a recorded graph (ag_graph_record), not an array")
}

func (graphValue) Shape() []int    { panic(errGraphHandle()) }
func (graphValue) DType() nd.DType { panic(errGraphHandle()) }

// watched holds the reverse traces whose values the caller may not read
// while they are recorded (ag_graph_watch), each with whether it did.
var watched struct {
	sync.Mutex
	n      atomic.Int32 // len(traces), read without the lock
	traces map[int64]bool
}

// noteRead records that the numbers under v were read: every watched trace
// among v's levels of boxing is marked.
func noteRead(v ad.Value) {
	if watched.n.Load() == 0 {
		return
	}
	for b, ok := v.(*ad.Box); ok; b, ok = b.Value().(*ad.Box) {
		noteTrace(b.Trace())
	}
}

// noteUnbox records a read when ag_unbox takes a box of a watched trace
// out of it (its value one level down may then be read as numbers).
func noteUnbox(trace int64, v ad.Value) {
	if watched.n.Load() == 0 {
		return
	}
	if b, ok := v.(*ad.Box); ok && b.Trace() == trace {
		noteTrace(trace)
	}
}

func noteTrace(t int64) {
	watched.Lock()
	if _, ok := watched.traces[t]; ok {
		watched.traces[t] = true
	}
	watched.Unlock()
}

//export ag_graph_watch
func ag_graph_watch(trace C.int64_t, on C.int32_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		t := int64(trace)
		if t <= 0 || ad.ModeOf(t) != ad.Reverse {
			panic(nd.Errorf(nd.ValueError, "ag_graph_watch: %d is not a reverse trace", t))
		}
		watched.Lock()
		defer watched.Unlock()
		read, ok := watched.traces[t]
		if on != 0 {
			if watched.traces == nil {
				watched.traces = map[int64]bool{}
			}
			watched.traces[t] = false
		} else {
			delete(watched.traces, t)
		}
		watched.n.Store(int32(len(watched.traces)))
		if ok && read {
			return 1
		}
		return 0
	})
}

//export ag_graph_record
func ag_graph_record(trace C.int64_t, end C.int64_t, nroots C.int32_t, roots *C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t {
		checkCount("ag_graph_record", "nroots", int64(nroots))
		checkPtr("ag_graph_record", "roots", unsafe.Pointer(roots), int64(nroots))
		rs := make([]*ad.Box, nroots)
		for i, h := range ints(roots, int64(nroots)) {
			b, ok := handles.get(int64(h)).(*ad.Box)
			if !ok || b.Trace() != int64(trace) {
				panic(nd.Errorf(nd.ValueError, "ag_graph_record: roots[%d] is not a box of trace %d", i, int64(trace)))
			}
			rs[i] = b
		}
		return C.int64_t(handles.put(graphValue{ad.RecordGraph(int64(trace), get(end), rs)}))
	})
}

//export ag_graph_replay
func ag_graph_replay(graph C.int64_t, n C.int32_t, inputs *C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t {
		gv, ok := get(graph).(graphValue)
		if !ok {
			panic(nd.Errorf(nd.TypeError, "ag_graph_replay: handle %d is not a recorded graph", int64(graph)))
		}
		checkCount("ag_graph_replay", "n", int64(n))
		checkPtr("ag_graph_replay", "inputs", unsafe.Pointer(inputs), int64(n))
		vals := make([]ad.Value, n)
		for i, h := range ints(inputs, int64(n)) {
			vals[i] = handles.get(int64(h))
			if _, isGraph := vals[i].(graphValue); isGraph {
				panic(errGraphHandle())
			}
		}
		return out(gv.g.Replay(vals))
	})
}
