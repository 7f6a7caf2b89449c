package nd

import (
	"math"
	"math/cmplx"
)

// This file holds the general eigendecomposition of complex matrices
// (numpy.linalg.eig of a complex128 stack), which gonum lacks. Each matrix
// goes through the steps of LAPACK's zgeev, written here from the
// algorithms' descriptions:
//
//  1. scaling by a power of two, so that the largest entry is near 1 (no
//     square or product the later steps form overflows or underflows);
//  2. balancing: a diagonal similarity D⁻¹AD by powers of two that makes
//     each row and the matching column of comparable norm (Parlett and
//     Reinsch; zgebal's scaling step), which improves the accuracy of the
//     eigenvalues of badly scaled matrices;
//  3. reduction to upper Hessenberg form H = Qᴴ(D⁻¹AD)Q by Householder
//     reflections;
//  4. the implicitly shifted QR iteration on H (single Wilkinson shifts,
//     deflation by the criterion of Ahues and Tisseur, exceptional shifts
//     every ten iterations without deflation, as zlahqr), which gives the
//     Schur form T = Zᴴ(D⁻¹AD)Z, upper triangular, its diagonal holding
//     the eigenvalues;
//  5. the eigenvectors of T by back-substitution (as ztrevc), with
//     rescaling against overflow, transformed back by Z and D, normalised
//     to unit norm and turned so that the entry of largest modulus (the
//     first on ties) is real and positive, the convention of Eig.
//
// The loops are unblocked, O(n³), for the small matrices autograd users
// differentiate. Matrices are C order (row-major), as arrays store them.

const (
	ceigUlp    = 0x1p-52   // the unit roundoff's spacing: relative precision
	ceigSafmin = 0x1p-1022 // the smallest normal number
	// ceigMaxSweeps is the number of QR sweeps, per order of the matrix
	// (at least ten), allowed before each eigenvalue deflates; past it the
	// iteration fails as LAPACK's does (zlahqr allows 30 · max(10, n)).
	ceigMaxSweeps = 30
)

// complexEig is Eig for a complex matrix stack.
func complexEig(a *Array, batch []int, n int) *Array {
	for _, z := range a.cx {
		if cmplx.IsNaN(z) || cmplx.IsInf(z) {
			panic(Errorf(LinAlgError, "Array must not contain infs or NaNs"))
		}
	}
	out := Zeros(append(cloneInts(batch), n+1, n), Complex128)
	if n == 0 {
		return out
	}
	h := make([]complex128, n*n)
	for m := range Prod(batch) {
		copy(h, a.cx[m*n*n:(m+1)*n*n])
		dst := out.cx[m*(n+1)*n : (m+1)*(n+1)*n]
		if !geevComplex(h, n, dst[:n], dst[n:]) {
			panic(Errorf(LinAlgError, "Eigenvalues did not converge"))
		}
	}
	return out
}

// geevComplex computes the eigenvalues w (n) and the right eigenvectors v
// (n×n, as columns) of the n×n complex matrix a (overwritten). It reports
// false when the QR iteration does not converge.
func geevComplex(a []complex128, n int, w, v []complex128) bool {
	f := powerOfTwoScale(a)
	scaleBy(a, f)
	d := balanceComplex(a, n)
	z := hessenbergComplex(a, n)
	if !schurComplex(a, z, n) {
		return false
	}
	for j := 0; j < n; j++ {
		w[j] = a[j*n+j] / complex(f, 0)
	}
	triangularEigenvectors(a, z, n, v)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v[i*n+j] *= complex(d[i], 0)
		}
	}
	normalizeEigenvectors(v, n)
	return true
}

// balanceComplex replaces the n×n matrix a by D⁻¹ a D, D diagonal with
// powers of two, chosen so that the Euclidean norms of each row and of the
// matching column (both including the diagonal entry, which D leaves
// alone) are about equal; it returns D's diagonal. Products by powers of
// two are exact, so the eigenvalues are unchanged, and an eigenvector x of
// the balanced matrix gives the eigenvector D x of a.
func balanceComplex(a []complex128, n int) []float64 {
	d := make([]float64, n)
	for i := range d {
		d[i] = 1
	}
	// a scaling that would not reduce the row's and column's norms by at
	// least 5% is not worth making; none grows past 2^±400 in total, which
	// keeps every entry of the (near-unit) matrix representable
	const limit = 0x1p400
	for pass := 0; pass < 200; pass++ {
		changed := false
		for i := 0; i < n; i++ {
			var c, r float64
			for k := 0; k < n; k++ {
				c = math.Hypot(c, cmplx.Abs(a[k*n+i]))
				r = math.Hypot(r, cmplx.Abs(a[i*n+k]))
			}
			if c == 0 || r == 0 {
				continue
			}
			s := c + r
			g := 1.0
			for c < r/2 && d[i]*g < limit {
				g, c, r = g*2, c*2, r/2
			}
			for c/2 >= r && d[i]*g > 1/limit {
				g, c, r = g/2, c/2, r*2
			}
			if g == 1 || c+r >= 0.95*s {
				continue
			}
			changed = true
			d[i] *= g
			for k := 0; k < n; k++ { // column i times g, row i over g
				a[k*n+i] *= complex(g, 0)
				a[i*n+k] /= complex(g, 0)
			}
		}
		if !changed {
			break
		}
	}
	return d
}

// hessenbergComplex reduces the n×n matrix a in place to upper Hessenberg
// form H = Qᴴ a Q by Householder reflections and returns the unitary Q
// (n×n). Each reflection H_k = I − τ u uᴴ (Hermitian and unitary) maps
// column k below the diagonal, x, onto −e^{iθ}‖x‖ e₁ (θ = arg x₁, so that
// u₁ = x₁ + e^{iθ}‖x‖ suffers no cancellation).
func hessenbergComplex(a []complex128, n int) []complex128 {
	q := make([]complex128, n*n)
	for i := 0; i < n; i++ {
		q[i*n+i] = 1
	}
	u := make([]complex128, n)
	for k := 0; k+2 < n; k++ {
		var tail float64 // the norm of a[k+2:, k]
		for i := k + 2; i < n; i++ {
			tail = math.Hypot(tail, cmplx.Abs(a[i*n+k]))
		}
		if tail == 0 {
			continue // already zero below the subdiagonal
		}
		alpha := a[(k+1)*n+k]
		xnorm := math.Hypot(cmplx.Abs(alpha), tail)
		ph := complex(1, 0)
		if alpha != 0 {
			ph = alpha / complex(cmplx.Abs(alpha), 0)
		}
		beta := -ph * complex(xnorm, 0)
		// u = (x − β e₁)/‖x‖, so that uᴴu lies in [2, 4]
		u[k+1] = (alpha - beta) / complex(xnorm, 0)
		uu := real(u[k+1])*real(u[k+1]) + imag(u[k+1])*imag(u[k+1])
		for i := k + 2; i < n; i++ {
			u[i] = a[i*n+k] / complex(xnorm, 0)
			uu += real(u[i])*real(u[i]) + imag(u[i])*imag(u[i])
		}
		tau := complex(2/uu, 0)
		// a ← H a on columns k+1.. (column k is known: β e₁)
		for j := k + 1; j < n; j++ {
			var s complex128
			for i := k + 1; i < n; i++ {
				s += cmplx.Conj(u[i]) * a[i*n+j]
			}
			s *= tau
			for i := k + 1; i < n; i++ {
				a[i*n+j] -= s * u[i]
			}
		}
		a[(k+1)*n+k] = beta
		for i := k + 2; i < n; i++ {
			a[i*n+k] = 0
		}
		// a ← a H and q ← q H, on columns k+1..
		for _, m := range [][]complex128{a, q} {
			for i := 0; i < n; i++ {
				var s complex128
				for l := k + 1; l < n; l++ {
					s += m[i*n+l] * u[l]
				}
				s *= tau
				for l := k + 1; l < n; l++ {
					m[i*n+l] -= s * cmplx.Conj(u[l])
				}
			}
		}
	}
	return q
}

// givensComplex returns the rotation G = [[c, s], [−conj(s), c]] (c real,
// c² + |s|² = 1) with G·(f, g) = (r, 0).
func givensComplex(f, g complex128) (c float64, s, r complex128) {
	if g == 0 {
		return 1, 0, f
	}
	af, ag := cmplx.Abs(f), cmplx.Abs(g)
	rho := math.Hypot(af, ag)
	if af == 0 {
		return 0, cmplx.Conj(g) / complex(ag, 0), complex(ag, 0)
	}
	ph := f / complex(af, 0)
	return af / rho, ph * cmplx.Conj(g) / complex(rho, 0), ph * complex(rho, 0)
}

// subdiagonalNegligible reports whether the subdiagonal entry h[k][k-1] of
// the n×n Hessenberg matrix h can be set to zero (the active block ending
// at row hi): it is below the underflow threshold, or small relative to
// its neighbours by the criterion of Ahues and Tisseur (1997), which
// compares it with the entries of the 2×2 block it couples and is sharper
// than a comparison with the diagonal alone.
func subdiagonalNegligible(h []complex128, n, k, hi int, smlnum float64) bool {
	hk := cabs1(h[k*n+k-1])
	if hk <= smlnum {
		return true
	}
	tst := cabs1(h[(k-1)*n+k-1]) + cabs1(h[k*n+k])
	if tst == 0 {
		if k >= 2 {
			tst += cabs1(h[(k-1)*n+k-2])
		}
		if k+1 <= hi {
			tst += cabs1(h[(k+1)*n+k])
		}
	}
	if hk > ceigUlp*tst {
		return false
	}
	up := cabs1(h[(k-1)*n+k])
	ab, ba := math.Max(hk, up), math.Min(hk, up)
	dk, dd := cabs1(h[k*n+k]), cabs1(h[(k-1)*n+k-1]-h[k*n+k])
	aa, bb := math.Max(dk, dd), math.Min(dk, dd)
	s := aa + ab
	return ba*(ab/s) <= math.Max(smlnum, ceigUlp*(bb*(aa/s)))
}

// wilkinsonShift returns the eigenvalue of [[a, b], [c, d]] nearer to d.
// With x = λ − d the eigenvalues solve x² − 2t x − bc = 0, t = (a − d)/2;
// the smaller root is −bc/(t ± √(t² + bc)) with the sign that makes the
// denominator the larger. The block is scaled by its largest entry first.
func wilkinsonShift(a, b, c, d complex128) complex128 {
	s := math.Max(math.Max(cabs1(a), cabs1(b)), math.Max(cabs1(c), cabs1(d)))
	if s == 0 {
		return 0
	}
	sc := complex(1/s, 0)
	a, b, c, d = a*sc, b*sc, c*sc, d*sc
	t := (a - d) / 2
	bc := b * c
	if bc == 0 {
		return d * complex(s, 0)
	}
	disc := cmplx.Sqrt(t*t + bc)
	den := t + disc
	if m := t - disc; cabs1(m) > cabs1(den) {
		den = m
	}
	if den == 0 {
		return d * complex(s, 0)
	}
	return (d - bc/den) * complex(s, 0)
}

// schurComplex reduces the n×n upper Hessenberg matrix h in place to upper
// triangular (Schur) form T = Zᴴ h Z by the implicitly shifted QR
// iteration, accumulating the rotations into z (z ← z Z; on entry the
// matrix of the Hessenberg reduction). It reports false when some
// eigenvalue does not deflate within the sweep limit.
//
// The active block is h[l..hi, l..hi]: from the bottom up, the first
// negligible subdiagonal entry splits it off. When the block is 1×1 its
// eigenvalue has converged and hi moves up. Otherwise one sweep chases the
// bulge of a single shift σ from row l to row hi with Givens rotations,
// applied to whole rows and columns so that T is the Schur form of the
// whole matrix (the eigenvectors need it). The shift is Wilkinson's (the
// eigenvalue of the trailing 2×2 block nearer to its last entry); after
// every tenth sweep without deflation it is an exceptional shift instead,
// the last diagonal entry (or the block's first, alternately) moved by
// 0.75 times the size of the neighbouring subdiagonal entry, which breaks
// the cycles a Wilkinson shift can fall into (a cyclic permutation, whose
// trailing blocks all have the shift 0, is one).
func schurComplex(h, z []complex128, n int) bool {
	smlnum := ceigSafmin * (float64(n) / ceigUlp)
	itmax := ceigMaxSweeps * max(10, n)
	its := 0
	for hi := n - 1; hi >= 0; {
		l := 0
		for k := hi; k > 0; k-- {
			if h[k*n+k-1] == 0 || subdiagonalNegligible(h, n, k, hi, smlnum) {
				h[k*n+k-1] = 0
				l = k
				break
			}
		}
		if l == hi {
			hi--
			its = 0
			continue
		}
		if its == itmax {
			return false
		}
		its++
		var sigma complex128
		switch {
		case its%20 == 10:
			sigma = h[hi*n+hi] + complex(0.75*cabs1(h[hi*n+hi-1]), 0)
		case its%20 == 0:
			sigma = h[l*n+l] + complex(0.75*cabs1(h[(l+1)*n+l]), 0)
		default:
			sigma = wilkinsonShift(h[(hi-1)*n+hi-1], h[(hi-1)*n+hi], h[hi*n+hi-1], h[hi*n+hi])
		}
		x, y := h[l*n+l]-sigma, h[(l+1)*n+l]
		for k := l; k < hi; k++ {
			if k > l {
				x, y = h[k*n+k-1], h[(k+1)*n+k-1]
			}
			c, s, r := givensComplex(x, y)
			cc := complex(c, 0)
			if k > l {
				h[k*n+k-1], h[(k+1)*n+k-1] = r, 0
			}
			for j := k; j < n; j++ { // rows k, k+1: h ← G h
				p, q := h[k*n+j], h[(k+1)*n+j]
				h[k*n+j] = cc*p + s*q
				h[(k+1)*n+j] = -cmplx.Conj(s)*p + cc*q
			}
			last := min(k+2, hi)
			for i := 0; i <= last; i++ { // columns k, k+1: h ← h Gᴴ
				p, q := h[i*n+k], h[i*n+k+1]
				h[i*n+k] = cc*p + cmplx.Conj(s)*q
				h[i*n+k+1] = -s*p + cc*q
			}
			for i := 0; i < n; i++ { // z ← z Gᴴ
				p, q := z[i*n+k], z[i*n+k+1]
				z[i*n+k] = cc*p + cmplx.Conj(s)*q
				z[i*n+k+1] = -s*p + cc*q
			}
		}
	}
	for i := 1; i < n; i++ { // what the deflations left below the diagonal
		for j := 0; j < i; j++ {
			h[i*n+j] = 0
		}
	}
	return true
}

// triangularEigenvectors sets the columns of v (n×n) to the eigenvectors
// z x_k of the Schur form: x_k solves (T − t_kk I) x = 0 with x_k = 1 and
// zeros below, by back-substitution over rows k−1..0 (as ztrevc). A
// divisor t_ii − t_kk smaller than ulp·|t_kk| (a repeated or nearly
// repeated eigenvalue) is replaced by that size, so the vector stays
// finite; whenever an entry would grow past 2^600 the partial solution is
// scaled down, which no later step can overflow from. The columns are not
// normalised.
func triangularEigenvectors(t, z []complex128, n int, v []complex128) {
	smlnum := ceigSafmin * (float64(n) / ceigUlp)
	x := make([]complex128, n)
	const big = 0x1p600
	for k := 0; k < n; k++ {
		lambda := t[k*n+k]
		smin := math.Max(ceigUlp*cabs1(lambda), smlnum)
		for i := range x {
			x[i] = 0
		}
		x[k] = 1
		for i := k - 1; i >= 0; i-- {
			var num complex128
			for j := i + 1; j <= k; j++ {
				num -= t[i*n+j] * x[j]
			}
			den := t[i*n+i] - lambda
			if cabs1(den) < smin {
				den = complex(smin, 0)
			}
			if r := cabs1(num) / cabs1(den); r > big {
				sc := complex(big/r, 0)
				for j := i + 1; j <= k; j++ {
					x[j] *= sc
				}
				num *= sc
			}
			x[i] = num / den
		}
		for i := 0; i < n; i++ {
			var s complex128
			for j := 0; j <= k; j++ {
				s += z[i*n+j] * x[j]
			}
			v[i*n+k] = s
		}
	}
}

// normalizeEigenvectors scales each column of the n×n matrix v to unit
// Euclidean norm (by its largest entry first, so that no square overflows)
// and fixes its phase as Eig does.
func normalizeEigenvectors(v []complex128, n int) {
	for j := 0; j < n; j++ {
		var big float64
		for i := 0; i < n; i++ {
			big = math.Max(big, cabs1(v[i*n+j]))
		}
		if big == 0 {
			continue
		}
		var nrm float64
		for i := 0; i < n; i++ {
			v[i*n+j] /= complex(big, 0)
			x := v[i*n+j]
			nrm += real(x)*real(x) + imag(x)*imag(x)
		}
		nrm = math.Sqrt(nrm)
		for i := 0; i < n; i++ {
			v[i*n+j] /= complex(nrm, 0)
		}
	}
	fixEigPhases(v, n)
}
