package main

import (
	"runtime"
	"sync"

	"autograd/core/ad"
	"autograd/core/nd"
)

// handleTable maps the opaque handles given to callers to values. Handles
// are never reused within a process, so a stale handle is always detected.
type handleTable struct {
	mu   sync.Mutex
	m    map[int64]entry
	last int64
}

// entry is a handle's value; pin is set for an export (ag_export), whose
// memory the caller reads or writes until it releases the handle.
type entry struct {
	v   ad.Value
	pin *runtime.Pinner
}

var handles = handleTable{m: map[int64]entry{}}

// put stores v and returns its new handle.
func (t *handleTable) put(v ad.Value) int64 { return t.putEntry(entry{v: v}) }

func (t *handleTable) putEntry(e entry) int64 {
	t.mu.Lock()
	t.last++
	h := t.last
	t.m[h] = e
	t.mu.Unlock()
	return h
}

// get returns the value of h, or panics with a TypeError.
func (t *handleTable) get(h int64) ad.Value {
	t.mu.Lock()
	e, ok := t.m[h]
	t.mu.Unlock()
	if !ok {
		panic(errBadHandle(h))
	}
	return e.v
}

// take returns the value of h and forgets h; ok is false if h is unknown
// or is an export, whose memory its caller still uses.
func (t *handleTable) take(h int64) (v ad.Value, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.m[h]
	if !ok || e.pin != nil {
		return nil, false
	}
	delete(t.m, h)
	return e.v, true
}

// release forgets h (unpinning an export's memory); it reports whether h
// was known.
func (t *handleTable) release(h int64) bool {
	t.mu.Lock()
	e, ok := t.m[h]
	delete(t.m, h)
	t.mu.Unlock()
	if e.pin != nil {
		e.pin.Unpin()
	}
	return ok
}

func (t *handleTable) live() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

// export returns a new handle of the array under v whose memory stays
// pinned, and so at a fixed address the caller may use, until the handle
// is released. For a writable export the array is first made the
// caller's alone: a copy, unless a backward pass marked it exclusive.
func (t *handleTable) export(v ad.Value, writable bool) (int64, *nd.Array) {
	a := ad.Unbox(v)
	if !a.TakeExclusive() && writable {
		a = nd.Copy(a)
	}
	p := new(runtime.Pinner)
	if ptr := a.DataPointer(); ptr != nil {
		p.Pin(ptr)
	}
	return t.putEntry(entry{v: a, pin: p}), a
}
