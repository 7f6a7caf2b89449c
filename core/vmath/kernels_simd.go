//go:build goexperiment.simd && amd64

package vmath

import "simd/archsimd"

// What the two vector levels share: the choice of the levels the CPU
// has, and the constants of the kernels (kernels_avx2.go has them on four
// lanes, kernels_avx512.go on eight, with the same algorithms).

// install sets the kernels of every level the CPU has and returns the
// highest: AVX2 needs AVX2 and FMA, AVX512 also AVX-512 F, CD, BW, DQ and
// VL (archsimd's bundle).
func install() int {
	x := archsimd.X86
	if !x.AVX2() || !x.FMA() {
		return Pure
	}
	installAVX2()
	if !x.AVX512() {
		return AVX2
	}
	installAVX512()
	return AVX512
}

// expCoef are 1/13!, 1/12!, ..., 1/2!: the Taylor polynomial P of
// (e^r − 1 − r)/r², whose truncation error is below 2^-60 for
// |r| ≤ ln2/2.
var expCoef = [12]float64{1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800,
	1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5}

// chunk is the length of the stack buffers of the kernels composed from
// others, so that their passes stay in the L1 cache.
const chunk = 256

// signBit is the sign bit of a float64.
const signBit = 1 << 63

// The split of ln 2 used by the reductions of exp and log: ln2Hi has trailing
// zero bits so that n·ln2Hi is exact for the n that occur.
const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
)

// The coefficients of fdlibm's log: log(1+f) = 2s + s·R(s²) with
// s = f/(2+f).
const (
	lg1 = 6.666666666666735130e-01
	lg2 = 3.999999999940941908e-01
	lg3 = 2.857142874366239149e-01
	lg4 = 2.222219843214978396e-01
	lg5 = 1.818357216161805012e-01
	lg6 = 1.531383769920937332e-01
	lg7 = 1.479819860511658591e-01
)
