package ad

import "autograd/core/nd"

// This file declares the discrete Fourier transform primitives: the
// complex DFT along one axis (fft) and its inverse (ifft, numpy's 1/n
// normalisation). Everything else in numpy.fft (several axes, resizing to
// n or s, the norm modes, the real transforms, the shifts) is composed from
// these two, gather / scatter_add and elementwise operations by the
// caller (python/autograd/numpy/fft.py).
//
// Both transforms are linear with symmetric matrices (F[j,k] = ω^{jk}), so
// under autograd's convention (transposes, no conjugation) each one's VJP
// is itself applied to the cotangent, and its JVP is itself applied to the
// tangent. A cotangent flowing into a real input keeps its real part.

var fftP, ifftP *Prim

// dft declares the transform along the axis at.Axes[0].
func dft(name string, inverse bool) *Prim {
	var self *Prim
	apply := func(x Value, at *Attrs) Value { return Apply(self, at, x) }
	self = register(&Prim{
		Name:  name,
		Arity: 1,
		Eval: func(a []*nd.Array, at *Attrs) *nd.Array {
			return nd.FFT(a[0], fftAxis(at, name), inverse)
		},
		VJP: func(_ int, g, _ Value, args []Value, at *Attrs) Value {
			return matchComplex(args[0], apply(g, at))
		},
		JVP: func(_ int, t, _ Value, _ []Value, at *Attrs) Value { return apply(t, at) },
	})
	return self
}

// fftAxis reads the one axis of a transform's attributes.
func fftAxis(at *Attrs, name string) int {
	if len(at.Axes) != 1 {
		panic(nd.Errorf(nd.ValueError, "%s: exactly one axis is required (%d given)", name, len(at.Axes)))
	}
	return at.Axes[0]
}

func init() {
	fftP = dft("fft", false)
	ifftP = dft("ifft", true)
}

// FFT is numpy.fft.fft(x, axis=axis): the unnormalised discrete Fourier
// transform of x along one axis, y[k] = Σ_j x[j] exp(-2πi jk/n). The
// result is complex128.
func FFT(x Value, axis int) Value { return Apply(fftP, &Attrs{Axes: []int{axis}}, x) }

// IFFT is numpy.fft.ifft(x, axis=axis): the inverse transform along one
// axis, y[k] = (1/n) Σ_j x[j] exp(+2πi jk/n). The result is complex128.
func IFFT(x Value, axis int) Value { return Apply(ifftP, &Attrs{Axes: []int{axis}}, x) }
