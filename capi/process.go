package main

/*
#include <stdint.h>
*/
import "C"

// Support for processes made by fork (see "Processes" in autograd.h).
//
// fork copies only the calling thread, so a child of a process whose Go
// runtime is running has a runtime whose other threads are gone; the first
// call that needs them (a garbage collection, any parallel kernel) would
// wait for them forever. A child therefore loads a fresh copy of the
// library, whose handles must never be mistaken for the parent's handles
// that the child's memory still names: ag_handle_mark, called in the
// parent just before fork, and ag_handle_floor, called on the fresh copy
// in the child, keep the two ranges apart.

//export ag_handle_mark
func ag_handle_mark() C.int64_t {
	handles.mu.Lock()
	defer handles.mu.Unlock()
	return C.int64_t(handles.last)
}

//export ag_handle_floor
func ag_handle_floor(last C.int64_t) {
	handles.mu.Lock()
	if int64(last) > handles.last {
		handles.last = int64(last)
	}
	handles.mu.Unlock()
}
