package tests_go

import (
	"fmt"
	"math"
	"math/cmplx"
	"sync"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file checks the differential operators of package ad (Grad,
// GradOf, JVP, JVPOf, Jacobian, Hessian, Backward) against closed forms.

// mustValue returns the array under v, failing the test on err.
func mustValue(t *testing.T, v ad.Value, err error) *nd.Array {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if _, boxed := v.(*ad.Box); boxed {
		t.Fatalf("result is a box at top level")
	}
	return ad.Unbox(v)
}

// matVec returns the product of the n×n row-major matrix a with x.
func matVec(a []float64, x []float64) []float64 {
	n := len(x)
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			out[i] += a[i*n+j] * x[j]
		}
	}
	return out
}

// TestQuadraticForm checks the gradient (A + Aᵀ)x and the Hessian A + Aᵀ
// of xᵀAx, written with several products.
func TestQuadraticForm(t *testing.T) {
	const n = 4
	rnd := newRand(21)
	A := randArray(rnd, []int{n, n}, anyReal, false)
	x := randArray(rnd, []int{n}, anyReal, false)
	tests := []struct {
		name string
		f    ad.Func
	}{
		{"sum(x * (A @ x))", func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(x, ad.Matmul(A, x))) }},
		{"x @ A @ x", func(x ad.Value) ad.Value { return ad.Matmul(ad.Matmul(x, A), x) }},
		{"dot(x, dot(A, x))", func(x ad.Value) ad.Value { return ad.Dot(x, ad.Dot(A, x)) }},
		{"tensordot(A, outer(x, x), 2)", func(x ad.Value) ad.Value {
			return ad.Tensordot(A, ad.Tensordot(x, x, nil, nil), []int{0, 1}, []int{0, 1})
		}},
	}
	sym := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			sym[i*n+j] = A.Float64s()[i*n+j] + A.Float64s()[j*n+i]
		}
	}
	wantG := nd.FromFloat64s([]int{n}, matVec(sym, x.Float64s()))
	wantH := nd.FromFloat64s([]int{n, n}, sym)
	for _, test := range tests {
		g, err := ad.Grad(test.f, x)
		if err := sameValues(mustValue(t, g, err), wantG, 1e-13); err != nil {
			t.Errorf("%s: gradient: %v", test.name, err)
		}
		h, err := ad.Hessian(test.f, x)
		if err := sameValues(mustValue(t, h, err), wantH, 1e-13); err != nil {
			t.Errorf("%s: Hessian: %v", test.name, err)
		}
	}
	// with a matrix argument the Hessian of sum(X * (A @ X)) is
	// H[i,j,k,l] = (A + Aᵀ)[i,k] δ(j,l), shaped X.shape + X.shape
	X := randArray(rnd, []int{n, 2}, anyReal, false)
	h, err := ad.Hessian(func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(x, ad.Matmul(A, x))) }, X)
	want := fromFunc([]int{n, 2, n, 2}, false, func(idx []int) complex128 {
		if idx[1] != idx[3] {
			return 0
		}
		return complex(sym[idx[0]*n+idx[2]], 0)
	})
	if err := sameValues(mustValue(t, h, err), want, 1e-13); err != nil {
		t.Errorf("Hessian with a matrix argument: %v", err)
	}
}

// tanhDerivs are the first four derivatives of tanh as functions of t = tanh(x).
var tanhDerivs = []func(t float64) float64{
	func(t float64) float64 { return 1 - t*t },
	func(t float64) float64 { return -2 * t * (1 - t*t) },
	func(t float64) float64 { return -2 * (1 - t*t) * (1 - 3*t*t) },
	func(t float64) float64 { return 8 * t * (1 - t*t) * (2 - 3*t*t) },
}

func TestGradOfSumTanh(t *testing.T) {
	x := randArray(newRand(22), []int{3, 4}, anyReal, false)
	g, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.Tanh(x)) }, x)
	want := fromFunc([]int{3, 4}, false, func(idx []int) complex128 {
		return complex(tanhDerivs[0](math.Tanh(real(x.At(ravel(idx, []int{3, 4}))))), 0)
	})
	if err := sameValues(mustValue(t, g, err), want, 1e-14); err != nil {
		t.Error(err)
	}
}

// TestTanhDerivativesAnyOrder computes the first four derivatives of tanh
// by nesting GradOf and JVPOf in every order of modes and compares them
// with the closed forms.
func TestTanhDerivativesAnyOrder(t *testing.T) {
	one := nd.Scalar(1)
	for order := 1; order <= len(tanhDerivs); order++ {
		for modes := 0; modes < 1<<order; modes++ {
			f := ad.Func(ad.Tanh)
			name := "tanh"
			for k := 0; k < order; k++ {
				if modes>>k&1 == 0 {
					f, name = ad.GradOf(f), "grad("+name+")"
				} else {
					f, name = ad.JVPOf(f, one), "jvp("+name+")"
				}
			}
			for _, x := range []float64{-1.7, -0.3, 0, 0.4, 2.2} {
				var got ad.Value
				err := catch(func() { got = f(nd.Scalar(x)) })
				if err != nil {
					t.Errorf("%s(%v): %v", name, x, err)
					continue
				}
				want := tanhDerivs[order-1](math.Tanh(x))
				if g := real(ad.Unbox(got).At(0)); math.Abs(g-want) > 1e-12*math.Max(1, math.Abs(want)) {
					t.Errorf("%s(%v) = %.15g, want %.15g", name, x, g, want)
				}
			}
		}
	}
}

func TestJVPClosedForm(t *testing.T) {
	rnd := newRand(23)
	for _, cplx := range []bool{false, true} {
		x := randArray(rnd, []int{5}, anyReal, cplx)
		v := randLike(rnd, x)
		f := func(x ad.Value) ad.Value { return ad.Mul(ad.Exp(x), ad.Sin(x)) }
		y, ty, err := ad.JVP(f, x, v)
		if err != nil {
			t.Fatal(err)
		}
		wantY := fromFunc([]int{5}, cplx, func(i []int) complex128 { return cmplx.Exp(x.At(i[0])) * cmplx.Sin(x.At(i[0])) })
		wantT := fromFunc([]int{5}, cplx, func(i []int) complex128 {
			z := x.At(i[0])
			return cmplx.Exp(z) * (cmplx.Sin(z) + cmplx.Cos(z)) * v.At(i[0])
		})
		if err := sameValues(ad.Unbox(y), wantY, 1e-14); err != nil {
			t.Errorf("JVP value (complex %t): %v", cplx, err)
		}
		if err := sameValues(ad.Unbox(ty), wantT, 1e-14); err != nil {
			t.Errorf("JVP tangent (complex %t): %v", cplx, err)
		}
		ty2 := ad.JVPOf(f, v)(x)
		if err := sameValues(ad.Unbox(ty2), wantT, 1e-14); err != nil {
			t.Errorf("JVPOf (complex %t): %v", cplx, err)
		}
	}
}

// TestJVPTangentIsComplexForComplexOutput checks that a real tangent
// becomes complex wherever the traced value becomes complex, as numpy's
// x + t would: through a constant (x + 2j, x * 1j), a complex root, and
// a real tangent given for a complex argument.
func TestJVPTangentIsComplexForComplexOutput(t *testing.T) {
	x := nd.FromFloat64s([]int{2}, []float64{0.5, -1.5})
	v := nd.FromFloat64s([]int{2}, []float64{1, 2})
	cases := []struct {
		name string
		f    ad.Func
		x    ad.Value
		want []complex128
	}{
		{"x+2j", func(x ad.Value) ad.Value { return ad.Add(x, nd.ComplexScalar(2i)) }, x, []complex128{1, 2}},
		{"2j-x", func(x ad.Value) ad.Value { return ad.Sub(nd.ComplexScalar(2i), x) }, x, []complex128{-1, -2}},
		{"x*1j", func(x ad.Value) ad.Value { return ad.Mul(x, nd.ComplexScalar(1i)) }, x, []complex128{1i, 2i}},
		{"complex root", func(z ad.Value) ad.Value { return ad.Neg(z) }, ad.Add(x, nd.ComplexScalar(1i)), []complex128{-1, -2}},
	}
	for _, c := range cases {
		_, ty, err := ad.JVP(c.f, c.x, v)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := ad.Unbox(ty)
		if got.DType() != nd.Complex128 {
			t.Errorf("%s: tangent dtype %v, want complex128", c.name, got.DType())
			continue
		}
		for i, w := range c.want {
			if got.At(i) != w {
				t.Errorf("%s: tangent[%d] = %v, want %v", c.name, i, got.At(i), w)
			}
		}
	}
}

func TestJacobianClosedForms(t *testing.T) {
	rnd := newRand(24)
	A := randArray(rnd, []int{3, 4}, anyReal, false)
	x := randArray(rnd, []int{4}, anyReal, false)
	X := randArray(rnd, []int{2, 3}, anyReal, false)
	tests := []struct {
		name string
		f    ad.Func
		x    *nd.Array
		want *nd.Array
	}{
		{"A @ x", func(x ad.Value) ad.Value { return ad.Matmul(A, x) }, x, A},
		{"tanh(x)", ad.Tanh, x, fromFunc([]int{4, 4}, false, func(i []int) complex128 {
			if i[0] != i[1] {
				return 0
			}
			return complex(tanhDerivs[0](math.Tanh(real(x.At(i[0])))), 0)
		})},
		{"transpose(X)", func(x ad.Value) ad.Value { return ad.Transpose(x, []int{1, 0}) }, X,
			fromFunc([]int{3, 2, 2, 3}, false, func(i []int) complex128 {
				if i[0] == i[3] && i[1] == i[2] {
					return 1
				}
				return 0
			})},
		{"sum(X, axis 0)", func(x ad.Value) ad.Value { return ad.Sum(x, []int{0}, false) }, X,
			fromFunc([]int{3, 2, 3}, false, func(i []int) complex128 {
				if i[0] == i[2] {
					return 1
				}
				return 0
			})},
		{"sum(X)", ad.SumAll, X, nd.Ones([]int{2, 3}, nd.Float64)},
		{"constant", func(ad.Value) ad.Value { return A }, x, nd.Zeros([]int{3, 4, 4}, nd.Float64)},
	}
	for _, test := range tests {
		j, err := ad.Jacobian(test.f, test.x)
		if err := sameValues(mustValue(t, j, err), test.want, 1e-14); err != nil {
			t.Errorf("Jacobian of %s: %v", test.name, err)
		}
	}
}

// TestComplexGradientConvention checks autograd's convention on closed
// forms: for a real function L of complex z = x + iy the gradient is
// dL/dx - i dL/dy, which for L = real(f(z)) with f holomorphic is f'(z),
// with no conjugation.
func TestComplexGradientConvention(t *testing.T) {
	rnd := newRand(25)
	z := randArray(rnd, []int{4}, anyReal, true)
	w := randArray(rnd, []int{4}, anyReal, true)
	each := func(f func(z, w complex128) complex128) *nd.Array {
		return fromFunc([]int{4}, true, func(i []int) complex128 { return f(z.At(i[0]), w.At(i[0])) })
	}
	tests := []struct {
		name string
		L    ad.Func
		want *nd.Array
	}{
		{"real(sum(z*z))", func(z ad.Value) ad.Value { return ad.Real(ad.SumAll(ad.Mul(z, z))) }, each(func(z, _ complex128) complex128 { return 2 * z })},
		{"sum(abs(z)**2)", func(z ad.Value) ad.Value { return ad.SumAll(ad.Square(ad.Abs(z))) }, each(func(z, _ complex128) complex128 { return 2 * cmplx.Conj(z) })},
		{"real(sum(w*conj(z)))", func(z ad.Value) ad.Value { return ad.Real(ad.SumAll(ad.Mul(w, ad.Conj(z)))) }, each(func(_, w complex128) complex128 { return cmplx.Conj(w) })},
		{"imag(sum(z))", func(z ad.Value) ad.Value { return ad.Imag(ad.SumAll(z)) }, each(func(_, _ complex128) complex128 { return -1i })},
		{"real(sum(exp(z)))", func(z ad.Value) ad.Value { return ad.Real(ad.SumAll(ad.Exp(z))) }, each(func(z, _ complex128) complex128 { return cmplx.Exp(z) })},
		{"real(sum(w*log(z)))", func(z ad.Value) ad.Value { return ad.Real(ad.SumAll(ad.Mul(w, ad.Log(z)))) }, each(func(z, w complex128) complex128 { return w / z })},
		{"sum(abs(z))", func(z ad.Value) ad.Value { return ad.SumAll(ad.Abs(z)) }, each(func(z, _ complex128) complex128 { return cmplx.Conj(z) / complex(cmplx.Abs(z), 0) })},
	}
	for _, test := range tests {
		g, err := ad.Grad(test.L, z)
		if err := sameValues(mustValue(t, g, err), test.want, 1e-14); err != nil {
			t.Errorf("grad %s: %v", test.name, err)
		}
	}
}

// TestLogSumExpGradIsSoftmax differentiates the max-shifted log-sum-exp,
// where the max's own gradient must cancel, and compares with softmax.
func TestLogSumExpGradIsSoftmax(t *testing.T) {
	x := randArray(newRand(26), []int{2, 5}, distinct, false)
	lse := func(x ad.Value) ad.Value {
		m := ad.Max(x, []int{1}, true)
		return ad.Add(ad.Log(ad.Sum(ad.Exp(ad.Sub(x, m)), []int{1}, true)), m)
	}
	w := nd.FromFloat64s([]int{2, 1}, []float64{1, -3})
	g, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(lse(x), w)) }, x)
	want := fromFunc([]int{2, 5}, false, func(i []int) complex128 {
		var s float64
		for j := 0; j < 5; j++ {
			s += math.Exp(real(x.At(5*i[0] + j)))
		}
		return complex(real(w.At(i[0]))*math.Exp(real(x.At(5*i[0]+i[1])))/s, 0)
	})
	if err := sameValues(mustValue(t, g, err), want, 1e-14); err != nil {
		t.Error(err)
	}
}

// TestGradAccumulates checks gradients through values used several
// times, and of mean and of logaddexp far from the origin.
func TestGradAccumulates(t *testing.T) {
	tests := []struct {
		name string
		f    ad.Func
		x    float64
		want float64
	}{
		{"x*x*x", func(x ad.Value) ad.Value { return ad.Mul(ad.Mul(x, x), x) }, 1.3, 3 * 1.3 * 1.3},
		{"s*s + s with s = sin(x)", func(x ad.Value) ad.Value { s := ad.Sin(x); return ad.Add(ad.Mul(s, s), s) }, 0.7, (2*math.Sin(0.7) + 1) * math.Cos(0.7)},
		{"x**x", func(x ad.Value) ad.Value { return ad.Pow(x, x) }, 1.5, math.Pow(1.5, 1.5) * (math.Log(1.5) + 1)},
		{"stack(x, 2x, x*x) summed", func(x ad.Value) ad.Value {
			return ad.SumAll(ad.Stack(x, ad.Mul(x, nd.Scalar(2)), ad.Mul(x, x)))
		}, 0.5, 1 + 2 + 2*0.5},
		{"x + sin(sin(sin(x)))", func(x ad.Value) ad.Value { return ad.Add(x, ad.Sin(ad.Sin(ad.Sin(x)))) }, 0.9,
			1 + math.Cos(math.Sin(math.Sin(0.9)))*math.Cos(math.Sin(0.9))*math.Cos(0.9)},
		{"logaddexp(x, 0) at 1000", func(x ad.Value) ad.Value { return ad.LogAddExp(x, nd.Scalar(0)) }, 1000, 1},
		{"logaddexp(0, x) at 1000", func(x ad.Value) ad.Value { return ad.LogAddExp(nd.Scalar(0), x) }, 1000, 1},
		{"logaddexp(x, x)", func(x ad.Value) ad.Value { return ad.LogAddExp(x, x) }, -700, 1},
	}
	for _, test := range tests {
		g, err := ad.Grad(test.f, nd.Scalar(test.x))
		if got := real(mustValue(t, g, err).At(0)); math.Abs(got-test.want) > 1e-13*math.Max(1, math.Abs(test.want)) {
			t.Errorf("d/dx %s at %v = %.15g, want %.15g", test.name, test.x, got, test.want)
		}
		_, tan, err := ad.JVP(test.f, nd.Scalar(test.x), nd.Scalar(1))
		if got := real(mustValue(t, tan, err).At(0)); math.Abs(got-test.want) > 1e-13*math.Max(1, math.Abs(test.want)) {
			t.Errorf("JVP of %s at %v along 1 = %.15g, want %.15g", test.name, test.x, got, test.want)
		}
	}
	x := randArray(newRand(27), []int{3, 4}, anyReal, false)
	g, err := ad.Grad(func(x ad.Value) ad.Value { return ad.Mean(x, []int{0, 1}, false) }, x)
	if err := sameValues(mustValue(t, g, err), nd.Full([]int{3, 4}, nd.Float64, 1.0/12), 1e-15); err != nil {
		t.Errorf("gradient of mean: %v", err)
	}
}

// logAddExp2 applies the logaddexp2 primitive, which has no wrapper in ad.
func logAddExp2(x, y ad.Value) ad.Value { return ad.Apply(ad.Lookup("logaddexp2"), nil, x, y) }

// TestKinks pins down the derivatives upstream autograd gives where a
// function is not differentiable: ties share max's and maximum's
// gradient evenly, abs has derivative 0 at 0, sign has none.
func TestKinks(t *testing.T) {
	v := func(vals ...float64) *nd.Array { return nd.FromFloat64s([]int{len(vals)}, vals) }
	two := nd.FromFloat64s([]int{2}, []float64{1, 3})
	tests := []struct {
		name string
		f    ad.Func
		x    *nd.Array
		want *nd.Array
	}{
		{"max with a tie", func(x ad.Value) ad.Value { return ad.Max(x, []int{0}, false) }, v(1, 3, 3, -2), v(0, 0.5, 0.5, 0)},
		{"min with a three-way tie", func(x ad.Value) ad.Value { return ad.Min(x, []int{0}, false) }, v(1, 1, 1, 2), v(1.0/3, 1.0/3, 1.0/3, 0)},
		{"maximum(x, 2) at a tie", func(x ad.Value) ad.Value { return ad.SumAll(ad.Maximum(x, nd.Scalar(2))) }, v(2, 1, 3), v(0.5, 0, 1)},
		{"minimum(2, x) at a tie", func(x ad.Value) ad.Value { return ad.SumAll(ad.Minimum(nd.Scalar(2), x)) }, v(2, 1, 3), v(0.5, 1, 0)},
		{"maximum(x, x)", func(x ad.Value) ad.Value { return ad.SumAll(ad.Maximum(x, x)) }, two, v(1, 1)},
		{"abs at 0", func(x ad.Value) ad.Value { return ad.SumAll(ad.Abs(x)) }, v(0, -2, 3), v(0, -1, 1)},
		{"sign", func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(ad.Sign(x), x)) }, v(0, -2, 3), v(0, -1, 1)},
	}
	for _, test := range tests {
		g, err := ad.Grad(test.f, test.x)
		if err := sameValues(mustValue(t, g, err), test.want, 1e-15); err != nil {
			t.Errorf("gradient of %s at %v: %v", test.name, test.x, err)
		}
		// forward mode agrees: the JVP along e_i is the i-th partial derivative
		for i := 0; i < test.x.Size(); i++ {
			e := nd.ScatterAdd(nd.Ones([]int{1}, nd.Float64), []int{i}, test.x.Shape())
			_, tan, err := ad.JVP(test.f, test.x, e)
			if got := mustValue(t, tan, err).At(0); got != test.want.At(i) {
				t.Errorf("JVP of %s at %v along e%d = %v, want %v", test.name, test.x, i, got, test.want.At(i))
			}
		}
	}
}

// TestLogAddExpValues checks logaddexp and logaddexp2 against log(e^x + e^y)
// where that is accurate and against closed forms where it overflows.
func TestLogAddExpValues(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		x, y, want, want2 float64
	}{
		{0.3, -1.2, math.Log(math.Exp(0.3) + math.Exp(-1.2)), math.Log2(math.Exp2(0.3) + math.Exp2(-1.2))},
		{1000, 1000, 1000 + math.Ln2, 1001},
		{1000, 0, 1000, 1000},
		{-1000, -1000, -1000 + math.Ln2, -999},
		{-inf, -inf, -inf, -inf},
		{inf, inf, inf, inf},
		{-inf, 2, 2, 2},
	}
	for _, test := range tests {
		x, y := nd.Scalar(test.x), nd.Scalar(test.y)
		for _, c := range []struct {
			name string
			f    func(x, y ad.Value) ad.Value
			want float64
		}{{"logaddexp", ad.LogAddExp, test.want}, {"logaddexp2", logAddExp2, test.want2}} {
			got := real(ad.Unbox(c.f(x, y)).At(0))
			if !(got == c.want || math.Abs(got-c.want) <= 1e-15*math.Abs(c.want)) {
				t.Errorf("%s(%v, %v) = %v, want %v", c.name, test.x, test.y, got, c.want)
			}
		}
	}
}

// TestBackwardReusesGraph runs ad.Backward twice on one graph with
// different cotangents, with roots the output does not reach, and from an
// output that is not a box.
func TestBackwardReusesGraph(t *testing.T) {
	rnd := newRand(28)
	x, y := randArray(rnd, []int{3}, anyReal, false), randArray(rnd, []int{2}, anyReal, true)
	tr := ad.NewTrace(ad.Reverse)
	rx, ry := ad.NewRoot(tr, x), ad.NewRoot(tr, y)
	out := ad.Mul(ad.Sin(rx), rx)
	dsin := fromFunc([]int{3}, false, func(i []int) complex128 {
		v := x.At(i[0])
		return cmplx.Cos(v)*v + cmplx.Sin(v)
	})
	for _, g := range []*nd.Array{nil, randArray(rnd, []int{3}, anyReal, false), randArray(rnd, []int{3}, anyReal, false)} {
		want := dsin
		if g != nil {
			want = fromFunc([]int{3}, false, func(i []int) complex128 { return dsin.At(i[0]) * g.At(i[0]) })
		}
		var cot ad.Value
		if g != nil {
			cot = g
		}
		grads := ad.Backward(tr, out, cot, []*ad.Box{rx, ry})
		if err := sameValues(ad.Unbox(grads[0]), want, 1e-15); err != nil {
			t.Errorf("cotangent %v: %v", g, err)
		}
		if err := sameValues(ad.Unbox(grads[1]), nd.Zeros([]int{2}, nd.Complex128), 0); err != nil || !ad.Unbox(grads[1]).IsComplex() {
			t.Errorf("gradient of an unreached complex root = %v, want complex zeros (%v)", grads[1], err)
		}
	}
	grads := ad.Backward(tr, x, nil, []*ad.Box{rx})
	if err := sameValues(ad.Unbox(grads[0]), nd.Zeros([]int{3}, nd.Float64), 0); err != nil {
		t.Errorf("gradient from a plain array: %v", err)
	}
	// the output is a root itself
	grads = ad.Backward(tr, rx, nil, []*ad.Box{ry, rx})
	if err := sameValues(ad.Unbox(grads[0]), nd.Zeros([]int{2}, nd.Complex128), 0); err != nil {
		t.Errorf("gradient of one root with respect to another: %v", err)
	}
	if err := sameValues(ad.Unbox(grads[1]), nd.Ones([]int{3}, nd.Float64), 0); err != nil {
		t.Errorf("gradient of a root with respect to itself: %v", err)
	}
}

// TestDotMatchesNumpy checks ad.Dot, numpy.dot's contraction of a's last
// axis with b's second-to-last (or only) axis, against loops.
func TestDotMatchesNumpy(t *testing.T) {
	shapes := [][2][]int{{{3}, {3}}, {{2, 3}, {3}}, {{3}, {3, 4}}, {{2, 3}, {3, 4}}, {{2, 3, 4}, {5, 4, 6}}, {{}, {2, 3}}, {{2, 3}, {}}}
	rnd := newRand(29)
	for _, s := range shapes {
		a, b := randArray(rnd, s[0], anyReal, false), randArray(rnd, s[1], anyReal, true)
		var want *nd.Array
		switch na, nb := len(s[0]), len(s[1]); {
		case na == 0 || nb == 0:
			want = nd.Binary(a, b, nil, func(x, y complex128) complex128 { return x * y })
		default:
			want = tensordotRef(a, b, []int{na - 1}, []int{max(nb-2, 0)})
		}
		var got ad.Value
		if err := catch(func() { got = ad.Dot(a, b) }); err != nil {
			t.Errorf("Dot %v %v: %v", s[0], s[1], err)
			continue
		}
		if err := sameValues(ad.Unbox(got), want, 1e-14); err != nil {
			t.Errorf("Dot %v %v: %v", s[0], s[1], err)
		}
	}
}

// TestConcurrentGrads computes gradients from many goroutines at once,
// each with its own function, and checks each against its closed form.
func TestConcurrentGrads(t *testing.T) {
	const workers, rounds = 8, 100
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := nd.Scalar(float64(w + 1))
			f := func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(ad.Sin(ad.Mul(x, c)), x)) }
			for r := 0; r < rounds; r++ {
				x := randArray(newRand(uint64(1000*w+r)), []int{4}, anyReal, false)
				g, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.GradOf(f)(x)) }, x)
				if err != nil {
					errs <- err
					return
				}
				// d²/dx² of sin(cx)·x is 2c cos(cx) - c² x sin(cx)
				want := fromFunc([]int{4}, false, func(i []int) complex128 {
					v, k := real(x.At(i[0])), float64(w+1)
					return complex(2*k*math.Cos(k*v)-k*k*v*math.Sin(k*v), 0)
				})
				if err := sameValues(ad.Unbox(g), want, 1e-13); err != nil {
					errs <- fmt.Errorf("worker %d round %d: %v", w, r, err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestProductWithItself checks x·x and x**2 (constant 2), which the tracer
// records as square (Prim.Simplify): the value is the product's, bit for
// bit, and the derivatives of every order and mode are 2x, 2, 0, real and
// complex, scalar and array, with a cotangent that only broadcasts (a
// sum's) and with a full one.
func TestProductWithItself(t *testing.T) {
	for _, sq := range []ad.Func{
		func(x ad.Value) ad.Value { return ad.Mul(x, x) },
		func(x ad.Value) ad.Value { return ad.Pow(x, nd.Scalar(2)) },
		func(x ad.Value) ad.Value { return ad.Pow(x, nd.FromFloat64s([]int{1}, []float64{2})) },
	} {
		checkSquare(t, sq)
	}
}

func checkSquare(t *testing.T, sq ad.Func) {
	derivs := []func(x complex128) complex128{
		func(x complex128) complex128 { return 2 * x },
		func(complex128) complex128 { return 2 },
		func(complex128) complex128 { return 0 },
	}
	one := nd.Scalar(1)
	for order := 1; order <= len(derivs); order++ {
		for modes := 0; modes < 1<<order; modes++ {
			f, name := ad.Func(sq), "x*x"
			for k := 0; k < order; k++ {
				if modes>>k&1 == 0 {
					f, name = ad.GradOf(f), "grad("+name+")"
				} else {
					f, name = ad.JVPOf(f, one), "jvp("+name+")"
				}
			}
			for _, x := range []float64{-1.5, 0, 0.75, 3} {
				var got ad.Value
				if err := catch(func() { got = f(nd.Scalar(x)) }); err != nil {
					t.Fatalf("%s(%v): %v", name, x, err)
				}
				if g, want := ad.Unbox(got).At(0), derivs[order-1](complex(x, 0)); g != want {
					t.Errorf("%s(%v) = %v, want %v", name, x, g, want)
				}
			}
		}
	}
	rnd := newRand(24)
	for _, cplx := range []bool{false, true} {
		x := randArray(rnd, []int{5, 3}, anyReal, cplx)
		want := scaled(x, 2)
		xs, ys := elems(x), elems(ad.Unbox(sq(x)))
		for i := range xs {
			if p := xs[i] * xs[i]; ys[i] != p {
				t.Fatalf("x*x at %d = %v, want the product %v", i, ys[i], p)
			}
		}
		for _, form := range []struct {
			name string
			f    ad.Func
		}{
			{"sum(x*x)", func(x ad.Value) ad.Value { return ad.Real(ad.SumAll(sq(x))) }},
			{"sum(x*x*c)", func(x ad.Value) ad.Value { return ad.Real(ad.SumAll(ad.Mul(sq(x), nd.Ones(x.Shape(), x.DType())))) }},
		} {
			g, err := ad.Grad(form.f, x)
			if err := sameValues(mustValue(t, g, err), want, 1e-15); err != nil {
				t.Errorf("%s (complex %v): %v", form.name, cplx, err)
			}
		}
	}
}
