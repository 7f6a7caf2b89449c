package main

/*
#include <stdint.h>
extern int64_t ag_int_count;
extern int64_t ag_int_tid;
int32_t ag_watch_int_c(int64_t tid);
*/
import "C"

import (
	"sync/atomic"
	"syscall"
	"unsafe"

	"autograd/core/ad"
)

// Signals. In a c-shared library the Go runtime installs handlers only
// for the synchronous signals (SIGSEGV, SIGBUS, SIGFPE: panics in Go code,
// forwarded to the host's handler when they happen outside Go), SIGPIPE
// (forwarded unless raised by a Go write to fd 1 or 2, which this library
// never does) and SIGURG (its goroutine preemption). SIGINT, SIGTERM,
// SIGCHLD and the rest stay the host's. The library adds one thing: with
// ag_watch_interrupts, a SIGINT stops a backward pass running on the
// watched thread (signals.c counts it and passes it on to the host).

// passesStopped counts backward passes stopped by an interrupt.
var passesStopped atomic.Int64

func intCount() int64 { return atomic.LoadInt64((*int64)(unsafe.Pointer(&C.ag_int_count))) }
func intTid() int64   { return atomic.LoadInt64((*int64)(unsafe.Pointer(&C.ag_int_tid))) }

// watchInterrupts is the ad.InterruptWatch of the C ABI: a pass on the
// watched thread stops at the first node after a SIGINT that arrived
// since it started.
func watchInterrupts() func() bool {
	tid := intTid()
	if tid == 0 || int64(syscall.Gettid()) != tid {
		return nil
	}
	start := intCount()
	return func() bool {
		if intCount() == start {
			return false
		}
		passesStopped.Add(1)
		return true
	}
}

func init() { ad.SetInterruptWatch(watchInterrupts) }

//export ag_watch_interrupts
func ag_watch_interrupts(tid C.int64_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		r := C.ag_watch_int_c(tid)
		if r < 0 {
			panic(errSigaction())
		}
		return r
	})
}

//export ag_interrupts
func ag_interrupts() C.int64_t { return C.int64_t(passesStopped.Load()) }
