package ad

import "autograd/core/nd"

// Func is a function of one value, the form the differential operators
// below take and return, so that they compose: Hessian is JacobianOf(GradOf(f)).
type Func func(Value) Value

// GradOf returns the function computing the gradient of the scalar
// function f. It panics with an *nd.Error on bad input; use Grad at the
// outermost level to get an error value instead.
func GradOf(f Func) Func {
	return func(x Value) Value {
		trace := NewTrace(Reverse)
		root := NewRoot(trace, x)
		y := f(root)
		if nd.Prod(y.Shape()) != 1 {
			panic(nd.Errorf(nd.TypeError, "Grad only applies to real scalar-output functions. Try jacobian, elementwise_grad or holomorphic_grad."))
		}
		return Backward(trace, y, nil, []*Box{root})[0]
	}
}

// JacobianOf returns the function computing the Jacobian of f, shaped
// f(x).shape + x.shape.
func JacobianOf(f Func) Func {
	return func(x Value) Value {
		trace := NewTrace(Reverse)
		root := NewRoot(trace, x)
		y := f(root)
		ys := y.Shape()
		n := nd.Prod(ys)
		rows := make([]Value, n)
		for i := range rows {
			onehot := nd.ScatterAdd(nd.Ones([]int{1}, y.DType()), []int{i}, ys)
			rows[i] = Backward(trace, y, onehot, []*Box{root})[0]
		}
		shape := append(append([]int(nil), ys...), x.Shape()...)
		if n == 0 {
			return nd.Zeros(shape, x.DType())
		}
		return Reshape(Stack(rows...), shape)
	}
}

// JVPOf returns the function computing the directional derivative of f at
// x along t.
func JVPOf(f Func, t Value) Func {
	return func(x Value) Value {
		trace := NewTrace(Forward)
		y := f(NewForwardRoot(trace, x, t))
		return Tangent(trace, y)
	}
}

// Grad returns the gradient of the scalar function f at x.
func Grad(f Func, x Value) (g Value, err error) {
	defer nd.Catch(&err)
	return GradOf(f)(x), nil
}

// Jacobian returns the Jacobian of f at x.
func Jacobian(f Func, x Value) (j Value, err error) {
	defer nd.Catch(&err)
	return JacobianOf(f)(x), nil
}

// Hessian returns the Hessian of the scalar function f at x, shaped
// x.shape + x.shape.
func Hessian(f Func, x Value) (h Value, err error) {
	defer nd.Catch(&err)
	return JacobianOf(GradOf(f))(x), nil
}

// JVP returns f(x) and the derivative of f at x in direction t (forward mode).
func JVP(f Func, x, t Value) (y, ty Value, err error) {
	defer nd.Catch(&err)
	trace := NewTrace(Forward)
	out := f(NewForwardRoot(trace, x, t))
	return UnboxFrom(trace, out), Tangent(trace, out), nil
}
