package tests_go

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file holds the finite-difference checkers and a test showing that
// each of them fails on a wrong rule.

// checkVJP checks reverse mode: it draws a random cotangent w of f's
// output, runs ad.Backward from f at p, and compares each gradient G_i
// with central differences of L = <w, f> along random directions v of
// argument i: dL/dv = <G_i, v> for real and complex arguments alike (for a
// complex argument that is autograd's convention G = dL/dx - i dL/dy, and
// real and imaginary directions are checked separately). It also checks
// that the traced value equals the untraced one and that every gradient
// has its argument's shape and dtype.
func checkVJP(f vfunc, p point, rnd *rand.Rand) (err error) {
	defer nd.Catch(&err)
	y := eval(f, p.values())
	w := randLike(rnd, y)
	tr := ad.NewTrace(ad.Reverse)
	args := p.values()
	var roots []*ad.Box
	var idx []int
	for i, d := range p.diff {
		if d {
			b := ad.NewRoot(tr, p.xs[i])
			args[i], roots, idx = b, append(roots, b), append(idx, i)
		}
	}
	out := f(args)
	if e := sameValues(ad.Unbox(out), y, 1e-14); e != nil {
		return fmt.Errorf("traced value differs from the untraced one: %v", e)
	}
	grads := ad.Backward(tr, out, w, roots)
	loss := func(xs []ad.Value) ad.Value { return nd.Scalar(pair(w, eval(f, xs))) }
	for k, i := range idx {
		if _, boxed := grads[k].(*ad.Box); boxed {
			return fmt.Errorf("gradient %d is a box at top level", i)
		}
		g, x := ad.Unbox(grads[k]), p.xs[i]
		if !nd.SameShape(g.Shape(), x.Shape()) || g.DType() != x.DType() {
			return fmt.Errorf("gradient %d has shape %v dtype %v; argument has %v %v", i, g.Shape(), g.DType(), x.Shape(), x.DType())
		}
		dirs := []*nd.Array{randArray(rnd, x.Shape(), anyReal, false)}
		if x.IsComplex() { // a purely imaginary direction: checks dL/dy alone
			dirs = append(dirs, times(randArray(rnd, x.Shape(), anyReal, false), 1i))
		}
		for _, v := range dirs {
			vs := make([]*nd.Array, len(p.xs))
			vs[i] = v
			fd := real(centralDiff(loss, p, vs).At(0))
			an := pair(g, v)
			var scale float64
			for j := 0; j < g.Size(); j++ {
				scale += cmplx.Abs(g.At(j) * v.At(j))
			}
			if !near(complex(an, 0), complex(fd, 0), fdTol, math.Max(scale, math.Abs(fd))) {
				return fmt.Errorf("argument %d: <gradient, v> = %.12g, finite differences %.12g (v = %v, gradient %v)", i, an, fd, v, g)
			}
		}
	}
	return nil
}

// checkJVP checks forward mode: it pushes random tangents of every
// differentiated argument through f at p with a forward trace and compares
// the output's tangent elementwise with central differences of f along
// the same directions. It also checks the traced value, and that a real
// output gets a real tangent.
func checkJVP(f vfunc, p point, rnd *rand.Rand) (err error) {
	defer nd.Catch(&err)
	y := eval(f, p.values())
	tr := ad.NewTrace(ad.Forward)
	args := p.values()
	vs := make([]*nd.Array, len(p.xs))
	for i, d := range p.diff {
		if d {
			vs[i] = randLike(rnd, p.xs[i])
			args[i] = ad.NewForwardRoot(tr, p.xs[i], vs[i])
		}
	}
	out := f(args)
	if e := sameValues(ad.Unbox(ad.UnboxFrom(tr, out)), y, 1e-14); e != nil {
		return fmt.Errorf("traced value differs from the untraced one: %v", e)
	}
	tv := ad.Tangent(tr, out)
	if _, boxed := tv.(*ad.Box); boxed {
		return fmt.Errorf("tangent is a box at top level")
	}
	tan := ad.Unbox(tv)
	if !y.IsComplex() && tan.IsComplex() {
		return fmt.Errorf("real output %v has a complex tangent %v", y.Shape(), tan)
	}
	if e := sameValues(tan, centralDiff(f, p, vs), fdTol); e != nil {
		return fmt.Errorf("tangent vs finite differences: %v", e)
	}
	return nil
}

// times returns c*a as a complex array.
func times(a *nd.Array, c complex128) *nd.Array {
	vals := elems(a)
	for i := range vals {
		vals[i] *= c
	}
	return newArray(a.Shape(), vals, true)
}

// vjpOf returns the function x -> G_j, the gradient of <w, f(x)> with
// respect to the j-th differentiated argument, computed by a reverse trace
// started inside the call so that outer traces record it: differentiating
// it checks the derivatives of f's VJP rules.
func vjpOf(f vfunc, diff []bool, w *nd.Array, j int) vfunc {
	return func(xs []ad.Value) ad.Value {
		tr := ad.NewTrace(ad.Reverse)
		args := append([]ad.Value(nil), xs...)
		var roots []*ad.Box
		for i, d := range diff {
			if d {
				b := ad.NewRoot(tr, xs[i])
				args[i], roots = b, append(roots, b)
			}
		}
		return ad.Backward(tr, f(args), w, roots)[j]
	}
}

// jvpOf returns the function x -> the tangent of f(x) along the
// directions v (nil for constant arguments), computed by a forward trace
// started inside the call: differentiating it checks the derivatives of
// f's JVP rules.
func jvpOf(f vfunc, v []*nd.Array) vfunc {
	return func(xs []ad.Value) ad.Value {
		tr := ad.NewTrace(ad.Forward)
		args := append([]ad.Value(nil), xs...)
		for i, vi := range v {
			if vi != nil {
				args[i] = ad.NewForwardRoot(tr, xs[i], vi)
			}
		}
		return ad.Tangent(tr, f(args))
	}
}

// namedCheck is one derivative check at one point.
type namedCheck struct {
	name string
	run  func() error
}

// firstOrder returns the reverse and forward checks of f at p.
func firstOrder(f vfunc, p point, rnd *rand.Rand) []namedCheck {
	return []namedCheck{
		{"rev", func() error { return checkVJP(f, p, rnd) }},
		{"fwd", func() error { return checkJVP(f, p, rnd) }},
	}
}

// secondOrder returns the four second-order checks of f at p: the VJP
// function differentiated in reverse and forward mode (once per
// differentiated argument), and the JVP function differentiated in both
// modes.
func secondOrder(f vfunc, p point, rnd *rand.Rand) []namedCheck {
	y := eval(f, p.values())
	w := randLike(rnd, y)
	v := make([]*nd.Array, len(p.xs))
	var checks []namedCheck
	j := 0
	for i, d := range p.diff {
		if !d {
			continue
		}
		v[i] = randLike(rnd, p.xs[i])
		g := vjpOf(f, p.diff, w, j)
		checks = append(checks,
			namedCheck{fmt.Sprintf("rev(rev)[%d]", i), func() error { return checkVJP(g, p, rnd) }},
			namedCheck{fmt.Sprintf("fwd(rev)[%d]", i), func() error { return checkJVP(g, p, rnd) }})
		j++
	}
	h := jvpOf(f, v)
	return append(checks,
		namedCheck{"rev(fwd)", func() error { return checkVJP(h, p, rnd) }},
		namedCheck{"fwd(fwd)", func() error { return checkJVP(h, p, rnd) }})
}

// customSin is sin defined outside the primitive table, with
// ad.NewCustomBox and ad.NewForwardBox, the way callers outside Go define
// primitives. Its derivative is scale*cos(x); when traced is false the
// rules compute cos on the unboxed value, a constant to outer traces, so
// that derivatives of second order come out wrong.
func customSin(scale float64, traced bool) func(ad.Value) ad.Value {
	var f func(ad.Value) ad.Value
	f = func(x ad.Value) ad.Value {
		tr, b := ad.TopTrace([]ad.Value{x})
		if b == nil {
			return ad.Sin(x)
		}
		inner := b.Value()
		deriv := func() ad.Value {
			if traced {
				return ad.Mul(nd.Scalar(scale), ad.Cos(inner))
			}
			return ad.Mul(nd.Scalar(scale), ad.Cos(ad.Unbox(inner)))
		}
		ans := f(inner)
		if b.Mode() == ad.Forward {
			return ad.NewForwardBox(tr, ans, ad.Mul(ad.Tangent(tr, b), deriv()))
		}
		return ad.NewCustomBox(tr, ans, []*ad.Box{b}, func(g ad.Value) []ad.Value {
			return []ad.Value{ad.Mul(g, deriv())}
		})
	}
	return f
}

// TestCheckersCatchWrongRules runs every checker on a correct custom
// primitive (all must pass), on one whose first derivative is off by 0.1%
// (the first-order checks must fail) and on one whose rules are not
// traced (the second-order checks must fail): each check can fail.
func TestCheckersCatchWrongRules(t *testing.T) {
	tests := []struct {
		name        string
		scale       float64
		traced      bool
		wantFailing map[string]bool // names of the checks that must fail; the others must pass
	}{
		{"correct", 1, true, nil},
		{"wrong first derivative", 1.001, true, map[string]bool{"rev": true, "fwd": true}},
		{"untraced rule", 1, false, map[string]bool{"rev(rev)[0]": true, "fwd(rev)[0]": true, "rev(fwd)": true, "fwd(fwd)": true}},
	}
	for _, test := range tests {
		for _, cplx := range []bool{false, true} {
			sin := customSin(test.scale, test.traced)
			f := func(xs []ad.Value) ad.Value { return sin(xs[0]) }
			rnd := newRand(7)
			p := point{xs: []*nd.Array{randArray(rnd, []int{2, 3}, anyReal, cplx)}, diff: []bool{true}}
			checks := append(firstOrder(f, p, rnd), secondOrder(f, p, rnd)...)
			for _, c := range checks {
				err := c.run()
				if fail := test.wantFailing[c.name]; fail != (err != nil) {
					t.Errorf("%s (complex %t): check %s: want failure %t, got error %v", test.name, cplx, c.name, fail, err)
				} else if err != nil {
					t.Logf("%s (complex %t): %s fails as it should: %.200v", test.name, cplx, c.name, err)
				}
			}
		}
	}
}
