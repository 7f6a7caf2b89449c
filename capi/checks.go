package main

/*
#include <stdint.h>
*/
import "C"

import (
	"unsafe"

	"autograd/core/nd"
)

// Argument checks of the C ABI: each failure names the function, the
// argument and what is wrong with it (ValueError, or TypeError for a bad
// dtype code), as the errors of numpy's own functions do.

// maxDims is the most dimensions an array may have (numpy's limit of 32
// in numpy < 2, and the size of ag_info's shape buffer).
const maxDims = 32

// checkCount panics unless n, the count argument `name` of fn, is >= 0.
func checkCount(fn, name string, n int64) {
	if n < 0 {
		panic(nd.Errorf(nd.ValueError, "%s: %s must not be negative (got %d)", fn, name, n))
	}
}

// checkPtr panics when p, the pointer argument `name` of fn, is NULL but
// n > 0 items are to be read or written through it.
func checkPtr(fn, name string, p unsafe.Pointer, n int64) {
	if p == nil && n > 0 {
		panic(nd.Errorf(nd.ValueError, "%s: %s is NULL", fn, name))
	}
}

// itemSize returns the bytes per element of dtype code dt, or panics with
// a TypeError naming fn's dtype argument.
func itemSize(fn string, dt C.int32_t) int {
	switch dt {
	case 0:
		return 8
	case 1:
		return 16
	}
	panic(nd.Errorf(nd.TypeError, "%s: dtype %d is not AG_FLOAT64 (0) or AG_COMPLEX128 (1)", fn, int(dt)))
}

// shapeArg reads fn's shape argument: ndim dimensions at p, each >= 0,
// whose product times item bytes fits in an int64.
func shapeArg(fn string, ndim C.int32_t, p *C.int64_t, item int) []int {
	if ndim < 0 || ndim > maxDims {
		panic(nd.Errorf(nd.ValueError, "%s: ndim %d is out of range (0 to %d)", fn, int(ndim), maxDims))
	}
	checkPtr(fn, "shape", unsafe.Pointer(p), int64(ndim))
	dims := ints(p, int64(ndim))
	n := int64(1)
	for _, d := range dims {
		if d < 0 {
			panic(nd.Errorf(nd.ValueError, "negative dimensions are not allowed"))
		}
		if d != 0 && n > (1<<62)/int64(item)/int64(d) {
			n = -1
		}
		if n >= 0 {
			n *= int64(d)
		}
	}
	zero := false
	for _, d := range dims {
		zero = zero || d == 0
	}
	if n < 0 && !zero {
		panic(nd.Errorf(nd.ValueError, "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size."))
	}
	return dims
}

// stridedSpan returns the first and last element offsets (relative to the
// data pointer, in items) that an array of dims with strides st reaches;
// hi < lo for an empty array. It panics when an offset, in bytes, would
// not fit in an int64.
func stridedSpan(dims, st []int, item int) (lo, hi int) {
	const limit = (1 << 62) // bytes either side of data
	for _, d := range dims {
		if d == 0 {
			return 0, -1
		}
	}
	for i, d := range dims {
		s := st[i]
		if s > limit/item || -s > limit/item || (d > 1 && (s > limit/item/(d-1) || -s > limit/item/(d-1))) {
			panic(nd.Errorf(nd.ValueError, "ag_array: strides[%d] = %d bytes reach outside addressable memory for dimension %d", i, s*item, d))
		}
		if s < 0 {
			lo += (d - 1) * s
		} else {
			hi += (d - 1) * s
		}
		if hi > limit/item || -lo > limit/item {
			panic(nd.Errorf(nd.ValueError, "ag_array: the strides reach outside addressable memory"))
		}
	}
	return lo, hi
}
