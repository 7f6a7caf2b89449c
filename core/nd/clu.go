package nd

import (
	"math"
	"math/cmplx"
)

// This file holds a small complex LU factorization with partial pivoting,
// the complex128 counterpart of LAPACK's zgetrf/zgetrs, which gonum lacks
// (its lapack.Complex128 interface is empty). Solve, Inv, Det and
// LogAbsDet (lapack.go) use it for complex matrices only; real matrices
// keep gonum's LAPACK. Matrices are n×n, C order (row-major), as the
// arrays store them.

// cabs1 is LAPACK's cheap modulus |re| + |im|, by which izamax (and so
// zgetrf, numpy's factorization) chooses pivots.
func cabs1(z complex128) float64 { return math.Abs(real(z)) + math.Abs(imag(z)) }

// cluFactor overwrites lu (an n×n matrix) with its LU factorization with
// partial pivoting, P·A = L·U, as zgetrf: L is unit lower triangular
// (stored below the diagonal), U upper triangular (on and above it), and
// row k was swapped with row ipiv[k] (≥ k) at step k. Like zgetrf it goes
// on past a column without a nonzero pivot, leaving a zero on U's
// diagonal, and reports false when that happened (A is singular).
func cluFactor(lu []complex128, ipiv []int, n int) (ok bool) {
	ok = true
	for k := 0; k < n; k++ {
		p, best := k, cabs1(lu[k*n+k])
		for i := k + 1; i < n; i++ {
			if v := cabs1(lu[i*n+k]); v > best {
				p, best = i, v
			}
		}
		ipiv[k] = p
		if best == 0 {
			ok = false
			continue
		}
		if p != k {
			rk, rp := lu[k*n:(k+1)*n], lu[p*n:(p+1)*n]
			for j := range rk {
				rk[j], rp[j] = rp[j], rk[j]
			}
		}
		piv := lu[k*n+k]
		urow := lu[k*n+k+1 : (k+1)*n]
		for i := k + 1; i < n; i++ {
			l := lu[i*n+k] / piv
			lu[i*n+k] = l
			if l == 0 {
				continue
			}
			row := lu[i*n+k+1 : (i+1)*n]
			for j, u := range urow {
				row[j] -= l * u
			}
		}
	}
	return ok
}

// cluSolve overwrites the n×k matrix b (C order) with A⁻¹·b, where lu and
// ipiv hold the factorization of A made by cluFactor (which must have
// reported success): the row swaps, then forward substitution with L and
// back substitution with U, for all k columns at once.
func cluSolve(lu []complex128, ipiv []int, n int, b []complex128, k int) {
	for i := 0; i < n; i++ {
		if p := ipiv[i]; p != i {
			ri, rp := b[i*k:(i+1)*k], b[p*k:(p+1)*k]
			for j := range ri {
				ri[j], rp[j] = rp[j], ri[j]
			}
		}
	}
	for i := 1; i < n; i++ { // L y = P b, L unit lower triangular
		ri := b[i*k : (i+1)*k]
		for l := 0; l < i; l++ {
			if f := lu[i*n+l]; f != 0 {
				rl := b[l*k : (l+1)*k]
				for j := range ri {
					ri[j] -= f * rl[j]
				}
			}
		}
	}
	for i := n - 1; i >= 0; i-- { // U x = y
		ri := b[i*k : (i+1)*k]
		for l := i + 1; l < n; l++ {
			if f := lu[i*n+l]; f != 0 {
				rl := b[l*k : (l+1)*k]
				for j := range ri {
					ri[j] -= f * rl[j]
				}
			}
		}
		d := lu[i*n+i]
		for j := range ri {
			ri[j] /= d
		}
	}
}

// cluSlogdet returns numpy's slogdet of the matrix factored in lu, ipiv
// (by cluFactor): sign = det/|det|, the product of the permutation's sign
// and of u/|u| over U's diagonal, and log|det| = Σ log|u|; a zero on the
// diagonal gives numpy's (0, -Inf).
func cluSlogdet(lu []complex128, ipiv []int, n int) (sign complex128, logabs float64) {
	sign = 1
	for i := 0; i < n; i++ {
		u := lu[i*n+i]
		if u == 0 {
			return 0, math.Inf(-1)
		}
		if ipiv[i] != i {
			sign = -sign
		}
		a := cmplx.Abs(u)
		sign *= u / complex(a, 0)
		logabs += math.Log(a)
	}
	return sign, logabs
}

// complexSolve is Solve for a complex matrix stack a (b is converted to
// complex128): x with A·x = B, batch axes broadcasting; a singular matrix
// is numpy's LinAlgError.
func complexSolve(a, b *Array, batch, abatch, bbatch []int, n, k int) *Array {
	b = b.AsType(Complex128)
	out := Zeros(append(cloneInts(batch), n, k), Complex128)
	if n == 0 {
		return out
	}
	ia, ib := batchIndex(batch, abatch), batchIndex(batch, bbatch)
	lu, ipiv := make([]complex128, n*n), make([]int, n)
	last := -1
	for m := range ia {
		if ia[m] != last {
			copy(lu, a.cx[ia[m]*n*n:(ia[m]+1)*n*n])
			if !cluFactor(lu, ipiv, n) {
				panic(Errorf(LinAlgError, "Singular matrix"))
			}
			last = ia[m]
		}
		dst := out.cx[m*n*k : (m+1)*n*k]
		copy(dst, b.cx[ib[m]*n*k:(ib[m]+1)*n*k])
		cluSolve(lu, ipiv, n, dst, k)
	}
	return out
}

// complexInv is Inv for a complex matrix stack: each inverse is the
// solution of A·X = I. A singular matrix is numpy's LinAlgError.
func complexInv(a *Array, nb, n int) *Array {
	out := Zeros(a.shape, Complex128)
	lu, ipiv := make([]complex128, n*n), make([]int, n)
	for m := range nb {
		copy(lu, a.cx[m*n*n:(m+1)*n*n])
		if !cluFactor(lu, ipiv, n) {
			panic(Errorf(LinAlgError, "Singular matrix"))
		}
		dst := out.cx[m*n*n : (m+1)*n*n]
		for i := 0; i < n; i++ {
			dst[i*n+i] = 1
		}
		cluSolve(lu, ipiv, n, dst, n)
	}
	return out
}

// complexSlogdet is slogdet for a complex matrix stack: the sign (complex,
// det/|det|, 0 when singular) and log|det| (real, -Inf when singular) of
// each matrix, as numpy.linalg.slogdet.
func complexSlogdet(a *Array, batch []int, n int) (sign, logabs *Array) {
	nb := Prod(batch)
	sign, logabs = Ones(batch, Complex128), Zeros(batch, Float64)
	lu, ipiv := make([]complex128, n*n), make([]int, n)
	for m := range nb {
		if n == 0 {
			continue
		}
		copy(lu, a.cx[m*n*n:(m+1)*n*n])
		cluFactor(lu, ipiv, n)
		sign.cx[m], logabs.re[m] = cluSlogdet(lu, ipiv, n)
	}
	return sign, logabs
}
