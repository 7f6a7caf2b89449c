package tests_go

import (
	"math"
	"math/cmplx"
	"testing"

	"autograd/core/nd"
)

// dense is a row-major matrix of float64 or complex128, for references
// computed with loops.
type dense[T nd.Elem] [][]T

// mat and cmat are the two kinds the tests use.
type (
	mat  = dense[float64]
	cmat = dense[complex128]
)

// newDense returns an r×c matrix of zeros.
func newDense[T nd.Elem](r, c int) dense[T] {
	out := make(dense[T], r)
	for i := range out {
		out[i] = make([]T, c)
	}
	return out
}

// mul returns x·y.
func (x dense[T]) mul(y dense[T]) dense[T] {
	out := newDense[T](len(x), len(y[0]))
	for i := range x {
		for j := range out[i] {
			for l := range y {
				out[i][j] += x[i][l] * y[l][j]
			}
		}
	}
	return out
}

// t returns xᵀ.
func (x dense[T]) t() dense[T] {
	out := newDense[T](len(x[0]), len(x))
	for i := range x {
		for j := range x[i] {
			out[j][i] = x[i][j]
		}
	}
	return out
}

// h returns xᴴ, the conjugate transpose (xᵀ for real matrices).
func (x dense[T]) h() dense[T] {
	out := x.t()
	for i := range out {
		for j := range out[i] {
			out[i][j] = conjOf(out[i][j])
		}
	}
	return out
}

// scaleCols returns x with column j multiplied by d[j].
func (x dense[T]) scaleCols(d []float64) dense[T] {
	out := newDense[T](len(x), len(x[0]))
	for i := range x {
		for j := range x[i] {
			out[i][j] = x[i][j] * fromReal[T](d[j])
		}
	}
	return out
}

// maxDiff returns the largest |x_ij − y_ij|.
func maxDiff[T nd.Elem](x, y dense[T]) float64 {
	var d float64
	for i := range x {
		for j := range x[i] {
			d = math.Max(d, absOf(x[i][j]-y[i][j]))
		}
	}
	return d
}

// eye returns the n×n identity.
func eye[T nd.Elem](n int) dense[T] {
	out := newDense[T](n, n)
	for i := range out {
		out[i][i] = 1
	}
	return out
}

func conjOf[T nd.Elem](v T) T {
	if c, ok := any(v).(complex128); ok {
		return any(cmplx.Conj(c)).(T)
	}
	return v
}

func absOf[T nd.Elem](v T) float64 {
	if c, ok := any(v).(complex128); ok {
		return cmplx.Abs(c)
	}
	return math.Abs(any(v).(float64))
}

func fromReal[T nd.Elem](v float64) T {
	var zero T
	if _, ok := any(zero).(complex128); ok {
		return any(complex(v, 0)).(T)
	}
	return any(v).(T)
}

// checkPhases checks the kernels' phase convention: each column of v has
// its entry of largest modulus (the first, on ties closer than tol) real
// and positive.
func checkPhases[T nd.Elem](t *testing.T, what string, v dense[T], tol float64) {
	t.Helper()
	for j := range v[0] {
		best := 0
		for i := range v {
			if absOf(v[i][j]) > absOf(v[best][j])+tol {
				best = i
			}
		}
		if x := complex128Of(v[best][j]); imag(x) != 0 || real(x) <= 0 {
			t.Errorf("%s: column %d's largest entry is %v, want real positive", what, j, x)
		}
	}
}

func complex128Of[T nd.Elem](v T) complex128 {
	if c, ok := any(v).(complex128); ok {
		return c
	}
	return complex(any(v).(float64), 0)
}
