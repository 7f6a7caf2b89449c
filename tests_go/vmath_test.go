package tests_go

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"

	"autograd/core/vmath"
)

// ulps is the distance between a and b in units in the last place: the
// number of float64 values between them (0 when both are nan, or equal).
func ulps(a, b float64) uint64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		if math.IsNaN(a) && math.IsNaN(b) {
			return 0
		}
		return math.MaxUint64
	}
	if a == b {
		return 0
	}
	oa, ob := ordered(a), ordered(b)
	if oa > ob {
		return uint64(oa - ob)
	}
	return uint64(ob - oa)
}

// ordered maps a float64 to an integer whose order is the floats' order.
func ordered(x float64) int64 {
	i := int64(math.Float64bits(x))
	if i < 0 {
		return math.MinInt64 - i
	}
	return i
}

// samples returns dense points over [lo, hi], log-spaced points of both
// signs from the smallest subnormal to the largest float, and the special
// values.
func samples(lo, hi float64) []float64 {
	var xs []float64
	for i := 0; i <= 20000; i++ {
		xs = append(xs, lo+(hi-lo)*float64(i)/20000)
	}
	for e := -1074.0; e <= 1023; e += 0.37 {
		v := math.Pow(2, e)
		xs = append(xs, v, -v)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		xs = append(xs, math.Float64frombits(r.Uint64()))
	}
	return append(xs, 0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(),
		math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64,
		709.782712893384, 709.7827128933841, -745.1332191019411, -745.1332191019412, -708.4, 1e-300, -1)
}

// levelNames lists the levels by name, the pure-Go path first.
var levelNames = []string{vmath.LevelName(vmath.Pure), vmath.LevelName(vmath.AVX2), vmath.LevelName(vmath.AVX512)}

// atLevel runs f as a subtest for each level from lowest (vmath.Pure or
// vmath.AVX2) up, with that level in use: a level this build or CPU lacks
// is skipped with a message. The level in use before is restored.
func atLevel(t *testing.T, lowest int, f func(t *testing.T, level int)) {
	t.Helper()
	defer vmath.SetLevel(vmath.Level())
	for l := lowest; l < len(levelNames); l++ {
		t.Run(levelNames[l], func(t *testing.T) {
			if got := vmath.SetLevel(l); got != l {
				t.Skipf("level %s is not available in this build or CPU (the highest is %s)", levelNames[l], levelNames[vmath.MaxLevel()])
			}
			f(t, l)
		})
	}
}

// kernels are the functions with vector kernels and the domains their
// dense samples cover.
var kernels = []struct {
	name   string
	f      vmath.Func
	lo, hi float64
}{
	{"exp", vmath.Exp, -750, 750},
	{"expm1", vmath.Expm1, -40, 40},
	{"log", vmath.Log, 0, 10},
	{"log1p", vmath.Log1p, -1, 10},
	{"tanh", vmath.Tanh, -25, 25},
	{"sin", vmath.Sin, -100, 100},
	{"cos", vmath.Cos, -100, 100},
	{"sqrt", vmath.Sqrt, 0, 1e6},
	{"square", vmath.Square, -1e10, 1e10},
	{"reciprocal", vmath.Reciprocal, -10, 10},
}

// TestVMathPaths compares each vector level of every kernel with the
// pure-Go path (the math package), element by element, on dense samples
// of each function's domain: within 2 ulp everywhere, identical at special
// values and signed zeros.
func TestVMathPaths(t *testing.T) {
	atLevel(t, vmath.AVX2, func(t *testing.T, level int) {
		for _, c := range kernels {
			t.Run(c.name, func(t *testing.T) {
				xs := samples(c.lo, c.hi)
				vec := make([]float64, len(xs))
				c.f.Slice(vec, xs)
				worst, bad := uint64(0), 0
				for i, x := range xs {
					want := c.f.At(x)
					d := ulps(vec[i], want)
					worst = max(worst, d)
					zeroSign := want == 0 && math.Signbit(want) != math.Signbit(vec[i])
					if d > 2 || zeroSign {
						if bad < 5 {
							t.Errorf("%s(%v) = %v (%s), %v (pure Go): %d ulp", c.name, x, vec[i], levelNames[level], want, d)
						}
						bad++
					}
				}
				if bad > 0 {
					t.Errorf("%s: %d of %d samples off by more than 2 ulp", c.name, bad, len(xs))
				}
				t.Logf("%s: worst %d ulp over %d samples", c.name, worst, len(xs))
			})
		}
	})
}

// TestVMathLevelsAgree checks that the vector levels compute the same
// bits: the AVX2 kernels follow the AVX-512 ones step for step. It needs
// a CPU with AVX-512.
func TestVMathLevelsAgree(t *testing.T) {
	if vmath.MaxLevel() < vmath.AVX512 {
		t.Skipf("needs levels avx2 and avx512; the highest here is %s", levelNames[vmath.MaxLevel()])
	}
	defer vmath.SetLevel(vmath.Level())
	for _, c := range kernels {
		xs := samples(c.lo, c.hi)
		ys := [2][]float64{make([]float64, len(xs)), make([]float64, len(xs))}
		for k, l := range []int{vmath.AVX2, vmath.AVX512} {
			vmath.SetLevel(l)
			c.f.Slice(ys[k], xs)
		}
		bad := 0
		for i, x := range xs {
			if math.Float64bits(ys[0][i]) != math.Float64bits(ys[1][i]) && !(math.IsNaN(ys[0][i]) && math.IsNaN(ys[1][i])) {
				if bad < 5 {
					t.Errorf("%s(%v) = %v (avx2), %v (avx512)", c.name, x, ys[0][i], ys[1][i])
				}
				bad++
			}
		}
		if bad > 0 {
			t.Errorf("%s: the levels differ on %d of %d samples", c.name, bad, len(xs))
		}
	}
}

// tailInputs returns n inputs mixing dense values of [-3, 3] with special
// values and arguments beyond vmath.ReduceLimit (which sin and cos hand
// to the pure-Go path lane by lane).
func tailInputs(n int) []float64 {
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e300, -1e300,
		math.SmallestNonzeroFloat64, 1e16, -3e17, 800, -800, -1}
	dense := samples(-3, 3)[:20001]
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = dense[i*20000/n]
	}
	for i, v := range special {
		xs[(i*37)%n] = v
	}
	return xs
}

// TestVMathTails checks, at every level, that an element's result does
// not depend on where it sits in the slice: every length from 0 to 33 and
// every offset give the same values as one long call.
func TestVMathTails(t *testing.T) {
	xs := tailInputs(400)
	all := make([]float64, len(xs))
	atLevel(t, vmath.Pure, func(t *testing.T, level int) {
		for _, c := range kernels {
			c.f.Slice(all, xs)
			for n := 0; n <= 33; n++ {
				for off := 0; off < 9; off++ {
					part := make([]float64, n)
					c.f.Slice(part, xs[off:off+n])
					for i := range part {
						if ulps(part[i], all[off+i]) != 0 {
							t.Fatalf("%s: length %d offset %d element %d: %v, %v in the long call", c.name, n, off, i, part[i], all[off+i])
						}
					}
				}
			}
			// in place
			in := append([]float64(nil), xs...)
			c.f.Slice(in, in)
			for i := range in {
				if ulps(in[i], all[i]) != 0 {
					t.Fatalf("%s in place: element %d: %v, %v", c.name, i, in[i], all[i])
				}
			}
		}
	})
}

// TestVMathArith compares the arithmetic kernels of every level with Go's
// operators, for every length up to 40 and the three operand forms, on
// operands that include zeros, infinities, nan and subnormals.
func TestVMathArith(t *testing.T) {
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, math.MaxFloat64}
	ops := []func(a, b float64) float64{
		func(a, b float64) float64 { return a + b }, func(a, b float64) float64 { return a - b },
		func(a, b float64) float64 { return a * b }, func(a, b float64) float64 { return a / b },
	}
	same := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
	}
	atLevel(t, vmath.Pure, func(t *testing.T, level int) {
		r := rand.New(rand.NewPCG(3, 4))
		for n := 0; n <= 40; n++ {
			x, y, out := make([]float64, n), make([]float64, n), make([]float64, n)
			for i := range x {
				x[i], y[i] = r.NormFloat64(), r.NormFloat64()
				if r.IntN(4) == 0 {
					x[i] = special[r.IntN(len(special))]
				}
				if r.IntN(4) == 0 {
					y[i] = special[r.IntN(len(special))]
				}
			}
			c := r.NormFloat64()
			for op, f := range ops {
				vmath.ArithVV(vmath.Op(op), out, x, y)
				for i := range out {
					if !same(out[i], f(x[i], y[i])) {
						t.Fatalf("%v VV n=%d i=%d: %v %v %v = %v, want %v", vmath.Op(op), n, i, x[i], vmath.Op(op), y[i], out[i], f(x[i], y[i]))
					}
				}
				vmath.ArithVS(vmath.Op(op), out, x, c)
				for i := range out {
					if !same(out[i], f(x[i], c)) {
						t.Fatalf("%v VS n=%d i=%d: %v %v %v = %v, want %v", vmath.Op(op), n, i, x[i], vmath.Op(op), c, out[i], f(x[i], c))
					}
				}
				vmath.ArithSV(vmath.Op(op), out, c, y)
				for i := range out {
					if !same(out[i], f(c, y[i])) {
						t.Fatalf("%v SV n=%d i=%d: %v %v %v = %v, want %v", vmath.Op(op), n, i, c, vmath.Op(op), y[i], out[i], f(c, y[i]))
					}
				}
			}
		}
	})
}

// TestVMathSetLevel checks the run-time switch: a request is clamped to
// the levels available, and SetVector and Vector speak of the same level.
func TestVMathSetLevel(t *testing.T) {
	defer vmath.SetLevel(vmath.Level())
	top := vmath.MaxLevel()
	if top < vmath.Pure || top > vmath.AVX512 {
		t.Fatalf("MaxLevel() = %d", top)
	}
	for _, c := range []struct{ ask, want int }{
		{-1, vmath.Pure}, {vmath.Pure, vmath.Pure}, {vmath.AVX2, min(vmath.AVX2, top)},
		{vmath.AVX512, top}, {99, top},
	} {
		if got := vmath.SetLevel(c.ask); got != c.want || vmath.Level() != c.want {
			t.Errorf("SetLevel(%d) = %d, Level() = %d; want %d", c.ask, got, vmath.Level(), c.want)
		}
	}
	if on := vmath.SetVector(true); on != vmath.Available() || vmath.Level() != top || vmath.Vector() != on {
		t.Errorf("SetVector(true) = %v at level %d; Available() = %v, MaxLevel() = %d", on, vmath.Level(), vmath.Available(), top)
	}
	if on := vmath.SetVector(false); on || vmath.Level() != vmath.Pure || vmath.Vector() {
		t.Errorf("SetVector(false) = %v at level %d", on, vmath.Level())
	}
}

// TestVMathStartLevel runs this test binary again with AUTOGRAD_SIMD set
// to each value it understands and checks the level chosen at start-up.
func TestVMathStartLevel(t *testing.T) {
	if os.Getenv("VMATH_REPORT_LEVEL") != "" {
		fmt.Printf("level=%d\n", vmath.Level())
		return
	}
	top := vmath.MaxLevel()
	for _, c := range []struct {
		env  string
		want int
	}{{"", top}, {"0", vmath.Pure}, {"avx2", min(vmath.AVX2, top)}, {"AVX2", min(vmath.AVX2, top)}, {"avx512", top}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestVMathStartLevel$")
		cmd.Env = append(os.Environ(), "VMATH_REPORT_LEVEL=1", "AUTOGRAD_SIMD="+c.env)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("AUTOGRAD_SIMD=%q: %v\n%s", c.env, err, out)
		}
		if want := fmt.Sprintf("level=%d\n", c.want); !strings.Contains(string(out), want) {
			t.Errorf("AUTOGRAD_SIMD=%q: the child reported %q, want %q", c.env, out, want)
		}
	}
}

// BenchmarkVMath times each kernel on 10^4 elements at every available
// level, in ns per element (ns/elem).
func BenchmarkVMath(b *testing.B) {
	const n = 10000
	xs, pos := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)/1000 - 5  // [-5, 5)
		pos[i] = float64(i+1) / 1000 // (0, 10]
	}
	out := make([]float64, n)
	defer vmath.SetLevel(vmath.Level())
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"exp", func() { vmath.Exp.Slice(out, xs) }},
		{"expm1", func() { vmath.Expm1.Slice(out, xs) }},
		{"log", func() { vmath.Log.Slice(out, pos) }},
		{"log1p", func() { vmath.Log1p.Slice(out, pos) }},
		{"tanh", func() { vmath.Tanh.Slice(out, xs) }},
		{"sin", func() { vmath.Sin.Slice(out, xs) }},
		{"cos", func() { vmath.Cos.Slice(out, xs) }},
		{"sqrt", func() { vmath.Sqrt.Slice(out, pos) }},
		{"div", func() { vmath.ArithVV(vmath.Div, out, xs, pos) }},
	} {
		for l := vmath.Pure; l <= vmath.MaxLevel(); l++ {
			b.Run(c.name+"/"+levelNames[l], func(b *testing.B) {
				vmath.SetLevel(l)
				for b.Loop() {
					c.f()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/elem")
			})
		}
	}
}
