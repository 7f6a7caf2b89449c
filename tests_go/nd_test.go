package tests_go

import (
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"autograd/core/nd"
)

// This file checks the kernels of the array engine against naive loops
// over multi-indices, and the wording of its errors against numpy's.

// unravel returns the multi-index of flat position i in shape (C order).
func unravel(i int, shape []int) []int {
	idx := make([]int, len(shape))
	for k := len(shape) - 1; k >= 0; k-- {
		idx[k] = i % shape[k]
		i /= shape[k]
	}
	return idx
}

// ravel returns the flat position (C order) of idx in shape.
func ravel(idx, shape []int) int {
	p := 0
	for k, d := range shape {
		p = p*d + idx[k]
	}
	return p
}

// broadcastFlat returns the flat position in an array of shape from of
// the element that numpy broadcasting pairs with index idx of a larger
// shape: leading axes are dropped, length-1 axes pinned to 0.
func broadcastFlat(idx, from []int) int {
	off := len(idx) - len(from)
	sub := make([]int, len(from))
	for k, d := range from {
		if d != 1 {
			sub[k] = idx[k+off]
		}
	}
	return ravel(sub, from)
}

// fromFunc returns the array of the given shape whose element at
// multi-index idx is f(idx), complex when cplx is set.
func fromFunc(shape []int, cplx bool, f func(idx []int) complex128) *nd.Array {
	vals := make([]complex128, nd.Prod(shape))
	for i := range vals {
		vals[i] = f(unravel(i, shape))
	}
	return newArray(shape, vals, cplx)
}

// mustPanic runs f and returns its error, failing the test when it
// returns normally or its error has another kind than want.
func mustPanic(t *testing.T, what string, want nd.Kind, f func()) error {
	t.Helper()
	err := catch(f)
	if err == nil {
		t.Errorf("%s: no error", what)
	} else if kindOf(err) != want {
		t.Errorf("%s: error %q of kind %d, want kind %d", what, err, kindOf(err), want)
	}
	return err
}

func TestBroadcastShapes(t *testing.T) {
	tests := []struct {
		a, b, want []int
		err        string
	}{
		{a: []int{2, 3}, b: []int{3}, want: []int{2, 3}},
		{a: []int{3, 1}, b: []int{4}, want: []int{3, 4}},
		{a: []int{}, b: []int{2, 3}, want: []int{2, 3}},
		{a: []int{2, 1, 3}, b: []int{4, 1}, want: []int{2, 4, 3}},
		{a: []int{0, 3}, b: []int{1, 3}, want: []int{0, 3}},
		{a: []int{1}, b: []int{0}, want: []int{0}},
		{a: []int{2, 3}, b: []int{4}, err: "operands could not be broadcast together with shapes (2,3) (4,) "},
		{a: []int{2, 1}, b: []int{3, 4}, err: "operands could not be broadcast together with shapes (2,1) (3,4) "},
		{a: []int{}, b: []int{0, 2}, want: []int{0, 2}},
	}
	for _, test := range tests {
		var got []int
		err := catch(func() { got = nd.BroadcastShapes(test.a, test.b) })
		switch {
		case test.err != "":
			if err == nil || err.Error() != test.err || kindOf(err) != nd.ValueError {
				t.Errorf("BroadcastShapes(%v, %v): error %q (kind %d), want ValueError %q", test.a, test.b, err, kindOf(err), test.err)
			}
		case err != nil:
			t.Errorf("BroadcastShapes(%v, %v): %v", test.a, test.b, err)
		case !nd.SameShape(got, test.want):
			t.Errorf("BroadcastShapes(%v, %v) = %v, want %v", test.a, test.b, got, test.want)
		}
	}
}

func TestShapeStringAndStrides(t *testing.T) {
	tests := []struct {
		shape   []int
		str     string
		strides []int
	}{
		{[]int{}, "()", []int{}},
		{[]int{4}, "(4,)", []int{1}},
		{[]int{2, 3}, "(2,3)", []int{3, 1}},
		{[]int{2, 3, 4}, "(2,3,4)", []int{12, 4, 1}},
	}
	for _, test := range tests {
		if got := nd.ShapeString(test.shape); got != test.str {
			t.Errorf("ShapeString(%v) = %q, want %q", test.shape, got, test.str)
		}
		if got := nd.Strides(test.shape); !nd.SameShape(got, test.strides) {
			t.Errorf("Strides(%v) = %v, want %v", test.shape, got, test.strides)
		}
	}
}

// TestBinaryAgainstLoops checks nd.Binary's broadcasting and dtype
// promotion against a loop over the output's multi-indices, including
// arrays large enough for the parallel path.
func TestBinaryAgainstLoops(t *testing.T) {
	fr := func(x, y float64) float64 { return x*y - 2*y + x }
	fc := func(x, y complex128) complex128 { return x*y - 2*y + x }
	shapes := [][2][]int{
		{{2, 3}, {2, 3}}, {{2, 3}, {3}}, {{3, 1}, {4}}, {{}, {2, 3}}, {{2, 3}, {}},
		{{2, 1, 3}, {4, 1}}, {{1, 3}, {3, 1}}, {{0, 3}, {1, 3}}, {{3, 1}, {1}},
		{{300, 250}, {250}}, {{300, 250}, {}}, {{}, {300, 250}}, {{300, 250}, {300, 250}}, {{300, 1}, {1, 250}},
	}
	arith := map[nd.Op]func(x, y complex128) complex128{
		nd.OpAdd: func(x, y complex128) complex128 { return x + y },
		nd.OpSub: func(x, y complex128) complex128 { return x - y },
		nd.OpMul: func(x, y complex128) complex128 { return x * y },
		nd.OpDiv: func(x, y complex128) complex128 { return x / y },
	}
	rnd := newRand(11)
	for _, s := range shapes {
		for _, dt := range [][2]bool{{false, false}, {true, true}, {false, true}, {true, false}} {
			x, y := randArray(rnd, s[0], anyReal, dt[0]), randArray(rnd, s[1], anyReal, dt[1])
			shape := nd.BroadcastShapes(s[0], s[1])
			check := func(name string, got *nd.Array, f func(x, y complex128) complex128) {
				want := fromFunc(shape, dt[0] || dt[1], func(idx []int) complex128 {
					return f(x.At(broadcastFlat(idx, s[0])), y.At(broadcastFlat(idx, s[1])))
				})
				if got.DType() != want.DType() {
					t.Errorf("%s %v %v with complex %v: dtype %v, want %v", name, s[0], s[1], dt, got.DType(), want.DType())
				}
				if err := sameValues(got, want, 1e-15); err != nil {
					t.Errorf("%s %v %v with complex %v: %.300v", name, s[0], s[1], dt, err)
				}
			}
			check("Binary", nd.Binary(x, y, fr, fc), fc)
			for op, f := range arith {
				check("Arith "+op.String(), nd.Arith(op, x, y), f)
			}
		}
	}
}

// TestMapAgainstLoops checks nd.Map and nd.MapToReal, on a small array and
// on one large enough for the parallel path.
func TestMapAgainstLoops(t *testing.T) {
	rnd := newRand(12)
	for _, n := range []int{0, 1, 7, 70001} {
		for _, cplx := range []bool{false, true} {
			x := randArray(rnd, []int{n}, anyReal, cplx)
			got := nd.Map(x, math.Sin, cmplx.Sin)
			want := fromFunc([]int{n}, cplx, func(idx []int) complex128 { return cmplx.Sin(x.At(idx[0])) })
			if err := sameValues(got, want, 1e-15); err != nil {
				t.Errorf("Map sin, n=%d complex %t: %.300v", n, cplx, err)
			}
			abs := nd.MapToReal(x, math.Abs, cmplx.Abs)
			wantAbs := fromFunc([]int{n}, false, func(idx []int) complex128 { return complex(cmplx.Abs(x.At(idx[0])), 0) })
			if abs.IsComplex() {
				t.Errorf("MapToReal returned a complex array")
			}
			if err := sameValues(abs, wantAbs, 1e-15); err != nil {
				t.Errorf("MapToReal abs, n=%d complex %t: %.300v", n, cplx, err)
			}
		}
	}
}

// reduceRef reduces x over axes with op starting from the first element
// met, by a loop over x's multi-indices.
func reduceRef(x *nd.Array, axes []int, keep bool, op func(acc, v complex128) complex128) *nd.Array {
	shape := x.Shape()
	red := make([]bool, len(shape))
	for _, ax := range axes {
		if ax < 0 {
			ax += len(shape)
		}
		red[ax] = true
	}
	var outShape []int
	for k, d := range shape {
		switch {
		case !red[k]:
			outShape = append(outShape, d)
		case keep:
			outShape = append(outShape, 1)
		}
	}
	out := make([]complex128, nd.Prod(outShape))
	seen := make([]bool, len(out))
	for i := 0; i < x.Size(); i++ {
		idx := unravel(i, shape)
		var oi []int
		for k := range shape {
			switch {
			case !red[k]:
				oi = append(oi, idx[k])
			case keep:
				oi = append(oi, 0)
			}
		}
		j := ravel(oi, outShape)
		if !seen[j] {
			out[j], seen[j] = x.At(i), true
		} else {
			out[j] = op(out[j], x.At(i))
		}
	}
	if outShape == nil {
		outShape = []int{}
	}
	return newArray(outShape, out, x.IsComplex())
}

// lexLess orders complex numbers as numpy does: by real part, then imaginary.
func lexLess(x, y complex128) bool {
	return real(x) < real(y) || (real(x) == real(y) && imag(x) < imag(y))
}

// TestReductionsAgainstLoops checks nd.Sum and nd.Extreme over several
// axis sets, with and without keepdims, real and complex.
func TestReductionsAgainstLoops(t *testing.T) {
	axesSets := [][]int{{}, {0}, {1}, {2}, {-1}, {0, 2}, {2, 0}, {1, 2}, {0, 1, 2}, {-3, -1}}
	add := func(acc, v complex128) complex128 { return acc + v }
	maxOp := func(acc, v complex128) complex128 {
		if lexLess(acc, v) {
			return v
		}
		return acc
	}
	minOp := func(acc, v complex128) complex128 {
		if lexLess(v, acc) {
			return v
		}
		return acc
	}
	rnd := newRand(13)
	for _, cplx := range []bool{false, true} {
		x := randArray(rnd, []int{2, 3, 4}, anyReal, cplx)
		for _, axes := range axesSets {
			for _, keep := range []bool{false, true} {
				if err := sameValues(nd.Sum(x, axes, keep), reduceRef(x, axes, keep, add), 1e-14); err != nil {
					t.Errorf("Sum axes %v keep %t complex %t: %.300v", axes, keep, cplx, err)
				}
				if err := sameValues(nd.Extreme(x, axes, keep, true), reduceRef(x, axes, keep, maxOp), 0); err != nil {
					t.Errorf("max axes %v keep %t complex %t: %.300v", axes, keep, cplx, err)
				}
				if err := sameValues(nd.Extreme(x, axes, keep, false), reduceRef(x, axes, keep, minOp), 0); err != nil {
					t.Errorf("min axes %v keep %t complex %t: %.300v", axes, keep, cplx, err)
				}
			}
		}
	}
	// a zero-length axis sums to zeros and has no extreme
	z := nd.Zeros([]int{2, 0, 3}, nd.Float64)
	if err := sameValues(nd.Sum(z, []int{1}, false), nd.Zeros([]int{2, 3}, nd.Float64), 0); err != nil {
		t.Errorf("Sum over an empty axis: %v", err)
	}
	err := mustPanic(t, "max over an empty axis", nd.ValueError, func() { nd.Extreme(z, []int{1}, false, true) })
	if want := "zero-size array to reduction operation maximum which has no identity"; err != nil && err.Error() != want {
		t.Errorf("max over an empty axis: %q, want %q", err, want)
	}
	// NaN propagates through max and min, as in numpy.amax
	nan := nd.FromFloat64s([]int{4}, []float64{1, math.NaN(), 3, -1})
	for _, isMax := range []bool{true, false} {
		if got := nd.Extreme(nan, []int{0}, false, isMax).At(0); !cmplx.IsNaN(got) {
			t.Errorf("Extreme(max=%t) of an array with a NaN = %v, want NaN", isMax, got)
		}
	}
	mustPanic(t, "Sum over axis 3 of a 3-d array", nd.ValueError, func() { nd.Sum(x3(), []int{3}, false) })
	mustPanic(t, "Sum over a repeated axis", nd.ValueError, func() { nd.Sum(x3(), []int{1, -2}, false) })
}

// x3 returns a small 3-d array.
func x3() *nd.Array { return nd.Ones([]int{2, 3, 4}, nd.Float64) }

func TestTransposeAgainstLoops(t *testing.T) {
	perms := [][]int{{0, 1, 2}, {2, 0, 1}, {1, 2, 0}, {2, 1, 0}, {-1, 0, 1}, {0, 2, 1}}
	rnd := newRand(14)
	for _, cplx := range []bool{false, true} {
		x := randArray(rnd, []int{2, 3, 4}, anyReal, cplx)
		for _, perm := range perms {
			p := nd.NormAxes(perm, 3)
			shape := []int{x.Shape()[p[0]], x.Shape()[p[1]], x.Shape()[p[2]]}
			want := fromFunc(shape, cplx, func(idx []int) complex128 {
				src := make([]int, 3)
				for k, ax := range p {
					src[ax] = idx[k]
				}
				return x.At(ravel(src, x.Shape()))
			})
			if err := sameValues(nd.Transpose(x, perm), want, 0); err != nil {
				t.Errorf("Transpose perm %v complex %t: %.300v", perm, cplx, err)
			}
		}
	}
	err := mustPanic(t, "Transpose with a short permutation", nd.ValueError, func() { nd.Transpose(x3(), []int{1, 0}) })
	if err != nil && err.Error() != "axes don't match array" {
		t.Errorf("Transpose with a short permutation: %q", err)
	}
	mustPanic(t, "Transpose with a repeated axis", nd.ValueError, func() { nd.Transpose(x3(), []int{1, 1, 0}) })
}

// tensordotRef contracts a's axes axA with b's axes axB by a loop over
// the output's multi-index and the contracted multi-index.
func tensordotRef(a, b *nd.Array, axA, axB []int) *nd.Array {
	as, bs := a.Shape(), b.Shape()
	norm := func(axes []int, n int) []int {
		out := make([]int, len(axes))
		for i, ax := range axes {
			out[i] = (ax + n) % n
		}
		return out
	}
	axA, axB = norm(axA, len(as)), norm(axB, len(bs))
	free := func(shape, axes []int) []int {
		var out []int
		for k := range shape {
			used := false
			for _, ax := range axes {
				used = used || ax == k
			}
			if !used {
				out = append(out, k)
			}
		}
		return out
	}
	fa, fb := free(as, axA), free(bs, axB)
	var outShape, cShape []int
	for _, k := range fa {
		outShape = append(outShape, as[k])
	}
	for _, k := range fb {
		outShape = append(outShape, bs[k])
	}
	for _, k := range axA {
		cShape = append(cShape, as[k])
	}
	if outShape == nil {
		outShape = []int{}
	}
	return fromFunc(outShape, a.IsComplex() || b.IsComplex(), func(idx []int) complex128 {
		ia, ib := make([]int, len(as)), make([]int, len(bs))
		for k, ax := range fa {
			ia[ax] = idx[k]
		}
		for k, ax := range fb {
			ib[ax] = idx[len(fa)+k]
		}
		var s complex128
		for c := 0; c < nd.Prod(cShape); c++ {
			ci := unravel(c, cShape)
			for k := range axA {
				ia[axA[k]], ib[axB[k]] = ci[k], ci[k]
			}
			s += a.At(ravel(ia, as)) * b.At(ravel(ib, bs))
		}
		return s
	})
}

func TestTensordotAgainstLoops(t *testing.T) {
	tests := []struct {
		as, bs, axA, axB []int
	}{
		{[]int{2, 3, 4}, []int{4, 2, 5}, []int{2, 0}, []int{0, 1}},
		{[]int{2, 3, 4}, []int{3, 4, 2}, []int{1, 2}, []int{0, 1}},
		{[]int{2, 3, 4}, []int{4, 3, 2}, []int{1, 2}, []int{1, 0}},
		{[]int{2, 3}, []int{3, 2}, []int{0, 1}, []int{1, 0}},
		{[]int{3, 4}, []int{4, 5}, []int{1}, []int{0}},
		{[]int{2, 3}, []int{4, 3, 2}, []int{-1}, []int{1}},
		{[]int{2}, []int{3}, []int{}, []int{}},
		{[]int{}, []int{3}, []int{}, []int{}},
		{[]int{3}, []int{2, 3, 2}, []int{0}, []int{1}},
		{[]int{2, 0}, []int{0, 3}, []int{1}, []int{0}},
		// layouts passed to BLAS transposed rather than copied
		{[]int{4, 3}, []int{4, 5}, []int{0}, []int{0}}, // aᵀ b
		{[]int{3, 4}, []int{5, 4}, []int{1}, []int{1}}, // a bᵀ
		{[]int{4, 3}, []int{5, 4}, []int{0}, []int{1}}, // aᵀ bᵀ
		{[]int{4, 5, 3}, []int{4, 5, 2}, []int{0, 1}, []int{0, 1}},
		{[]int{4, 3}, []int{4}, []int{0}, []int{0}},    // matrix-vector, a transposed
		{[]int{3, 4}, []int{4}, []int{1}, []int{0}},    // matrix-vector
		{[]int{3}, []int{5, 3}, []int{0}, []int{1}},    // vector-matrix, b transposed
		{[]int{3}, []int{3, 5}, []int{0}, []int{0}},    // vector-matrix
		{[]int{1, 3}, []int{3, 1}, []int{1}, []int{0}}, // 1×1 result
	}
	rnd := newRand(15)
	for _, test := range tests {
		for _, dt := range [][2]bool{{false, false}, {true, true}, {false, true}} {
			a, b := randArray(rnd, test.as, anyReal, dt[0]), randArray(rnd, test.bs, anyReal, dt[1])
			got := nd.Tensordot(a, b, test.axA, test.axB)
			if err := sameValues(got, tensordotRef(a, b, test.axA, test.axB), 1e-14); err != nil {
				t.Errorf("Tensordot %v %v axes %v %v complex %v: %.300v", test.as, test.bs, test.axA, test.axB, dt, err)
			}
		}
	}
	mustPanic(t, "Tensordot with unequal contracted lengths", nd.ValueError, func() {
		nd.Tensordot(nd.Ones([]int{2, 3}, nd.Float64), nd.Ones([]int{2, 3}, nd.Float64), []int{1}, []int{1, 0})
	})
	err := mustPanic(t, "Tensordot of mismatched axes", nd.ValueError, func() {
		nd.Tensordot(nd.Ones([]int{2, 3}, nd.Float64), nd.Ones([]int{2, 3}, nd.Float64), []int{1}, []int{0})
	})
	if err != nil && err.Error() != "shape-mismatch for sum" {
		t.Errorf("Tensordot of mismatched axes: %q, want numpy's %q", err, "shape-mismatch for sum")
	}
}

// matmulRef is numpy.matmul by loops: 1-d operands are promoted to a row
// (a) or a column (b) and the added axis dropped; batch axes broadcast.
func matmulRef(a, b *nd.Array) *nd.Array {
	as, bs := a.Shape(), b.Shape()
	if len(as) == 1 {
		as = []int{1, as[0]}
	}
	if len(bs) == 1 {
		bs = []int{bs[0], 1}
	}
	m, k, n := as[len(as)-2], as[len(as)-1], bs[len(bs)-1]
	ba, bb := as[:len(as)-2], bs[:len(bs)-2]
	batch := nd.BroadcastShapes(ba, bb)
	full := append(append([]int(nil), batch...), m, n)
	out := fromFunc(full, a.IsComplex() || b.IsComplex(), func(idx []int) complex128 {
		bi, i, j := idx[:len(batch)], idx[len(batch)], idx[len(batch)+1]
		var s complex128
		for l := 0; l < k; l++ {
			ia := append(append([]int(nil), bi[len(bi)-len(ba):]...), i, l)
			ib := append(append([]int(nil), bi[len(bi)-len(bb):]...), l, j)
			for q, d := range ba {
				if d == 1 {
					ia[q] = 0
				}
			}
			for q, d := range bb {
				if d == 1 {
					ib[q] = 0
				}
			}
			s += a.At(ravel(ia, as)) * b.At(ravel(ib, bs))
		}
		return s
	})
	shape := append([]int(nil), batch...)
	if a.Ndim() > 1 {
		shape = append(shape, m)
	}
	if b.Ndim() > 1 {
		shape = append(shape, n)
	}
	return newArray(shape, elems(out), out.IsComplex())
}

func TestMatmulAgainstLoops(t *testing.T) {
	shapes := [][2][]int{
		{{3}, {3}}, {{2, 3}, {3}}, {{3}, {3, 4}}, {{2, 3}, {3, 4}},
		{{2, 1, 2, 3}, {4, 3, 2}}, {{3}, {2, 3, 4}}, {{2, 2, 3}, {3}},
		{{1, 2, 3}, {2, 3, 1}}, {{5, 2, 3}, {3, 4}}, {{2, 0}, {0, 3}}, {{0, 3}, {3, 2}},
	}
	rnd := newRand(16)
	for _, s := range shapes {
		for _, dt := range [][2]bool{{false, false}, {true, true}, {true, false}} {
			a, b := randArray(rnd, s[0], anyReal, dt[0]), randArray(rnd, s[1], anyReal, dt[1])
			if err := sameValues(nd.Matmul(a, b), matmulRef(a, b), 1e-14); err != nil {
				t.Errorf("Matmul %v @ %v complex %v: %.300v", s[0], s[1], dt, err)
			}
		}
	}
	err := mustPanic(t, "Matmul with mismatched core dimensions", nd.ValueError, func() {
		nd.Matmul(nd.Ones([]int{2, 3}, nd.Float64), nd.Ones([]int{4, 2}, nd.Float64))
	})
	want := "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)"
	if err != nil && err.Error() != want {
		t.Errorf("Matmul mismatch: %q, want %q", err, want)
	}
	mustPanic(t, "Matmul of a 0-d operand", nd.ValueError, func() { nd.Matmul(nd.Scalar(2), nd.Ones([]int{2}, nd.Float64)) })
	mustPanic(t, "Matmul with batch shapes that do not broadcast", nd.ValueError, func() {
		nd.Matmul(nd.Ones([]int{2, 2, 3}, nd.Float64), nd.Ones([]int{3, 3, 2}, nd.Float64))
	})
}

func TestGatherScatterAgainstLoops(t *testing.T) {
	rnd := newRand(17)
	for _, cplx := range []bool{false, true} {
		x := randArray(rnd, []int{2, 3}, anyReal, cplx)
		index := []int{0, 5, 5, 2, 0, 1, 3, 5}
		got := nd.Gather(x, index, []int{2, 4})
		want := fromFunc([]int{2, 4}, cplx, func(idx []int) complex128 { return x.At(index[ravel(idx, []int{2, 4})]) })
		if err := sameValues(got, want, 0); err != nil {
			t.Errorf("Gather complex %t: %v", cplx, err)
		}
		v := randArray(rnd, []int{8}, anyReal, cplx)
		sums := make([]complex128, 6)
		for i, j := range index {
			sums[j] += v.At(i)
		}
		if err := sameValues(nd.ScatterAdd(v, index, []int{3, 2}), newArray([]int{3, 2}, sums, cplx), 1e-15); err != nil {
			t.Errorf("ScatterAdd complex %t: %v", cplx, err)
		}
		// ScatterAdd is Gather's transpose: <v, Gather(x)> = <ScatterAdd(v), x>
		if l, r := pair(v, nd.Gather(x, index, []int{8})), pair(nd.ScatterAdd(v, index, []int{2, 3}), x); math.Abs(l-r) > 1e-12 {
			t.Errorf("<v, gather x> = %v, <scatter v, x> = %v", l, r)
		}
	}
	x := nd.Ones([]int{2, 3}, nd.Float64)
	mustPanic(t, "Gather index 6 of 6 elements", nd.IndexError, func() { nd.Gather(x, []int{6}, []int{1}) })
	mustPanic(t, "Gather index -1", nd.IndexError, func() { nd.Gather(x, []int{-1}, []int{1}) })
	mustPanic(t, "Gather with a shape of the wrong size", nd.ValueError, func() { nd.Gather(x, []int{0, 1}, []int{3}) })
	mustPanic(t, "ScatterAdd index out of bounds", nd.IndexError, func() { nd.ScatterAdd(x, []int{0, 1, 2, 3, 4, 9}, []int{6}) })
	mustPanic(t, "ScatterAdd with too few indices", nd.ValueError, func() { nd.ScatterAdd(x, []int{0}, []int{6}) })
}

func TestStackWhereReshapeBroadcastTo(t *testing.T) {
	rnd := newRand(18)
	x, y := randArray(rnd, []int{2, 3}, anyReal, false), randArray(rnd, []int{2, 3}, anyReal, true)
	st := nd.Stack([]*nd.Array{x, y, x})
	want := fromFunc([]int{3, 2, 3}, true, func(idx []int) complex128 {
		return []*nd.Array{x, y, x}[idx[0]].At(ravel(idx[1:], []int{2, 3}))
	})
	if err := sameValues(st, want, 0); err != nil {
		t.Errorf("Stack: %v", err)
	}
	mustPanic(t, "Stack of unequal shapes", nd.ValueError, func() { nd.Stack([]*nd.Array{x, nd.Ones([]int{3}, nd.Float64)}) })
	mustPanic(t, "Stack of nothing", nd.ValueError, func() { nd.Stack(nil) })

	cond := randArray(rnd, []int{3, 1}, boolMask, false)
	wx, wy := randArray(rnd, []int{1, 4}, anyReal, false), randArray(rnd, []int{4}, anyReal, true)
	wantW := fromFunc([]int{3, 4}, true, func(idx []int) complex128 {
		if cond.At(broadcastFlat(idx, []int{3, 1})) != 0 {
			return wx.At(broadcastFlat(idx, []int{1, 4}))
		}
		return wy.At(broadcastFlat(idx, []int{4}))
	})
	if err := sameValues(nd.Where(cond, wx, wy), wantW, 0); err != nil {
		t.Errorf("Where: %v", err)
	}

	r := nd.Reshape(randArray(rnd, []int{2, 3, 4}, anyReal, true), []int{4, -1})
	if !nd.SameShape(r.Shape(), []int{4, 6}) {
		t.Errorf("Reshape to (4,-1): shape %v, want (4,6)", r.Shape())
	}
	err := mustPanic(t, "Reshape of 6 elements to (4,)", nd.ValueError, func() { nd.Reshape(x, []int{4}) })
	if want := "cannot reshape array of size 6 into shape (4,)"; err != nil && err.Error() != want {
		t.Errorf("Reshape error %q, want %q", err, want)
	}
	mustPanic(t, "Reshape with two unknown dimensions", nd.ValueError, func() { nd.Reshape(x, []int{-1, -1}) })
	mustPanic(t, "Reshape of 6 elements to (4,-1)", nd.ValueError, func() { nd.Reshape(x, []int{4, -1}) })

	b := nd.BroadcastTo(wy, []int{3, 4})
	wantB := fromFunc([]int{3, 4}, true, func(idx []int) complex128 { return wy.At(idx[1]) })
	if err := sameValues(b, wantB, 0); err != nil {
		t.Errorf("BroadcastTo: %v", err)
	}
	err = mustPanic(t, "BroadcastTo (3,) -> (4,)", nd.ValueError, func() { nd.BroadcastTo(nd.Ones([]int{3}, nd.Float64), []int{4}) })
	if err != nil && !strings.HasPrefix(err.Error(), "operands could not be broadcast together with remapped shapes") {
		t.Errorf("BroadcastTo error %q", err)
	}
	mustPanic(t, "BroadcastTo to fewer dimensions", nd.ValueError, func() { nd.BroadcastTo(x, []int{3}) })
}

// TestStrided checks nd.Strided, the copy-in of foreign buffers, with
// transposed, negative and zero strides.
func TestStrided(t *testing.T) {
	src := make([]float64, 24)
	for i := range src {
		src[i] = float64(i)
	}
	tests := []struct {
		name           string
		offset         int
		shape, strides []int
		at             func(idx []int) int // flat position in src of element idx
	}{
		{"C order", 0, []int{4, 6}, []int{6, 1}, func(i []int) int { return 6*i[0] + i[1] }},
		{"transposed", 0, []int{6, 4}, []int{1, 6}, func(i []int) int { return i[0] + 6*i[1] }},
		{"reversed rows, every other column", 18, []int{4, 3}, []int{-6, 2}, func(i []int) int { return 18 - 6*i[0] + 2*i[1] }},
		{"fully reversed", 23, []int{24}, []int{-1}, func(i []int) int { return 23 - i[0] }},
		{"broadcast (zero stride)", 5, []int{3, 2}, []int{0, 1}, func(i []int) int { return 5 + i[1] }},
		{"0-d", 7, []int{}, []int{}, func([]int) int { return 7 }},
		{"empty", 0, []int{0, 3}, []int{3, 1}, nil},
	}
	for _, test := range tests {
		got := nd.FromFloat64s(test.shape, nd.Strided(src, test.offset, test.shape, test.strides))
		want := fromFunc(test.shape, false, func(idx []int) complex128 { return complex(src[test.at(idx)], 0) })
		if err := sameValues(got, want, 0); err != nil {
			t.Errorf("Strided %s: %v", test.name, err)
		}
	}
}

func TestFromDataChecksSizes(t *testing.T) {
	mustPanic(t, "FromFloat64s with too few elements", nd.ValueError, func() { nd.FromFloat64s([]int{2, 3}, make([]float64, 5)) })
	mustPanic(t, "FromComplex128s with a negative dimension", nd.ValueError, func() { nd.FromComplex128s([]int{-1}, nil) })
	mustPanic(t, "NormAxes out of bounds", nd.ValueError, func() { nd.NormAxes([]int{2}, 2) })
	err := catch(func() { nd.NormAxes([]int{-3}, 2) })
	if want := "axis -3 is out of bounds for array of dimension 2"; err == nil || err.Error() != want {
		t.Errorf("NormAxes([-3], 2): %v, want %q", err, want)
	}
	x := nd.FromFloat64s([]int{2}, []float64{1.5, -2})
	if c := x.AsType(nd.Complex128); !c.IsComplex() || c.At(1) != -2 || x.IsComplex() {
		t.Errorf("AsType(Complex128) = %v (source now %v)", c, x)
	}
	if got := nd.Full([]int{2}, nd.Float64, 3+4i); got.IsComplex() || got.At(0) != 3 {
		t.Errorf("Full real with a complex fill = %v, want real 3s", got)
	}
}
