package tests_go

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file checks the linear-algebra primitives' values against direct
// computations with loops (L·Lᵀ = A, A·solve(A, b) = b, A·inv(A) = I, det
// by Gaussian elimination), their errors against numpy's, and the
// gradient of a Gaussian-process likelihood (the benchmark's workload)
// against finite differences. The derivative rules of each primitive are
// checked in prims_test.go.

// matrix returns matrix m (in C order) of the stack a as complex rows.
func matrix(a *nd.Array, m int) [][]complex128 {
	s := a.Shape()
	r, c := s[len(s)-2], s[len(s)-1]
	out := make([][]complex128, r)
	for i := range out {
		out[i] = make([]complex128, c)
		for j := range out[i] {
			out[i][j] = a.At(m*r*c + i*c + j)
		}
	}
	return out
}

// fromRows builds a (real unless cplx) matrix from rows.
func fromRows(rows [][]complex128, cplx bool) *nd.Array {
	var vals []complex128
	for _, r := range rows {
		vals = append(vals, r...)
	}
	return newArray([]int{len(rows), len(rows[0])}, vals, cplx)
}

// detRef is the determinant by Gaussian elimination with partial
// pivoting, in plain Go.
func detRef(a [][]complex128) complex128 {
	n := len(a)
	m := make([][]complex128, n)
	for i := range a {
		m[i] = append([]complex128(nil), a[i]...)
	}
	det := complex(1, 0)
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if cmplx.Abs(m[r][c]) > cmplx.Abs(m[p][c]) {
				p = r
			}
		}
		if m[p][c] == 0 {
			return 0
		}
		if p != c {
			m[p], m[c] = m[c], m[p]
			det = -det
		}
		det *= m[c][c]
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for j := c; j < n; j++ {
				m[r][j] -= f * m[c][j]
			}
		}
	}
	return det
}

// withTrailingAxis returns a with an extra axis of length 1 at the end
// (a vector right-hand side as a column), by copying its elements.
func withTrailingAxis(a *nd.Array) *nd.Array {
	return newArray(append(append([]int(nil), a.Shape()...), 1), elems(a), a.IsComplex())
}

// broadcastRef repeats a to shape by loops.
func broadcastRef(a *nd.Array, shape []int) *nd.Array {
	return fromFunc(shape, a.IsComplex(), func(idx []int) complex128 { return a.At(broadcastFlat(idx, a.Shape())) })
}

func TestCholeskyValues(t *testing.T) {
	rnd := newRand(41)
	for _, shape := range [][]int{{1, 1}, {3, 3}, {6, 6}, {2, 4, 4}, {2, 1, 3, 3}} {
		a := randArray(rnd, shape, posDef, false)
		l := ad.Unbox(ad.Cholesky(a))
		if !nd.SameShape(l.Shape(), shape) || l.IsComplex() {
			t.Fatalf("cholesky %v: shape %v dtype %v", shape, l.Shape(), l.DType())
		}
		n := shape[len(shape)-1]
		for m := 0; m < a.Size()/(n*n); m++ {
			L := matrix(l, m)
			for i := 0; i < n; i++ {
				if real(L[i][i]) <= 0 {
					t.Errorf("cholesky %v, matrix %d: diagonal entry %d is %v", shape, m, i, L[i][i])
				}
				for j := i + 1; j < n; j++ {
					if L[i][j] != 0 {
						t.Errorf("cholesky %v, matrix %d: upper entry (%d,%d) is %v", shape, m, i, j, L[i][j])
					}
				}
			}
			lt := make([][]complex128, n) // Lᵀ by loops
			for i := range lt {
				lt[i] = make([]complex128, n)
				for j := range lt[i] {
					lt[i][j] = L[j][i]
				}
			}
			prod := matmulRef(fromRows(L, false), fromRows(lt, false))
			if err := sameValues(prod, fromRows(matrix(a, m), false), 1e-13); err != nil {
				t.Errorf("cholesky %v, matrix %d: L·Lᵀ != A: %v", shape, m, err)
			}
		}
	}
	// as numpy, only the lower triangle is read
	a := randArray(rnd, []int{4, 4}, posDef, false)
	upper := fromFunc([]int{4, 4}, false, func(idx []int) complex128 {
		if idx[1] > idx[0] {
			return complex(float64(7*idx[0]-3*idx[1]), 0)
		}
		return 0
	})
	if err := sameValues(nd.Cholesky(axpy(a, 1, upper)), nd.Cholesky(a), 0); err != nil {
		t.Errorf("cholesky depends on the upper triangle: %v", err)
	}
	if got := nd.Cholesky(nd.Zeros([]int{2, 0, 0}, nd.Float64)); !nd.SameShape(got.Shape(), []int{2, 0, 0}) {
		t.Errorf("cholesky of (2,0,0): shape %v", got.Shape())
	}
}

func TestSolveValues(t *testing.T) {
	rnd := newRand(42)
	tests := []struct {
		a, b, want []int
		cplxB      bool
	}{
		{[]int{3, 3}, []int{3, 2}, []int{3, 2}, false},
		{[]int{3, 3}, []int{3}, []int{3}, false},
		{[]int{5, 5}, []int{5, 4}, []int{5, 4}, true},
		{[]int{2, 3, 3}, []int{3}, []int{2, 3}, false},
		{[]int{2, 3, 3}, []int{3, 1}, []int{2, 3, 1}, true},
		{[]int{3, 3}, []int{2, 3, 2}, []int{2, 3, 2}, false},
		{[]int{2, 1, 3, 3}, []int{3, 3, 2}, []int{2, 3, 3, 2}, false},
		{[]int{3, 3}, []int{3, 0}, []int{3, 0}, false},
	}
	for _, tc := range tests {
		a := randArray(rnd, tc.a, invertible, false)
		b := randArray(rnd, tc.b, anyReal, tc.cplxB)
		x := ad.Unbox(ad.Solve(a, b))
		if !nd.SameShape(x.Shape(), tc.want) || x.IsComplex() != tc.cplxB {
			t.Errorf("solve %v %v: shape %v dtype %v, want %v", tc.a, tc.b, x.Shape(), x.DType(), tc.want)
			continue
		}
		xm, bm := x, b
		if len(tc.b) == 1 { // numpy's vector case: compare as columns
			xm, bm = withTrailingAxis(x), withTrailingAxis(b)
		}
		if err := sameValues(matmulRef(a, xm), broadcastRef(bm, xm.Shape()), 1e-13); err != nil {
			t.Errorf("solve %v %v: A·x != b: %v", tc.a, tc.b, err)
		}
	}
}

func TestInvValues(t *testing.T) {
	rnd := newRand(43)
	for _, shape := range [][]int{{1, 1}, {4, 4}, {2, 3, 3}} {
		a := randArray(rnd, shape, invertible, false)
		inv := ad.Unbox(ad.Inv(a))
		n := shape[len(shape)-1]
		eye := fromFunc(shape, false, func(idx []int) complex128 {
			if idx[len(idx)-1] == idx[len(idx)-2] {
				return 1
			}
			return 0
		})
		if err := sameValues(matmulRef(a, inv), eye, 1e-13); err != nil {
			t.Errorf("inv %v: A·inv(A) != I: %v", shape, err)
		}
		if err := sameValues(matmulRef(inv, a), eye, 1e-13); err != nil {
			t.Errorf("inv %v (n=%d): inv(A)·A != I: %v", shape, n, err)
		}
	}
}

func TestDetValues(t *testing.T) {
	rnd := newRand(44)
	signs := map[float64]int{}
	for _, shape := range [][]int{{1, 1}, {3, 3}, {5, 5}, {4, 2, 2}, {3, 1, 4, 4}} {
		a := randArray(rnd, shape, invertible, false)
		n := shape[len(shape)-1]
		det, lad := ad.Unbox(ad.Det(a)), ad.Unbox(ad.LogAbsDet(a))
		sign, lad2 := ad.Slogdet(a)
		batch := shape[:len(shape)-2]
		for _, got := range []*nd.Array{det, lad, sign, ad.Unbox(lad2)} {
			if !nd.SameShape(got.Shape(), batch) {
				t.Fatalf("det of %v: shape %v, want %v", shape, got.Shape(), batch)
			}
		}
		for m := 0; m < a.Size()/(n*n); m++ {
			want := real(detRef(matrix(a, m)))
			signs[math.Copysign(1, want)]++
			if got := real(det.At(m)); math.Abs(got-want) > 1e-13*math.Abs(want) {
				t.Errorf("det %v, matrix %d: %v, want %v", shape, m, got, want)
			}
			if got := real(lad.At(m)); math.Abs(got-math.Log(math.Abs(want))) > 1e-13 {
				t.Errorf("logabsdet %v, matrix %d: %v, want log|%v|", shape, m, got, want)
			}
			if got := real(sign.At(m)); got != math.Copysign(1, want) {
				t.Errorf("slogdet sign %v, matrix %d: %v, want the sign of %v", shape, m, got, want)
			}
		}
	}
	if signs[1] == 0 || signs[-1] == 0 {
		t.Errorf("the test matrices should have determinants of both signs: %v", signs)
	}
	// singular: det 0, log|det| -inf, sign 0 (no error, as numpy)
	sing := nd.FromFloat64s([]int{3, 3}, []float64{1, 2, 3, 2, 4, 6, 0, 1, 5})
	if got := nd.Det(sing).At(0); got != 0 {
		t.Errorf("det of a singular matrix: %v", got)
	}
	sign, lad := nd.SlogDet(sing)
	if sign.At(0) != 0 || !math.IsInf(real(lad.At(0)), -1) {
		t.Errorf("slogdet of a singular matrix: %v %v, want 0 -inf", sign, lad)
	}
	if got := nd.Det(nd.Zeros([]int{0, 0}, nd.Float64)).At(0); got != 1 {
		t.Errorf("det of a 0×0 matrix: %v, want 1", got)
	}
}

func TestSolveTriangularValues(t *testing.T) {
	rnd := newRand(45)
	for _, cplx := range []bool{false, true} {
		for _, lower := range []bool{true, false} {
			for _, trans := range []bool{false, true} {
				for _, bs := range [][]int{{3, 2}, {3}, {2, 3, 1}} {
					a := randArray(rnd, []int{3, 3}, invertible, cplx)
					b := randArray(rnd, bs, anyReal, cplx)
					x := ad.Unbox(ad.SolveTriangular(a, b, lower, trans))
					// op(T) by loops: the chosen triangle of a, transposed if trans
					A := matrix(a, 0)
					op := make([][]complex128, 3)
					for i := range op {
						op[i] = make([]complex128, 3)
						for j := range op[i] {
							r, c := i, j
							if trans {
								r, c = j, i
							}
							if (lower && c <= r) || (!lower && c >= r) {
								op[i][j] = A[r][c]
							}
						}
					}
					xm, bm := x, b
					if len(bs) == 1 {
						xm, bm = withTrailingAxis(x), withTrailingAxis(b)
					}
					if err := sameValues(matmulRef(fromRows(op, cplx), xm), broadcastRef(bm, xm.Shape()), 1e-13); err != nil {
						t.Errorf("solve_triangular lower=%v trans=%v b%v complex=%v: op(T)·x != b: %v", lower, trans, bs, cplx, err)
					}
				}
			}
		}
	}
}

// TestLinalgErrors checks numpy's error kinds and messages.
func TestLinalgErrors(t *testing.T) {
	indefinite := nd.FromFloat64s([]int{2, 2}, []float64{1, 2, 2, 1})
	singular := nd.FromFloat64s([]int{2, 2}, []float64{1, 2, 2, 4})
	stack := nd.FromFloat64s([]int{2, 2, 2}, []float64{2, 0, 0, 2, 1, 2, 2, 4}) // the second is singular
	zeroDiag := nd.FromFloat64s([]int{2, 2}, []float64{1, 7, 5, 0})
	tests := []struct {
		name string
		f    func()
		kind nd.Kind
		msg  string
	}{
		{"cholesky of an indefinite matrix", func() { ad.Cholesky(indefinite) }, nd.LinAlgError, "Matrix is not positive definite"},
		{"cholesky of a negative 1×1", func() { ad.Cholesky(nd.FromFloat64s([]int{1, 1}, []float64{-1})) }, nd.LinAlgError, "Matrix is not positive definite"},
		{"solve with a singular matrix", func() { ad.Solve(singular, nd.Ones([]int{2}, nd.Float64)) }, nd.LinAlgError, "Singular matrix"},
		{"solve with a stack holding a singular matrix", func() { ad.Solve(stack, nd.Ones([]int{2, 1}, nd.Float64)) }, nd.LinAlgError, "Singular matrix"},
		{"inv of a singular matrix", func() { ad.Inv(singular) }, nd.LinAlgError, "Singular matrix"},
		{"inv of a stack holding a singular matrix", func() { ad.Inv(stack) }, nd.LinAlgError, "Singular matrix"},
		{"solve_triangular with a zero on the diagonal", func() { ad.SolveTriangular(zeroDiag, nd.Ones([]int{2}, nd.Float64), true, false) }, nd.LinAlgError, "Singular matrix"},
		{"inv of a non-square matrix", func() { ad.Inv(nd.Ones([]int{2, 3}, nd.Float64)) }, nd.LinAlgError, "Last 2 dimensions of the array must be square"},
		{"det of a vector", func() { ad.Det(nd.Ones([]int{3}, nd.Float64)) }, nd.LinAlgError, "1-dimensional array given. Array must be at least two-dimensional"},
		{"cholesky of a non-square stack", func() { ad.Cholesky(nd.Ones([]int{2, 3, 2}, nd.Float64)) }, nd.LinAlgError, "Last 2 dimensions of the array must be square"},
		{"solve with a mismatched b", func() { ad.Solve(singular, nd.Ones([]int{3, 2}, nd.Float64)) }, nd.ValueError,
			"solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m,n)->(m,n) (size 3 is different from 2)"},
		{"solve with batches that do not broadcast", func() { ad.Solve(stack, nd.Ones([]int{3, 2, 1}, nd.Float64)) }, nd.ValueError, ""},
		{"solve primitive with a 1-d b", func() { ad.Apply(ad.Lookup("solve"), nil, stack, nd.Ones([]int{2}, nd.Float64)) }, nd.ValueError, ""},
	}
	for _, tc := range tests {
		err := mustPanic(t, tc.name, tc.kind, tc.f)
		if err != nil && tc.msg != "" && err.Error() != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.name, err, tc.msg)
		}
	}
	// through the public entry points, as error values; a backward pass
	// through det at a singular matrix needs its inverse
	_, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.Cholesky(x)) }, indefinite)
	if kindOf(err) != nd.LinAlgError {
		t.Errorf("Grad through cholesky of an indefinite matrix: %v, want a LinAlgError", err)
	}
	_, err = ad.Grad(ad.Det, singular)
	if kindOf(err) != nd.LinAlgError {
		t.Errorf("Grad of det at a singular matrix: %v, want a LinAlgError", err)
	}
	checkStillWorks(t, "linear-algebra errors")
}

// TestLinalgComplexCases checks that no linear-algebra primitive is
// listed in realPrims (all take complex matrices), and that solve accepts
// a complex right-hand side with a real matrix.
func TestLinalgComplexCases(t *testing.T) {
	for _, name := range []string{"cholesky", "solve", "inv", "det", "logabsdet", "eigh", "svd"} {
		if _, ok := realPrims[name]; ok {
			t.Errorf("%s is listed in realPrims, but takes complex matrices", name)
		}
	}
	x := ad.Unbox(ad.Solve(nd.FromFloat64s([]int{2, 2}, []float64{2, 0, 0, 4}), nd.FromComplex128s([]int{2}, []complex128{2 + 4i, 1i})))
	if err := sameValues(x, nd.FromComplex128s([]int{2}, []complex128{1 + 2i, 0.25i}), 1e-15); err != nil {
		t.Errorf("solve with a complex right-hand side: %v", err)
	}
}

// detPerm is the determinant by cofactor expansion along the first row
// (the permutation expansion), in plain Go: independent of any
// elimination, for small n.
func detPerm(a [][]complex128) complex128 {
	n := len(a)
	if n == 0 {
		return 1
	}
	var det complex128
	sign := complex(1, 0)
	for j := 0; j < n; j++ {
		minor := make([][]complex128, n-1)
		for i := 1; i < n; i++ {
			minor[i-1] = append(append([]complex128(nil), a[i][:j]...), a[i][j+1:]...)
		}
		det += sign * a[0][j] * detPerm(minor)
		sign = -sign
	}
	return det
}

// randGeneral returns a stack of complex matrices with entries drawn from
// [-2,2]+i[-1/2,1/2], not diagonally dominant: their factorization pivots.
func randGeneral(rnd *rand.Rand, shape []int) *nd.Array {
	return randArray(rnd, shape, anyReal, true)
}

// pivoting is a complex matrix whose factorization must swap rows: its
// first column is zero but for the last entry.
var pivoting = nd.FromComplex128s([]int{3, 3}, []complex128{
	0, 1 + 1i, 2,
	0, 3, -1i,
	2 - 1i, 0.5, 1,
})

// TestComplexLinalgValues checks solve, inv, det and slogdet of complex
// matrices (nd's complex LU) against direct computations: A·solve(A, B) =
// B, A·inv(A) = I, det by cofactor expansion, and sign·exp(logabsdet) =
// det with |sign| = 1.
func TestComplexLinalgValues(t *testing.T) {
	rnd := newRand(47)
	mats := []*nd.Array{pivoting}
	for _, shape := range [][]int{{1, 1}, {2, 2}, {4, 4}, {5, 5}, {3, 2, 3, 3}} {
		mats = append(mats, randGeneral(rnd, shape), randArray(rnd, shape, invertible, true))
	}
	for _, a := range mats {
		shape := a.Shape()
		n := shape[len(shape)-1]
		batch := shape[:len(shape)-2]
		// solve, with a real and a complex right-hand side, matrix and vector
		for _, cplxB := range []bool{false, true} {
			for _, bs := range [][]int{{n, 3}, {n}, {2, n, 2}} {
				b := randArray(rnd, bs, anyReal, cplxB)
				x := ad.Unbox(ad.Solve(a, b))
				if !x.IsComplex() {
					t.Errorf("solve %v %v: dtype %v, want complex128", shape, bs, x.DType())
				}
				xm, bm := x, b
				if len(bs) == 1 {
					xm, bm = withTrailingAxis(x), withTrailingAxis(b)
				}
				if err := sameValues(matmulRef(a, xm), broadcastRef(bm, xm.Shape()), 1e-12); err != nil {
					t.Errorf("solve %v %v (complex b %v): A·x != b: %v", shape, bs, cplxB, err)
				}
			}
		}
		// inv
		inv := ad.Unbox(ad.Inv(a))
		eye := fromFunc(shape, true, func(idx []int) complex128 {
			if idx[len(idx)-1] == idx[len(idx)-2] {
				return 1
			}
			return 0
		})
		if err := sameValues(matmulRef(a, inv), eye, 1e-12); err != nil {
			t.Errorf("inv %v: A·inv(A) != I: %v", shape, err)
		}
		if err := sameValues(matmulRef(inv, a), eye, 1e-12); err != nil {
			t.Errorf("inv %v: inv(A)·A != I: %v", shape, err)
		}
		// det, slogdet
		det, lad := ad.Unbox(ad.Det(a)), ad.Unbox(ad.LogAbsDet(a))
		sign, lad2 := ad.Slogdet(a)
		if !det.IsComplex() || lad.IsComplex() || !sign.IsComplex() {
			t.Errorf("det %v: dtypes det %v logabsdet %v sign %v, want complex, real, complex", shape, det.DType(), lad.DType(), sign.DType())
		}
		for _, got := range []*nd.Array{det, lad, sign, ad.Unbox(lad2)} {
			if !nd.SameShape(got.Shape(), batch) {
				t.Fatalf("det of %v: shape %v, want %v", shape, got.Shape(), batch)
			}
		}
		for m := 0; m < a.Size()/(n*n); m++ {
			want := detPerm(matrix(a, m))
			if got := det.At(m); cmplx.Abs(got-want) > 1e-12*cmplx.Abs(want) {
				t.Errorf("det %v, matrix %d: %v, want %v", shape, m, got, want)
			}
			if got := real(lad.At(m)); math.Abs(got-math.Log(cmplx.Abs(want))) > 1e-12 {
				t.Errorf("logabsdet %v, matrix %d: %v, want log|%v|", shape, m, got, want)
			}
			s := sign.At(m)
			if math.Abs(cmplx.Abs(s)-1) > 1e-14 {
				t.Errorf("slogdet sign %v, matrix %d: %v, modulus not 1", shape, m, s)
			}
			if got := s * complex(math.Exp(real(lad.At(m))), 0); cmplx.Abs(got-want) > 1e-12*cmplx.Abs(want) {
				t.Errorf("slogdet %v, matrix %d: sign·exp(logabsdet) = %v, want det %v", shape, m, got, want)
			}
		}
	}
	// a 0×0 complex matrix: det 1, sign 1, log|det| 0; empty solve and inv
	e := nd.Zeros([]int{0, 0}, nd.Complex128)
	if got := nd.Det(e); got.At(0) != 1 || !got.IsComplex() {
		t.Errorf("det of a complex 0×0 matrix: %v, want (1+0i)", got)
	}
	if got := nd.Solve(nd.Zeros([]int{2, 0, 0}, nd.Complex128), nd.Zeros([]int{0, 3}, nd.Float64)); !nd.SameShape(got.Shape(), []int{2, 0, 3}) {
		t.Errorf("solve with (2,0,0) and (0,3): shape %v", got.Shape())
	}
	if got := nd.Inv(nd.Zeros([]int{3, 0, 0}, nd.Complex128)); !nd.SameShape(got.Shape(), []int{3, 0, 0}) {
		t.Errorf("inv of (3,0,0): shape %v", got.Shape())
	}
}

// TestComplexSingular checks numpy's behaviour at singular complex
// matrices: solve and inv raise LinAlgError "Singular matrix" (also for
// one singular matrix in a stack, and for a matrix that is singular only
// once elimination has run), det is 0 and slogdet (0, -inf).
func TestComplexSingular(t *testing.T) {
	// rank 2: the third row is the sum of the first two; every step of
	// elimination is exact (dyadic entries, pivots 2 and -1), so a zero
	// pivot appears only at the last step, as with numpy's LAPACK
	sing := nd.FromComplex128s([]int{3, 3}, []complex128{
		1, 1i, 2,
		1, 2 + 1i, -1i,
		2, 2 + 2i, 2 - 1i,
	})
	zeroCol := nd.FromComplex128s([]int{2, 2}, []complex128{0, 1i, 0, 2})
	stack := nd.FromComplex128s([]int{2, 2, 2}, []complex128{2, 1i, 0, 2, 1i, 2, -1, 2i}) // the second is singular
	for name, a := range map[string]*nd.Array{"rank 2": sing, "zero column": zeroCol, "stack": stack} {
		for op, f := range map[string]func(){
			"solve":        func() { ad.Solve(a, nd.Ones([]int{a.Shape()[1]}, nd.Float64)) },
			"solve matrix": func() { ad.Solve(a, nd.Ones([]int{a.Shape()[1], 2}, nd.Complex128)) },
			"inv":          func() { ad.Inv(a) },
		} {
			err := mustPanic(t, op+" of a singular complex matrix ("+name+")", nd.LinAlgError, f)
			if err != nil && err.Error() != "Singular matrix" {
				t.Errorf("%s of a singular complex matrix (%s): message %q", op, name, err)
			}
		}
	}
	for name, a := range map[string]*nd.Array{"rank 2": sing, "zero column": zeroCol} {
		if got := nd.Det(a); got.At(0) != 0 || !got.IsComplex() {
			t.Errorf("det of a singular complex matrix (%s): %v, want complex 0", name, got)
		}
		sign, lad := nd.SlogDet(a)
		if sign.At(0) != 0 || !math.IsInf(real(lad.At(0)), -1) || !sign.IsComplex() || lad.IsComplex() {
			t.Errorf("slogdet of a singular complex matrix (%s): %v %v, want 0 (complex) and -inf (real)", name, sign, lad)
		}
	}
	sign, lad := nd.SlogDet(stack)
	if sign.At(1) != 0 || !math.IsInf(real(lad.At(1)), -1) || sign.At(0) != 1 || math.Abs(real(lad.At(0))-math.Log(4)) > 1e-15 {
		t.Errorf("slogdet of a stack with a singular complex matrix: %v %v", sign, lad)
	}
	_, err := ad.Grad(func(x ad.Value) ad.Value { return ad.Real(ad.Det(x)) }, zeroCol)
	if kindOf(err) != nd.LinAlgError {
		t.Errorf("Grad of det at a singular complex matrix: %v, want a LinAlgError", err)
	}
	checkStillWorks(t, "complex linear-algebra errors")
}

// gpNLL returns the benchmark's Gaussian-process negative log-likelihood
// (up to a constant) of the data (x, y) as a function of theta = (log
// length scale, log signal variance, log noise variance):
//
//	K = sf·exp(-((x_i - x_j)/ls)²/2) + (sn + 1e-6)·I
//	nll = yᵀ K⁻¹ y / 2 + Σ log diag(chol K)
func gpNLL(x, y []float64) func(theta ad.Value) ad.Value {
	n := len(x)
	diff := make([]float64, n*n)
	eye := make([]float64, n*n)
	diag := make([]int, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			diff[i*n+j] = x[i] - x[j]
		}
		eye[i*n+i] = 1
		diag[i] = i*n + i
	}
	D := nd.FromFloat64s([]int{n, n}, diff)
	I := nd.FromFloat64s([]int{n, n}, eye)
	Y := nd.FromFloat64s([]int{n}, y)
	return func(theta ad.Value) ad.Value {
		at := func(i int) ad.Value { return ad.Gather(theta, []int{i}, []int{}) }
		ls, sf, sn := ad.Exp(at(0)), ad.Exp(at(1)), ad.Exp(at(2))
		d := ad.Div(D, ls)
		K := ad.Add(ad.Mul(sf, ad.Exp(ad.Mul(nd.Scalar(-0.5), ad.Square(d)))), ad.Mul(ad.Add(sn, nd.Scalar(1e-6)), I))
		L := ad.Cholesky(K)
		alpha := ad.Solve(K, Y)
		return ad.Add(ad.Mul(nd.Scalar(0.5), ad.Dot(Y, alpha)), ad.SumAll(ad.Log(ad.Gather(L, diag, []int{n}))))
	}
}

// TestGPLikelihoodGradients checks the benchmark's workload: its value
// against a direct computation and its derivatives of first and second
// order, in both modes, against finite differences.
func TestGPLikelihoodGradients(t *testing.T) {
	rnd := newRand(46)
	const n = 20
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 10 * float64(i) / n
		y[i] = math.Sin(x[i]) + 0.1*uniform(rnd, -1, 1)
	}
	nll := gpNLL(x, y)
	theta := nd.FromFloat64s([]int{3}, []float64{0, 0, -2})
	f := func(xs []ad.Value) ad.Value { return nll(xs[0]) }

	// value: 0.5 yᵀ K⁻¹ y + log det K / 2, with K built and solved by loops
	ls, sf, sn := 1.0, 1.0, math.Exp(-2)
	K := make([][]complex128, n)
	for i := range K {
		K[i] = make([]complex128, n)
		for j := range K[i] {
			d := (x[i] - x[j]) / ls
			K[i][j] = complex(sf*math.Exp(-0.5*d*d), 0)
		}
		K[i][i] += complex(sn+1e-6, 0)
	}
	var quad float64 // yᵀ K⁻¹ y = yᵀ K⁻¹ K K⁻¹ y, with K⁻¹ y from the library checked by loops
	alpha := ad.Unbox(ad.Solve(fromRows(K, false), nd.FromFloat64s([]int{n}, y)))
	for i := 0; i < n; i++ {
		var r complex128
		for j := 0; j < n; j++ {
			r += K[i][j] * alpha.At(j)
		}
		if cmplx.Abs(r-complex(y[i], 0)) > 1e-9 {
			t.Fatalf("K·alpha differs from y at %d: %v vs %v", i, r, y[i])
		}
		quad += y[i] * real(alpha.At(i))
	}
	want := 0.5*quad + 0.5*math.Log(real(detRef(K)))
	if got := real(ad.Unbox(nll(theta)).At(0)); math.Abs(got-want) > 1e-8*math.Abs(want) {
		t.Errorf("nll(theta) = %v, want %v", got, want)
	}

	p := point{xs: []*nd.Array{theta}, diff: []bool{true}}
	for _, ch := range append(firstOrder(f, p, rnd), secondOrder(f, p, rnd)...) {
		if err := ch.run(); err != nil {
			t.Errorf("%s: %v", ch.name, err)
		}
	}
	if _, err := ad.Hessian(nll, theta); err != nil {
		t.Errorf("Hessian of the likelihood: %v", err)
	}
}

// TestSolveTransposedSharesFactors checks Aᵀx = b solved from the LU
// factors Solve kept with A, against a solve with Aᵀ itself, for a stack,
// a broadcast b and a singular matrix (an error both ways).
func TestSolveTransposedSharesFactors(t *testing.T) {
	rnd := newRand(5)
	for _, shape := range [][]int{{4, 4}, {3, 5, 5}} {
		a := randMatrices(rnd, shape, invertible, false)
		b := nd.FromFloat64s([]int{shape[len(shape)-1], 2}, reals(rnd, 2*shape[len(shape)-1]))
		_ = nd.Solve(a, b) // factors a
		got := nd.SolveTransposed(a, b)
		want := nd.Solve(nd.Transpose(a, swapLast(len(shape))), b)
		if err := sameValues(got, want, 1e-12); err != nil {
			t.Errorf("shape %v: %v", shape, err)
		}
	}
	singular := nd.FromFloat64s([]int{2, 2}, []float64{1, 2, 2, 4})
	for _, f := range []func(){
		func() { nd.SolveTransposed(singular, nd.Ones([]int{2, 1}, nd.Float64)) },
		func() { nd.Solve(singular, nd.Ones([]int{2, 0}, nd.Float64)) },
	} {
		if err := catch(f); kindOf(err) != nd.LinAlgError {
			t.Errorf("singular matrix: %v, want a LinAlgError", err)
		}
	}
}

func swapLast(ndim int) []int {
	p := make([]int, ndim)
	for i := range p {
		p[i] = i
	}
	p[ndim-1], p[ndim-2] = ndim-2, ndim-1
	return p
}
