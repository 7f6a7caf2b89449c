package main

import (
	"sync"

	"autograd/core/ad"
)

// handleTable maps the opaque handles given to callers to values. Handles
// are never reused within a process, so a stale handle is always detected.
type handleTable struct {
	mu   sync.Mutex
	m    map[int64]ad.Value
	last int64
}

var handles = handleTable{m: map[int64]ad.Value{}}

// put stores v and returns its new handle.
func (t *handleTable) put(v ad.Value) int64 {
	t.mu.Lock()
	t.last++
	h := t.last
	t.m[h] = v
	t.mu.Unlock()
	return h
}

// get returns the value of h, or panics with a TypeError.
func (t *handleTable) get(h int64) ad.Value {
	t.mu.Lock()
	v, ok := t.m[h]
	t.mu.Unlock()
	if !ok {
		panic(errBadHandle(h))
	}
	return v
}

// take returns the value of h and forgets h; ok is false if h is unknown.
func (t *handleTable) take(h int64) (v ad.Value, ok bool) {
	t.mu.Lock()
	v, ok = t.m[h]
	delete(t.m, h)
	t.mu.Unlock()
	return v, ok
}

// release forgets h; it reports whether h was known.
func (t *handleTable) release(h int64) bool {
	t.mu.Lock()
	_, ok := t.m[h]
	delete(t.m, h)
	t.mu.Unlock()
	return ok
}

func (t *handleTable) live() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}
