// Package nd is the array engine: dense n-dimensional arrays of float64 or
// complex128 in C (row-major) order, with numpy's broadcasting and the raw
// kernels (elementwise maps, reductions, products, gathers) that the
// autodiff layer builds its primitives from.
//
// Arrays are immutable once built: every kernel returns a new array, so an
// array can be shared freely between goroutines and between traces.
//
// Kernels report bad input (shapes that do not broadcast, out-of-range
// axes...) by panicking with an *Error; the public entry points of the
// layers above recover it and return it as an ordinary error value.
package nd

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// DType is the element type of an Array.
type DType uint8

const (
	// Float64 arrays hold real numbers.
	Float64 DType = iota
	// Complex128 arrays hold complex numbers.
	Complex128
)

// String returns numpy's name for the dtype.
func (d DType) String() string {
	if d == Complex128 {
		return "complex128"
	}
	return "float64"
}

// Promote returns the dtype numpy gives to a binary operation on a and b.
func Promote(a, b DType) DType {
	if a == Complex128 || b == Complex128 {
		return Complex128
	}
	return Float64
}

// Array is a dense, C-ordered, immutable n-dimensional array. Exactly one
// of its two data slices is used, according to its dtype.
type Array struct {
	shape []int
	re    []float64
	cx    []complex128
	keep  *foreign                  // set when the data is a caller's memory (Foreign); shared by views
	excl  atomic.Bool               // see MarkExclusive
	lu    atomic.Pointer[luFactors] // LU factors of a real stack of square matrices, once Solve has made them
}

// Shape returns the array's shape. The caller must not modify it.
func (a *Array) Shape() []int { return a.shape }

// Ndim returns the number of dimensions.
func (a *Array) Ndim() int { return len(a.shape) }

// Size returns the number of elements.
func (a *Array) Size() int { return Prod(a.shape) }

// DType returns the element type.
func (a *Array) DType() DType {
	if a.cx != nil {
		return Complex128
	}
	return Float64
}

// IsComplex reports whether the array holds complex numbers.
func (a *Array) IsComplex() bool { return a.cx != nil }

// Float64s returns the data of a real array (nil for a complex one). The
// caller must not modify it.
func (a *Array) Float64s() []float64 { return a.re }

// Complex128s returns the data of a complex array (nil for a real one). The
// caller must not modify it.
func (a *Array) Complex128s() []complex128 { return a.cx }

// At returns element i (in C order) as a complex number.
func (a *Array) At(i int) complex128 {
	if a.cx != nil {
		return a.cx[i]
	}
	return complex(a.re[i], 0)
}

// String formats the array for debugging.
func (a *Array) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "array(shape=%v, dtype=%s, ", a.shape, a.DType())
	if a.cx != nil {
		fmt.Fprint(&b, a.cx)
	} else {
		fmt.Fprint(&b, a.re)
	}
	b.WriteString(")")
	return b.String()
}

// FromFloat64s wraps data (not copied) as a real array of the given shape.
func FromFloat64s(shape []int, data []float64) *Array {
	if data == nil {
		data = []float64{}
	}
	checkLen(shape, len(data))
	return &Array{shape: cloneInts(shape), re: data}
}

// FromComplex128s wraps data (not copied) as a complex array.
func FromComplex128s(shape []int, data []complex128) *Array {
	if data == nil {
		data = []complex128{}
	}
	checkLen(shape, len(data))
	return &Array{shape: cloneInts(shape), cx: data}
}

func checkLen(shape []int, n int) {
	for _, d := range shape {
		if d < 0 {
			panic(Errorf(ValueError, "negative dimensions are not allowed"))
		}
	}
	if Prod(shape) != n {
		panic(Errorf(ValueError, "cannot make an array of shape %s from %d elements", ShapeString(shape), n))
	}
}

// Scalar returns a 0-d real array.
func Scalar(v float64) *Array { return &Array{shape: []int{}, re: []float64{v}} }

// ComplexScalar returns a 0-d complex array.
func ComplexScalar(v complex128) *Array { return &Array{shape: []int{}, cx: []complex128{v}} }

// Full returns an array of the given shape and dtype filled with v (the
// imaginary part is dropped for Float64).
func Full(shape []int, dt DType, v complex128) *Array {
	n := sizeForAlloc(shape, dt)
	if dt == Complex128 {
		return &Array{shape: cloneInts(shape), cx: filled(n, v)}
	}
	return &Array{shape: cloneInts(shape), re: filled(n, real(v))}
}

func filled[T Elem](n int, v T) []T {
	if v == 0 {
		return zeroed[T](n)
	}
	d := newSlice[T](n)
	for i := range d {
		d[i] = v
	}
	return d
}

// Zeros returns an array of zeros.
func Zeros(shape []int, dt DType) *Array { return Full(shape, dt, 0) }

// Ones returns an array of ones.
func Ones(shape []int, dt DType) *Array { return Full(shape, dt, 1) }

// AsType converts a to dtype dt (complex to real drops the imaginary part,
// as numpy does with a warning). It returns a itself when nothing changes.
func (a *Array) AsType(dt DType) *Array {
	if a.DType() == dt {
		return a
	}
	if dt == Complex128 {
		d := newSlice[complex128](len(a.re))
		for i, v := range a.re {
			d[i] = complex(v, 0)
		}
		return &Array{shape: a.shape, cx: d}
	}
	d := newSlice[float64](len(a.cx))
	for i, v := range a.cx {
		d[i] = real(v)
	}
	return &Array{shape: a.shape, re: d}
}

// Prod returns the product of the entries of shape (1 for an empty shape).
func Prod(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// ShapeString formats a shape as numpy does: (2, 3), (4,), ().
func ShapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	if len(shape) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// SameShape reports whether two shapes are equal.
func SameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func cloneInts(s []int) []int {
	out := make([]int, len(s))
	copy(out, s)
	return out
}

// Strides returns the C-order element strides of shape.
func Strides(shape []int) []int {
	st := make([]int, len(shape))
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		st[i] = s
		s *= shape[i]
	}
	return st
}
