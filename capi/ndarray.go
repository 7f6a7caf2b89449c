package main

/*
#include <stdint.h>
*/
import "C"

import (
	"unsafe"

	"autograd/core/nd"
)

// numpy arrays read in place: the fields of numpy's array object
// (PyArrayObject_fields in numpy/ndarraytypes.h, part of numpy's ABI since
// numpy 1.7 and unchanged in numpy 2) at their offsets on a 64-bit CPython
// without debug fields. The caller checks once, with ag_ndarray_fields,
// that these are the offsets of the numpy it runs (and uses ag_array and
// ag_read otherwise), so one call does what the caller would otherwise
// spend several microseconds of Python on: find the data pointer, shape,
// strides and flags.
const (
	npData    = 16 // char *data
	npNdim    = 24 // int nd
	npDims    = 32 // npy_intp *dimensions
	npStrides = 40 // npy_intp *strides
	npFlags   = 64 // int flags

	npCContiguous = 0x0001 // NPY_ARRAY_C_CONTIGUOUS
	npAligned     = 0x0100 // NPY_ARRAY_ALIGNED
	npWriteable   = 0x0400 // NPY_ARRAY_WRITEABLE
)

// ndarray is what the library reads of a numpy array object.
type ndarray struct {
	data          unsafe.Pointer
	dims, strides []int // strides in bytes
	flags         int32
}

// readNdarray reads the fields of the numpy array object at obj; fn names
// the caller in errors.
func readNdarray(fn string, obj unsafe.Pointer) ndarray {
	if obj == nil {
		panic(nd.Errorf(nd.ValueError, "%s: the array object is NULL", fn))
	}
	ndim := int(*(*int32)(unsafe.Add(obj, npNdim)))
	if ndim < 0 || ndim > maxDims {
		panic(nd.Errorf(nd.ValueError, "%s: ndim %d is out of range (0 to %d)", fn, ndim, maxDims))
	}
	a := ndarray{
		data:    *(*unsafe.Pointer)(unsafe.Add(obj, npData)),
		dims:    make([]int, ndim),
		strides: make([]int, ndim),
		flags:   *(*int32)(unsafe.Add(obj, npFlags)),
	}
	if ndim > 0 {
		dims := unsafe.Slice(*(**int64)(unsafe.Add(obj, npDims)), ndim)
		strides := unsafe.Slice(*(**int64)(unsafe.Add(obj, npStrides)), ndim)
		for i := range ndim {
			if dims[i] < 0 {
				panic(nd.Errorf(nd.ValueError, "%s: shape[%d] = %d is negative", fn, i, dims[i]))
			}
			a.dims[i], a.strides[i] = int(dims[i]), int(strides[i])
		}
	}
	return a
}

//export ag_ndarray
func ag_ndarray(obj unsafe.Pointer, dtype C.int32_t, id C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t {
		const fn = "ag_ndarray"
		a := readNdarray(fn, obj)
		itemSize(fn, dtype) // checks the code
		n := nd.Prod(a.dims)
		if a.flags&npCContiguous != 0 && a.flags&npAligned != 0 && n > 0 && uintptr(a.data)%8 == 0 {
			return out(borrowArray(fn, dtype, a.dims, a.data, int64(id)))
		}
		reportDead(int64(id)) // copied: the caller's array is not kept
		return out(copyArray(fn, dtype, a.dims, a.strides, a.data))
	})
}

//export ag_read_ndarray
func ag_read_ndarray(h C.int64_t, obj unsafe.Pointer, dtype C.int32_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		const fn = "ag_read_ndarray"
		a := readNdarray(fn, obj)
		if a.flags&npCContiguous == 0 || a.flags&npWriteable == 0 {
			panic(nd.Errorf(nd.ValueError, "%s: the array is not C-contiguous and writeable", fn))
		}
		readInto(fn, h, a.data, int64(nd.Prod(a.dims)*itemSize(fn, dtype)))
		return 0
	})
}

//export ag_ndarray_fields
func ag_ndarray_fields(obj unsafe.Pointer, buf *C.int64_t, capacity C.int64_t) C.int64_t {
	return guard(-1, func() C.int64_t {
		const fn = "ag_ndarray_fields"
		a := readNdarray(fn, obj)
		words := []int64{int64(uintptr(a.data)), int64(len(a.dims)), int64(a.flags)}
		for _, d := range a.dims {
			words = append(words, int64(d))
		}
		for _, s := range a.strides {
			words = append(words, int64(s))
		}
		checkCount(fn, "cap", int64(capacity))
		if int64(len(words)) > int64(capacity) {
			panic(nd.Errorf(nd.ValueError, "%s: buf has room for %d words, %d needed", fn, int64(capacity), len(words)))
		}
		checkPtr(fn, "buf", unsafe.Pointer(buf), int64(len(words)))
		copy(unsafe.Slice((*int64)(unsafe.Pointer(buf)), len(words)), words)
		return C.int64_t(len(words))
	})
}
