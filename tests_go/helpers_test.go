// Package tests_go is the Go-side test suite of autograd: black-box tests
// of the array engine (core/nd), of the tracer and its primitives
// (core/ad), and of the C ABI (capi, driven from C by testdata/abi_test.c).
package tests_go

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file holds the helpers shared by the tests: random inputs drawn from
// the domain a function needs, plain-Go array arithmetic used to build
// references (never the library's own kernels), and central differences.

// newRand returns a deterministic random source, so that a failure
// reproduces from the seed in its message.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// domain is the set inputs are drawn from: the region where the function
// under test is smooth, away from poles, branch cuts and kinks.
type domain int

const (
	anyReal      domain = iota // [-2, 2]
	positive                   // [0.5, 2]
	unit                       // [-0.8, 0.8]: arcsin, arccos, arctanh, tan
	aboveOne                   // [1.5, 3]: arccosh
	awayFromZero               // ±[0.5, 2]: abs, divisors
	distinct                   // well separated values: max, min
	leftHalf                   // [-3, -1.5] (imaginary part ±[0.2, 0.6] when complex)
	boolMask                   // 0 or 1: a constant condition of where
	// Domains of stacks of square matrices (the last two axes), drawn
	// whole by randMatrices rather than entry by entry:
	posDef     // symmetric (Hermitian) positive definite, eigenvalues at least 1/2
	invertible // diagonally dominant, not symmetric: diagonal ±[1.5, 2.5], rows of off-diagonal entries summing below 1.2 in modulus
	spectral   // symmetric (Hermitian), Q diag(w) Qᴴ with Q random orthogonal (unitary) and eigenvalues of both signs at least 0.6 apart (eigh)
	singular   // any shape (m, n): U diag(s) Vᴴ with random orthonormal U, V and singular values in [0.45, …) at least 0.6 apart (svd)
)

// uniform returns a number drawn uniformly from [lo, hi).
func uniform(rnd *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rnd.Float64() }

// randomSign returns ±1 with equal probability.
func randomSign(rnd *rand.Rand) float64 {
	if rnd.IntN(2) == 0 {
		return -1
	}
	return 1
}

// sample returns n numbers from domain d; when cplx is set they get an
// imaginary part small enough to stay clear of the function's cuts.
func sample(rnd *rand.Rand, d domain, n int, cplx bool) []complex128 {
	out := make([]complex128, n)
	var perm []int
	if d == distinct {
		perm = rnd.Perm(n)
	}
	for i := range out {
		var re float64
		im := uniform(rnd, -0.5, 0.5)
		switch d {
		case anyReal:
			re = uniform(rnd, -2, 2)
		case positive:
			re = uniform(rnd, 0.5, 2)
		case unit:
			re = uniform(rnd, -0.8, 0.8)
		case aboveOne:
			re = uniform(rnd, 1.5, 3)
		case awayFromZero:
			re = randomSign(rnd) * uniform(rnd, 0.5, 2)
		case distinct:
			// steps of 0.3 with jitter below 0.05: no two values closer than 0.2
			re = 0.3*float64(perm[i]) - 0.15*float64(n) + uniform(rnd, -0.05, 0.05)
			im = uniform(rnd, -0.1, 0.1)
		case leftHalf:
			re = uniform(rnd, -3, -1.5)
			im = randomSign(rnd) * uniform(rnd, 0.2, 0.6)
		case boolMask:
			re, im = float64(rnd.IntN(2)), 0
		}
		if !cplx {
			im = 0
		}
		out[i] = complex(re, im)
	}
	return out
}

// newArray builds an array of the given shape from values in C order; it
// is complex when cplx is set, else it keeps the real parts.
func newArray(shape []int, vals []complex128, cplx bool) *nd.Array {
	if cplx {
		return nd.FromComplex128s(shape, append([]complex128(nil), vals...))
	}
	re := make([]float64, len(vals))
	for i, v := range vals {
		re[i] = real(v)
	}
	return nd.FromFloat64s(shape, re)
}

// randArray returns a random array of the given shape from domain d.
func randArray(rnd *rand.Rand, shape []int, d domain, cplx bool) *nd.Array {
	if d == spectral || d == singular {
		return randSpectrum(rnd, shape, d, cplx)
	}
	if d == eigReal || d == eigPair || d == eigComplex {
		if (d == eigComplex) != cplx {
			panic(fmt.Sprintf("randArray: eig domain %d drawn with cplx = %v (eigComplex is complex, the others real)", d, cplx))
		}
		return randEig(rnd, shape, d)
	}
	if d == posDef || d == invertible {
		return randMatrices(rnd, shape, d, cplx)
	}
	return newArray(shape, sample(rnd, d, nd.Prod(shape), cplx), cplx)
}

// randMatrices returns a stack of well-conditioned square matrices from
// the matrix domain d (posDef or invertible).
func randMatrices(rnd *rand.Rand, shape []int, d domain, cplx bool) *nd.Array {
	if len(shape) < 2 || shape[len(shape)-1] != shape[len(shape)-2] {
		panic(fmt.Sprintf("randMatrices: shape %v is not a stack of square matrices", shape))
	}
	n := shape[len(shape)-1]
	vals := make([]complex128, nd.Prod(shape))
	for m := 0; m < len(vals); m += n * n {
		a := vals[m : m+n*n]
		switch d {
		case posDef: // C Cᴴ / n + I/2
			c := sample(rnd, anyReal, n*n, cplx)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					var s complex128
					for l := 0; l < n; l++ {
						s += c[i*n+l] * cmplx.Conj(c[j*n+l])
					}
					a[i*n+j] = s / complex(float64(n), 0)
				}
				a[i*n+i] += 0.5
			}
		case invertible:
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					if i == j {
						a[i*n+j] = complex(randomSign(rnd)*uniform(rnd, 1.5, 2.5), 0)
					} else {
						a[i*n+j] = complex(uniform(rnd, -1, 1), uniform(rnd, -0.5, 0.5)) / complex(float64(n), 0)
					}
					if !cplx {
						a[i*n+j] = complex(real(a[i*n+j]), 0)
					} else if i == j {
						a[i*n+j] += complex(0, uniform(rnd, -0.5, 0.5))
					}
				}
			}
		}
	}
	return newArray(shape, vals, cplx)
}

// randOrthonormal returns an r×c matrix (c ≤ r, C order) with
// orthonormal columns: Gram-Schmidt (applied twice) on random columns.
func randOrthonormal(rnd *rand.Rand, r, c int) []float64 {
	q := make([]float64, r*c)
	for j := 0; j < c; j++ {
		for {
			x := make([]float64, r)
			for i := range x {
				x[i] = uniform(rnd, -1, 1)
			}
			for range 2 {
				for l := 0; l < j; l++ {
					var d float64
					for i := 0; i < r; i++ {
						d += q[i*c+l] * x[i]
					}
					for i := 0; i < r; i++ {
						x[i] -= d * q[i*c+l]
					}
				}
			}
			var nrm float64
			for _, v := range x {
				nrm += v * v
			}
			if nrm = math.Sqrt(nrm); nrm > 0.1 {
				for i := 0; i < r; i++ {
					q[i*c+j] = x[i] / nrm
				}
				break
			}
		}
	}
	return q
}

// randSpectrum returns a stack of matrices with a well-separated
// spectrum, from the domain spectral (symmetric, square) or singular (any
// shape): values 0.75 apart with jitter below 0.075, eigenvalues centred
// on 0, singular values from 0.5. When cplx is set the vectors are
// complex: each real orthonormal factor Q becomes Q·D·R, with D a random
// diagonal of unit phases and R a random real orthogonal k×k matrix, so
// the matrix is Hermitian (spectral) or complex with those singular
// values.
func randSpectrum(rnd *rand.Rand, shape []int, d domain, cplx bool) *nd.Array {
	if len(shape) < 2 || (d == spectral && shape[len(shape)-1] != shape[len(shape)-2]) {
		panic(fmt.Sprintf("randSpectrum: shape %v is not a stack of matrices of that domain", shape))
	}
	m, n := shape[len(shape)-2], shape[len(shape)-1]
	k := min(m, n)
	vals := make([]complex128, nd.Prod(shape))
	for b := 0; b < len(vals); b += m * n {
		spec := make([]float64, k)
		for i := range spec {
			spec[i] = 0.75*float64(i) + uniform(rnd, -0.075, 0.075)
			if d == spectral {
				spec[i] -= 0.75 * float64(k-1) / 2
			} else {
				spec[i] += 0.5
			}
		}
		u := complexify(rnd, randOrthonormal(rnd, m, k), m, k, cplx)
		v := u
		if d == singular {
			v = complexify(rnd, randOrthonormal(rnd, n, k), n, k, cplx)
		}
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				var s complex128
				for l := 0; l < k; l++ {
					s += u[i*k+l] * complex(spec[l], 0) * cmplx.Conj(v[j*k+l])
				}
				vals[b+i*n+j] = s
			}
		}
	}
	return newArray(shape, vals, cplx)
}

// complexify returns the r×k matrix q (orthonormal columns) as complex
// numbers, multiplied on the right by D·R (D random unit phases, R random
// real orthogonal) when cplx is set: still orthonormal columns.
func complexify(rnd *rand.Rand, q []float64, r, k int, cplx bool) []complex128 {
	out := make([]complex128, r*k)
	for i, x := range q {
		out[i] = complex(x, 0)
	}
	if !cplx {
		return out
	}
	ph := make([]complex128, k)
	for l := range ph {
		ph[l] = cmplx.Rect(1, uniform(rnd, -math.Pi, math.Pi))
	}
	rot := randOrthonormal(rnd, k, k)
	res := make([]complex128, r*k)
	for i := 0; i < r; i++ {
		for j := 0; j < k; j++ {
			for l := 0; l < k; l++ {
				res[i*k+j] += out[i*k+l] * ph[l] * complex(rot[l*k+j], 0)
			}
		}
	}
	return res
}

// randLike returns a random array with a's shape and dtype, entries in
// [-2, 2] (complex ones with a full-size imaginary part).
func randLike(rnd *rand.Rand, a *nd.Array) *nd.Array {
	n := a.Size()
	vals := make([]complex128, n)
	for i := range vals {
		vals[i] = complex(uniform(rnd, -2, 2), uniform(rnd, -2, 2))
	}
	return newArray(a.Shape(), vals, a.IsComplex())
}

// elems returns a's elements in C order as complex numbers.
func elems(a *nd.Array) []complex128 {
	out := make([]complex128, a.Size())
	for i := range out {
		out[i] = a.At(i)
	}
	return out
}

// axpy returns x + h*v for arrays of equal shape; the result is complex if
// either is.
func axpy(x *nd.Array, h float64, v *nd.Array) *nd.Array {
	if !nd.SameShape(x.Shape(), v.Shape()) {
		panic(fmt.Sprintf("axpy: shapes %v and %v", x.Shape(), v.Shape()))
	}
	vals := elems(x)
	for i := range vals {
		vals[i] += complex(h, 0) * v.At(i)
	}
	return newArray(x.Shape(), vals, x.IsComplex() || v.IsComplex())
}

// pair returns the real bilinear pairing <a, b> = real(sum(a*b)), with no
// conjugation: the pairing under which autograd's VJP is the adjoint of
// the JVP, for real and complex arrays alike.
func pair(a, b *nd.Array) float64 {
	if !nd.SameShape(a.Shape(), b.Shape()) {
		panic(fmt.Sprintf("pair: shapes %v and %v", a.Shape(), b.Shape()))
	}
	var s float64
	for i := 0; i < a.Size(); i++ {
		s += real(a.At(i) * b.At(i))
	}
	return s
}

// maxAbs returns the largest modulus of a's elements.
func maxAbs(a *nd.Array) float64 {
	var m float64
	for i := 0; i < a.Size(); i++ {
		m = math.Max(m, cmplx.Abs(a.At(i)))
	}
	return m
}

// near reports whether got and want agree to within tol relative to
// scale (taken as at least 1).
func near(got, want complex128, tol, scale float64) bool {
	return cmplx.Abs(got-want) <= tol*math.Max(1, scale)
}

// sameValues returns an error unless got has want's shape and its
// elements equal want's to within tol relative to the largest of them.
func sameValues(got, want *nd.Array, tol float64) error {
	if !nd.SameShape(got.Shape(), want.Shape()) {
		return fmt.Errorf("shape %v, want %v", got.Shape(), want.Shape())
	}
	scale := math.Max(maxAbs(got), maxAbs(want))
	for i := 0; i < got.Size(); i++ {
		if g, w := got.At(i), want.At(i); !near(g, w, tol, scale) || cmplx.IsNaN(g) != cmplx.IsNaN(w) {
			return fmt.Errorf("element %d is %v, want %v (got %v, want %v)", i, g, w, got, want)
		}
	}
	return nil
}

// catch runs f and returns the panic it raised, as nd.Catch reports it.
func catch(f func()) (err error) {
	defer nd.Catch(&err)
	f()
	return nil
}

// kindOf returns the kind of an *nd.Error, or 0 for any other error.
func kindOf(err error) nd.Kind {
	var e *nd.Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// vfunc is a function of several values: the form of the functions the
// finite-difference checkers differentiate.
type vfunc func(xs []ad.Value) ad.Value

// point is where a function is differentiated: its arguments, and which of
// them are differentiated (the others are constants, like where's
// condition).
type point struct {
	xs   []*nd.Array
	diff []bool
}

// values returns p's arguments as values.
func (p point) values() []ad.Value {
	vs := make([]ad.Value, len(p.xs))
	for i, x := range p.xs {
		vs[i] = x
	}
	return vs
}

// moved returns p's arguments with x_i + h*v_i for every differentiated
// i whose direction v_i is not nil.
func (p point) moved(h float64, vs []*nd.Array) []ad.Value {
	out := p.values()
	for i, v := range vs {
		if v != nil {
			out[i] = axpy(p.xs[i], h, v)
		}
	}
	return out
}

// eval evaluates f on plain arrays.
func eval(f vfunc, xs []ad.Value) *nd.Array {
	v := f(xs)
	if _, boxed := v.(*ad.Box); boxed {
		panic("eval: an untraced call returned a box")
	}
	return ad.Unbox(v)
}

// Step and tolerance of the finite-difference checks. Central differences
// with step h err by about h²|f⁽³⁾|/6 + eps|f|/h, near 1e-10 here; a wrong
// rule errs by O(1).
const (
	fdStep = 1e-5
	fdTol  = 1e-6
)

// scaled returns c*a.
func scaled(a *nd.Array, c float64) *nd.Array {
	vals := elems(a)
	for i := range vals {
		vals[i] *= complex(c, 0)
	}
	return newArray(a.Shape(), vals, a.IsComplex())
}

// centralDiff returns (f(x + h v) - f(x - h v)) / 2h elementwise.
func centralDiff(f vfunc, p point, vs []*nd.Array) *nd.Array {
	hi, lo := eval(f, p.moved(fdStep, vs)), eval(f, p.moved(-fdStep, vs))
	return scaled(axpy(hi, -1, lo), 1/(2*fdStep))
}
