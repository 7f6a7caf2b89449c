package tests_go

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"sort"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file checks eig (the general eigendecomposition) by what defines
// it: A V = V diag(w) with the known spectrum, unit columns, the phase
// convention, conjugate pairs, and numpy's errors. Its derivatives are in
// the finite-difference table (prims_test.go), drawn from the domains
// below.

// Domains of stacks of square matrices for eig, drawn by randEig.
const (
	eigReal    domain = 100 + iota // S D S⁻¹, D real diagonal with entries at least 0.6 apart
	eigPair                        // the same with the first two eigenvalues a pair a ± ib, |b| in [0.6, 0.9] (order ≥ 2)
	eigComplex                     // complex S D S⁻¹: S complex, D's real parts as eigReal's, imaginary parts in [-0.5, 0.5]
)

// eigSpectrum returns the eigenvalues randEig builds a matrix of order n
// from, and the block diagonal matrix D (C order) with that spectrum.
func eigSpectrum(rnd *rand.Rand, n int, d domain) ([]complex128, []float64) {
	w := make([]complex128, n)
	dm := make([]float64, n*n)
	perm := rnd.Perm(n)
	for i := 0; i < n; i++ {
		x := 0.75*float64(perm[i]) - 0.375*float64(n-1) + uniform(rnd, -0.075, 0.075)
		w[i] = complex(x, 0)
		dm[i*n+i] = x
	}
	if d == eigComplex {
		for i := range w {
			w[i] += complex(0, uniform(rnd, -0.5, 0.5))
		}
		return w, dm // the imaginary parts are added by randEigSpectrum
	}
	if d == eigPair && n >= 2 {
		re, im := uniform(rnd, -0.3, 0.3), randomSign(rnd)*uniform(rnd, 0.6, 0.9)
		w[0], w[1] = complex(re, im), complex(re, -im)
		dm[0], dm[1], dm[n], dm[n+1] = re, im, -im, re
		// the real eigenvalues stay at least 0.6 from the pair (|im| ≥ 0.6)
	}
	return w, dm
}

// randEig returns a stack of matrices S D S⁻¹ with S from the invertible
// domain and D from eigSpectrum: real, or complex for eigComplex.
func randEig(rnd *rand.Rand, shape []int, d domain) *nd.Array {
	a, _ := randEigSpectrum(rnd, shape, d)
	return a
}

// randEigSpectrum is randEig, also returning each matrix's eigenvalues.
func randEigSpectrum(rnd *rand.Rand, shape []int, d domain) (*nd.Array, [][]complex128) {
	n := shape[len(shape)-1]
	cplx := d == eigComplex
	s := randMatrices(rnd, shape, invertible, cplx)
	vals := make([]complex128, nd.Prod(shape))
	var spectra [][]complex128
	for m := 0; m < len(vals); m += n * n {
		w, dm := eigSpectrum(rnd, n, d)
		for i, x := range dm {
			vals[m+i] = complex(x, 0)
		}
		if cplx {
			for i := 0; i < n; i++ {
				vals[m+i*n+i] = w[i]
			}
		}
		spectra = append(spectra, w)
	}
	dd := newArray(shape, vals, cplx)
	return ad.Unbox(ad.Matmul(ad.Matmul(s, dd), ad.Inv(s))), spectra
}

// sortedSpectrum sorts eigenvalues by real part, then imaginary part.
func sortedSpectrum(w []complex128) []complex128 {
	out := append([]complex128(nil), w...)
	sort.Slice(out, func(i, j int) bool {
		if real(out[i]) != real(out[j]) {
			return real(out[i]) < real(out[j])
		}
		return imag(out[i]) < imag(out[j])
	})
	return out
}

// checkEigFactors checks the packed factors of one matrix a (n×n, C
// order): A V = V diag(w), unit columns, each column's entry of largest
// modulus real and positive, conjugate pairs adjacent (positive imaginary
// part first, vectors conjugate), and the eigenvalues equal to want (any
// order; nil to skip).
func checkEigFactors(t *testing.T, what string, a []float64, w, v []complex128, want []complex128) {
	t.Helper()
	n := len(w)
	for j := 0; j < n; j++ {
		var nrm float64
		for i := 0; i < n; i++ {
			var av complex128
			for l := 0; l < n; l++ {
				av += complex(a[i*n+l], 0) * v[l*n+j]
			}
			if !near(av, w[j]*v[i*n+j], 1e-12, 4) {
				t.Errorf("%s: (A v_%d)_%d = %v, w_%d v_%d = %v", what, j, i, av, j, i, w[j]*v[i*n+j])
			}
			nrm += real(v[i*n+j] * cmplx.Conj(v[i*n+j]))
		}
		if math.Abs(nrm-1) > 1e-13 {
			t.Errorf("%s: column %d has squared norm %v", what, j, nrm)
		}
		k := 0
		for i := 1; i < n; i++ {
			if cmplx.Abs(v[i*n+j]) > cmplx.Abs(v[k*n+j])+1e-12 {
				k = i
			}
		}
		if z := v[k*n+j]; imag(z) != 0 || real(z) <= 0 {
			t.Errorf("%s: column %d's largest entry %v is not real and positive", what, j, z)
		}
		if imag(w[j]) > 0 {
			if j+1 >= n || w[j+1] != cmplx.Conj(w[j]) {
				t.Errorf("%s: eigenvalue %d (%v) is not followed by its conjugate: %v", what, j, w[j], w)
			}
		}
		if imag(w[j]) < 0 && (j == 0 || w[j-1] != cmplx.Conj(w[j])) {
			t.Errorf("%s: eigenvalue %d (%v) does not follow its conjugate: %v", what, j, w[j], w)
		}
	}
	if want != nil {
		got, exp := sortedSpectrum(w), sortedSpectrum(want)
		for i := range got {
			if !near(got[i], exp[i], 1e-10, 1) {
				t.Errorf("%s: eigenvalues %v, want %v", what, got, exp)
				break
			}
		}
	}
}

func TestEigFactors(t *testing.T) {
	rnd := newRand(41)
	for _, tc := range []struct {
		shape []int
		d     domain
	}{{[]int{1, 1}, eigReal}, {[]int{3, 3}, eigReal}, {[]int{3, 3}, eigPair}, {[]int{2, 2}, eigPair},
		{[]int{6, 6}, eigPair}, {[]int{2, 4, 4}, eigPair}, {[]int{2, 1, 5, 5}, eigReal}} {
		a, spectra := randEigSpectrum(rnd, tc.shape, tc.d)
		w, v := ad.Eig(a)
		wa, va := ad.Unbox(w), ad.Unbox(v)
		n := tc.shape[len(tc.shape)-1]
		batch := tc.shape[:len(tc.shape)-2]
		if !nd.SameShape(wa.Shape(), append(append([]int(nil), batch...), n)) || !nd.SameShape(va.Shape(), tc.shape) ||
			!wa.IsComplex() || !va.IsComplex() {
			t.Fatalf("eig %v: w %v %v, v %v %v", tc.shape, wa.Shape(), wa.DType(), va.Shape(), va.DType())
		}
		for m := range nd.Prod(batch) {
			checkEigFactors(t, "eig "+nd.ShapeString(tc.shape), a.Float64s()[m*n*n:(m+1)*n*n],
				wa.Complex128s()[m*n:(m+1)*n], va.Complex128s()[m*n*n:(m+1)*n*n], spectra[m])
		}
	}
	// random matrices (no constructed spectrum): the factors still hold
	for _, shape := range [][]int{{5, 5}, {3, 4, 4}} {
		a := randArray(rnd, shape, anyReal, false)
		w, v := ad.Eig(a)
		n := shape[len(shape)-1]
		for m := range nd.Prod(shape[:len(shape)-2]) {
			checkEigFactors(t, "eig of random "+nd.ShapeString(shape), a.Float64s()[m*n*n:(m+1)*n*n],
				ad.Unbox(w).Complex128s()[m*n:(m+1)*n], ad.Unbox(v).Complex128s()[m*n*n:(m+1)*n*n], nil)
		}
	}
}

// TestEigKnown checks eig of a rotation by hand: w = (i, −i), v_1 =
// (1, −i)/√2 (the first entry wins the tie of moduli), v_2 its conjugate;
// and of a triangular matrix, whose eigenvalues are its diagonal.
func TestEigKnown(t *testing.T) {
	w, v := ad.Eig(nd.FromFloat64s([]int{2, 2}, []float64{0, -1, 1, 0}))
	r := 1 / math.Sqrt2
	if err := sameValues(ad.Unbox(w), nd.FromComplex128s([]int{2}, []complex128{1i, -1i}), 1e-15); err != nil {
		t.Errorf("eig of a rotation: eigenvalues: %v", err)
	}
	want := nd.FromComplex128s([]int{2, 2}, []complex128{complex(r, 0), complex(r, 0), complex(0, -r), complex(0, r)})
	if err := sameValues(ad.Unbox(v), want, 1e-15); err != nil {
		t.Errorf("eig of a rotation: eigenvectors: %v", err)
	}
	a := []float64{2, 1, 0, 0, -1, 3, 0, 0, 0.5}
	w, v = ad.Eig(nd.FromFloat64s([]int{3, 3}, a))
	checkEigFactors(t, "eig of a triangular matrix", a, ad.Unbox(w).Complex128s(), ad.Unbox(v).Complex128s(), []complex128{2, -1, 0.5})
	if got := ad.Unbox(w).Complex128s(); got[0] != 2 || got[1] != -1 || got[2] != 0.5 {
		t.Errorf("eig of an upper triangular matrix: eigenvalues %v, want LAPACK's order [2 -1 0.5]", got)
	}
	w, v = ad.Eig(nd.Zeros([]int{0, 0}, nd.Float64))
	if s := ad.Unbox(w).Shape(); !nd.SameShape(s, []int{0}) || !nd.SameShape(ad.Unbox(v).Shape(), []int{0, 0}) {
		t.Errorf("eig of a 0×0 matrix: shapes %v %v", s, ad.Unbox(v).Shape())
	}
}

func TestEigErrors(t *testing.T) {
	mustPanic(t, "eig of a matrix with a NaN", nd.LinAlgError,
		func() { ad.Eig(nd.FromFloat64s([]int{2, 2}, []float64{1, math.NaN(), 0, 1})) })
	mustPanic(t, "eig of a matrix with an infinity", nd.LinAlgError,
		func() { ad.Eig(nd.FromFloat64s([]int{2, 2}, []float64{1, 0, math.Inf(1), 1})) })
	mustPanic(t, "eig of a non-square matrix", nd.LinAlgError,
		func() { ad.Eig(nd.FromFloat64s([]int{2, 3}, make([]float64, 6))) })
	mustPanic(t, "eig of a vector", nd.LinAlgError,
		func() { ad.Eig(nd.FromFloat64s([]int{3}, make([]float64, 3))) })
}

// TestEigPhaseTermMatters checks that the finite-difference table would
// catch a rule without the phase term: along a random direction, the
// tangent of Im V at a matrix with a conjugate pair differs from the
// tangent of the unnormalised-phase derivative (U − V diag(Re diag VᴴU)),
// i.e. the phase term is not zero there.
func TestEigPhaseTermMatters(t *testing.T) {
	rnd := newRand(43)
	a := randEig(rnd, []int{3, 3}, eigPair)
	dir := randArray(rnd, []int{3, 3}, anyReal, false)
	tr := ad.NewTrace(ad.Forward)
	_, v := ad.Eig(ad.NewForwardRoot(tr, a, dir))
	dv := ad.Unbox(ad.Tangent(tr, v)).Complex128s()
	va := ad.Unbox(v).Complex128s()
	// at the fixed entry V_kj (real and positive), the phase term makes
	// Im(V̇_kj) = 0: the tangent keeps V_kj real
	ks := nd.EigPhaseRows(ad.Unbox(ad.Apply(ad.Lookup("eig"), nil, a)))
	for j, k := range ks {
		if math.Abs(imag(dv[k*3+j])) > 1e-12 {
			t.Errorf("column %d: tangent %v of the real entry %v is not real", j, dv[k*3+j], va[k*3+j])
		}
	}
}
