package nd

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/cblas128"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// This file holds the LAPACK-backed kernels of numpy.linalg: Cholesky,
// Solve, Inv, Det, LogAbsDet and SolveTriangular. Each works on a stack of
// square matrices (the last two axes; the leading axes are a batch, which
// broadcasts between the two operands of Solve and SolveTriangular).
//
// gonum has LAPACK for float64 only (its lapack.Complex128 interface is
// empty). Solve, Inv, Det and LogAbsDet factor a complex matrix with this
// package's own complex LU (clu.go), Cholesky (and the decompositions of
// decomp.go) with the Jacobi-based kernels of cdecomp.go. Complex right-hand
// sides of Solve, and complex triangular solves (BLAS Trsm, which gonum
// has for complex128), are supported.

// matrixStack checks that a is a stack of matrices, with numpy's error,
// and returns its batch shape and the matrices' shape.
func matrixStack(a *Array) (batch []int, m, n int) {
	nd := a.Ndim()
	if nd < 2 {
		panic(Errorf(LinAlgError, "%d-dimensional array given. Array must be at least two-dimensional", nd))
	}
	return cloneInts(a.shape[:nd-2]), a.shape[nd-2], a.shape[nd-1]
}

// squareStack checks that a is a stack of square matrices, with numpy's
// errors, and returns its batch shape and the matrices' order.
func squareStack(a *Array) (batch []int, n int) {
	batch, m, n := matrixStack(a)
	if m != n {
		panic(Errorf(LinAlgError, "Last 2 dimensions of the array must be square"))
	}
	return batch, n
}

// rhsStack checks that b is a stack of (n, k) matrices to pair with a
// stack of order-n matrices, with numpy's gufunc error, and returns b's
// batch shape and k.
func rhsStack(name string, b *Array, n int) (batch []int, k int) {
	nd := b.Ndim()
	if nd < 2 {
		panic(Errorf(ValueError, "%s: Input operand 1 does not have enough dimensions (has %d, gufunc core with signature (m,m),(m,n)->(m,n) requires 2)", name, nd))
	}
	if b.shape[nd-2] != n {
		panic(Errorf(ValueError, "%s: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m,n)->(m,n) (size %d is different from %d)", name, b.shape[nd-2], n))
	}
	return cloneInts(b.shape[:nd-2]), b.shape[nd-1]
}

// batchIndex returns, for each position of the batch shape batch (in C
// order), the index of the matching matrix in an operand whose batch
// shape is own: own is aligned to the right of batch, and its length-1
// axes repeat, as in broadcasting.
func batchIndex(batch, own []int) []int {
	out := make([]int, Prod(batch))
	lead := len(batch) - len(own)
	st := Strides(own)
	idx := make([]int, len(batch))
	for i := range out {
		off := 0
		for d := lead; d < len(batch); d++ {
			if own[d-lead] != 1 {
				off += idx[d] * st[d-lead]
			}
		}
		out[i] = off
		for d := len(batch) - 1; d >= 0; d-- { // next multi-index
			idx[d]++
			if idx[d] < batch[d] {
				break
			}
			idx[d] = 0
		}
	}
	return out
}

// square describes data as a C-ordered n×n matrix.
func square(data []float64, n int) blas64.General {
	return blas64.General{Rows: n, Cols: n, Stride: max(n, 1), Data: data}
}

// luFactor computes the LU factorization of the n×n matrix at src into lu
// (overwritten) and ipiv; it reports false when a pivot is exactly zero.
func luFactor(lu []float64, src []float64, ipiv []int, n int) bool {
	copy(lu, src)
	return lapack64.Getrf(square(lu, n), ipiv)
}

// Cholesky returns, for each matrix A of the stack a, the lower-triangular
// factor L with L·Lᵀ = A (its upper triangle is zero), as
// numpy.linalg.cholesky: only A's lower triangle (diagonal included) is
// read, the upper one is taken to mirror it. A matrix that is not
// positive definite is a LinAlgError with numpy's message. A complex
// matrix is taken as Hermitian (L·Lᴴ = A, the real part of its diagonal
// read, as zpotrf) and factored by cdecomp.go's own kernel.
func Cholesky(a *Array) *Array {
	batch, n := squareStack(a)
	if a.IsComplex() {
		return complexCholesky(a, batch, n)
	}
	out := Zeros(a.shape, Float64)
	for m := range Prod(batch) {
		src, dst := a.re[m*n*n:(m+1)*n*n], out.re[m*n*n:(m+1)*n*n]
		for i := 0; i < n; i++ {
			copy(dst[i*n:i*n+i+1], src[i*n:i*n+i+1])
		}
		if n == 0 {
			continue
		}
		if _, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Lower, N: n, Stride: n, Data: dst}); !ok {
			panic(Errorf(LinAlgError, "Matrix is not positive definite"))
		}
	}
	return out
}

// Solve returns x with A·x = B for each matrix A of the stack a and the
// matching (n, k) matrix B of the stack b, the batch axes broadcasting, as
// numpy.linalg.solve does for a b of two or more dimensions (the caller
// handles numpy's vector case by giving b a trailing axis of length 1).
// For a real a, a complex b is solved for its real and imaginary parts
// with LAPACK; a complex a is factored by complex LU (clu.go) and the
// result is complex. A singular matrix (an exactly zero pivot) is a
// LinAlgError. A real a keeps its LU factors (unless its memory is the
// caller's, see Foreign), so that solving with it again, or with its
// transpose (SolveTransposed, which a reverse pass needs), factors
// nothing.
func Solve(a, b *Array) *Array { return solve(a, b, false) }

// SolveTransposed returns x with Aᵀ·x = B for each matrix A of the stack
// a, as Solve (from the same LU factors).
func SolveTransposed(a, b *Array) *Array { return solve(a, b, true) }

// luFactors are the LU factorizations of a stack of real matrices.
type luFactors struct {
	lu   []float64 // the factors of matrix m at lu[m*n*n:]
	ipiv [][]int
}

// factors returns the LU factorizations of the real stack a (batch of
// count matrices of order n), computed once per array.
func (a *Array) factors(count, n int) *luFactors {
	if f := a.lu.Load(); f != nil {
		return f
	}
	f := &luFactors{lu: make([]float64, count*n*n), ipiv: make([][]int, count)}
	for m := range f.ipiv {
		f.ipiv[m] = make([]int, n)
		if !luFactor(f.lu[m*n*n:(m+1)*n*n], a.re[m*n*n:], f.ipiv[m], n) {
			panic(Errorf(LinAlgError, "Singular matrix"))
		}
	}
	if a.keep == nil { // a caller's memory may change under us: no cache
		a.lu.Store(f)
	}
	return f
}

func solve(a, b *Array, transposed bool) *Array {
	abatch, n := squareStack(a)
	bbatch, k := rhsStack("solve", b, n)
	batch := BroadcastShapes(abatch, bbatch)
	if a.IsComplex() {
		if transposed {
			a = Transpose(a, swapLastTwo(a.Ndim()))
		}
		return complexSolve(a, b, batch, abatch, bbatch, n, k)
	}
	shape := append(cloneInts(batch), n, k)
	if n == 0 {
		return Zeros(shape, b.DType())
	}
	f := a.factors(Prod(abatch), n) // a singular matrix fails even when there is nothing to solve
	if k == 0 {
		return Zeros(shape, b.DType())
	}
	out := empty(shape, b.DType())
	ia, ib := batchIndex(batch, abatch), batchIndex(batch, bbatch)
	cols := k // a complex b is solved as the real n×2k matrix [Re B | Im B]
	if b.IsComplex() {
		cols = 2 * k
	}
	rhs := make([]float64, n*cols)
	trans := blas.NoTrans
	if transposed {
		trans = blas.Trans
	}
	for m := range ia {
		if b.IsComplex() {
			src := b.cx[ib[m]*n*k:]
			for i := 0; i < n; i++ {
				for j := 0; j < k; j++ {
					rhs[i*cols+j], rhs[i*cols+k+j] = real(src[i*k+j]), imag(src[i*k+j])
				}
			}
		} else {
			copy(rhs, b.re[ib[m]*n*k:(ib[m]+1)*n*k])
		}
		lapack64.Getrs(trans, square(f.lu[ia[m]*n*n:(ia[m]+1)*n*n], n), blas64.General{Rows: n, Cols: cols, Stride: cols, Data: rhs}, f.ipiv[ia[m]])
		if b.IsComplex() {
			dst := out.cx[m*n*k:]
			for i := 0; i < n; i++ {
				for j := 0; j < k; j++ {
					dst[i*k+j] = complex(rhs[i*cols+j], rhs[i*cols+k+j])
				}
			}
		} else {
			copy(out.re[m*n*k:], rhs)
		}
	}
	return out
}

// swapLastTwo is the permutation exchanging the last two of ndim axes.
func swapLastTwo(ndim int) []int {
	p := make([]int, ndim)
	for i := range p {
		p[i] = i
	}
	p[ndim-1], p[ndim-2] = ndim-2, ndim-1
	return p
}

// Inv returns the inverse of each matrix of the stack a, as
// numpy.linalg.inv. A singular matrix is a LinAlgError. Real matrices use
// gonum's LAPACK, complex ones complex LU (clu.go).
func Inv(a *Array) *Array {
	batch, n := squareStack(a)
	if a.IsComplex() {
		return complexInv(a, Prod(batch), n)
	}
	out := Zeros(a.shape, Float64)
	if n == 0 {
		return out
	}
	ipiv := make([]int, n)
	work := make([]float64, 1)
	lapack64.Getri(square(out.re, n), ipiv, work, -1) // workspace query
	work = make([]float64, max(int(work[0]), n))
	for m := range Prod(batch) {
		dst := out.re[m*n*n : (m+1)*n*n]
		if !luFactor(dst, a.re[m*n*n:], ipiv, n) || !lapack64.Getri(square(dst, n), ipiv, work, len(work)) {
			panic(Errorf(LinAlgError, "Singular matrix"))
		}
	}
	return out
}

// SlogDet returns the sign (+1, -1, or 0 for a singular matrix) and the
// natural logarithm of the absolute value (-Inf when singular) of the
// determinant of each matrix of the stack a, as numpy.linalg.slogdet.
// For a complex a the sign is complex, det/|det| (0 when singular), as
// numpy's, and log|det| is real.
func SlogDet(a *Array) (sign, logabs *Array) {
	batch, n := squareStack(a)
	if a.IsComplex() {
		return complexSlogdet(a, batch, n)
	}
	nb := Prod(batch)
	sign, logabs = Ones(batch, Float64), Zeros(batch, Float64)
	lu, ipiv := make([]float64, n*n), make([]int, n)
	for m := range nb {
		if n == 0 {
			continue
		}
		luFactor(lu, a.re[m*n*n:], ipiv, n)
		s, l := 1.0, 0.0
		for i := 0; i < n; i++ {
			u := lu[i*n+i]
			if u == 0 {
				s, l = 0, math.Inf(-1)
				break
			}
			if u < 0 {
				s = -s
			}
			if ipiv[i] != i {
				s = -s
			}
			l += math.Log(math.Abs(u))
		}
		sign.re[m], logabs.re[m] = s, l
	}
	return sign, logabs
}

// Det returns the determinant of each matrix of the stack a, computed as
// numpy.linalg.det does from the LU factorization (sign·exp(log|det|));
// a singular matrix has determinant 0. Complex matrices give complex
// determinants.
func Det(a *Array) *Array {
	sign, logabs := SlogDet(a)
	if sign.IsComplex() {
		for i, s := range sign.cx {
			sign.cx[i] = s * complex(math.Exp(logabs.re[i]), 0)
		}
		return sign
	}
	for i, s := range sign.re {
		sign.re[i] = s * math.Exp(logabs.re[i])
	}
	return sign
}

// LogAbsDet returns log|det A| for each matrix A of the stack a (-Inf
// when A is singular): the second result of numpy.linalg.slogdet, real
// for real and complex a alike.
func LogAbsDet(a *Array) *Array {
	_, logabs := SlogDet(a)
	return logabs
}

// SolveTriangular returns x with T·x = B, where T is the lower triangle (diagonal included) of each matrix of the
// stack l and B the matching (n, k) matrix of the stack b, the batch axes
// broadcasting; l's strict upper triangle is never read. Tᵀ·x = B when
// transposed is set. Real and complex
// matrices (in any mix) are supported. A zero on T's diagonal is a
// LinAlgError.
func SolveTriangular(l, b *Array, transposed bool) *Array {
	lbatch, n := squareStack(l)
	bbatch, k := rhsStack("solve_triangular", b, n)
	batch := BroadcastShapes(lbatch, bbatch)
	dt := Promote(l.DType(), b.DType())
	l, b = l.AsType(dt), b.AsType(dt)
	out := Zeros(append(cloneInts(batch), n, k), dt)
	if n == 0 {
		return out
	}
	il, ib := batchIndex(batch, lbatch), batchIndex(batch, bbatch)
	for m := range il {
		for i := 0; i < n; i++ {
			if l.At(il[m]*n*n+i*n+i) == 0 {
				panic(Errorf(LinAlgError, "Singular matrix"))
			}
		}
		if k == 0 {
			continue
		}
		lo, bo, oo := il[m]*n*n, ib[m]*n*k, m*n*k
		if dt == Complex128 {
			copy(out.cx[oo:oo+n*k], b.cx[bo:bo+n*k])
			cblas128.Trsm(blas.Left, trans(transposed), 1,
				cblas128.Triangular{Uplo: blas.Lower, Diag: blas.NonUnit, N: n, Stride: n, Data: l.cx[lo : lo+n*n]},
				cblas128.General{Rows: n, Cols: k, Stride: k, Data: out.cx[oo : oo+n*k]})
		} else {
			copy(out.re[oo:oo+n*k], b.re[bo:bo+n*k])
			blas64.Trsm(blas.Left, trans(transposed), 1,
				blas64.Triangular{Uplo: blas.Lower, Diag: blas.NonUnit, N: n, Stride: n, Data: l.re[lo : lo+n*n]},
				blas64.General{Rows: n, Cols: k, Stride: k, Data: out.re[oo : oo+n*k]})
		}
	}
	return out
}
