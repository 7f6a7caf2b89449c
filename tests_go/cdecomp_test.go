package tests_go

import (
	"math"
	"math/cmplx"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file checks the complex kernels of cholesky, eigh and svd (nd's
// own, gonum having no complex LAPACK) by what defines them, computed with
// loops: L·Lᴴ = A with L lower triangular and a positive real diagonal;
// V diag(w) Vᴴ = A and VᴴV = I with w ascending; U diag(s) Vᴴ = A,
// UᴴU = VᴴV = I with s decreasing; the phase convention; their errors;
// and two gradients with closed forms. The derivative rules are checked
// against finite differences in prims_test.go.

// hermitianOfLower returns the Hermitian matrix numpy's eigh and cholesky
// read from a: a's strict lower triangle, its conjugate above, and the
// real part of a's diagonal.
func hermitianOfLower(a cmat) cmat {
	n := len(a)
	out := make(cmat, n)
	for i := range out {
		out[i] = make([]complex128, n)
	}
	for i := 0; i < n; i++ {
		out[i][i] = complex(real(a[i][i]), 0)
		for j := 0; j < i; j++ {
			out[i][j], out[j][i] = a[i][j], cmplx.Conj(a[i][j])
		}
	}
	return out
}

func TestComplexCholesky(t *testing.T) {
	rnd := newRand(41)
	for _, shape := range [][]int{{1, 1}, {3, 3}, {2, 5, 5}} {
		a := randMatrices(rnd, shape, posDef, true)
		// garbage above the diagonal and in the diagonal's imaginary part:
		// numpy reads neither
		n := shape[len(shape)-1]
		vals := elems(a)
		for m := 0; m < len(vals); m += n * n {
			for i := 0; i < n; i++ {
				vals[m+i*n+i] += 5i
				for j := i + 1; j < n; j++ {
					vals[m+i*n+j] = complex(float64(i+j), -3)
				}
			}
		}
		a = nd.FromComplex128s(shape, vals)
		l := ad.Unbox(ad.Cholesky(a))
		if l.DType() != nd.Complex128 || !nd.SameShape(l.Shape(), shape) {
			t.Fatalf("cholesky %v: %v %v", shape, l.DType(), l.Shape())
		}
		for m := 0; m < nd.Prod(shape)/(n*n); m++ {
			lm, h := cmat(matrix(l, m)), hermitianOfLower(matrix(a, m))
			for i := 0; i < n; i++ {
				if d := lm[i][i]; imag(d) != 0 || real(d) <= 0 {
					t.Errorf("cholesky %v: diagonal %v, want real positive", shape, d)
				}
				for j := i + 1; j < n; j++ {
					if lm[i][j] != 0 {
						t.Errorf("cholesky %v: upper entry (%d,%d) = %v", shape, i, j, lm[i][j])
					}
				}
			}
			if d := maxDiff(lm.mul(lm.h()), h); d > 1e-13 {
				t.Errorf("cholesky %v: |L Lᴴ − A| = %g", shape, d)
			}
		}
	}
	// Hermitian but indefinite: numpy's LinAlgError
	indef := nd.FromComplex128s([]int{2, 2}, []complex128{1, 2i, -2i, 1})
	mustPanic(t, "cholesky of an indefinite Hermitian matrix", nd.LinAlgError, func() { ad.Cholesky(indef) })
}

func TestComplexEigh(t *testing.T) {
	rnd := newRand(42)
	for _, shape := range [][]int{{1, 1}, {2, 2}, {4, 4}, {3, 6, 6}} {
		a := randArray(rnd, shape, anyReal, true) // not Hermitian: the lower triangle is read
		w, v := ad.Eigh(a)
		n := shape[len(shape)-1]
		if ad.Unbox(w).DType() != nd.Float64 || ad.Unbox(v).DType() != nd.Complex128 {
			t.Fatalf("eigh %v: dtypes %v %v", shape, ad.Unbox(w).DType(), ad.Unbox(v).DType())
		}
		for m := 0; m < nd.Prod(shape)/(n*n); m++ {
			wm, vm, h := vec(ad.Unbox(w), m), cmat(matrix(ad.Unbox(v), m)), hermitianOfLower(matrix(a, m))
			for i := 1; i < n; i++ {
				if wm[i] < wm[i-1] {
					t.Errorf("eigh %v: eigenvalues %v not ascending", shape, wm)
				}
			}
			if d := maxDiff(vm.scaleCols(wm).mul(vm.h()), h); d > 1e-13 {
				t.Errorf("eigh %v: |V diag(w) Vᴴ − A| = %g", shape, d)
			}
			if d := maxDiff(vm.h().mul(vm), eye[complex128](n)); d > 1e-13 {
				t.Errorf("eigh %v: |VᴴV − I| = %g", shape, d)
			}
			checkPhases(t, "eigh", vm, 1e-12)
		}
	}
	// a real symmetric matrix given as complex: numpy's eigenvalues
	z := nd.FromComplex128s([]int{2, 2}, []complex128{2, 1, 1, 2})
	if w := vec(ad.Unbox(func() ad.Value { w, _ := ad.Eigh(z); return w }()), 0); math.Abs(w[0]-1) > 1e-15 || math.Abs(w[1]-3) > 1e-15 {
		t.Errorf("eigh [[2,1],[1,2]] as complex: %v, want [1 3]", w)
	}
	// repeated eigenvalues (the identity plus a rank-one term): still a
	// decomposition
	rep := nd.FromComplex128s([]int{3, 3}, []complex128{2, 0, 0, 1i, 2, 0, 0, 0, 2})
	w, v := ad.Eigh(rep)
	vm := cmat(matrix(ad.Unbox(v), 0))
	if d := maxDiff(vm.scaleCols(vec(ad.Unbox(w), 0)).mul(vm.h()), hermitianOfLower(matrix(rep, 0))); d > 1e-14 {
		t.Errorf("eigh with a repeated eigenvalue: |V diag(w) Vᴴ − A| = %g", d)
	}
	checkScaled(t, "eigh", randArray(rnd, []int{4, 4}, anyReal, true), func(a *nd.Array) []float64 {
		w, _ := ad.Eigh(a)
		return vec(ad.Unbox(w), 0)
	})
	// NaN in the lower triangle: NaNs, as numpy's
	bad := nd.FromComplex128s([]int{2, 2}, []complex128{1, 0, complex(math.NaN(), 0), 1})
	if w := vec(ad.Unbox(func() ad.Value { w, _ := ad.Eigh(bad); return w }()), 0); !math.IsNaN(w[0]) {
		t.Errorf("eigh with a NaN: %v, want NaNs", w)
	}
}

func TestComplexSVD(t *testing.T) {
	rnd := newRand(43)
	for _, shape := range [][]int{{1, 1}, {3, 3}, {5, 3}, {3, 5}, {1, 4}, {4, 1}, {2, 4, 3}, {2, 2, 6}} {
		a := randArray(rnd, shape, anyReal, true)
		checkComplexSVD(t, a)
	}
	// rank-deficient: a zero column and two equal rows
	checkComplexSVD(t, nd.FromComplex128s([]int{3, 3}, []complex128{1 + 1i, 0, 2, 1 + 1i, 0, 2, 1i, 0, -1}))
	checkComplexSVD(t, nd.Zeros([]int{3, 2}, nd.Complex128))
	checkComplexSVD(t, nd.Zeros([]int{2, 3}, nd.Complex128))
	checkScaled(t, "svd", randArray(rnd, []int{4, 3}, anyReal, true), func(a *nd.Array) []float64 {
		_, s, _ := ad.SVD(a)
		return vec(ad.Unbox(s), 0)
	})
	bad := nd.FromComplex128s([]int{2, 2}, []complex128{1, complex(math.Inf(1), 0), 0, 1})
	mustPanic(t, "svd with an infinity", nd.LinAlgError, func() { ad.SVD(bad) })
}

// checkComplexSVD checks the definition of the reduced SVD of each matrix
// of the complex stack a.
func checkComplexSVD(t *testing.T, a *nd.Array) {
	t.Helper()
	shape := a.Shape()
	m, n := shape[len(shape)-2], shape[len(shape)-1]
	k := min(m, n)
	u, s, vh := ad.SVD(a)
	if ad.Unbox(s).DType() != nd.Float64 || ad.Unbox(u).DType() != nd.Complex128 ||
		!nd.SameShape(u.Shape(), withLast2(shape, m, k)) || !nd.SameShape(vh.Shape(), withLast2(shape, k, n)) {
		t.Fatalf("svd %v: u %v %v, s %v, vh %v", shape, u.Shape(), ad.Unbox(u).DType(), ad.Unbox(s).DType(), vh.Shape())
	}
	for b := 0; b < nd.Prod(shape)/(m*n); b++ {
		um, sm, vhm := cmat(matrix(ad.Unbox(u), b)), vec(ad.Unbox(s), b), cmat(matrix(ad.Unbox(vh), b))
		for i := range sm {
			if sm[i] < 0 || (i > 0 && sm[i] > sm[i-1]) {
				t.Errorf("svd %v: singular values %v not decreasing and non-negative", shape, sm)
			}
		}
		if d := maxDiff(um.scaleCols(sm).mul(vhm), matrix(a, b)); d > 1e-13 {
			t.Errorf("svd %v: |U diag(s) Vᴴ − A| = %g", shape, d)
		}
		if d := maxDiff(um.h().mul(um), eye[complex128](k)); d > 1e-13 {
			t.Errorf("svd %v: |UᴴU − I| = %g", shape, d)
		}
		if d := maxDiff(vhm.mul(vhm.h()), eye[complex128](k)); d > 1e-13 {
			t.Errorf("svd %v: |VᴴV − I| = %g", shape, d)
		}
		checkPhases(t, "svd", um, 1e-12)
	}
}

// checkScaled checks that the values (eigenvalues, singular values)
// vals gives for a scaled by 1e±200 are those of a, scaled: the kernels
// scale the matrix so that no square overflows or underflows.
func checkScaled(t *testing.T, what string, a *nd.Array, vals func(*nd.Array) []float64) {
	t.Helper()
	ref := vals(a)
	var big float64
	for _, x := range ref {
		big = math.Max(big, math.Abs(x))
	}
	for _, f := range []float64{1e200, 1e-200} {
		z := elems(a)
		for i := range z {
			z[i] *= complex(f, 0)
		}
		got := vals(nd.FromComplex128s(a.Shape(), z))
		for i := range ref {
			if math.Abs(got[i]/f-ref[i]) > 1e-13*big {
				t.Errorf("%s of a matrix scaled by %g: %v, want %v scaled", what, f, got, ref)
				break
			}
		}
	}
}

// withLast2 returns shape with its last two axes replaced by r, c.
func withLast2(shape []int, r, c int) []int {
	return append(append([]int(nil), shape[:len(shape)-2]...), r, c)
}

// TestComplexDecompGradients checks two gradients with closed forms, by
// autograd's convention (the gradient of a real f of z = x + iy is
// ∂f/∂x − i ∂f/∂y, the conjugate of the steepest-ascent direction): the
// nuclear norm Σ s has the gradient conj(U Vᴴ); the largest eigenvalue
// w_max = v_maxᴴ A v_max has, with respect to the lower triangle read, the
// lower triangle of conj(v vᴴ) + (v vᴴ)ᵀ off the diagonal and |v_i|² on it,
// that is Φ(2 v̅ vᵀ) with Φ halving the diagonal.
func TestComplexDecompGradients(t *testing.T) {
	rnd := newRand(44)
	a := randArray(rnd, []int{4, 3}, anyReal, true)
	g, err := ad.Grad(func(x ad.Value) ad.Value {
		_, s, _ := ad.SVD(x)
		return ad.SumAll(s)
	}, a)
	if err != nil {
		t.Fatal(err)
	}
	u, _, vh := ad.SVD(a)
	want := ad.Unbox(ad.Conj(ad.Matmul(u, vh)))
	if err := sameValues(ad.Unbox(g), want, 1e-12); err != nil {
		t.Errorf("gradient of the nuclear norm: %v", err)
	}

	h := randArray(rnd, []int{3, 3}, anyReal, true)
	g, err = ad.Grad(func(x ad.Value) ad.Value {
		w, _ := ad.Eigh(x)
		return ad.SumAll(ad.Mul(w, nd.FromFloat64s([]int{3}, []float64{0, 0, 1})))
	}, h)
	if err != nil {
		t.Fatal(err)
	}
	_, v := ad.Eigh(h)
	vm := matrix(ad.Unbox(v), 0)
	ref := make([]complex128, 9)
	for i := 0; i < 3; i++ {
		for j := 0; j <= i; j++ {
			x := 2 * cmplx.Conj(vm[i][2]) * vm[j][2]
			if i == j {
				x /= 2
			}
			ref[i*3+j] = x
		}
	}
	if err := sameValues(ad.Unbox(g), nd.FromComplex128s([]int{3, 3}, ref), 1e-12); err != nil {
		t.Errorf("gradient of the largest eigenvalue: %v", err)
	}
}
