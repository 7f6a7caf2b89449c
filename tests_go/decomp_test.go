package tests_go

import (
	"math"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file checks the spectral decompositions (eigh, svd) by what
// defines them, computed with loops: V diag(w) Vᵀ = A and VᵀV = I with w
// ascending; U diag(s) Vᵀ = A, UᵀU = VᵀV = I with s decreasing and
// non-negative; the sign convention; their errors; and two gradients
// with closed forms. The derivative rules are checked against finite
// differences in prims_test.go.

// realMatrix returns matrix m of the stack a (C order) as a mat.
func realMatrix(a *nd.Array, m int) mat {
	rows := matrix(a, m)
	out := make(mat, len(rows))
	for i, r := range rows {
		out[i] = make([]float64, len(r))
		for j, x := range r {
			out[i][j] = real(x)
		}
	}
	return out
}

// vec returns vector m of the stack of vectors a, as reals.
func vec(a *nd.Array, m int) []float64 {
	s := a.Shape()
	n := s[len(s)-1]
	out := make([]float64, n)
	for i := range out {
		out[i] = real(a.At(m*n + i))
	}
	return out
}

func TestEighValues(t *testing.T) {
	rnd := newRand(61)
	for _, tc := range []struct {
		shape []int
		dom   domain
	}{{[]int{1, 1}, anyReal}, {[]int{3, 3}, spectral}, {[]int{6, 6}, posDef}, {[]int{2, 4, 4}, anyReal}, {[]int{2, 1, 5, 5}, spectral}} {
		a := randArray(rnd, tc.shape, tc.dom, false)
		w, v := ad.Eigh(a)
		wa, va := ad.Unbox(w), ad.Unbox(v)
		n := tc.shape[len(tc.shape)-1]
		batch := tc.shape[:len(tc.shape)-2]
		if !nd.SameShape(wa.Shape(), append(append([]int(nil), batch...), n)) || !nd.SameShape(va.Shape(), tc.shape) {
			t.Fatalf("eigh %v: shapes %v %v", tc.shape, wa.Shape(), va.Shape())
		}
		for m := 0; m < nd.Prod(batch); m++ {
			A, V, W := realMatrix(a, m), realMatrix(va, m), vec(wa, m)
			for i := range A { // the symmetric matrix of A's lower triangle
				for j := i + 1; j < n; j++ {
					A[i][j] = A[j][i]
				}
			}
			if d := maxDiff(V.scaleCols(W).mul(V.t()), A); d > 1e-13*float64(n) {
				t.Errorf("eigh %v, matrix %d: V diag(w) Vᵀ differs from A by %g", tc.shape, m, d)
			}
			if d := maxDiff(V.t().mul(V), eye[float64](n)); d > 1e-14*float64(n) {
				t.Errorf("eigh %v, matrix %d: VᵀV differs from I by %g", tc.shape, m, d)
			}
			for i := 1; i < n; i++ {
				if W[i] < W[i-1] {
					t.Errorf("eigh %v, matrix %d: eigenvalues %v are not ascending", tc.shape, m, W)
				}
			}
			checkPhases(t, "eigh eigenvectors", V, 0)
		}
	}
	// as numpy, only the lower triangle is read
	a := randArray(rnd, []int{4, 4}, spectral, false)
	upper := fromFunc([]int{4, 4}, false, func(idx []int) complex128 {
		if idx[1] > idx[0] {
			return complex(float64(7*idx[0]-3*idx[1]), 0)
		}
		return 0
	})
	if err := sameValues(nd.Eigh(axpy(a, 1, upper)), nd.Eigh(a), 0); err != nil {
		t.Errorf("eigh depends on the upper triangle: %v", err)
	}
	// numpy gives NaNs for a matrix holding a NaN, and empty factors for
	// an empty matrix
	nan := nd.FromFloat64s([]int{2, 2}, []float64{1, 0, math.NaN(), 1})
	for i, x := range elems(nd.Eigh(nan)) {
		if !math.IsNaN(real(x)) {
			t.Errorf("eigh of a matrix holding NaN: entry %d is %v", i, x)
		}
	}
	w, v := ad.Eigh(nd.Zeros([]int{2, 0, 0}, nd.Float64))
	if !nd.SameShape(w.Shape(), []int{2, 0}) || !nd.SameShape(v.Shape(), []int{2, 0, 0}) {
		t.Errorf("eigh of (2,0,0): shapes %v %v", w.Shape(), v.Shape())
	}
}

func TestSVDValues(t *testing.T) {
	rnd := newRand(62)
	for _, tc := range []struct {
		shape []int
		dom   domain
	}{{[]int{1, 1}, anyReal}, {[]int{3, 3}, anyReal}, {[]int{5, 3}, anyReal}, {[]int{3, 5}, singular},
		{[]int{2, 4, 2}, anyReal}, {[]int{2, 1, 2, 6}, anyReal}, {[]int{1, 4}, anyReal}, {[]int{4, 1}, singular}} {
		a := randArray(rnd, tc.shape, tc.dom, false)
		u, s, vh := ad.SVD(a)
		ua, sa, vha := ad.Unbox(u), ad.Unbox(s), ad.Unbox(vh)
		r, c := tc.shape[len(tc.shape)-2], tc.shape[len(tc.shape)-1]
		k := min(r, c)
		batch := tc.shape[:len(tc.shape)-2]
		with := func(tail ...int) []int { return append(append([]int(nil), batch...), tail...) }
		if !nd.SameShape(ua.Shape(), with(r, k)) || !nd.SameShape(sa.Shape(), with(k)) || !nd.SameShape(vha.Shape(), with(k, c)) {
			t.Fatalf("svd %v: shapes %v %v %v", tc.shape, ua.Shape(), sa.Shape(), vha.Shape())
		}
		for m := 0; m < nd.Prod(batch); m++ {
			A, U, S, Vh := realMatrix(a, m), realMatrix(ua, m), vec(sa, m), realMatrix(vha, m)
			if d := maxDiff(U.scaleCols(S).mul(Vh), A); d > 1e-13*float64(r+c) {
				t.Errorf("svd %v, matrix %d: U diag(s) Vh differs from A by %g", tc.shape, m, d)
			}
			if d := maxDiff(U.t().mul(U), eye[float64](k)); d > 1e-14*float64(r+c) {
				t.Errorf("svd %v, matrix %d: UᵀU differs from I by %g", tc.shape, m, d)
			}
			if d := maxDiff(Vh.mul(Vh.t()), eye[float64](k)); d > 1e-14*float64(r+c) {
				t.Errorf("svd %v, matrix %d: Vh Vhᵀ differs from I by %g", tc.shape, m, d)
			}
			for i := range S {
				if S[i] < 0 || (i > 0 && S[i] > S[i-1]) {
					t.Errorf("svd %v, matrix %d: singular values %v are not decreasing and non-negative", tc.shape, m, S)
				}
			}
			checkPhases(t, "svd left vectors", U, 0)
		}
	}
	// a rank-deficient matrix has zero singular values
	rank1 := nd.FromFloat64s([]int{3, 2}, []float64{1, 2, 2, 4, 3, 6})
	s := vec(ad.Unbox(func() ad.Value { _, s, _ := ad.SVD(rank1); return s }()), 0)
	if math.Abs(s[0]-math.Sqrt(70)) > 1e-13 || math.Abs(s[1]) > 1e-14 {
		t.Errorf("svd of [[1,2],[2,4],[3,6]]: singular values %v, want [√70, 0]", s)
	}
	u, s2, vh := ad.SVD(nd.Zeros([]int{0, 3}, nd.Float64))
	if !nd.SameShape(u.Shape(), []int{0, 0}) || !nd.SameShape(s2.Shape(), []int{0}) || !nd.SameShape(vh.Shape(), []int{0, 3}) {
		t.Errorf("svd of (0,3): shapes %v %v %v", u.Shape(), s2.Shape(), vh.Shape())
	}
}

func TestDecompErrors(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		msg  string
	}{
		{"eigh of a non-square matrix", func() { ad.Eigh(nd.Ones([]int{2, 3}, nd.Float64)) }, "Last 2 dimensions of the array must be square"},
		{"eigh of a vector", func() { ad.Eigh(nd.Ones([]int{3}, nd.Float64)) }, "1-dimensional array given. Array must be at least two-dimensional"},
		{"svd of a vector", func() { ad.SVD(nd.Ones([]int{3}, nd.Float64)) }, "1-dimensional array given. Array must be at least two-dimensional"},
		{"svd of a matrix holding NaN", func() { ad.SVD(nd.FromFloat64s([]int{1, 2}, []float64{1, math.NaN()})) }, "SVD did not converge"},
	}
	for _, tc := range tests {
		err := mustPanic(t, tc.name, nd.LinAlgError, tc.f)
		if err != nil && err.Error() != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.name, err, tc.msg)
		}
	}
	checkStillWorks(t, "decomposition errors")
}

// TestDecompGradients checks two gradients with closed forms, through the
// public functions: d Σs / dA = U Vᵀ (the nuclear norm's gradient), and
// d Σ w² / dA = Φ(4S) for the symmetric S of A's lower triangle
// (Σ w² = |S|², which eigh's lower triangle reads twice off the
// diagonal).
func TestDecompGradients(t *testing.T) {
	rnd := newRand(63)
	a := randArray(rnd, []int{4, 3}, singular, false)
	g, err := ad.Grad(func(x ad.Value) ad.Value { _, s, _ := ad.SVD(x); return ad.SumAll(s) }, a)
	if err != nil {
		t.Fatal(err)
	}
	u, _, vh := ad.SVD(a)
	want := ad.Unbox(ad.Matmul(u, vh))
	if err := sameValues(ad.Unbox(g), want, 1e-12); err != nil {
		t.Errorf("gradient of the nuclear norm: %v", err)
	}
	b := randArray(rnd, []int{4, 4}, anyReal, false)
	g, err = ad.Grad(func(x ad.Value) ad.Value { w, _ := ad.Eigh(x); return ad.SumAll(ad.Square(w)) }, b)
	if err != nil {
		t.Fatal(err)
	}
	want = fromFunc([]int{4, 4}, false, func(idx []int) complex128 {
		i, j := idx[0], idx[1]
		switch {
		case i > j:
			return 4 * b.At(i*4+j)
		case i == j:
			return 2 * b.At(i*4+j)
		}
		return 0
	})
	if err := sameValues(ad.Unbox(g), want, 1e-12); err != nil {
		t.Errorf("gradient of Σ w²: %v", err)
	}
}
