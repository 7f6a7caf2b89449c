package nd

import (
	"math"
	"math/cmplx"
	"sort"
)

// This file holds the complex128 counterparts of Cholesky, Eigh and SVD,
// which gonum lacks (its lapack.Complex128 interface is empty): a
// Hermitian Cholesky factorization, a cyclic Jacobi eigensolver for
// Hermitian matrices and a one-sided (Hestenes) Jacobi SVD. They are
// unblocked O(n³)-per-sweep loops meant for the small matrices autograd
// users differentiate; Jacobi methods are accurate to working precision
// (normwise, like LAPACK's), and need no reduction to tridiagonal or
// bidiagonal form. Matrices are C order (row-major), as arrays store them.
//
// Phases. A complex eigenvector, or a pair of singular vectors, is
// defined up to a unit phase. Both kernels fix it as the real kernels fix
// the sign: the entry of largest modulus of each eigenvector (of each u,
// its partner v turning with it) is made real and positive.

const jacobiEps = 0x1p-52

// cholFactor overwrites the n×n matrix l with the lower Cholesky factor of
// the Hermitian matrix whose lower triangle l holds (the real part of its
// diagonal is read, as zpotrf reads it), zeroing the upper triangle. It
// reports false when the matrix is not positive definite.
func cholFactor(l []complex128, n int) bool {
	for j := 0; j < n; j++ {
		d := real(l[j*n+j])
		for k := 0; k < j; k++ {
			x := l[j*n+k]
			d -= real(x)*real(x) + imag(x)*imag(x)
		}
		if !(d > 0) { // also NaN
			return false
		}
		d = math.Sqrt(d)
		l[j*n+j] = complex(d, 0)
		for i := j + 1; i < n; i++ {
			s := l[i*n+j]
			for k := 0; k < j; k++ {
				s -= l[i*n+k] * cmplx.Conj(l[j*n+k])
			}
			l[i*n+j] = s / complex(d, 0)
		}
		for k := j + 1; k < n; k++ {
			l[j*n+k] = 0
		}
	}
	return true
}

// complexCholesky is Cholesky for a complex matrix stack.
func complexCholesky(a *Array, batch []int, n int) *Array {
	out := Zeros(a.shape, Complex128)
	for m := range Prod(batch) {
		dst := out.cx[m*n*n : (m+1)*n*n]
		copy(dst, a.cx[m*n*n:(m+1)*n*n])
		if !cholFactor(dst, n) {
			panic(Errorf(LinAlgError, "Matrix is not positive definite"))
		}
	}
	return out
}

// jacobiRotation returns the 2×2 unitary J = [[j00, j01], [j10, j11]]
// that diagonalizes the Hermitian matrix [[app, b], [conj b, aqq]]
// (app, aqq real, b ≠ 0) as Jᴴ·M·J: a diagonal phase making b real
// (arg b is moved onto the second coordinate), then the real Jacobi
// rotation of Rutishauser (the smaller angle, |θ| ≤ π/4).
func jacobiRotation(app, aqq float64, b complex128) (j00, j01, j10, j11 complex128) {
	ab := cmplx.Abs(b)
	ph := b / complex(ab, 0) // e^{iφ}
	theta := (aqq - app) / (2 * ab)
	t := 1 / (math.Abs(theta) + math.Sqrt(theta*theta+1))
	if theta < 0 {
		t = -t
	}
	c := 1 / math.Sqrt(t*t+1)
	s := t * c
	// J = diag(1, e^{-iφ}) · [[c, s], [−s, c]]
	e := cmplx.Conj(ph)
	return complex(c, 0), complex(s, 0), complex(-s, 0) * e, complex(c, 0) * e
}

// rotateCols applies J to columns p and q of the r×c matrix x:
// [x_p, x_q] ← [x_p, x_q]·J.
func rotateCols(x []complex128, r, c, p, q int, j00, j01, j10, j11 complex128) {
	for k := 0; k < r; k++ {
		u, v := x[k*c+p], x[k*c+q]
		x[k*c+p] = u*j00 + v*j10
		x[k*c+q] = u*j01 + v*j11
	}
}

// heevJacobi computes the eigendecomposition of the n×n Hermitian matrix a
// (full storage, overwritten) by cyclic Jacobi rotations: w receives the
// eigenvalues in ascending order, v (n×n) the matching orthonormal
// eigenvectors as columns, phases fixed as described above.
func heevJacobi(a []complex128, n int, w []float64, v []complex128) {
	for i := range v {
		v[i] = 0
	}
	var norm float64
	for i := 0; i < n; i++ {
		v[i*n+i] = 1
		a[i*n+i] = complex(real(a[i*n+i]), 0)
		for j := 0; j < n; j++ {
			norm = math.Hypot(norm, cmplx.Abs(a[i*n+j]))
		}
	}
	for sweep := 0; sweep < 100; sweep++ {
		rotated := false
		for p := 0; p < n-1; p++ {
			for q := p + 1; q < n; q++ {
				b := a[p*n+q]
				app, aqq := real(a[p*n+p]), real(a[q*n+q])
				ab := cmplx.Abs(b)
				if ab == 0 || ab <= jacobiEps*math.Sqrt(math.Abs(app))*math.Sqrt(math.Abs(aqq)) || ab <= 1e-3*jacobiEps*norm {
					a[p*n+q], a[q*n+p] = 0, 0
					continue
				}
				rotated = true
				j00, j01, j10, j11 := jacobiRotation(app, aqq, b)
				rotateCols(a, n, n, p, q, j00, j01, j10, j11)
				for k := 0; k < n; k++ { // rows: A ← Jᴴ A
					x, y := a[p*n+k], a[q*n+k]
					a[p*n+k] = cmplx.Conj(j00)*x + cmplx.Conj(j10)*y
					a[q*n+k] = cmplx.Conj(j01)*x + cmplx.Conj(j11)*y
				}
				a[p*n+q], a[q*n+p] = 0, 0
				a[p*n+p], a[q*n+q] = complex(real(a[p*n+p]), 0), complex(real(a[q*n+q]), 0)
				rotateCols(v, n, n, p, q, j00, j01, j10, j11)
			}
		}
		if !rotated {
			break
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return real(a[order[x]*n+order[x]]) < real(a[order[y]*n+order[y]]) })
	vs := append([]complex128(nil), v...)
	for j, o := range order {
		w[j] = real(a[o*n+o])
		for i := 0; i < n; i++ {
			v[i*n+j] = vs[i*n+o]
		}
	}
	phaseColumns(v, n, n, nil, 0)
}

// phaseColumns multiplies each column j of the r×c matrix x (C order) by
// the unit phase that makes its entry of largest modulus (the first on
// ties) real and positive, and column j of the matching matrix y (yr×c;
// nil for none) by the same phase.
func phaseColumns(x []complex128, r, c int, y []complex128, yr int) {
	for j := 0; j < c; j++ {
		best := 0
		for i := 1; i < r; i++ {
			if cmplx.Abs(x[i*c+j]) > cmplx.Abs(x[best*c+j]) {
				best = i
			}
		}
		if r == 0 || x[best*c+j] == 0 {
			continue
		}
		ph := cmplx.Conj(x[best*c+j]) / complex(cmplx.Abs(x[best*c+j]), 0)
		for i := 0; i < r; i++ {
			x[i*c+j] *= ph
		}
		x[best*c+j] = complex(real(x[best*c+j]), 0)
		for i := 0; i < yr; i++ {
			y[i*c+j] *= ph
		}
	}
}

// powerOfTwoScale returns the power of two 2^e closest to the reciprocal
// of the largest modulus in x (1 when x is zero): multiplying by it is
// exact, and brings the entries near 1, so that the squares and products
// the Jacobi methods form neither overflow nor underflow (LAPACK scales
// for the same reason).
func powerOfTwoScale(x []complex128) float64 {
	var big float64
	for _, z := range x {
		big = math.Max(big, math.Max(math.Abs(real(z)), math.Abs(imag(z))))
	}
	if big == 0 || math.IsInf(big, 0) || math.IsNaN(big) {
		return 1
	}
	_, e := math.Frexp(big)
	// 2^1023 is the largest power of two: a matrix of subnormal entries
	// is scaled by it (its entries then are at least 2^-51, still far from
	// overflowing anything)
	return math.Ldexp(1, min(-e, 1023))
}

// scaleBy multiplies x by the real number f in place.
func scaleBy(x []complex128, f float64) {
	for i := range x {
		x[i] *= complex(f, 0)
	}
}

// complexEigh is Eigh for a complex matrix stack: the packed output
// (..., n+1, n) is complex128, row 0 holding the (real) eigenvalues.
func complexEigh(a *Array, batch []int, n int) *Array {
	out := Zeros(append(cloneInts(batch), n+1, n), Complex128)
	h, w := make([]complex128, n*n), make([]float64, n)
	for m := range Prod(batch) {
		src, dst := a.cx[m*n*n:(m+1)*n*n], out.cx[m*(n+1)*n:(m+1)*(n+1)*n]
		finite := true
		for i := 0; i < n; i++ { // the Hermitian matrix of the lower triangle
			for j := 0; j <= i; j++ {
				x := src[i*n+j]
				finite = finite && !cmplx.IsNaN(x) && !cmplx.IsInf(x)
				h[i*n+j], h[j*n+i] = x, cmplx.Conj(x)
			}
		}
		if !finite {
			for i := range dst {
				dst[i] = complex(math.NaN(), 0)
			}
			continue
		}
		f := powerOfTwoScale(h)
		scaleBy(h, f)
		heevJacobi(h, n, w, dst[n:])
		for j, x := range w {
			dst[j] = complex(x/f, 0)
		}
	}
	return out
}

// gesvdJacobi computes the reduced SVD of the m×n matrix x (m ≥ n, C
// order, overwritten by U·S) by one-sided Jacobi rotations, which make
// the columns mutually orthogonal: s receives the singular values in
// decreasing order, u (m×n) and v (n×n) the singular vectors as columns,
// phases fixed as described above. Columns that end exactly zero get
// orthonormal completions in u.
func gesvdJacobi(x []complex128, m, n int, s []float64, u, v []complex128) {
	for i := range v {
		v[i] = 0
	}
	for i := 0; i < n; i++ {
		v[i*n+i] = 1
	}
	col := func(p, q int) (alpha, beta float64, gamma complex128) {
		for k := 0; k < m; k++ {
			xp, xq := x[k*n+p], x[k*n+q]
			alpha += real(xp)*real(xp) + imag(xp)*imag(xp)
			beta += real(xq)*real(xq) + imag(xq)*imag(xq)
			gamma += cmplx.Conj(xp) * xq
		}
		return
	}
	for sweep := 0; sweep < 100; sweep++ {
		rotated := false
		for p := 0; p < n-1; p++ {
			for q := p + 1; q < n; q++ {
				alpha, beta, gamma := col(p, q)
				g := cmplx.Abs(gamma)
				if g == 0 || g <= jacobiEps*math.Sqrt(alpha)*math.Sqrt(beta) {
					continue
				}
				rotated = true
				// diagonalize the Gram matrix [[α, γ], [conj γ, β]]
				j00, j01, j10, j11 := jacobiRotation(alpha, beta, gamma)
				rotateCols(x, m, n, p, q, j00, j01, j10, j11)
				rotateCols(v, n, n, p, q, j00, j01, j10, j11)
			}
		}
		if !rotated {
			break
		}
	}
	norms := make([]float64, n)
	for j := range norms {
		for k := 0; k < m; k++ {
			norms[j] = math.Hypot(norms[j], cmplx.Abs(x[k*n+j]))
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return norms[order[i]] > norms[order[j]] })
	vs := append([]complex128(nil), v...)
	for j, o := range order {
		s[j] = norms[o]
		for k := 0; k < n; k++ {
			v[k*n+j] = vs[k*n+o]
		}
		for k := 0; k < m; k++ {
			if s[j] > 0 {
				u[k*n+j] = x[k*n+o] / complex(s[j], 0)
			} else {
				u[k*n+j] = 0
			}
		}
	}
	for j := 0; j < n; j++ {
		if s[j] == 0 {
			completeColumn(u, m, n, j)
		}
	}
	phaseColumns(u, m, n, v, n)
}

// completeColumn sets column j of the m×c matrix u to a unit vector
// orthogonal to its columns 0..j-1 and to the nonzero columns after j: the
// first unit vector e_i whose orthogonalized remainder (Gram-Schmidt,
// twice) is not small.
func completeColumn(u []complex128, m, c, j int) {
	for i := 0; i < m; i++ {
		y := make([]complex128, m)
		y[i] = 1
		for range 2 {
			for l := 0; l < c; l++ {
				if l == j {
					continue
				}
				var d complex128
				for k := 0; k < m; k++ {
					d += cmplx.Conj(u[k*c+l]) * y[k]
				}
				for k := 0; k < m; k++ {
					y[k] -= d * u[k*c+l]
				}
			}
		}
		var nrm float64
		for _, z := range y {
			nrm = math.Hypot(nrm, cmplx.Abs(z))
		}
		if nrm > 0.5 {
			for k := 0; k < m; k++ {
				u[k*c+j] = y[k] / complex(nrm, 0)
			}
			return
		}
	}
}

// complexSVD is SVD for a complex matrix stack: the packed output
// (..., m+1+n, k) is complex128, row m holding the (real) singular values.
// A wide matrix (m < n) is decomposed through its conjugate transpose:
// Aᴴ = U' S V'ᴴ gives A = V' S U'ᴴ.
func complexSVD(a *Array, batch []int, m, n int) *Array {
	k := min(m, n)
	rows := m + 1 + n
	out := Zeros(append(cloneInts(batch), rows, k), Complex128)
	if k == 0 {
		return out
	}
	tall := m >= n
	r, c := m, n // the matrix decomposed: A, or Aᴴ when wide
	if !tall {
		r, c = n, m
	}
	x, s, u, v := make([]complex128, r*c), make([]float64, c), make([]complex128, r*c), make([]complex128, c*c)
	for b := range Prod(batch) {
		src, dst := a.cx[b*m*n:(b+1)*m*n], out.cx[b*rows*k:(b+1)*rows*k]
		for _, z := range src {
			if cmplx.IsNaN(z) || cmplx.IsInf(z) {
				panic(Errorf(LinAlgError, "SVD did not converge"))
			}
		}
		if tall {
			copy(x, src)
		} else {
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					x[j*m+i] = cmplx.Conj(src[i*n+j])
				}
			}
		}
		f := powerOfTwoScale(x)
		scaleBy(x, f)
		gesvdJacobi(x, r, c, s, u, v)
		uo, vo := dst[:m*k], dst[(m+1)*k:]
		if tall {
			copy(uo, u)
			copy(vo, v)
		} else {
			copy(uo, v)
			copy(vo, u)
			phaseColumns(uo, m, k, vo, n) // the phase convention is u's
		}
		for j, x := range s {
			dst[m*k+j] = complex(x/f, 0)
		}
	}
	return out
}
