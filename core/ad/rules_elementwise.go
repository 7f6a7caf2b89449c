package ad

import (
	"math"
	"math/cmplx"

	"autograd/core/nd"
	"autograd/core/vmath"
)

// This file declares the elementwise primitives. Each is one entry: its
// kernels, then its VJP and JVP rules.

var (
	negP, absP, signP, sinP, cosP, tanP, arcsinP, arccosP, arctanP   *Prim
	sinhP, coshP, tanhP, arcsinhP, arccoshP, arctanhP                *Prim
	expP, exp2P, expm1P, logP, log2P, log10P, log1pP, sqrtP          *Prim
	squareP, reciprocalP, realP, imagP, conjP                        *Prim
	addP, subP, mulP, divP, powP, maximumP, minimumP, arctan2P, hypP *Prim
	logaddexpP, logaddexp2P, whereP                                  *Prim
)

// k is a real scalar constant.
func k(v float64) Value { return nd.Scalar(v) }

// holomorphic declares an elementwise function whose derivative at x is
// deriv(ans, x): both of its rules multiply by that derivative (for complex
// inputs this is autograd's convention, with no conjugation). d is the same
// derivative on numbers, d(ans, x) = f'(x), which a first-order reverse
// pass (cotangent, output and argument plain arrays of one shape) uses to
// compute g·f'(x) in one pass over memory; traced cotangents (higher
// orders) go through deriv, so that they are recorded. A zero d says that
// deriv costs nothing (exp's is its output), so g·deriv is one vector
// product.
func holomorphic(name string, fr vmath.Func, fc func(complex128) complex128, deriv func(ans, x Value) Value, d derivative) *Prim {
	vr := func(g, y, x float64) float64 { return g * d.r(y, x) }
	vc := func(g, y, x complex128) complex128 { return g * d.c(y, x) }
	return register(&Prim{
		Name:        name,
		Arity:       1,
		Elementwise: true,
		Eval:        func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.MapFunc(a[0], fr, fc) },
		VJP: func(_ int, g, ans Value, args []Value, _ *Attrs) Value {
			if ga, ya, xa, ok := plain3(g, ans, args[0]); ok {
				switch {
				case d.v != nil:
					return nd.Map3Slices(ga, ya, xa, d.v, vc)
				case d.r != nil:
					return nd.Map3(ga, ya, xa, vr, vc)
				}
			}
			return Mul(g, deriv(ans, args[0]))
		},
		JVP: func(_ int, t, ans Value, args []Value, _ *Attrs) Value { return Mul(t, deriv(ans, args[0])) },
	})
}

// derivative is f' on numbers, as a function of f's output y and input x:
// r for real numbers (or v, the product g·f' over slices of real numbers,
// made of vmath's slice kernels), c for complex ones.
type derivative struct {
	r func(y, x float64) float64
	v func(dst, g, y, x []float64)
	c func(y, x complex128) complex128
}

// The slice forms of derivatives: each sets dst = g·f'(x), dst being
// free for intermediate results (nd.Map3Slices hands out short slices,
// which stay in the L1 cache between the passes).
var (
	vv = vmath.ArithVV[float64]
	vs = vmath.ArithVS[float64]
	sv = vmath.ArithSV[float64]
)

// gTimes returns the slice form g·f'(x) for f' evaluated by fprime.
func gTimes(fprime func(dst, y, x []float64)) func(dst, g, y, x []float64) {
	return func(dst, g, y, x []float64) {
		fprime(dst, y, x)
		vv(vmath.Mul, dst, g, dst)
	}
}

// plain3 returns a, b and c as arrays when all three are plain arrays of
// one shape.
func plain3(a, b, c Value) (x, y, z *nd.Array, ok bool) {
	x, ok1 := a.(*nd.Array)
	y, ok2 := b.(*nd.Array)
	z, ok3 := c.(*nd.Array)
	ok = ok1 && ok2 && ok3 && nd.SameShape(x.Shape(), y.Shape()) && nd.SameShape(x.Shape(), z.Shape())
	return x, y, z, ok
}

// linear declares an elementwise linear function: each rule applies it
// (or its transpose, given separately) to the incoming (co)tangent.
func linear(name string, eval func(*nd.Array) *nd.Array, vjp func(g, x Value) Value, jvp func(t Value) Value) *Prim {
	return register(&Prim{
		Name:        name,
		Arity:       1,
		Elementwise: true,
		Eval:        func(a []*nd.Array, _ *Attrs) *nd.Array { return eval(a[0]) },
		VJP:         func(_ int, g, _ Value, args []Value, _ *Attrs) Value { return vjp(g, args[0]) },
		JVP:         func(_ int, t, _ Value, _ []Value, _ *Attrs) Value { return jvp(t) },
	})
}

// binary declares a broadcasting elementwise function of two arguments
// from its partial derivatives d(argnum, ans, x, y), each shaped like ans
// (or broadcastable to it).
func binary(name string, fr func(x, y float64) float64, fc func(x, y complex128) complex128, d func(argnum int, ans, x, y Value) Value) *Prim {
	return register(&Prim{
		Name:        name,
		Arity:       2,
		Elementwise: true,
		Eval:        func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Binary(a[0], a[1], fr, fc) },
		VJP: func(i int, g, ans Value, args []Value, _ *Attrs) Value {
			if dv := d(i, ans, args[0], args[1]); dv != one {
				g = Mul(g, dv)
			}
			return unbroadcastFrom(g, ans.Shape(), args[i])
		},
		JVP: func(i int, t, ans Value, args []Value, _ *Attrs) Value {
			return broadcastLike(Mul(t, d(i, ans, args[0], args[1])), ans)
		},
	})
}

// divVJP is divide's VJP with fewer passes over memory than the product
// of g and the partial derivative: g/y for x, and −g·ans/y in one pass for
// y when g, ans and y are plain arrays of one shape.
func divVJP(i int, g, ans Value, args []Value, _ *Attrs) Value {
	y := args[1]
	if i == 0 {
		return unbroadcastFrom(Div(g, y), ans.Shape(), args[0])
	}
	if ga, aa, ya, ok := plain3(g, ans, y); ok {
		return unbroadcastFrom(nd.Map3Slices(ga, aa, ya, func(d, g, a, y []float64) {
			vs(vmath.Mul, d, g, -1)
			vv(vmath.Mul, d, d, a)
			vv(vmath.Div, d, d, y)
		}, func(g, a, y complex128) complex128 { return -g * a / y }), ans.Shape(), y)
	}
	if onlyBroadcasts(g, ans) {
		// a cotangent that only broadcasts (a sum's): negated first, one
		// pass fewer, the same values (negation is exact)
		return unbroadcastFrom(Div(Mul(ans, Neg(g)), y), ans.Shape(), y)
	}
	return unbroadcastFrom(Neg(Div(Mul(g, ans), y)), ans.Shape(), y)
}

// onlyBroadcasts reports whether cotangent g is smaller than x, to which it
// broadcasts (see Prim.Elementwise): a sum's cotangent, say.
func onlyBroadcasts(g, x Value) bool { return nd.Prod(g.Shape()) < nd.Prod(x.Shape()) }

// one and minusOne are the partial derivatives of add and subtract; a
// cotangent multiplied by one passes unchanged.
var one, minusOne = k(1), k(-1)

// arith declares one of the four arithmetic operators, evaluated by
// nd.Arith's loops.
func arith(name string, op nd.Op, d func(argnum int, ans, x, y Value) Value) *Prim {
	p := binary(name, nil, nil, d)
	p.Eval = func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Arith(op, a[0], a[1]) }
	return p
}

// powReal is math.Pow with numpy's shortcuts for squares and reciprocals,
// which are most of the powers in practice and 30 times faster.
func powReal(x, y float64) float64 {
	switch y {
	case 2:
		return x * x
	case -1:
		return 1 / x
	}
	return math.Pow(x, y)
}

// realOnly is the complex kernel of functions numpy defines for reals only.
func realOnly(name string) func(complex128, complex128) complex128 {
	return func(complex128, complex128) complex128 {
		panic(nd.Errorf(nd.TypeError, "ufunc '%s' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''", name))
	}
}

// mask evaluates a predicate of two values, broadcasting, as a constant
// array of ones (true) and zeros (false).
func mask(pred func(x, y complex128) bool, a, b Value) *nd.Array {
	fc := func(x, y complex128) float64 {
		if pred(x, y) {
			return 1
		}
		return 0
	}
	fr := func(x, y float64) float64 { return fc(complex(x, 0), complex(y, 0)) }
	return nd.BinaryToReal(Unbox(a), Unbox(b), fr, fc)
}

func eq(x, y complex128) bool { return x == y }

// replaceZero returns x with its zero entries replaced by v (a constant
// choice, so it differentiates as x).
func replaceZero(x Value, v float64) Value {
	return Where(mask(eq, x, k(0)), k(v), x)
}

// matchComplex makes a cotangent g real when target is real and complex
// when target is complex.
func matchComplex(target, g Value) Value {
	switch {
	case target.DType() == nd.Float64 && g.DType() == nd.Complex128:
		return Real(g)
	case target.DType() == nd.Complex128 && g.DType() == nd.Float64:
		return Add(g, nd.ComplexScalar(0))
	}
	return g
}

// unbroadcast sums g over the axes along which target was broadcast, so
// that the result has target's shape, and drops the imaginary part when
// target is real.
func unbroadcast(g, target Value) Value { return unbroadcastFrom(g, g.Shape(), target) }

// unbroadcastFrom is unbroadcast of g broadcast to shape out: g may be
// smaller, broadcasting to out (see Prim.Elementwise). Along an axis that
// target lacks (or has as 1) the sum over a broadcast axis of g is that
// axis's length times g; along the others a length-1 axis of g stays, so
// the result may itself only broadcast to target's shape.
func unbroadcastFrom(g Value, out []int, target Value) Value {
	gs, ts := g.Shape(), target.Shape()
	if !nd.SameShape(gs, ts) {
		lead := len(out) - len(ts)  // out's axes that target lacks
		glead := len(out) - len(gs) // out's axes that g lacks
		var axes []int
		copies := 1
		for i, d := range out {
			summed := i < lead || (ts[i-lead] == 1 && d != 1)
			switch {
			case !summed:
			case i >= glead && gs[i-glead] != 1:
				axes = append(axes, i-glead)
			default: // g is constant along this axis
				copies *= d
			}
		}
		if len(axes) > 0 {
			g = Sum(g, axes, true)
		}
		if drop := len(g.Shape()) - len(ts); drop > 0 {
			g = Reshape(g, g.Shape()[drop:])
		}
		if copies != 1 {
			g = Mul(g, k(float64(copies)))
		}
	}
	if target.DType() == nd.Float64 && g.DType() == nd.Complex128 {
		g = Real(g)
	}
	return g
}

// broadcastLike repeats t to the shape of like when they differ.
func broadcastLike(t, like Value) Value {
	if nd.SameShape(t.Shape(), like.Shape()) {
		return t
	}
	return BroadcastTo(t, like.Shape())
}

func init() {
	negP = linear("negative",
		func(a *nd.Array) *nd.Array {
			return nd.Map(a, func(x float64) float64 { return -x }, func(x complex128) complex128 { return -x })
		},
		func(g, _ Value) Value { return Neg(g) }, Neg)
	absP = register(&Prim{
		Name:  "abs",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.MapToReal(a[0], math.Abs, cmplx.Abs) },
		VJP: func(_ int, g, ans Value, args []Value, _ *Attrs) Value {
			return Mul(g, Div(Conj(args[0]), replaceZero(ans, 1)))
		},
		JVP: func(_ int, t, ans Value, args []Value, _ *Attrs) Value {
			return Div(Real(Mul(t, Conj(args[0]))), replaceZero(ans, 1))
		},
	})
	signP = register(&Prim{
		Name:   "sign",
		Arity:  1,
		NoGrad: true,
		Eval: func(a []*nd.Array, _ *Attrs) *nd.Array {
			return nd.Map(a[0], func(x float64) float64 {
				switch {
				case x > 0:
					return 1
				case x < 0:
					return -1
				}
				return x // 0 or NaN
			}, func(z complex128) complex128 {
				if z == 0 {
					return 0
				}
				return z / complex(cmplx.Abs(z), 0)
			})
		},
	})
	sinP = holomorphic("sin", vmath.Sin, cmplx.Sin, func(_, x Value) Value { return Cos(x) },
		derivative{v: gTimes(func(d, _, x []float64) { vmath.Cos.Slice(d, x) }), c: func(_, x complex128) complex128 { return cmplx.Cos(x) }})
	cosP = holomorphic("cos", vmath.Cos, cmplx.Cos, func(_, x Value) Value { return Neg(Sin(x)) },
		derivative{v: gTimes(func(d, _, x []float64) { vmath.Sin.Slice(d, x); vs(vmath.Mul, d, d, -1) }), c: func(_, x complex128) complex128 { return -cmplx.Sin(x) }})
	tanP = holomorphic("tan", vmath.Scalar(math.Tan), cmplx.Tan, func(ans, _ Value) Value { return Add(k(1), Square(ans)) },
		derivative{r: func(y, _ float64) float64 { return 1 + y*y }, c: func(y, _ complex128) complex128 { return 1 + y*y }})
	arcsinP = holomorphic("arcsin", vmath.Scalar(math.Asin), cmplx.Asin, func(_, x Value) Value { return Reciprocal(Sqrt(Sub(k(1), Square(x)))) },
		derivative{r: func(_, x float64) float64 { return 1 / math.Sqrt(1-x*x) }, c: func(_, x complex128) complex128 { return 1 / cmplx.Sqrt(1-x*x) }})
	arccosP = holomorphic("arccos", vmath.Scalar(math.Acos), cmplx.Acos, func(_, x Value) Value { return Neg(Reciprocal(Sqrt(Sub(k(1), Square(x))))) },
		derivative{r: func(_, x float64) float64 { return -(1 / math.Sqrt(1-x*x)) }, c: func(_, x complex128) complex128 { return -(1 / cmplx.Sqrt(1-x*x)) }})
	arctanP = holomorphic("arctan", vmath.Scalar(math.Atan), cmplx.Atan, func(_, x Value) Value { return Reciprocal(Add(k(1), Square(x))) },
		derivative{r: func(_, x float64) float64 { return 1 / (1 + x*x) }, c: func(_, x complex128) complex128 { return 1 / (1 + x*x) }})
	sinhP = holomorphic("sinh", vmath.Scalar(math.Sinh), cmplx.Sinh, func(_, x Value) Value { return Cosh(x) },
		derivative{r: func(_, x float64) float64 { return math.Cosh(x) }, c: func(_, x complex128) complex128 { return cmplx.Cosh(x) }})
	coshP = holomorphic("cosh", vmath.Scalar(math.Cosh), cmplx.Cosh, func(_, x Value) Value { return Sinh(x) },
		derivative{r: func(_, x float64) float64 { return math.Sinh(x) }, c: func(_, x complex128) complex128 { return cmplx.Sinh(x) }})
	tanhP = holomorphic("tanh", vmath.Tanh, cmplx.Tanh, func(ans, _ Value) Value { return Sub(k(1), Square(ans)) },
		derivative{v: gTimes(func(d, y, _ []float64) { vv(vmath.Mul, d, y, y); sv(vmath.Sub, d, 1, d) }), c: func(y, _ complex128) complex128 { return 1 - y*y }})
	arcsinhP = holomorphic("arcsinh", vmath.Scalar(math.Asinh), cmplx.Asinh, func(_, x Value) Value { return Reciprocal(Sqrt(Add(Square(x), k(1)))) },
		derivative{r: func(_, x float64) float64 { return 1 / math.Sqrt(x*x+1) }, c: func(_, x complex128) complex128 { return 1 / cmplx.Sqrt(x*x+1) }})
	arccoshP = holomorphic("arccosh", vmath.Scalar(math.Acosh), cmplx.Acosh, func(_, x Value) Value { return Reciprocal(Mul(Sqrt(Sub(x, k(1))), Sqrt(Add(x, k(1))))) },
		derivative{r: func(_, x float64) float64 { return 1 / (math.Sqrt(x-1) * math.Sqrt(x+1)) },
			c: func(_, x complex128) complex128 { return 1 / (cmplx.Sqrt(x-1) * cmplx.Sqrt(x+1)) }})
	arctanhP = holomorphic("arctanh", vmath.Scalar(math.Atanh), cmplx.Atanh, func(_, x Value) Value { return Reciprocal(Sub(k(1), Square(x))) },
		derivative{r: func(_, x float64) float64 { return 1 / (1 - x*x) }, c: func(_, x complex128) complex128 { return 1 / (1 - x*x) }})
	expP = holomorphic("exp", vmath.Exp, cmplx.Exp, func(ans, _ Value) Value { return ans }, derivative{})
	exp2P = holomorphic("exp2", vmath.Scalar(math.Exp2), func(z complex128) complex128 { return cmplx.Pow(2, z) }, func(ans, _ Value) Value { return Mul(ans, k(math.Ln2)) },
		derivative{r: func(y, _ float64) float64 { return y * math.Ln2 }, c: func(y, _ complex128) complex128 { return y * math.Ln2 }})
	expm1P = holomorphic("expm1", vmath.Expm1, func(z complex128) complex128 { return cmplx.Exp(z) - 1 }, func(ans, _ Value) Value { return Add(ans, k(1)) },
		derivative{v: gTimes(func(d, y, _ []float64) { vs(vmath.Add, d, y, 1) }), c: func(y, _ complex128) complex128 { return y + 1 }})
	logP = holomorphic("log", vmath.Log, cmplx.Log, func(_, x Value) Value { return Reciprocal(x) },
		derivative{v: gTimes(func(d, _, x []float64) { sv(vmath.Div, d, 1, x) }), c: func(_, x complex128) complex128 { return 1 / x }})
	log2P = holomorphic("log2", vmath.Scalar(math.Log2), func(z complex128) complex128 { return cmplx.Log(z) / math.Ln2 }, func(_, x Value) Value { return Reciprocal(Mul(x, k(math.Ln2))) },
		derivative{r: func(_, x float64) float64 { return 1 / (x * math.Ln2) }, c: func(_, x complex128) complex128 { return 1 / (x * math.Ln2) }})
	log10P = holomorphic("log10", vmath.Scalar(func(x float64) float64 { return vmath.Log.At(x) * (1 / math.Ln10) }), cmplx.Log10, func(_, x Value) Value { return Reciprocal(Mul(x, k(math.Ln10))) },
		derivative{r: func(_, x float64) float64 { return 1 / (x * math.Ln10) }, c: func(_, x complex128) complex128 { return 1 / (x * math.Ln10) }})
	log1pP = holomorphic("log1p", vmath.Log1p, func(z complex128) complex128 { return cmplx.Log(1 + z) }, func(_, x Value) Value { return Reciprocal(Add(x, k(1))) },
		derivative{v: gTimes(func(d, _, x []float64) { vs(vmath.Add, d, x, 1); sv(vmath.Div, d, 1, d) }), c: func(_, x complex128) complex128 { return 1 / (x + 1) }})
	sqrtP = holomorphic("sqrt", vmath.Sqrt, cmplx.Sqrt, func(ans, _ Value) Value { return Div(k(0.5), ans) },
		derivative{v: gTimes(func(d, y, _ []float64) { sv(vmath.Div, d, 0.5, y) }), c: func(y, _ complex128) complex128 { return 0.5 / y }})
	squareP = holomorphic("square", vmath.Square, func(z complex128) complex128 { return z * z }, func(_, x Value) Value { return Mul(x, k(2)) },
		derivative{v: gTimes(func(d, _, x []float64) { vs(vmath.Mul, d, x, 2) }), c: func(_, x complex128) complex128 { return x * 2 }})
	reciprocalP = holomorphic("reciprocal", vmath.Reciprocal, func(z complex128) complex128 { return 1 / z }, func(ans, _ Value) Value { return Neg(Square(ans)) },
		derivative{v: gTimes(func(d, y, _ []float64) { vv(vmath.Mul, d, y, y); vs(vmath.Mul, d, d, -1) }), c: func(y, _ complex128) complex128 { return -(y * y) }})
	// a cotangent that only broadcasts to x (a sum's, say) is doubled
	// before the one pass over x (doubling is exact: the same values)
	fullVJP := squareP.VJP
	squareP.VJP = func(i int, g, ans Value, args []Value, at *Attrs) Value {
		if onlyBroadcasts(g, args[0]) {
			return Mul(Mul(g, k(2)), args[0])
		}
		return fullVJP(i, g, ans, args, at)
	}
	realP = linear("real",
		func(a *nd.Array) *nd.Array {
			return nd.MapToReal(a, func(x float64) float64 { return x }, func(z complex128) float64 { return real(z) })
		},
		func(g, x Value) Value { return matchComplex(x, g) }, Real)
	imagP = linear("imag",
		func(a *nd.Array) *nd.Array {
			return nd.MapToReal(a, func(float64) float64 { return 0 }, func(z complex128) float64 { return imag(z) })
		},
		func(g, x Value) Value { return matchComplex(x, Mul(g, nd.ComplexScalar(-1i))) }, Imag)
	conjP = linear("conj",
		func(a *nd.Array) *nd.Array { return nd.Map(a, func(x float64) float64 { return x }, cmplx.Conj) },
		func(g, _ Value) Value { return Conj(g) }, Conj)

	addP = arith("add", nd.OpAdd,
		func(int, Value, Value, Value) Value { return one })
	subP = arith("subtract", nd.OpSub,
		func(i int, _, _, _ Value) Value { return [2]Value{one, minusOne}[i] })
	mulP = arith("multiply", nd.OpMul,
		func(i int, _, x, y Value) Value { return [2]Value{y, x}[i] })
	mulP.Simplify = func(args []Value) (*Prim, []Value) {
		if b, ok := args[0].(*Box); ok && args[1] == Value(b) {
			return squareP, args[:1]
		}
		return mulP, args
	}
	divP = arith("divide", nd.OpDiv,
		func(i int, ans, _, y Value) Value {
			if i == 0 {
				return Reciprocal(y)
			}
			return Neg(Div(ans, y))
		})
	divP.VJP = divVJP
	powP = binary("power", powReal, cmplx.Pow, func(i int, ans, x, y Value) Value {
		if i == 0 { // y * x**(y-1), with x**0 where y == 0 so that 0**-1 never appears
			yIsZero := mask(eq, y, k(0))
			return Mul(y, Pow(x, Where(yIsZero, k(1), Sub(y, k(1)))))
		}
		return Mul(Log(replaceZero(x, 1)), ans)
	})
	powP.Simplify = func(args []Value) (*Prim, []Value) {
		// x**2 for a constant real 2 that does not change x's shape: numpy
		// gives x·x (exactly so for real x, and by multiplication for
		// complex x), which square computes
		if c, ok := args[1].(*nd.Array); ok && c.DType() == nd.Float64 && c.Size() == 1 && c.At(0) == 2 &&
			nd.SameShape(nd.BroadcastShapes(args[0].Shape(), c.Shape()), args[0].Shape()) {
			return squareP, args[:1]
		}
		return powP, args
	}
	extreme := func(name string, pick func(x, y float64) float64, better func(x, y complex128) bool) *Prim {
		return binary(name, pick, func(x, y complex128) complex128 {
			if x != x || better(x, y) || x == y {
				return x
			}
			return y
		}, func(i int, ans, x, y Value) Value { // ties split the gradient evenly
			own := [2]Value{x, y}[i]
			return Div(mask(eq, own, ans), Add(k(1), mask(eq, x, y)))
		})
	}
	maximumP = extreme("maximum", func(x, y float64) float64 {
		if x != x || x >= y {
			return x
		}
		return y
	}, func(x, y complex128) bool { return real(x) > real(y) || (real(x) == real(y) && imag(x) > imag(y)) })
	minimumP = extreme("minimum", func(x, y float64) float64 {
		if x != x || x <= y {
			return x
		}
		return y
	}, func(x, y complex128) bool { return real(x) < real(y) || (real(x) == real(y) && imag(x) < imag(y)) })
	arctan2P = binary("arctan2", math.Atan2, realOnly("arctan2"), func(i int, _, y, x Value) Value {
		r2 := Add(Square(x), Square(y))
		if i == 0 {
			return Div(x, r2)
		}
		return Neg(Div(y, r2))
	})
	hypP = binary("hypot", math.Hypot, realOnly("hypot"), func(i int, ans, x, y Value) Value {
		return Div([2]Value{x, y}[i], ans)
	})
	logaddexpP = binary("logaddexp", func(x, y float64) float64 {
		if x == y { // also covers x = y = ±inf, where x - y is NaN
			return x + math.Ln2
		}
		m := math.Max(x, y)
		return m + math.Log1p(math.Exp(-math.Abs(x-y)))
	}, realOnly("logaddexp"), func(i int, ans, x, y Value) Value {
		return Exp(Sub([2]Value{x, y}[i], ans))
	})
	logaddexp2P = binary("logaddexp2", func(x, y float64) float64 {
		if x == y {
			return x + 1
		}
		m := math.Max(x, y)
		return m + math.Log1p(math.Exp2(-math.Abs(x-y)))/math.Ln2
	}, realOnly("logaddexp2"), func(i int, ans, x, y Value) Value {
		return Exp2(Sub([2]Value{x, y}[i], ans))
	})
	whereP = register(&Prim{
		Name:        "where",
		Arity:       3,
		Elementwise: true,
		Eval:        func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Where(a[0], a[1], a[2]) },
		VJP: func(i int, g, ans Value, args []Value, _ *Attrs) Value {
			if i == 0 {
				return nil
			}
			c := Unbox(args[0])
			if i == 1 {
				return unbroadcastFrom(Where(c, g, k(0)), ans.Shape(), args[1])
			}
			return unbroadcastFrom(Where(c, k(0), g), ans.Shape(), args[2])
		},
		JVP: func(i int, t, ans Value, args []Value, _ *Attrs) Value {
			if i == 0 {
				return nil
			}
			c := Unbox(args[0])
			if i == 1 {
				return broadcastLike(Where(c, t, k(0)), ans)
			}
			return broadcastLike(Where(c, k(0), t), ans)
		},
	})
}

// Neg returns -x.
func Neg(x Value) Value { return Apply(negP, nil, x) }

// Abs returns |x| (real for complex x).
func Abs(x Value) Value { return Apply(absP, nil, x) }

// Sign returns the sign of x (x/|x| for complex x); it has no derivative.
func Sign(x Value) Value { return Apply(signP, nil, x) }

// Sin returns sin(x).
func Sin(x Value) Value { return Apply(sinP, nil, x) }

// Cos returns cos(x).
func Cos(x Value) Value { return Apply(cosP, nil, x) }

// Tan returns tan(x).
func Tan(x Value) Value { return Apply(tanP, nil, x) }

// Sinh returns sinh(x).
func Sinh(x Value) Value { return Apply(sinhP, nil, x) }

// Cosh returns cosh(x).
func Cosh(x Value) Value { return Apply(coshP, nil, x) }

// Tanh returns tanh(x).
func Tanh(x Value) Value { return Apply(tanhP, nil, x) }

// Exp returns e**x.
func Exp(x Value) Value { return Apply(expP, nil, x) }

// Exp2 returns 2**x.
func Exp2(x Value) Value { return Apply(exp2P, nil, x) }

// LogAddExp returns log(exp(x) + exp(y)), computed stably.
func LogAddExp(x, y Value) Value { return Apply(logaddexpP, nil, x, y) }

// Log returns the natural logarithm of x.
func Log(x Value) Value { return Apply(logP, nil, x) }

// Sqrt returns the square root of x.
func Sqrt(x Value) Value { return Apply(sqrtP, nil, x) }

// Square returns x*x.
func Square(x Value) Value { return Apply(squareP, nil, x) }

// Reciprocal returns 1/x.
func Reciprocal(x Value) Value { return Apply(reciprocalP, nil, x) }

// Real returns the real part of x.
func Real(x Value) Value { return Apply(realP, nil, x) }

// Imag returns the imaginary part of x.
func Imag(x Value) Value { return Apply(imagP, nil, x) }

// Conj returns the complex conjugate of x.
func Conj(x Value) Value { return Apply(conjP, nil, x) }

// Add returns x + y, broadcasting.
func Add(x, y Value) Value { return Apply(addP, nil, x, y) }

// Sub returns x - y, broadcasting.
func Sub(x, y Value) Value { return Apply(subP, nil, x, y) }

// Mul returns x * y, broadcasting.
func Mul(x, y Value) Value { return Apply(mulP, nil, x, y) }

// Div returns x / y, broadcasting.
func Div(x, y Value) Value { return Apply(divP, nil, x, y) }

// Pow returns x ** y, broadcasting.
func Pow(x, y Value) Value { return Apply(powP, nil, x, y) }

// Maximum returns the elementwise maximum of x and y.
func Maximum(x, y Value) Value { return Apply(maximumP, nil, x, y) }

// Minimum returns the elementwise minimum of x and y.
func Minimum(x, y Value) Value { return Apply(minimumP, nil, x, y) }

// Where picks x where cond is non-zero and y elsewhere; cond is never
// differentiated.
func Where(cond, x, y Value) Value { return Apply(whereP, nil, cond, x, y) }
