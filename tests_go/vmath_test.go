package tests_go

import (
	"math"
	"math/rand/v2"
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

// TestVMathPaths compares the vector path of every kernel with the pure-Go
// path (the math package), element by element, on dense samples of each
// function's domain: within 2 ulp everywhere, identical at special values
// and signed zeros.
func TestVMathPaths(t *testing.T) {
	if !vmath.Available() {
		t.Skip("this build or CPU has no vector path")
	}
	defer vmath.SetVector(vmath.Vector())
	cases := []struct {
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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			xs := samples(c.lo, c.hi)
			vec := make([]float64, len(xs))
			vmath.SetVector(true)
			c.f.Slice(vec, xs)
			worst, bad := uint64(0), 0
			for i, x := range xs {
				want := c.f.At(x)
				d := ulps(vec[i], want)
				if d > worst {
					worst = d
				}
				zeroSign := want == 0 && math.Signbit(want) != math.Signbit(vec[i])
				if d > 2 || zeroSign {
					if bad < 5 {
						t.Errorf("%s(%v) = %v (vector), %v (math): %d ulp", c.name, x, vec[i], want, d)
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
}

// TestVMathTails checks that an element's result does not depend on where
// it sits in the slice: every length from 0 to 33 and every offset give
// the same values as one long call.
func TestVMathTails(t *testing.T) {
	xs := samples(-3, 3)[:400]
	all := make([]float64, len(xs))
	for _, f := range []vmath.Func{vmath.Exp, vmath.Log1p, vmath.Tanh, vmath.Sin} {
		f.Slice(all, xs)
		for n := 0; n <= 33; n++ {
			for off := 0; off < 9; off++ {
				part := make([]float64, n)
				f.Slice(part, xs[off:off+n])
				for i := range part {
					if ulps(part[i], all[off+i]) != 0 {
						t.Fatalf("length %d offset %d element %d: %v, %v in the long call", n, off, i, part[i], all[off+i])
					}
				}
			}
		}
	}
}

// TestVMathArith compares the vector arithmetic with Go's operators, for
// every length up to 40 and the three operand forms.
func TestVMathArith(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, on := range []bool{true, false} {
		prev := vmath.SetVector(on)
		for n := 0; n <= 40; n++ {
			x, y, out := make([]float64, n), make([]float64, n), make([]float64, n)
			for i := range x {
				x[i], y[i] = r.NormFloat64(), r.NormFloat64()
			}
			c := r.NormFloat64()
			for op, f := range []func(a, b float64) float64{
				func(a, b float64) float64 { return a + b }, func(a, b float64) float64 { return a - b },
				func(a, b float64) float64 { return a * b }, func(a, b float64) float64 { return a / b },
			} {
				vmath.ArithVV(vmath.Op(op), out, x, y)
				for i := range out {
					if out[i] != f(x[i], y[i]) {
						t.Fatalf("vector=%v op %d VV n=%d i=%d: %v, want %v", on, op, n, i, out[i], f(x[i], y[i]))
					}
				}
				vmath.ArithVS(vmath.Op(op), out, x, c)
				for i := range out {
					if out[i] != f(x[i], c) {
						t.Fatalf("vector=%v op %d VS n=%d i=%d", on, op, n, i)
					}
				}
				vmath.ArithSV(vmath.Op(op), out, c, y)
				for i := range out {
					if out[i] != f(c, y[i]) {
						t.Fatalf("vector=%v op %d SV n=%d i=%d", on, op, n, i)
					}
				}
			}
		}
		vmath.SetVector(prev)
	}
}

// BenchmarkVMath times each kernel on 10^4 elements, on both paths.
func BenchmarkVMath(b *testing.B) {
	xs := make([]float64, 10000)
	for i := range xs {
		xs[i] = float64(i)/1000 - 5
	}
	out := make([]float64, len(xs))
	defer vmath.SetVector(vmath.Vector())
	for _, c := range []struct {
		name string
		f    vmath.Func
	}{{"exp", vmath.Exp}, {"expm1", vmath.Expm1}, {"log1p", vmath.Log1p}, {"tanh", vmath.Tanh}, {"sin", vmath.Sin}} {
		for _, on := range []bool{true, false} {
			name := c.name + "/go"
			if on {
				name = c.name + "/vector"
			}
			b.Run(name, func(b *testing.B) {
				vmath.SetVector(on)
				for b.Loop() {
					c.f.Slice(out, xs)
				}
			})
		}
	}
	b.Run("div/vector", func(b *testing.B) {
		vmath.SetVector(true)
		for b.Loop() {
			vmath.ArithVV(vmath.Div, out, xs, xs)
		}
	})
	b.Run("div/go", func(b *testing.B) {
		vmath.SetVector(false)
		for b.Loop() {
			vmath.ArithVV(vmath.Div, out, xs, xs)
		}
	})
}
