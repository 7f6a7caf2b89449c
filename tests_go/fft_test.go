package tests_go

import (
	"fmt"
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file checks the values of the Fourier transform primitives (fft,
// ifft along one axis) against a direct O(n²) evaluation of the DFT sum,
// and their errors. Their derivative rules are checked in prims_test.go.

// dftRef transforms x along axis by the definition: for every line,
// y[k] = s Σ_j x[j] exp(∓2πi jk/n), with s = 1/n and the + sign when
// inverse.
func dftRef(x *nd.Array, axis int, inverse bool) *nd.Array {
	shape := x.Shape()
	if axis < 0 {
		axis += len(shape)
	}
	n := shape[axis]
	inner := nd.Prod(shape[axis+1:])
	outer := nd.Prod(shape[:axis])
	sign, scale := -1.0, 1.0
	if inverse {
		sign, scale = 1, 1/float64(n)
	}
	out := make([]complex128, x.Size())
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			at := func(j int) int { return o*n*inner + j*inner + i }
			for k := 0; k < n; k++ {
				var s complex128
				for j := 0; j < n; j++ {
					// reduce jk mod n so the angle stays small and exact
					angle := sign * 2 * math.Pi * float64((j*k)%n) / float64(n)
					s += x.At(at(j)) * cmplx.Exp(complex(0, angle))
				}
				out[at(k)] = s * complex(scale, 0)
			}
		}
	}
	return nd.FromComplex128s(shape, out)
}

// TestFFTValues compares fft and ifft with the DFT sum on real and complex
// inputs of several shapes (prime, power-of-two and composite lengths,
// every axis, negative axes), and checks that the result is complex.
func TestFFTValues(t *testing.T) {
	cases := []struct {
		shape []int
		axis  int
	}{
		{[]int{1}, 0}, {[]int{2}, 0}, {[]int{7}, 0}, {[]int{8}, -1}, {[]int{12}, 0},
		{[]int{3, 5}, 0}, {[]int{3, 5}, 1}, {[]int{4, 6}, -2},
		{[]int{2, 3, 4}, 0}, {[]int{2, 3, 4}, 1}, {[]int{2, 3, 4}, 2}, {[]int{2, 9, 2}, -2},
		{[]int{0, 4}, 1}, // no lines at all
	}
	rnd := newRand(7)
	for _, c := range cases {
		for _, cplx := range []bool{false, true} {
			for _, inverse := range []bool{false, true} {
				name := fmt.Sprintf("%v axis %d complex=%v inverse=%v", c.shape, c.axis, cplx, inverse)
				x := randArray(rnd, c.shape, anyReal, cplx)
				var got *nd.Array
				if inverse {
					got = ad.Unbox(ad.IFFT(x, c.axis))
				} else {
					got = ad.Unbox(ad.FFT(x, c.axis))
				}
				if !got.IsComplex() {
					t.Errorf("%s: result dtype %v, want complex128", name, got.DType())
				}
				if err := sameValues(got, dftRef(x, c.axis, inverse), 1e-12); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		}
	}
}

// TestFFTLarge checks a transform large enough to be split across
// goroutines against the DFT sum on a sample of lines, and that ifft
// undoes fft.
func TestFFTLarge(t *testing.T) {
	rnd := newRand(11)
	shape := []int{9, 1 << 13} // 73728 elements: above the parallel threshold
	x := randArray(rnd, shape, anyReal, true)
	for _, axis := range []int{0, 1} {
		y := ad.Unbox(ad.FFT(x, axis))
		back := ad.Unbox(ad.IFFT(y, axis))
		if err := sameValues(back, x, 1e-10); err != nil {
			t.Errorf("axis %d: ifft(fft(x)) != x: %v", axis, err)
		}
	}
	// axis 0 (n = 9): compare a block of columns with the reference
	cols := 64
	idx := make([]int, 0, 9*cols)
	for r := 0; r < 9; r++ {
		for c := 0; c < cols; c++ {
			idx = append(idx, r*shape[1]+c)
		}
	}
	got := nd.Gather(ad.Unbox(ad.FFT(x, 0)), idx, []int{9, cols})
	want := dftRef(nd.Gather(x, idx, []int{9, cols}), 0, false)
	if err := sameValues(got, want, 1e-12); err != nil {
		t.Errorf("axis 0 block: %v", err)
	}
}

// TestFFTErrors checks numpy's errors: a zero-length axis, an axis out of
// bounds, a 0-d input, and a wrong number of axes in the attributes.
func TestFFTErrors(t *testing.T) {
	for _, name := range []string{"fft", "ifft"} {
		p := ad.Lookup(name)
		cases := []struct {
			x    *nd.Array
			at   *ad.Attrs
			want string
		}{
			{nd.Zeros([]int{3, 0}, nd.Float64), &ad.Attrs{Axes: []int{1}}, "Invalid number of FFT data points (0) specified."},
			{nd.Zeros([]int{3, 2}, nd.Float64), &ad.Attrs{Axes: []int{2}}, "axis 2 is out of bounds for array of dimension 2"},
			{nd.Scalar(1), &ad.Attrs{Axes: []int{0}}, "axis 0 is out of bounds for array of dimension 0"},
			{nd.Zeros([]int{3, 2}, nd.Float64), &ad.Attrs{Axes: []int{0, 1}}, "exactly one axis"},
			{nd.Zeros([]int{3, 2}, nd.Float64), nil, "exactly one axis"},
		}
		for _, c := range cases {
			err := catch(func() { ad.Apply(p, c.at, c.x) })
			if kindOf(err) != nd.ValueError || err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s(%v, %v): error %v, want a ValueError %q", name, c.x.Shape(), c.at, err, c.want)
			}
		}
	}
}
