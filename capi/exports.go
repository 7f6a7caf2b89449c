// Command capi is the C ABI of the autodiff core, built with
// `go build -buildmode=c-shared`. autograd.h documents every function;
// this file implements them on top of core/ad. Every export that can fail
// runs under guard, so no Go panic crosses into C; the others
// (ag_last_error, ag_live_handles, ag_op, ag_op_name, ag_set_vjp_callback,
// ag_dead_ids, ag_collect) only look up, copy or collect and cannot panic.
package main

/*
#include <stdint.h>
int32_t ag_take_error(char *buf, int64_t cap);
*/
import "C"

import (
	"runtime"
	"unsafe"

	"autograd/core/ad"
	"autograd/core/nd"
	"autograd/core/vmath"
)

func main() {}

var ops = ad.Prims()

func op(i C.int32_t) *ad.Prim {
	if i < 0 || int(i) >= len(ops) {
		panic(nd.Errorf(nd.ValueError, "op: unknown operation id %d (ids are 0 to %d, see ag_op)", int(i), len(ops)-1))
	}
	return ops[i]
}

func out(v ad.Value) C.int64_t { return C.int64_t(handles.put(v)) }

func get(h C.int64_t) ad.Value { return handles.get(int64(h)) }

//export ag_last_error
func ag_last_error(buf *C.char, capacity C.int64_t) C.int32_t {
	return C.ag_take_error(buf, capacity)
}

//export ag_array
func ag_array(dtype C.int32_t, ndim C.int32_t, shape *C.int64_t, strides *C.int64_t, data unsafe.Pointer) C.int64_t {
	return guard(0, func() C.int64_t {
		item := itemSize("ag_array", dtype)
		dims := shapeArg("ag_array", ndim, shape, item)
		var st []int
		if strides != nil {
			st = ints(strides, int64(ndim))
		}
		return out(copyArray("ag_array", dtype, dims, st, data))
	})
}

// copyArray copies the array of dims at data, with byteStrides (nil: C
// order), into a new library array; fn names the caller in errors.
func copyArray(fn string, dtype C.int32_t, dims, byteStrides []int, data unsafe.Pointer) *nd.Array {
	item := itemSize(fn, dtype)
	var st []int
	if byteStrides == nil {
		st = nd.Strides(dims)
	} else {
		for i, s := range byteStrides {
			if s%item != 0 {
				panic(nd.Errorf(nd.ValueError, "%s: strides[%d] = %d is not a multiple of the item size %d", fn, i, s, item))
			}
			st = append(st, s/item)
		}
	}
	// the span of elements the strides reach, relative to data
	lo, hi := stridedSpan(dims, st, item)
	n := hi - lo + 1
	checkPtr(fn, "data", data, int64(n))
	if dtype == 1 {
		var src []complex128
		if n > 0 {
			src = unsafe.Slice((*complex128)(unsafe.Add(data, lo*item)), n)
		}
		return nd.FromComplex128s(dims, nd.Strided(src, -lo, dims, st))
	}
	var src []float64
	if n > 0 {
		src = unsafe.Slice((*float64)(unsafe.Add(data, lo*item)), n)
	}
	return nd.FromFloat64s(dims, nd.Strided(src, -lo, dims, st))
}

//export ag_array_borrow
func ag_array_borrow(dtype C.int32_t, ndim C.int32_t, shape *C.int64_t, data unsafe.Pointer, id C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t {
		dims := shapeArg("ag_array_borrow", ndim, shape, itemSize("ag_array_borrow", dtype))
		return out(borrowArray("ag_array_borrow", dtype, dims, data, int64(id)))
	})
}

// borrowArray wraps the caller's C-contiguous array of dims at data
// without copying it; id is reported dead once nothing refers to it.
func borrowArray(fn string, dtype C.int32_t, dims []int, data unsafe.Pointer, id int64) *nd.Array {
	n := nd.Prod(dims)
	checkPtr(fn, "data", data, int64(n))
	if n > 0 && uintptr(data)%8 != 0 {
		panic(nd.Errorf(nd.ValueError, "%s: data %p is not aligned to 8 bytes", fn, data))
	}
	release := func() { reportDead(id) }
	if itemSize(fn, dtype) == 16 {
		var src []complex128
		if n > 0 {
			src = unsafe.Slice((*complex128)(data), n)
		}
		return nd.ForeignComplex(dims, src, release)
	}
	var src []float64
	if n > 0 {
		src = unsafe.Slice((*float64)(data), n)
	}
	return nd.Foreign(dims, src, release)
}

//export ag_export
func ag_export(h C.int64_t, writable C.int32_t, data *unsafe.Pointer) C.int64_t {
	return guard(0, func() C.int64_t {
		if data == nil {
			panic(nd.Errorf(nd.ValueError, "ag_export: null data pointer"))
		}
		noteRead(get(h))
		t, a := handles.export(get(h), writable != 0)
		*data = a.DataPointer()
		return C.int64_t(t)
	})
}

// ints copies n C int64s into a Go slice.
func ints(p *C.int64_t, n int64) []int {
	out := make([]int, n)
	if n == 0 {
		return out
	}
	if p == nil {
		panic(nd.Errorf(nd.ValueError, "null pointer for %d integers", n))
	}
	for i, v := range unsafe.Slice((*int64)(unsafe.Pointer(p)), n) {
		out[i] = int(v)
	}
	return out
}

func scalar(re, im C.double, complexType bool) *nd.Array {
	if complexType || im != 0 {
		return nd.ComplexScalar(complex(float64(re), float64(im)))
	}
	return nd.Scalar(float64(re))
}

//export ag_scalar
func ag_scalar(re, im C.double, dtype C.int32_t) C.int64_t {
	return guard(0, func() C.int64_t {
		if itemSize("ag_scalar", dtype) == 16 {
			return out(nd.ComplexScalar(complex(float64(re), float64(im))))
		}
		return out(nd.Scalar(float64(re)))
	})
}

//export ag_info
func ag_info(h C.int64_t, dtype *C.int32_t, ndim *C.int32_t, shape *C.int64_t, trace *C.int64_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		v := get(h)
		s := v.Shape()
		if len(s) > 32 {
			panic(nd.Errorf(nd.ValueError, "more than 32 dimensions"))
		}
		if dtype != nil {
			*dtype = C.int32_t(v.DType())
		}
		if ndim != nil {
			*ndim = C.int32_t(len(s))
		}
		if shape != nil {
			dst := unsafe.Slice((*int64)(unsafe.Pointer(shape)), 32)
			for i, d := range s {
				dst[i] = int64(d)
			}
		}
		if trace != nil {
			*trace = 0
			if b, ok := v.(*ad.Box); ok {
				*trace = C.int64_t(b.Trace())
			}
		}
		return 0
	})
}

//export ag_take
func ag_take(h C.int64_t, dtype *C.int32_t, ndim *C.int32_t, shape *C.int64_t, trace *C.int64_t, buf unsafe.Pointer, capacity C.int64_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		if ag_info(h, dtype, ndim, shape, trace) != 0 {
			panic(takeError{}) // ag_info recorded the error
		}
		a, ok := get(h).(*nd.Array)
		item := int64(8)
		if ok && a.IsComplex() {
			item = 16
		}
		if !ok || int64(a.Size())*item > int64(capacity) || buf == nil {
			return 0
		}
		if a.IsComplex() {
			copy(unsafe.Slice((*complex128)(buf), a.Size()), a.Complex128s())
		} else {
			copy(unsafe.Slice((*float64)(buf), a.Size()), a.Float64s())
		}
		handles.release(int64(h))
		return 1
	})
}

// takeError marks a failure of ag_take whose error ag_info has recorded
// already.
type takeError struct{}

//export ag_read
func ag_read(h C.int64_t, dst unsafe.Pointer, nbytes C.int64_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		readInto("ag_read", h, dst, int64(nbytes))
		return 0
	})
}

// readInto copies the array under every level of boxing of h, in C order,
// into the nbytes at dst.
func readInto(fn string, h C.int64_t, dst unsafe.Pointer, nbytes int64) {
	noteRead(get(h))
	a := ad.Unbox(get(h))
	item := 8
	if a.IsComplex() {
		item = 16
	}
	if nbytes != int64(a.Size()*item) {
		panic(nd.Errorf(nd.ValueError, "%s: buffer of %d bytes for %d bytes of data", fn, nbytes, a.Size()*item))
	}
	if a.Size() == 0 {
		return
	}
	checkPtr(fn, "dst", dst, nbytes)
	if a.IsComplex() {
		copy(unsafe.Slice((*complex128)(dst), a.Size()), a.Complex128s())
	} else {
		copy(unsafe.Slice((*float64)(dst), a.Size()), a.Float64s())
	}
}

//export ag_retain
func ag_retain(h C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t { return out(get(h)) })
}

//export ag_release
func ag_release(h C.int64_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		if !handles.release(int64(h)) {
			panic(errBadHandle(int64(h)))
		}
		return 0
	})
}

//export ag_release_many
func ag_release_many(n C.int64_t, hs *C.int64_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		checkCount("ag_release_many", "n", int64(n))
		var status C.int32_t
		for _, h := range ints(hs, int64(n)) {
			if !handles.release(int64(h)) {
				record(errBadHandle(int64(h)))
				status = -1
			}
		}
		return status
	})
}

//export ag_live_handles
func ag_live_handles() C.int64_t { return C.int64_t(handles.live()) }

// ag_collect runs a full Go garbage collection, so that nodes and borrowed
// arrays no longer referred to are found now; their ids reach ag_dead_ids
// shortly after (cleanups run on their own goroutine).
//
//export ag_collect
func ag_collect() { runtime.GC() }

//export ag_vector_kernels
func ag_vector_kernels(mode C.int32_t) C.int32_t {
	if mode < 0 {
		return C.int32_t(vmath.Level())
	}
	return C.int32_t(vmath.SetLevel(int(mode)))
}

//export ag_op
func ag_op(name *C.char) C.int32_t {
	n := C.GoString(name)
	for i, p := range ops {
		if p.Name == n {
			return C.int32_t(i)
		}
	}
	return -1
}

//export ag_op_name
func ag_op_name(i C.int32_t, buf *C.char, capacity C.int64_t) C.int32_t {
	if i >= 0 && int(i) < len(ops) && buf != nil && capacity > 0 {
		name := ops[i].Name // bound the slice by the name: a huge cap cannot make unsafe.Slice panic
		dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), min(int64(capacity), int64(len(name))+1))
		n := copy(dst[:len(dst)-1], name)
		dst[n] = 0
	}
	return C.int32_t(len(ops))
}

//export ag_apply1
func ag_apply1(o C.int32_t, a C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t { return out(ad.Apply(op(o), nil, get(a))) })
}

//export ag_apply2
func ag_apply2(o C.int32_t, a, b C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t { return out(ad.Apply(op(o), nil, get(a), get(b))) })
}

//export ag_apply2s
func ag_apply2s(o C.int32_t, a C.int64_t, re, im C.double, flags C.int32_t) C.int64_t {
	return guard(0, func() C.int64_t {
		p := op(o)
		if p == powerP && flags == 0 && im == 0 {
			// numpy's own shortcuts for x**2, x**-1 and x**0.5: the same
			// values, and rules of one operation instead of four
			switch re {
			case 2:
				return out(ad.Square(get(a)))
			case -1:
				return out(ad.Reciprocal(get(a)))
			case 0.5:
				return out(ad.Sqrt(get(a)))
			}
		}
		s := scalar(re, im, flags&2 != 0)
		if flags&1 != 0 {
			return out(ad.Apply(p, nil, s, get(a)))
		}
		return out(ad.Apply(p, nil, get(a), s))
	})
}

var powerP = ad.Lookup("power")

//export ag_apply
func ag_apply(o C.int32_t, nargs C.int32_t, args *C.int64_t, nattrs C.int64_t, attrs *C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t {
		checkCount("ag_apply", "nargs", int64(nargs))
		checkCount("ag_apply", "nattrs", int64(nattrs))
		checkPtr("ag_apply", "args", unsafe.Pointer(args), int64(nargs))
		checkPtr("ag_apply", "attrs", unsafe.Pointer(attrs), int64(nattrs))
		hs := ints(args, int64(nargs))
		vals := make([]ad.Value, len(hs))
		for i, h := range hs {
			vals[i] = handles.get(int64(h))
		}
		at := decodeAttrs(ints(attrs, int64(nattrs)))
		return out(ad.Apply(op(o), at, vals...))
	})
}

// decodeAttrs reads the attribute lists (axes, axes2, shape, index, flags),
// each preceded by its length.
func decodeAttrs(w []int) *ad.Attrs {
	var lists [5][]int
	for k := 0; k < len(lists) && len(w) > 0; k++ {
		n := w[0]
		if n < 0 || n > len(w)-1 {
			panic(nd.Errorf(nd.ValueError, "attrs: malformed attributes: list %d claims %d entries, %d left", k, n, len(w)-1))
		}
		lists[k], w = w[1:1+n], w[1+n:]
	}
	at := &ad.Attrs{Axes: lists[0], Axes2: lists[1], Shape: lists[2], Index: lists[3]}
	at.KeepDims = len(lists[4]) > 0 && lists[4][0] != 0
	return at
}

//export ag_trace_new
func ag_trace_new(mode C.int32_t) C.int64_t {
	return guard(0, func() C.int64_t {
		if mode != C.int32_t(ad.Reverse) && mode != C.int32_t(ad.Forward) {
			panic(nd.Errorf(nd.ValueError, "mode: unknown trace mode %d (AG_REVERSE is 1, AG_FORWARD 2)", int(mode)))
		}
		return C.int64_t(ad.NewTrace(ad.Mode(mode)))
	})
}

//export ag_trace_root
func ag_trace_root(trace C.int64_t, value C.int64_t, tangent C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t {
		if ad.ModeOf(int64(trace)) == ad.Forward {
			if tangent == 0 {
				panic(nd.Errorf(nd.ValueError, "a forward trace needs a tangent"))
			}
			return out(ad.NewForwardRoot(int64(trace), get(value), get(tangent)))
		}
		if tangent != 0 {
			panic(nd.Errorf(nd.ValueError, "a reverse trace takes no tangent"))
		}
		return out(ad.NewRoot(int64(trace), get(value)))
	})
}

//export ag_start
func ag_start(mode C.int32_t, value C.int64_t, re, im C.double, dtype C.int32_t, tangent C.int64_t, trace *C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t {
		if trace == nil {
			panic(nd.Errorf(nd.ValueError, "ag_start: null trace pointer"))
		}
		var v ad.Value
		if value != 0 {
			v = get(value)
		} else {
			v = scalar(re, im, dtype == 1)
		}
		var t ad.Value
		if tangent != 0 {
			t = get(tangent)
		}
		if mode == C.int32_t(ad.Forward) && t == nil {
			panic(nd.Errorf(nd.ValueError, "a forward trace needs a tangent"))
		}
		if mode == C.int32_t(ad.Reverse) && t != nil {
			panic(nd.Errorf(nd.ValueError, "a reverse trace takes no tangent"))
		}
		if mode != C.int32_t(ad.Reverse) && mode != C.int32_t(ad.Forward) {
			panic(nd.Errorf(nd.ValueError, "mode: unknown trace mode %d (AG_REVERSE is 1, AG_FORWARD 2)", int(mode)))
		}
		id := ad.NewTrace(ad.Mode(mode))
		var root *ad.Box
		if t != nil {
			root = ad.NewForwardRoot(id, v, t)
		} else {
			root = ad.NewRoot(id, v)
		}
		*trace = C.int64_t(id)
		return out(root)
	})
}

//export ag_grad
func ag_grad(trace C.int64_t, end C.int64_t, nroots C.int32_t, roots *C.int64_t, grads *C.int64_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		e := get(end)
		if nd.Prod(e.Shape()) != 1 || e.DType() == nd.Complex128 {
			panic(nd.Errorf(nd.TypeError, "Grad only applies to real scalar-output functions. Try jacobian, elementwise_grad or holomorphic_grad."))
		}
		if ag_backward(trace, end, 0, nroots, roots, grads) != 0 {
			panic(takeError{}) // recorded by ag_backward
		}
		if b, ok := e.(*ad.Box); !ok || b.Trace() != int64(trace) {
			return 1
		}
		return 0
	})
}

//export ag_top_trace
func ag_top_trace(n C.int32_t, hs *C.int64_t, trace *C.int64_t, mode *C.int32_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		checkCount("ag_top_trace", "n", int64(n))
		checkPtr("ag_top_trace", "trace", unsafe.Pointer(trace), 1)
		checkPtr("ag_top_trace", "mode", unsafe.Pointer(mode), 1)
		vals := make([]ad.Value, n)
		for i, h := range ints(hs, int64(n)) {
			vals[i] = handles.get(int64(h))
		}
		t, b := ad.TopTrace(vals)
		*trace = C.int64_t(t)
		*mode = 0
		if b != nil {
			*mode = C.int32_t(b.Mode())
		}
		return 0
	})
}

//export ag_unbox
func ag_unbox(trace C.int64_t, h C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t {
		noteUnbox(int64(trace), get(h))
		return out(ad.UnboxFrom(int64(trace), get(h)))
	})
}

//export ag_backward
func ag_backward(trace C.int64_t, end C.int64_t, g C.int64_t, nroots C.int32_t, roots *C.int64_t, grads *C.int64_t) C.int32_t {
	return guard(-1, func() C.int32_t {
		checkCount("ag_backward", "nroots", int64(nroots))
		checkPtr("ag_backward", "roots", unsafe.Pointer(roots), int64(nroots))
		checkPtr("ag_backward", "grads", unsafe.Pointer(grads), int64(nroots))
		var gv ad.Value
		if g != 0 {
			gv = get(g)
		}
		rs := make([]*ad.Box, nroots)
		for i, h := range ints(roots, int64(nroots)) {
			b, ok := handles.get(int64(h)).(*ad.Box)
			if !ok || b.Trace() != int64(trace) {
				panic(nd.Errorf(nd.ValueError, "ag_backward: roots[%d] is not a box of trace %d", i, int64(trace)))
			}
			rs[i] = b
		}
		res := ad.Backward(int64(trace), get(end), gv, rs)
		dst := unsafe.Slice((*int64)(unsafe.Pointer(grads)), int(nroots))
		for i, r := range res {
			dst[i] = int64(out(r))
		}
		return 0
	})
}

//export ag_tangent
func ag_tangent(trace C.int64_t, h C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t { return out(ad.Tangent(int64(trace), get(h))) })
}

//export ag_set_vjp_callback
func ag_set_vjp_callback(fn unsafe.Pointer) {
	vjpCallback.Store((*byte)(fn))
}

//export ag_custom_box
func ag_custom_box(trace C.int64_t, ans C.int64_t, nparents C.int32_t, parents *C.int64_t, id C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t {
		checkCount("ag_custom_box", "nparents", int64(nparents))
		checkPtr("ag_custom_box", "parents", unsafe.Pointer(parents), int64(nparents))
		ps := make([]*ad.Box, nparents)
		for i, h := range ints(parents, int64(nparents)) {
			b, ok := handles.get(int64(h)).(*ad.Box)
			if !ok {
				panic(nd.Errorf(nd.ValueError, "ag_custom_box: parents[%d] is not a box", i))
			}
			ps[i] = b
		}
		c := newCustomVJP(int64(id), int(nparents))
		return out(ad.NewCustomBox(int64(trace), get(ans), ps, c.vjp))
	})
}

//export ag_forward_box
func ag_forward_box(trace C.int64_t, ans C.int64_t, tangent C.int64_t) C.int64_t {
	return guard(0, func() C.int64_t { return out(ad.NewForwardBox(int64(trace), get(ans), get(tangent))) })
}

//export ag_dead_ids
func ag_dead_ids(buf *C.int64_t, capacity C.int64_t) C.int64_t {
	dead.Lock()
	defer dead.Unlock()
	n := min(int(capacity), len(dead.ids))
	if n <= 0 || buf == nil {
		return 0
	}
	copy(unsafe.Slice((*int64)(unsafe.Pointer(buf)), n), dead.ids[:n])
	dead.ids = dead.ids[n:]
	return C.int64_t(n)
}
