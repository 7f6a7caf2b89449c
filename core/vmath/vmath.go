// Package vmath evaluates elementary functions over slices of float64: exp,
// log and their neighbours, tanh, sin, cos, sqrt and the four arithmetic
// operators (whose loops also serve complex128 slices, on the pure-Go
// path).
//
// Each function has a path per level. The pure-Go path (level Pure) takes
// one element at a time, with the math package's functions (mended where
// they fall short, below) and, for sin and cos, the vector paths'
// reduction in scalar form. The vector paths, built when the package is
// compiled with GOEXPERIMENT=simd on amd64, work on four elements at a
// time with AVX2 and FMA (level AVX2, kernels_avx2.go) or on eight with
// AVX-512 and FMA (level AVX512, kernels_avx512.go); the two follow the
// same algorithms step for step and compute the same bits. At start-up
// the package takes the highest level the CPU has, unless the environment
// says AUTOGRAD_SIMD=0 (the pure-Go path) or AUTOGRAD_SIMD=avx2 (AVX2 at
// most); SetLevel switches at run time (tests use it to compare the
// paths).
//
// Accuracy: every path is within 2 ulp of numpy over each function's
// whole domain, including ±0, ±inf, nan, subnormals and the overflow edges
// (tests_go/vmath_test.go compares the paths, tests_py/test_vmath.py each
// with numpy), except sin and cos beyond ReduceLimit (see there). An
// element's result does not depend on the length of the slice or its
// position in it: the vector paths handle a slice's tail with the same
// instructions as its body.
package vmath

import (
	"math"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
)

// A Func is an elementary function of one float64: At evaluates it on a
// number, Slice on every element of a slice.
type Func struct {
	at  func(float64) float64
	vec [levels]func(dst, src []float64) // the kernel of each level; nil: none
}

// Scalar makes a Func from a function of one number that has no vector
// kernel: Slice applies it element by element.
func Scalar(f func(float64) float64) Func { return Func{at: f} }

// At returns f(x) as the pure-Go path computes it.
func (f Func) At(x float64) float64 { return f.at(x) }

// Slice sets dst[i] = f(src[i]) for every i, on the path of the level in
// use; dst and src have one length and may be the same slice.
func (f Func) Slice(dst, src []float64) {
	src = src[:len(dst)]
	if k := f.vec[level.Load()]; k != nil {
		k(dst, src)
		return
	}
	for i, x := range src {
		dst[i] = f.at(x)
	}
}

// The functions with vector kernels (the kernels themselves are set by
// install, in kernels_simd.go).
var (
	Exp   = Func{at: expAt}
	Expm1 = Func{at: expm1At}
	Log   = Func{at: logAt}
	Log1p = Func{at: math.Log1p}
	Tanh  = Func{at: math.Tanh}
	Sin   = Func{at: func(x float64) float64 { return trigAt(x, 0) }}
	Cos   = Func{at: func(x float64) float64 { return trigAt(x, 1) }}
	Sqrt  = Func{at: math.Sqrt}
)

// The pure-Go exp, expm1 and log are the math package's, except where it
// falls short on amd64: math.Exp overflows from about 709.5 instead of
// 709.78, math.Expm1 overflows just below e^x's largest finite value, and
// math.Log is wrong for subnormal arguments.

// e709 is e^709 correctly rounded.
const e709 = 8.218407461554972e+307

func expAt(x float64) float64 {
	if x > 709 {
		return e709 * math.Exp(x-709) // x − 709 is exact
	}
	return math.Exp(x)
}

func expm1At(x float64) float64 {
	if x > 700 {
		return expAt(x)
	}
	return math.Expm1(x)
}

func logAt(x float64) float64 {
	if x > 0 && x < 0x1p-1022 {
		const ln2Hi, ln2Lo = 6.93147180369123816490e-01, 1.90821492927058770002e-10
		return math.Log(x*0x1p54) - 54*ln2Hi - 54*ln2Lo
	}
	return math.Log(x)
}

// ReduceLimit bounds the arguments whose reduction modulo π/2 both paths
// do themselves, accurately; beyond (|x| > 2^50, about 10^15) sin and cos
// are the math package's, whose Payne–Hanek reduction rounds its result
// to one float64 and can be off by some ulp.
const ReduceLimit = 0x1p50

// The split of π/2 into three float64s, for the reduction x = n·π/2 + r.
const (
	pio2a = 0x1.921fb54442d18p+0    // π/2 rounded
	pio2b = 0x1.1a62633145c07p-54   // π/2 − pio2a rounded
	pio2c = -0x1.f1976b7ed8fbcp-110 // π/2 − pio2a − pio2b rounded
)

// The coefficients of fdlibm's kernels for sin and cos on [−π/4, π/4].
const (
	s1 = -1.66666666666666324348e-01
	s2 = 8.33333333332248946124e-03
	s3 = -1.98412698298579493134e-04
	s4 = 2.75573137070700676789e-06
	s5 = -2.50507602534068634195e-08
	s6 = 1.58969099521155010221e-10
	c1 = 4.16666666666666019037e-02
	c2 = -1.38888888888741095749e-03
	c3 = 2.48015872894767294178e-05
	c4 = -2.75573143513906633035e-07
	c5 = 2.08757232129817482790e-09
	c6 = -1.13596475577881948265e-11
)

// trigAt is sin (shift 0) or cos (shift 1) with the vector kernels'
// reduction and polynomials, one number at a time: x = n·π/2 + hi + lo,
// the first step exact (the fused multiply-add forms n·pio2a exactly and
// the difference fits in 53 bits), lo the rounding error of the second
// step plus the third part of π/2.
func trigAt(x float64, shift uint64) float64 {
	if !(math.Abs(x) <= ReduceLimit) { // also ±inf and nan
		if shift == 0 {
			return math.Sin(x)
		}
		return math.Cos(x)
	}
	if x == 0 && shift == 0 {
		return x // keeps −0
	}
	n := math.RoundToEven(x * (2 / math.Pi))
	r1 := math.FMA(-n, pio2a, x)
	hi := math.FMA(-n, pio2b, r1)
	lo := math.FMA(-n, pio2c, math.FMA(-n, pio2b, r1-hi))
	q := uint64(int64(n)) + shift
	var y float64
	if q&1 == 0 {
		y = sinKernel(hi, lo)
	} else {
		y = cosKernel(hi, lo)
	}
	if q&2 != 0 {
		y = -y
	}
	return y
}

// sinKernel is sin(x+y) for |x+y| ≤ π/4, y a small correction to x.
func sinKernel(x, y float64) float64 {
	z := x * x
	v := z * x
	r := math.FMA(math.FMA(math.FMA(math.FMA(s6, z, s5), z, s4), z, s3), z, s2)
	return x - ((z*(y*0.5-v*r) - y) - v*s1)
}

// cosKernel is cos(x+y) for |x+y| ≤ π/4.
func cosKernel(x, y float64) float64 {
	z := x * x
	w := z * z
	r := z*math.FMA(math.FMA(c3, z, c2), z, c1) + w*w*math.FMA(math.FMA(c6, z, c5), z, c4)
	hz := z * 0.5
	w = 1 - hz
	return w + (((1 - w) - hz) + (z*r - x*y))
}

// Square and Reciprocal are x·x and 1/x, by the arithmetic kernels (at
// every vector level, set by init).
var (
	Square     = Func{at: func(x float64) float64 { return x * x }}
	Reciprocal = Func{at: func(x float64) float64 { return 1 / x }}
)

// The levels of the paths, for SetLevel: each vector level exists on
// amd64 in builds with GOEXPERIMENT=simd, on CPUs with its instructions,
// and a CPU that has a level has the levels below it.
const (
	Pure   = 0 // the pure-Go path
	AVX2   = 1 // AVX2 with FMA, four elements at a time
	AVX512 = 2 // AVX-512 (F, CD, BW, DQ, VL) with FMA, eight at a time
)

// levels is the number of levels.
const levels = 3

// maxLevel is the highest level this build and CPU have, level the one
// in use.
var (
	maxLevel int
	level    atomic.Int32
)

func init() {
	maxLevel = install()
	for l := AVX2; l <= maxLevel; l++ {
		Square.vec[l] = func(dst, src []float64) { ArithVV(Mul, dst, src, src) }
		Reciprocal.vec[l] = func(dst, src []float64) { ArithSV(Div, dst, 1, src) }
	}
	SetLevel(startLevel(os.Getenv("AUTOGRAD_SIMD")))
}

// startLevel is the level requested by the value of AUTOGRAD_SIMD: "0"
// for the pure-Go path, "avx2" for AVX2 at most, anything else for the
// best one.
func startLevel(env string) int {
	switch strings.ToLower(strings.TrimSpace(env)) {
	case "0":
		return Pure
	case "avx2":
		return AVX2
	}
	return AVX512
}

// Level returns the level in use: Pure, AVX2 or AVX512.
func Level() int { return int(level.Load()) }

// MaxLevel returns the highest level this build and CPU have; every level
// from Pure to it is available.
func MaxLevel() int { return maxLevel }

// SetLevel chooses the path of level l, or the highest available below it
// when this build or CPU lacks it (Pure for l < 0), and returns the level
// now in use. Call it between computations: a kernel running concurrently
// may finish on either path.
func SetLevel(l int) int {
	l = max(Pure, min(l, maxLevel))
	level.Store(int32(l))
	return l
}

// LevelName returns the name of level l: "pure", "avx2" or "avx512".
func LevelName(l int) string {
	switch l {
	case Pure:
		return "pure"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	}
	return "level " + strconv.Itoa(l)
}

// Vector reports whether a vector path (level AVX2 or above) is in use.
func Vector() bool { return Level() > Pure }

// Available reports whether this build and CPU have a vector path.
func Available() bool { return maxLevel > Pure }

// SetVector chooses the best vector path available (on) or the pure-Go
// path (off), and reports whether a vector path is now in use.
func SetVector(on bool) bool {
	if on {
		return SetLevel(maxLevel) > Pure
	}
	return SetLevel(Pure) > Pure
}

// Op names one of the four arithmetic operators.
type Op int

// The arithmetic operators.
const (
	Add Op = iota
	Sub
	Mul
	Div
)

// String returns the operator's symbol.
func (op Op) String() string { return [...]string{"+", "-", "*", "/"}[op] }

// arithKernels are the vector arithmetic kernels of a level: vv for
// out = x op y, vs for out = x op c, sv for out = c op y.
type arithKernels struct {
	vv func(op Op, out, x, y []float64)
	vs func(op Op, out, x []float64, c float64)
	sv func(op Op, out []float64, c float64, y []float64)
}

// arithVec holds the arithmetic kernels of each level (none at Pure).
var arithVec [levels]arithKernels

// Number is the element type of the arithmetic loops: real data takes
// the vector kernels when they are in use, complex data the plain loops.
type Number interface{ float64 | complex128 }

// ArithVV sets out[i] = x[i] op y[i].
func ArithVV[T Number](op Op, out, x, y []T) {
	x, y = x[:len(out)], y[:len(out)]
	if o, ok := any(out).([]float64); ok {
		if k := arithVec[level.Load()].vv; k != nil {
			k(op, o, any(x).([]float64), any(y).([]float64))
			return
		}
	}
	switch op {
	case Add:
		for i := range out {
			out[i] = x[i] + y[i]
		}
	case Sub:
		for i := range out {
			out[i] = x[i] - y[i]
		}
	case Mul:
		for i := range out {
			out[i] = x[i] * y[i]
		}
	case Div:
		for i := range out {
			out[i] = x[i] / y[i]
		}
	}
}

// ArithVS sets out[i] = x[i] op c.
func ArithVS[T Number](op Op, out, x []T, c T) {
	x = x[:len(out)]
	if o, ok := any(out).([]float64); ok {
		if k := arithVec[level.Load()].vs; k != nil {
			k(op, o, any(x).([]float64), any(c).(float64))
			return
		}
	}
	switch op {
	case Add:
		for i := range out {
			out[i] = x[i] + c
		}
	case Sub:
		for i := range out {
			out[i] = x[i] - c
		}
	case Mul:
		for i := range out {
			out[i] = x[i] * c
		}
	case Div:
		for i := range out {
			out[i] = x[i] / c
		}
	}
}

// ArithSV sets out[i] = c op y[i].
func ArithSV[T Number](op Op, out []T, c T, y []T) {
	y = y[:len(out)]
	if o, ok := any(out).([]float64); ok {
		if k := arithVec[level.Load()].sv; k != nil {
			k(op, o, any(c).(float64), any(y).([]float64))
			return
		}
	}
	switch op {
	case Add:
		for i := range out {
			out[i] = c + y[i]
		}
	case Sub:
		for i := range out {
			out[i] = c - y[i]
		}
	case Mul:
		for i := range out {
			out[i] = c * y[i]
		}
	case Div:
		for i := range out {
			out[i] = c / y[i]
		}
	}
}
