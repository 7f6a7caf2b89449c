package tests_go

import (
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file checks eig of complex matrices (nd's own kernel, ceig.go) by
// what defines it: residuals ‖A V − V diag(w)‖ small relative to ‖A‖,
// unit columns, the phase convention, the spectrum where it is known
// (constructed, triangular, Hermitian, real), robustness (cycles that need
// exceptional shifts, defective and badly scaled matrices, extreme
// magnitudes), shapes and errors. Its derivatives are in the
// finite-difference table (prims_test.go, the eigComplex domain) and in
// TestComplexEigGradients below.

// eigResidual returns max |(A V − V diag(w))_ij| / (n ‖A‖_max) for one
// matrix, and fails t when a column of V is not of unit norm or breaks
// the phase convention.
func eigResidual(t *testing.T, what string, a cmat, w []complex128, v cmat) float64 {
	t.Helper()
	n := len(a)
	var anorm float64
	for i := range a {
		for j := range a[i] {
			anorm = math.Max(anorm, cmplx.Abs(a[i][j]))
		}
	}
	if anorm == 0 {
		anorm = 1
	}
	av := a.mul(v)
	var res float64
	for j := 0; j < n; j++ {
		var nrm float64
		for i := 0; i < n; i++ {
			res = math.Max(res, cmplx.Abs(av[i][j]-v[i][j]*w[j]))
			nrm += real(v[i][j] * cmplx.Conj(v[i][j]))
		}
		if math.Abs(nrm-1) > 1e-13 {
			t.Errorf("%s: column %d has squared norm %v", what, j, nrm)
		}
		// the phase convention: an entry of largest modulus (up to
		// rounding: Eig picks it before turning the vector) is real and
		// positive
		var big float64
		for i := 0; i < n; i++ {
			big = math.Max(big, cmplx.Abs(v[i][j]))
		}
		ok := false
		for i := 0; i < n; i++ {
			z := v[i][j]
			ok = ok || (imag(z) == 0 && real(z) > 0 && real(z) >= big*(1-1e-12))
		}
		if !ok {
			t.Errorf("%s: column %d has no entry of largest modulus that is real and positive: %v", what, j, v.t()[j])
		}
	}
	return res / (float64(n) * anorm)
}

// eigOf runs ad.Eig on a and returns, per matrix of the stack, the input,
// w and V.
func eigOf(t *testing.T, a *nd.Array) (as []cmat, ws [][]complex128, vs []cmat) {
	t.Helper()
	w, v := ad.Eig(a)
	wa, va := ad.Unbox(w), ad.Unbox(v)
	s := a.Shape()
	n := s[len(s)-1]
	if !wa.IsComplex() || !va.IsComplex() || !nd.SameShape(va.Shape(), s) || !nd.SameShape(wa.Shape(), s[:len(s)-1]) {
		t.Fatalf("eig %v: w %v %v, v %v %v", s, wa.Shape(), wa.DType(), va.Shape(), va.DType())
	}
	for m := 0; m < nd.Prod(s)/max(n*n, 1); m++ {
		as = append(as, cmat(matrix(a, m)))
		ws = append(ws, wa.Complex128s()[m*n:(m+1)*n])
		vs = append(vs, cmat(matrix(va, m)))
	}
	return
}

// residualTol is the bound on eigResidual: a small multiple of the unit
// roundoff (backward stable methods give O(n ε ‖A‖)).
const residualTol = 1e-14

func TestComplexEigResiduals(t *testing.T) {
	rnd := newRand(51)
	worst := 0.0
	for _, shape := range [][]int{{1, 1}, {2, 2}, {3, 3}, {5, 5}, {8, 8}, {12, 12}, {20, 20}, {3, 4, 4}, {2, 1, 6, 6}} {
		for _, scale := range []float64{1, 1e-3, 1e5} {
			a := randArray(rnd, shape, anyReal, true)
			if scale != 1 {
				a = scaled(a, scale)
			}
			as, ws, vs := eigOf(t, a)
			for m := range as {
				r := eigResidual(t, "eig of random complex "+nd.ShapeString(shape), as[m], ws[m], vs[m])
				worst = math.Max(worst, r)
				if r > residualTol {
					t.Errorf("eig of random complex %v (scale %g): relative residual %g", shape, scale, r)
				}
			}
		}
	}
	t.Logf("largest relative residual max|AV − VW| / (n max|A|) on random matrices: %.3g", worst)
}

func TestComplexEigKnownSpectrum(t *testing.T) {
	rnd := newRand(52)
	for _, shape := range [][]int{{1, 1}, {2, 2}, {3, 3}, {6, 6}, {2, 4, 4}, {2, 1, 5, 5}} {
		a, spectra := randEigSpectrum(rnd, shape, eigComplex)
		as, ws, vs := eigOf(t, a)
		for m := range as {
			what := "eig of S D S⁻¹ " + nd.ShapeString(shape)
			if r := eigResidual(t, what, as[m], ws[m], vs[m]); r > residualTol {
				t.Errorf("%s: relative residual %g", what, r)
			}
			got, want := sortedSpectrum(ws[m]), sortedSpectrum(spectra[m])
			for i := range got {
				if !near(got[i], want[i], 1e-12, 1) {
					t.Errorf("%s: eigenvalues %v, want %v", what, got, want)
					break
				}
			}
		}
	}
}

// TestComplexEigTriangular: the eigenvalues of a triangular matrix are its
// diagonal; an upper triangular one is already in Schur form, so they come
// out exactly and in order, as LAPACK's.
func TestComplexEigTriangular(t *testing.T) {
	rnd := newRand(53)
	for _, lower := range []bool{false, true} {
		a := randArray(rnd, []int{6, 6}, anyReal, true)
		z := elems(a)
		for i := 0; i < 6; i++ {
			for j := 0; j < 6; j++ {
				if (j < i && !lower) || (j > i && lower) {
					z[i*6+j] = 0
				}
			}
		}
		a = nd.FromComplex128s([]int{6, 6}, z)
		as, ws, vs := eigOf(t, a)
		if r := eigResidual(t, "eig of a triangular matrix", as[0], ws[0], vs[0]); r > residualTol {
			t.Errorf("triangular (lower %v): relative residual %g", lower, r)
		}
		diag := make([]complex128, 6)
		for i := range diag {
			diag[i] = z[i*6+i]
		}
		if !lower {
			for i := range diag {
				if ws[0][i] != diag[i] {
					t.Errorf("upper triangular: eigenvalues %v, want the diagonal %v exactly", ws[0], diag)
					break
				}
			}
			continue
		}
		got, want := sortedSpectrum(ws[0]), sortedSpectrum(diag)
		for i := range got {
			if !near(got[i], want[i], 1e-13, 2) {
				t.Errorf("lower triangular: eigenvalues %v, want %v", got, want)
				break
			}
		}
	}
}

// TestComplexEigHermitian compares eig of Hermitian matrices with the
// Hermitian kernel (Jacobi): the same real eigenvalues and, the phase
// convention being the same, the same eigenvectors.
func TestComplexEigHermitian(t *testing.T) {
	rnd := newRand(54)
	for _, shape := range [][]int{{1, 1}, {3, 3}, {7, 7}, {2, 5, 5}} {
		a := randArray(rnd, shape, spectral, true)
		as, ws, vs := eigOf(t, a)
		hw, hv := ad.Eigh(a)
		n := shape[len(shape)-1]
		for m := range as {
			what := "eig of Hermitian " + nd.ShapeString(shape)
			if r := eigResidual(t, what, as[m], ws[m], vs[m]); r > residualTol {
				t.Errorf("%s: relative residual %g", what, r)
			}
			wh, vh := vec(ad.Unbox(hw), m), cmat(matrix(ad.Unbox(hv), m))
			for j := 0; j < n; j++ {
				// eigh's eigenvalues ascend: find eig's nearest
				k := 0
				for i := range ws[m] {
					if cmplx.Abs(ws[m][i]-complex(wh[j], 0)) < cmplx.Abs(ws[m][k]-complex(wh[j], 0)) {
						k = i
					}
				}
				if !near(ws[m][k], complex(wh[j], 0), 1e-13, 1) {
					t.Errorf("%s: eigh's eigenvalue %v, eig's nearest %v", what, wh[j], ws[m][k])
				}
				for i := 0; i < n; i++ {
					if cmplx.Abs(vs[m][i][k]-vh[i][j]) > 1e-12 {
						t.Errorf("%s: eigenvector %d: eig's %v, eigh's %v", what, j, vs[m][i][k], vh[i][j])
						break
					}
				}
			}
		}
	}
}

// TestComplexEigOfRealMatrix compares the complex kernel on a real matrix
// (given as complex) with gonum's Geev: the same spectrum and, the
// convention being the same, the same vectors.
func TestComplexEigOfRealMatrix(t *testing.T) {
	rnd := newRand(55)
	for _, shape := range [][]int{{4, 4}, {2, 6, 6}} {
		ar := randArray(rnd, shape, anyReal, false)
		ac := nd.FromComplex128s(shape, elems(ar))
		_, ws, vs := eigOf(t, ac)
		rw, rv := ad.Eig(ar)
		n := shape[len(shape)-1]
		for m := range ws {
			wr, vr := ad.Unbox(rw).Complex128s()[m*n:(m+1)*n], cmat(matrix(ad.Unbox(rv), m))
			for j := 0; j < n; j++ {
				k := 0
				for i := range ws[m] {
					if cmplx.Abs(ws[m][i]-wr[j]) < cmplx.Abs(ws[m][k]-wr[j]) {
						k = i
					}
				}
				if !near(ws[m][k], wr[j], 1e-12, 1) {
					t.Errorf("eig of real %v as complex: eigenvalue %v, Geev's %v", shape, ws[m][k], wr[j])
				}
				for i := 0; i < n; i++ {
					if cmplx.Abs(vs[m][i][k]-vr[i][j]) > 1e-10 {
						t.Errorf("eig of real %v as complex: eigenvector %d differs from Geev's: %v vs %v", shape, j, vs[m][i][k], vr[i][j])
						break
					}
				}
			}
		}
	}
}

// TestComplexEigHardCases: matrices on which a plain shifted QR iteration
// stalls or loses accuracy.
func TestComplexEigHardCases(t *testing.T) {
	// the cyclic permutation: every trailing 2×2 block has Wilkinson shift
	// 0, at which QR makes no progress (the exceptional shifts do); its
	// eigenvalues are the n-th roots of unity
	for _, n := range []int{2, 3, 5, 8} {
		z := make([]complex128, n*n)
		for i := 0; i < n; i++ {
			z[((i+1)%n)*n+i] = 1
		}
		as, ws, vs := eigOf(t, nd.FromComplex128s([]int{n, n}, z))
		if r := eigResidual(t, "eig of a cyclic permutation", as[0], ws[0], vs[0]); r > residualTol {
			t.Errorf("cyclic permutation of order %d: relative residual %g", n, r)
		}
		for _, w := range ws[0] {
			if math.Abs(cmplx.Abs(cmplx.Pow(w, complex(float64(n), 0))-1)) > 1e-13 || math.Abs(cmplx.Abs(w)-1) > 1e-14 {
				t.Errorf("cyclic permutation of order %d: eigenvalue %v is not a root of unity", n, w)
			}
		}
	}
	// a Jordan block (defective: one eigenvector): the residual is still
	// small, the eigenvalues within ε^(1/n) of the true one
	j := make([]complex128, 16)
	for i := 0; i < 4; i++ {
		j[i*4+i] = 2 + 1i
		if i < 3 {
			j[i*4+i+1] = 1
		}
	}
	as, ws, vs := eigOf(t, nd.FromComplex128s([]int{4, 4}, j))
	if r := eigResidual(t, "eig of a Jordan block", as[0], ws[0], vs[0]); r > residualTol {
		t.Errorf("Jordan block: relative residual %g", r)
	}
	// the zero matrix: zero eigenvalues, the identity's columns
	as, ws, vs = eigOf(t, nd.Zeros([]int{3, 3}, nd.Complex128))
	if d := maxDiff(vs[0], eye[complex128](3)); d != 0 || ws[0][0] != 0 || ws[0][2] != 0 {
		t.Errorf("eig of zeros: %v %v", ws[0], vs[0])
	}
	_ = as
	// badly scaled: E A E⁻¹ with E = diag(2^k) (an exact similarity) has
	// A's eigenvalues but entries from 2^-60 to 2^60 times A's; without
	// balancing the errors would be ε·2^60 ≈ 256
	rnd := newRand(56)
	a, spectra := randEigSpectrum(rnd, []int{4, 4}, eigComplex)
	e := []float64{1, 0x1p20, 0x1p-20, 0x1p40}
	z := elems(a)
	for i := 0; i < 4; i++ {
		for k := 0; k < 4; k++ {
			z[i*4+k] *= complex(e[i]/e[k], 0)
		}
	}
	_, ws, _ = eigOf(t, nd.FromComplex128s([]int{4, 4}, z))
	got, want := sortedSpectrum(ws[0]), sortedSpectrum(spectra[0])
	for i := range got {
		if !near(got[i], want[i], 1e-11, 1) {
			t.Errorf("badly scaled matrix: eigenvalues %v, want %v", got, want)
			break
		}
	}
	// extreme magnitudes: the eigenvalues scale exactly, nothing overflows
	b := randArray(rnd, []int{5, 5}, anyReal, true)
	_, ref, refv := eigOf(t, b)
	for _, f := range []float64{1e300, 1e-300} {
		_, ws, vs := eigOf(t, scaled(b, f))
		for i := range ref {
			if !near(ws[0][i]/complex(f, 0), ref[0][i], 1e-13, 3) {
				t.Errorf("eig of a matrix scaled by %g: eigenvalue %v, want %v times it", f, ws[0][i], ref[0][i])
			}
		}
		if d := maxDiff(vs[0], refv[0]); d > 1e-12 {
			t.Errorf("eig of a matrix scaled by %g: eigenvectors differ by %g", f, d)
		}
	}
	// subnormal entries (about 15 significant bits, in the input and in w):
	// still finite and close
	f := 0x1p-1060
	_, ws, _ = eigOf(t, scaled(b, f))
	for i := range ref {
		if !near(ws[0][i]*0x1p530*0x1p530, ref[0][i], 1e-3, 3) { // 2^1060 overflows
			t.Errorf("eig of a matrix scaled by 2^-1060: eigenvalue %v, want %v times it", ws[0][i], ref[0][i])
		}
	}
}

func TestComplexEigShapesAndErrors(t *testing.T) {
	for _, shape := range [][]int{{0, 0}, {3, 0, 0}, {0, 4, 4}} {
		w, v := ad.Eig(nd.Zeros(shape, nd.Complex128))
		if ws, vs := ad.Unbox(w).Shape(), ad.Unbox(v).Shape(); !nd.SameShape(ws, shape[:len(shape)-1]) || !nd.SameShape(vs, shape) {
			t.Errorf("eig of complex zeros %v: shapes %v %v", shape, ws, vs)
		}
	}
	for _, z := range []complex128{complex(math.NaN(), 0), complex(0, math.Inf(-1)), complex(math.Inf(1), 1)} {
		err := mustPanic(t, "eig of a complex matrix with a NaN or infinity", nd.LinAlgError,
			func() { ad.Eig(nd.FromComplex128s([]int{2, 2}, []complex128{1i, z, 0, 1})) })
		if err != nil && !strings.Contains(err.Error(), "Array must not contain infs or NaNs") {
			t.Errorf("eig of a complex matrix holding %v: message %q", z, err)
		}
	}
	mustPanic(t, "eig of a non-square complex matrix", nd.LinAlgError,
		func() { ad.Eig(nd.FromComplex128s([]int{2, 3}, make([]complex128, 6))) })
}

// TestComplexEigGradients checks closed forms under autograd's convention
// (see "Complex numbers" in docs/architecture.md): Σ w = tr A and Σ w² =
// tr A² are holomorphic, so their gradients are the derivatives
// themselves, I and 2Aᵀ, with no conjugation; Re Σ w² has the same
// gradient, a real function's being ∂f/∂x − i ∂f/∂y.
func TestComplexEigGradients(t *testing.T) {
	rnd := newRand(57)
	a := randEig(rnd, []int{4, 4}, eigComplex)
	sumW := func(x ad.Value) ad.Value { w, _ := ad.Eig(x); return ad.SumAll(w) }
	sumW2 := func(x ad.Value) ad.Value { w, _ := ad.Eig(x); return ad.SumAll(ad.Mul(w, w)) }
	reSumW2 := func(x ad.Value) ad.Value { return ad.Real(sumW2(x)) }
	twoAT := ad.Unbox(ad.Mul(nd.Scalar(2), ad.Transpose(a, []int{1, 0})))
	for _, tc := range []struct {
		what string
		f    func(ad.Value) ad.Value
		want *nd.Array
	}{
		{"Σ w", sumW, fromRows(eye[complex128](4), true)},
		{"Σ w²", sumW2, twoAT},
		{"Re Σ w²", reSumW2, twoAT},
	} {
		g, err := ad.Grad(tc.f, a)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameValues(ad.Unbox(g), tc.want, 1e-11); err != nil {
			t.Errorf("gradient of %s: %v", tc.what, err)
		}
	}
}
