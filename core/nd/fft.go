package nd

import "gonum.org/v1/gonum/dsp/fourier"

// FFT returns the one-dimensional discrete Fourier transform of a along
// axis, as numpy.fft.fft (inverse false) or numpy.fft.ifft (inverse true)
// with their default normalisation and without resizing:
//
//	forward: y[k] = Σ_j x[j] exp(-2πi jk/n)
//	inverse: y[k] = (1/n) Σ_j x[j] exp(+2πi jk/n)
//
// The result is complex128 (a real a is promoted, as numpy does). Each line
// along the axis is transformed with gonum's FFTPACK port, lines split
// across goroutines for large arrays. A zero-length axis is numpy's
// ValueError.
func FFT(a *Array, axis int, inverse bool) *Array {
	if a.Ndim() == 0 {
		panic(Errorf(ValueError, "axis %d is out of bounds for array of dimension 0", axis))
	}
	axis = NormAxes([]int{axis}, a.Ndim())[0]
	n := a.shape[axis]
	if n < 1 {
		panic(Errorf(ValueError, "Invalid number of FFT data points (%d) specified.", n))
	}
	src := a.AsType(Complex128).cx
	out := newSlice[complex128](len(src))
	inner := Prod(a.shape[axis+1:])
	lines := len(src) / n // outer*inner lines, line l starts at (l/inner)*n*inner + l%inner
	scale := complex(1/float64(n), 0)
	// the elements are split into chunks as for the elementwise kernels;
	// a chunk [lo, hi) transforms lines ⌈lo/n⌉ to ⌈hi/n⌉-1, so every line
	// is done once. Each chunk has its own plan (plans are not safe for
	// concurrent use) and buffer.
	parallel(lines*n, func(lo, hi int) {
		lo, hi = (lo+n-1)/n, (hi+n-1)/n
		if lo >= hi {
			return
		}
		plan := fourier.NewCmplxFFT(n)
		buf := make([]complex128, n)
		for l := lo; l < hi; l++ {
			start := (l/inner)*n*inner + l%inner
			for j := range buf {
				buf[j] = src[start+j*inner]
			}
			if inverse {
				plan.Sequence(buf, buf)
				for j := range buf {
					buf[j] *= scale
				}
			} else {
				plan.Coefficients(buf, buf)
			}
			for j, v := range buf {
				out[start+j*inner] = v
			}
		}
	})
	return &Array{shape: cloneInts(a.shape), cx: out}
}
