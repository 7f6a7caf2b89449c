package nd

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// This file holds the spectral decompositions of numpy.linalg: the
// symmetric eigendecomposition (Eigh, gonum's Syev) and the reduced
// singular value decomposition (SVD, gonum's Gesvd), on stacks of
// matrices; complex matrices go to this package's own Jacobi kernels
// (cdecomp.go), whose vectors' phases are fixed as the signs are here.
// Each returns its factors packed into one array, because a primitive of
// the tracer has one output: the caller splits it.
//
// Signs. An eigenvector, or a pair of singular vectors, is defined up to
// its sign, and LAPACK implementations choose differently (numpy's own
// choice is its LAPACK's). Both kernels fix it the same way: the entry of
// largest modulus of each eigenvector (of each left singular vector u,
// its right partner v flipping with it) is positive, the first such entry
// on ties. The choice is locally constant, so the factors are smooth
// functions of the matrix wherever the spectrum is simple.

// normalizeColumns flips the sign of each column j of the r×c matrix x
// (C order) whose entry of largest modulus is negative, and of column j of
// the matching matrix y (rows×c, C order; nil for none).
func normalizeColumns(x []float64, r, c int, y []float64, yr int) {
	for j := 0; j < c; j++ {
		best := 0
		for i := 1; i < r; i++ {
			if math.Abs(x[i*c+j]) > math.Abs(x[best*c+j]) {
				best = i
			}
		}
		if r == 0 || x[best*c+j] >= 0 {
			continue
		}
		for i := 0; i < r; i++ {
			x[i*c+j] = -x[i*c+j]
		}
		for i := 0; i < yr; i++ {
			y[i*c+j] = -y[i*c+j]
		}
	}
}

// Eigh returns the eigenvalues and eigenvectors of each symmetric matrix
// of the stack a (..., n, n), as numpy.linalg.eigh(a, 'L'), packed into
// one array of shape (..., n+1, n): row 0 holds the eigenvalues in
// ascending order, rows 1..n the matrix V whose columns are the matching
// orthonormal eigenvectors (signs as described above), so that
// A = V diag(w) Vᵀ. Only the lower triangle of each matrix (diagonal
// included) is read. A matrix with a NaN or infinity in that triangle
// gives NaNs, as numpy's. A complex matrix is taken as Hermitian (the
// imaginary part of its diagonal is ignored): the packed output is then
// complex128 (row 0 holds real values), A = V diag(w) Vᴴ, and each
// eigenvector's phase is fixed (cdecomp.go).
func Eigh(a *Array) *Array {
	batch, n := squareStack(a)
	if a.IsComplex() {
		return complexEigh(a, batch, n)
	}
	out := Zeros(append(cloneInts(batch), n+1, n), Float64)
	if n == 0 {
		return out
	}
	w := make([]float64, n)
	work := make([]float64, 1)
	lapack64.Syev(lapack.EVCompute, blas64.Symmetric{Uplo: blas.Lower, N: n, Stride: n, Data: make([]float64, n*n)}, w, work, -1)
	work = make([]float64, max(int(work[0]), 3*n-1))
	for m := range Prod(batch) {
		src, dst := a.re[m*n*n:(m+1)*n*n], out.re[m*(n+1)*n:(m+1)*(n+1)*n]
		v := dst[n:]
		finite := true
		for i := 0; i < n; i++ {
			for j := 0; j <= i; j++ {
				x := src[i*n+j]
				v[i*n+j] = x
				finite = finite && !math.IsNaN(x) && !math.IsInf(x, 0)
			}
		}
		if !finite {
			for i := range dst {
				dst[i] = math.NaN()
			}
			continue
		}
		if !lapack64.Syev(lapack.EVCompute, blas64.Symmetric{Uplo: blas.Lower, N: n, Stride: n, Data: v}, dst[:n], work, len(work)) {
			panic(Errorf(LinAlgError, "Eigenvalues did not converge"))
		}
		normalizeColumns(v, n, n, nil, 0)
	}
	return out
}

// SVD returns the reduced singular value decomposition A = U diag(s) Vᵀ of
// each matrix of the stack a (..., m, n), as numpy.linalg.svd(a,
// full_matrices=False) does (with k = min(m, n): U is m×k, s has k
// entries in decreasing order, V is n×k, numpy's vh being Vᵀ), packed into
// one array of shape (..., m+1+n, k): rows 0..m-1 hold U, row m holds s,
// rows m+1..m+n hold V (signs as described above). A matrix holding a NaN
// or infinity is numpy's LinAlgError "SVD did not converge". A complex
// matrix gives a complex128 packed output (row m holds real values), with
// A = U diag(s) Vᴴ and phases fixed (cdecomp.go).
func SVD(a *Array) *Array {
	batch, m, n := matrixStack(a)
	if a.IsComplex() {
		return complexSVD(a, batch, m, n)
	}
	k := min(m, n)
	rows := m + 1 + n
	out := Zeros(append(cloneInts(batch), rows, k), Float64)
	if k == 0 {
		return out
	}
	cp, u, vt := make([]float64, m*n), make([]float64, m*k), make([]float64, k*n)
	work := make([]float64, 1)
	lapack64.Gesvd(lapack.SVDStore, lapack.SVDStore, general(cp, false, m, n), general(u, false, m, k), general(vt, false, k, n), make([]float64, k), work, -1)
	work = make([]float64, max(int(work[0]), 5*k, 3*k+max(m, n)))
	for b := range Prod(batch) {
		src, dst := a.re[b*m*n:(b+1)*m*n], out.re[b*rows*k:(b+1)*rows*k]
		for _, x := range src {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				panic(Errorf(LinAlgError, "SVD did not converge"))
			}
		}
		copy(cp, src)
		if !lapack64.Gesvd(lapack.SVDStore, lapack.SVDStore, general(cp, false, m, n), general(u, false, m, k), general(vt, false, k, n), dst[m*k:(m+1)*k], work, len(work)) {
			panic(Errorf(LinAlgError, "SVD did not converge"))
		}
		copy(dst[:m*k], u)
		v := dst[(m+1)*k:]
		for i := 0; i < k; i++ {
			for j := 0; j < n; j++ {
				v[j*k+i] = vt[i*n+j]
			}
		}
		normalizeColumns(dst[:m*k], m, k, v, n)
	}
	return out
}
