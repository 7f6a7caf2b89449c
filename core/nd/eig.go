package nd

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// This file holds the general (non-symmetric) eigendecomposition of
// numpy.linalg.eig, on stacks of real square matrices from gonum's Geev
// (LAPACK dgeev), on complex ones from ceig.go. Its eigenvalues and eigenvectors are complex in general,
// so the packed result is complex128.
//
// Phases. An eigenvector of unit norm is defined up to a unit complex
// factor. Eig fixes it as LAPACK's dgeev does, and then its sign: the
// entry of largest modulus of each eigenvector (the first such entry on
// ties) is real and positive. The choice is locally constant (away from
// ties of the moduli), so the factors are smooth functions of the matrix
// wherever the spectrum is simple.

// EigPhaseRows returns, for the packed result x of Eig (..., n+1, n), the
// row of the entry of largest modulus (the first on ties) of each
// eigenvector, shape (..., n): the entry whose phase Eig fixes.
func EigPhaseRows(x *Array) []int {
	s := x.Shape()
	n := s[len(s)-1]
	batch := Prod(s[:len(s)-2])
	out := make([]int, 0, batch*n)
	for b := range batch {
		v := x.cx[b*(n+1)*n+n : (b+1)*(n+1)*n]
		for j := 0; j < n; j++ {
			out = append(out, largestEntry(v, n, j))
		}
	}
	return out
}

// largestEntry returns the row of the entry of largest modulus of column j
// of the n×n complex matrix v (C order), the first on ties.
func largestEntry(v []complex128, n, j int) int {
	best, bm := 0, -1.0
	for i := 0; i < n; i++ {
		z := v[i*n+j]
		if m := real(z)*real(z) + imag(z)*imag(z); m > bm {
			best, bm = i, m
		}
	}
	return best
}

// Eig returns the eigenvalues and right eigenvectors of each real square
// matrix of the stack a (..., n, n), as numpy.linalg.eig(a), packed into
// one complex128 array of shape (..., n+1, n): row 0 holds the eigenvalues
// (for a real matrix in LAPACK's order, complex-conjugate pairs adjacent,
// positive imaginary part first), rows 1..n the matrix V whose columns are the matching
// eigenvectors, of unit Euclidean norm with phases as described above, so
// that A V = V diag(w). A matrix holding a NaN or infinity is numpy's
// LinAlgError "Array must not contain infs or NaNs", and one at which the
// QR iteration fails numpy's LinAlgError "Eigenvalues did not converge".
// A real matrix goes to gonum's Geev; a complex one (gonum has no complex
// LAPACK) to the kernel of ceig.go, whose eigenvalues are in the order of
// its Schur form (no pairs then).
func Eig(a *Array) *Array {
	batch, n := squareStack(a)
	if a.IsComplex() {
		return complexEig(a, batch, n)
	}
	for _, x := range a.re {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			panic(Errorf(LinAlgError, "Array must not contain infs or NaNs"))
		}
	}
	out := Zeros(append(cloneInts(batch), n+1, n), Complex128)
	if n == 0 {
		return out
	}
	cp, vr := make([]float64, n*n), make([]float64, n*n)
	wr, wi := make([]float64, n), make([]float64, n)
	work := make([]float64, 1)
	lapack64.Geev(lapack.LeftEVNone, lapack.RightEVCompute, square(cp, n), wr, wi, blas64.General{Stride: 1}, square(vr, n), work, -1)
	work = make([]float64, max(int(work[0]), 4*n))
	for m := range Prod(batch) {
		copy(cp, a.re[m*n*n:(m+1)*n*n])
		if lapack64.Geev(lapack.LeftEVNone, lapack.RightEVCompute, square(cp, n), wr, wi, blas64.General{Stride: 1}, square(vr, n), work, len(work)) != 0 {
			panic(Errorf(LinAlgError, "Eigenvalues did not converge"))
		}
		dst := out.cx[m*(n+1)*n : (m+1)*(n+1)*n]
		v := dst[n:]
		for j := 0; j < n; j++ {
			dst[j] = complex(wr[j], wi[j])
			switch {
			case wi[j] == 0: // a real eigenvalue: column j of VR
				for i := 0; i < n; i++ {
					v[i*n+j] = complex(vr[i*n+j], 0)
				}
			case wi[j] > 0: // a pair: VR[:,j] ± i VR[:,j+1]
				for i := 0; i < n; i++ {
					v[i*n+j] = complex(vr[i*n+j], vr[i*n+j+1])
				}
			default:
				for i := 0; i < n; i++ {
					v[i*n+j] = complex(vr[i*n+j-1], -vr[i*n+j])
				}
			}
		}
		fixEigPhases(v, n)
	}
	return out
}

// fixEigPhases multiplies each column of the n×n matrix v (unit
// eigenvectors) by the unit factor that makes its entry of largest modulus
// (the first on ties; largestEntry) real and positive, that entry's
// imaginary part then set to exactly zero.
func fixEigPhases(v []complex128, n int) {
	for j := 0; j < n; j++ {
		k := largestEntry(v, n, j)
		if v[k*n+j] == 0 {
			continue
		}
		p := cmplx.Conj(v[k*n+j]) / complex(cmplx.Abs(v[k*n+j]), 0)
		for i := 0; i < n; i++ {
			v[i*n+j] *= p
		}
		v[k*n+j] = complex(real(v[k*n+j]), 0)
	}
}
