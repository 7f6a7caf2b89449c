package tests_go

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file checks every registered primitive against finite differences,
// in reverse and forward mode, to first and second order, with real and
// complex inputs.

// dtypeRule says whether an argument follows the case's variant (real or
// complex) or keeps one dtype in both.
type dtypeRule int

const (
	followVariant dtypeRule = iota
	alwaysReal
	alwaysComplex
)

// arg describes one argument of a primitive case.
type arg struct {
	shape []int
	dom   domain    // boolMask arguments are constants, never differentiated
	dtype dtypeRule // followVariant unless stated
}

// primCase is one finite-difference case of a primitive, applied directly
// with ad.Apply so that the case exercises exactly the primitive it names.
type primCase struct {
	prim  string
	label string
	attrs *ad.Attrs
	args  []arg
	// variants: real inputs, complex inputs, or both.
	real, complex bool
	// readout, when set, is applied to the primitive's result (to both
	// variants): a function of it that finite differences can check.
	readout func(ad.Value) ad.Value
}

// a is shorthand for an argument that follows the variant's dtype.
func a(d domain, shape ...int) arg { return arg{shape: shape, dom: d} }

// unary returns the real and complex cases of an elementwise function on
// a (2,3) array drawn from d.
func unary(name string, d domain) primCase {
	return primCase{prim: name, label: "(2,3)", args: []arg{a(d, 2, 3)}, real: true, complex: true}
}

// binaryCases returns cases of a broadcasting binary function: equal
// shapes, (3,1) with (4,), a scalar with (2,3) and (2,3) with a scalar;
// the first argument is drawn from dx, the second from dy.
func binaryCases(name string, dx, dy domain, cplx bool) []primCase {
	shapes := [][2][]int{{{2, 3}, {2, 3}}, {{3, 1}, {4}}, {{}, {2, 3}}, {{2, 3}, {}}}
	var out []primCase
	for _, s := range shapes {
		out = append(out, primCase{
			prim:  name,
			label: nd.ShapeString(s[0]) + nd.ShapeString(s[1]),
			args:  []arg{a(dx, s[0]...), a(dy, s[1]...)},
			real:  true, complex: cplx,
		})
	}
	return out
}

// both marks a case to run with real and with complex inputs.
func both(c primCase) primCase { c.real, c.complex = true, true; return c }

// realOnly marks a case to run with real inputs only.
func realOnly(c primCase) primCase { c.real, c.complex = true, false; return c }

// complexOnly marks a case to run with complex inputs only.
func complexOnly(c primCase) primCase { c.real, c.complex = false, true; return c }

// realPrims lists the primitives without complex cases, and why.
var realPrims = map[string]string{
	"arctan2":    "numpy defines it for real inputs only",
	"hypot":      "numpy defines it for real inputs only",
	"logaddexp":  "numpy defines it for real inputs only",
	"logaddexp2": "numpy defines it for real inputs only",
	// numpy >= 2 defines sign(z) = z/|z|, which is not locally constant,
	// but the primitive is NoGrad (as upstream autograd's sign): see
	// TestComplexSignHasNoGradient.
	"sign": "NoGrad, while complex sign is not piecewise constant",
}

// primCases is the finite-difference table: at least one case for every
// registered primitive (TestPrimCasesCoverRegistry enforces it).
var primCases = func() []primCase {
	cs := []primCase{
		unary("negative", anyReal),
		unary("abs", awayFromZero),
		realOnly(unary("sign", awayFromZero)),
		unary("sin", anyReal),
		unary("cos", anyReal),
		unary("tan", unit),
		unary("arcsin", unit),
		unary("arccos", unit),
		unary("arctan", anyReal),
		unary("sinh", anyReal),
		unary("cosh", anyReal),
		unary("tanh", anyReal),
		unary("arcsinh", anyReal),
		unary("arccosh", aboveOne),
		// arccosh is analytic off (-inf, 1]: its derivative must hold in the left half-plane too
		complexOnly(primCase{prim: "arccosh", label: "left half-plane", args: []arg{a(leftHalf, 2, 3)}}),
		unary("arctanh", unit),
		unary("exp", anyReal),
		unary("exp2", anyReal),
		unary("expm1", anyReal),
		unary("log", positive),
		unary("log2", positive),
		unary("log10", positive),
		unary("log1p", positive),
		unary("sqrt", positive),
		unary("square", anyReal),
		unary("reciprocal", awayFromZero),
		unary("real", anyReal),
		unary("imag", anyReal),
		unary("conj", anyReal),
		unary("abs", anyReal), // complex values are never 0; real ones almost surely not
	}
	cs = append(cs, binaryCases("add", anyReal, anyReal, true)...)
	cs = append(cs, binaryCases("subtract", anyReal, anyReal, true)...)
	cs = append(cs, binaryCases("multiply", anyReal, anyReal, true)...)
	cs = append(cs, binaryCases("divide", anyReal, awayFromZero, true)...)
	cs = append(cs, binaryCases("power", positive, anyReal, true)...)
	cs = append(cs, binaryCases("maximum", anyReal, anyReal, true)...)
	cs = append(cs, binaryCases("minimum", anyReal, anyReal, true)...)
	cs = append(cs, binaryCases("arctan2", anyReal, awayFromZero, false)...)
	cs = append(cs, binaryCases("hypot", anyReal, awayFromZero, false)...)
	cs = append(cs, binaryCases("logaddexp", anyReal, anyReal, false)...)
	cs = append(cs, binaryCases("logaddexp2", anyReal, anyReal, false)...)
	// mixed is a real-variant case whose arguments keep their own dtypes
	mixed := func(name string, at *ad.Attrs, x, y arg) primCase {
		return realOnly(primCase{prim: name, label: "mixed dtypes", attrs: at, args: []arg{x, y}})
	}
	re := func(d domain, shape ...int) arg { return arg{shape: shape, dom: d, dtype: alwaysReal} }
	cx := func(d domain, shape ...int) arg { return arg{shape: shape, dom: d, dtype: alwaysComplex} }
	cs = append(cs,
		mixed("add", nil, cx(anyReal), re(anyReal, 2, 3)),
		mixed("subtract", nil, re(anyReal, 3, 1), cx(anyReal, 4)),
		mixed("multiply", nil, re(anyReal, 2, 3), cx(anyReal, 3)),
		mixed("divide", nil, re(anyReal, 2, 3), cx(awayFromZero, 2, 3)),
		mixed("power", nil, cx(positive, 2, 3), re(anyReal, 3)),
		mixed("maximum", nil, re(anyReal, 2, 3), cx(anyReal, 3)),
		mixed("stack", nil, re(anyReal, 2), cx(anyReal, 2)),
		mixed("matmul", nil, re(anyReal, 2, 3), cx(anyReal, 3, 4)),
		mixed("tensordot", &ad.Attrs{Axes: []int{1}, Axes2: []int{0}}, cx(anyReal, 2, 3), re(anyReal, 3, 2)),
		mixed("solve", nil, re(invertible, 3, 3), cx(anyReal, 3, 2)),
		mixed("solve", nil, cx(invertible, 3, 3), re(anyReal, 3, 2)),
		mixed("solve", nil, cx(invertible, 2, 3, 3), re(anyReal, 3, 1)),
		mixed("solve_t", nil, re(invertible, 3, 3), cx(anyReal, 3, 2)),
		mixed("solve_t", nil, cx(invertible, 2, 3, 3), re(anyReal, 3, 1)),
		mixed("solve_triangular", nil, re(invertible, 3, 3), cx(anyReal, 3, 2)),
		mixed("solve_triangular", nil, cx(invertible, 3, 3), re(anyReal, 3, 2)),
		mixed("solve_triangular_t", nil, re(invertible, 3, 3), cx(anyReal, 2, 3, 2)),
		mixed("solve_triangular_t", nil, cx(invertible, 2, 3, 3), re(anyReal, 3, 1)),
	)
	// linear algebra: stacks of well-conditioned matrices; cholesky's
	// argument is symmetric positive definite, and stays so (the lower
	// triangle it reads does) under the checkers' small perturbations
	mat := func(prim, label string, args ...arg) primCase {
		return primCase{prim: prim, label: label, args: args}
	}
	cs = append(cs,
		both(mat("cholesky", "(3,3)", a(posDef, 3, 3))),
		both(mat("cholesky", "(1,1)", a(posDef, 1, 1))),
		both(mat("cholesky", "(2,4,4) stack", a(posDef, 2, 4, 4))),
		both(mat("solve", "(3,3) (3,2)", a(invertible, 3, 3), a(anyReal, 3, 2))),
		both(mat("solve", "(4,4) (4,1)", a(invertible, 4, 4), a(anyReal, 4, 1))),
		both(mat("solve", "(2,3,3) (3,2): b broadcast", a(invertible, 2, 3, 3), a(anyReal, 3, 2))),
		both(mat("solve_t", "(3,3) (3,2)", a(invertible, 3, 3), a(anyReal, 3, 2))),
		both(mat("solve_t", "(2,3,3) (3,2): b broadcast", a(invertible, 2, 3, 3), a(anyReal, 3, 2))),
		both(mat("solve", "(3,3) (2,3,1): a broadcast", a(invertible, 3, 3), a(anyReal, 2, 3, 1))),
		both(mat("solve", "(2,1,3,3) (3,3,2): both broadcast", a(invertible, 2, 1, 3, 3), a(anyReal, 3, 3, 2))),
		both(mat("inv", "(3,3)", a(invertible, 3, 3))),
		both(mat("inv", "(2,3,3) stack", a(invertible, 2, 3, 3))),
		both(mat("det", "(3,3)", a(invertible, 3, 3))),
		both(mat("det", "(1,1)", a(invertible, 1, 1))),
		both(mat("det", "(2,3,3) stack", a(invertible, 2, 3, 3))),
		both(mat("logabsdet", "(3,3)", a(invertible, 3, 3))),
		both(mat("logabsdet", "(2,2,2) stack", a(invertible, 2, 2, 2))),
		both(mat("logabsdet", "(1,1)", a(invertible, 1, 1))),
		both(mat("inv", "(1,1)", a(invertible, 1, 1))),
		both(mat("det", "(4,4)", a(invertible, 4, 4))),
		both(mat("solve_triangular", "(3,3) (3,2)", a(invertible, 3, 3), a(anyReal, 3, 2))),
		both(mat("solve_triangular", "(2,3,3) (3,1): b broadcast", a(invertible, 2, 3, 3), a(anyReal, 3, 1))),
		both(mat("solve_triangular", "(3,3) (2,3,2): l broadcast", a(invertible, 3, 3), a(anyReal, 2, 3, 2))),
		both(mat("solve_triangular_t", "(3,3) (3,2)", a(invertible, 3, 3), a(anyReal, 3, 2))),
		both(mat("solve_triangular_t", "(2,3,3) (3,1): b broadcast", a(invertible, 2, 3, 3), a(anyReal, 3, 1))),
		both(mat("solve_triangular_t", "(3,3) (2,3,2): l broadcast", a(invertible, 3, 3), a(anyReal, 2, 3, 2))),
	)
	// spectral decompositions: the packed factors ([w; V], [U; s; V]) are
	// checked directly, signs included: the kernels fix each vector's sign
	// by its entry of largest modulus, a choice that is locally constant,
	// so the factors are smooth where the spectrum is well separated (as
	// the spectral and singular domains make it)
	cs = append(cs,
		realOnly(mat("eigh", "(3,3)", a(spectral, 3, 3))),
		realOnly(mat("eigh", "(1,1)", a(spectral, 1, 1))),
		realOnly(mat("eigh", "(2,4,4) stack", a(spectral, 2, 4, 4))),
		// only the lower triangle is read: the upper one holds anything
		realOnly(mat("eigh", "(3,3) not symmetric", a(anyReal, 3, 3))),
		realOnly(mat("svd", "(3,3)", a(singular, 3, 3))),
		realOnly(mat("svd", "(4,2) tall", a(singular, 4, 2))),
		realOnly(mat("svd", "(2,4) wide", a(singular, 2, 4))),
		realOnly(mat("svd", "(2,3,2) stack", a(singular, 2, 3, 2))),
		realOnly(mat("svd", "(1,3)", a(singular, 1, 3))),
		// eig: [w; V] complex, phases fixed by each vector's largest entry
		// (real eigenvalues, and a complex-conjugate pair; see eig_test.go)
		realOnly(mat("eig", "(3,3) real spectrum", a(eigReal, 3, 3))),
		realOnly(mat("eig", "(3,3) conjugate pair", a(eigPair, 3, 3))),
		realOnly(mat("eig", "(2,2) conjugate pair", a(eigPair, 2, 2))),
		realOnly(mat("eig", "(1,1)", a(eigReal, 1, 1))),
		realOnly(mat("eig", "(2,4,4) stack", a(eigPair, 2, 4, 4))),
		// complex eig (nd's kernel): the packed factors directly, as for
		// real input, the phase convention (largest entry real and
		// positive) being locally constant
		complexOnly(mat("eig", "(3,3)", a(eigComplex, 3, 3))),
		complexOnly(mat("eig", "(2,2)", a(eigComplex, 2, 2))),
		complexOnly(mat("eig", "(1,1)", a(eigComplex, 1, 1))),
		complexOnly(mat("eig", "(5,5)", a(eigComplex, 5, 5))),
		complexOnly(mat("eig", "(2,4,4) stack", a(eigComplex, 2, 4, 4))),
	)
	// complex: a vector is unique only up to a phase, and the rules fix
	// that freedom by upstream autograd's convention (diag(Vᴴ V̇) = 0; for
	// svd, V takes none of it), which no function of the matrix follows.
	// So the packed factors are read out with each vector (each pair u, v)
	// turned to make one entry real and positive, a phase-invariant
	// function that finite differences can check, as is every part of
	// the factors a phase-invariant function depends on.
	eighOut := func(n int) func(ad.Value) ad.Value { return phaseFixed(n+1, 0, 1) }
	svdOut := func(m, n int) func(ad.Value) ad.Value { return phaseFixed(m+1+n, m, 0) }
	withReadout := func(c primCase, r func(ad.Value) ad.Value) primCase { c.readout = r; return complexOnly(c) }
	cs = append(cs,
		withReadout(mat("eigh", "(3,3)", a(spectral, 3, 3)), eighOut(3)),
		withReadout(mat("eigh", "(1,1)", a(spectral, 1, 1)), eighOut(1)),
		withReadout(mat("eigh", "(2,4,4) stack", a(spectral, 2, 4, 4)), eighOut(4)),
		withReadout(mat("eigh", "(3,3) not Hermitian", a(anyReal, 3, 3)), eighOut(3)),
		withReadout(mat("svd", "(3,3)", a(singular, 3, 3)), svdOut(3, 3)),
		withReadout(mat("svd", "(4,2) tall", a(singular, 4, 2)), svdOut(4, 2)),
		withReadout(mat("svd", "(2,4) wide", a(singular, 2, 4)), svdOut(2, 4)),
		withReadout(mat("svd", "(2,3,2) stack", a(singular, 2, 3, 2)), svdOut(3, 2)),
		withReadout(mat("svd", "(1,3)", a(singular, 1, 3)), svdOut(1, 3)),
	)
	cs = append(cs,
		both(primCase{prim: "where", label: "equal shapes", args: []arg{a(boolMask, 2, 3), a(anyReal, 2, 3), a(anyReal, 2, 3)}}),
		both(primCase{prim: "where", label: "broadcast (2,3) (3,) ()", args: []arg{a(boolMask, 2, 3), a(anyReal, 3), a(anyReal)}}),
		both(primCase{prim: "where", label: "broadcast (3,1) (1,4) (4,)", args: []arg{a(boolMask, 3, 1), a(anyReal, 1, 4), a(anyReal, 4)}}),
		realOnly(primCase{prim: "where", label: "mixed dtypes", args: []arg{a(boolMask, 2, 3), re(anyReal, 2, 3), cx(anyReal, 3)}}),
	)
	attrCases := []struct {
		prim, label string
		attrs       ad.Attrs
		args        []arg
	}{
		{"sum", "axis 1", ad.Attrs{Axes: []int{1}}, []arg{a(anyReal, 2, 3, 4)}},
		{"sum", "axes 0,2 keepdims", ad.Attrs{Axes: []int{0, 2}, KeepDims: true}, []arg{a(anyReal, 2, 3, 4)}},
		{"sum", "axis -1 keepdims", ad.Attrs{Axes: []int{-1}, KeepDims: true}, []arg{a(anyReal, 2, 3, 4)}},
		{"sum", "axes 2,0", ad.Attrs{Axes: []int{2, 0}}, []arg{a(anyReal, 2, 3, 4)}},
		{"sum", "all axes", ad.Attrs{Axes: []int{0, 1, 2}}, []arg{a(anyReal, 2, 3, 4)}},
		{"sum", "no axes", ad.Attrs{Axes: []int{}}, []arg{a(anyReal, 2, 3)}},
		{"sum", "0-d", ad.Attrs{}, []arg{a(anyReal)}},
		{"max", "axis 1", ad.Attrs{Axes: []int{1}}, []arg{a(distinct, 2, 3, 4)}},
		{"max", "axes 0,2 keepdims", ad.Attrs{Axes: []int{0, 2}, KeepDims: true}, []arg{a(distinct, 2, 3, 4)}},
		{"max", "axis -1", ad.Attrs{Axes: []int{-1}}, []arg{a(distinct, 2, 3, 4)}},
		{"max", "all axes", ad.Attrs{Axes: []int{0, 1, 2}}, []arg{a(distinct, 2, 3, 4)}},
		{"min", "axis 1", ad.Attrs{Axes: []int{1}}, []arg{a(distinct, 2, 3, 4)}},
		{"min", "axes 0,2 keepdims", ad.Attrs{Axes: []int{0, 2}, KeepDims: true}, []arg{a(distinct, 2, 3, 4)}},
		{"min", "axes -1,0 keepdims", ad.Attrs{Axes: []int{-1, 0}, KeepDims: true}, []arg{a(distinct, 2, 3, 4)}},
		{"min", "all axes", ad.Attrs{Axes: []int{0, 1, 2}}, []arg{a(distinct, 2, 3, 4)}},
		{"reshape", "(2,3)->(3,2)", ad.Attrs{Shape: []int{3, 2}}, []arg{a(anyReal, 2, 3)}},
		{"reshape", "(6,)->(1,2,3)", ad.Attrs{Shape: []int{1, 2, 3}}, []arg{a(anyReal, 6)}},
		{"reshape", "(2,3,4)->(4,-1)", ad.Attrs{Shape: []int{4, -1}}, []arg{a(anyReal, 2, 3, 4)}},
		{"reshape", "()->(1,1)", ad.Attrs{Shape: []int{1, 1}}, []arg{a(anyReal)}},
		{"broadcast_to", "(3,1)->(2,3,4)", ad.Attrs{Shape: []int{2, 3, 4}}, []arg{a(anyReal, 3, 1)}},
		{"broadcast_to", "()->(2,2)", ad.Attrs{Shape: []int{2, 2}}, []arg{a(anyReal)}},
		{"broadcast_to", "(3,)->(2,3)", ad.Attrs{Shape: []int{2, 3}}, []arg{a(anyReal, 3)}},
		{"transpose", "(2,3) perm 1,0", ad.Attrs{Axes: []int{1, 0}}, []arg{a(anyReal, 2, 3)}},
		{"transpose", "(2,3,4) perm 2,0,1", ad.Attrs{Axes: []int{2, 0, 1}}, []arg{a(anyReal, 2, 3, 4)}},
		{"transpose", "(2,3,4) perm 1,2,0", ad.Attrs{Axes: []int{1, 2, 0}}, []arg{a(anyReal, 2, 3, 4)}},
		{"transpose", "(2,3,4) perm -1,0,1", ad.Attrs{Axes: []int{-1, 0, 1}}, []arg{a(anyReal, 2, 3, 4)}},
		{"gather", "repeated indices", ad.Attrs{Index: []int{0, 5, 5, 2, 0, 1, 3}, Shape: []int{7}}, []arg{a(anyReal, 2, 3)}},
		{"gather", "one index four times", ad.Attrs{Index: []int{4, 4, 4, 0}, Shape: []int{2, 2}}, []arg{a(anyReal, 6)}},
		{"scatter_add", "repeated indices", ad.Attrs{Index: []int{1, 1, 0, 5}, Shape: []int{2, 3}}, []arg{a(anyReal, 4)}},
		{"scatter_add", "one index four times", ad.Attrs{Index: []int{3, 3, 3, 3}, Shape: []int{4}}, []arg{a(anyReal, 2, 2)}},
		// (3,4)[::-1, 1::2] and the diagonal of a (3,3): offset, shape, strides
		{"view", "reversed rows, odd columns", ad.Attrs{Index: []int{9}, Shape: []int{3, 2}, Axes2: []int{-4, 2}}, []arg{a(anyReal, 3, 4)}},
		{"view", "diagonal", ad.Attrs{Index: []int{0}, Shape: []int{3}, Axes2: []int{4}}, []arg{a(anyReal, 3, 3)}},
		{"view", "a new axis and an integer index", ad.Attrs{Index: []int{4}, Shape: []int{1, 4}, Axes2: []int{0, 1}}, []arg{a(anyReal, 2, 4)}},
		{"view_add", "reversed rows, odd columns", ad.Attrs{Index: []int{9}, Shape: []int{3, 4}, Axes2: []int{-4, 2}}, []arg{a(anyReal, 3, 2)}},
		{"view_add", "diagonal", ad.Attrs{Index: []int{0}, Shape: []int{3, 3}, Axes2: []int{4}}, []arg{a(anyReal, 3)}},
		{"stack", "two (2,3)", ad.Attrs{}, []arg{a(anyReal, 2, 3), a(anyReal, 2, 3)}},
		{"stack", "three (3,)", ad.Attrs{}, []arg{a(anyReal, 3), a(anyReal, 3), a(anyReal, 3)}},
		{"stack", "one ()", ad.Attrs{}, []arg{a(anyReal)}},
		{"tensordot", "axes (2,0) with (0,1)", ad.Attrs{Axes: []int{2, 0}, Axes2: []int{0, 1}}, []arg{a(anyReal, 2, 3, 4), a(anyReal, 4, 2, 5)}},
		{"tensordot", "axes (1,2) with (0,1)", ad.Attrs{Axes: []int{1, 2}, Axes2: []int{0, 1}}, []arg{a(anyReal, 2, 3, 4), a(anyReal, 3, 4, 2)}},
		{"tensordot", "axes (0,1) with (1,0): a scalar", ad.Attrs{Axes: []int{0, 1}, Axes2: []int{1, 0}}, []arg{a(anyReal, 2, 3), a(anyReal, 3, 2)}},
		{"tensordot", "matrix product", ad.Attrs{Axes: []int{1}, Axes2: []int{0}}, []arg{a(anyReal, 3, 4), a(anyReal, 4, 5)}},
		{"tensordot", "axis -1 with 1", ad.Attrs{Axes: []int{-1}, Axes2: []int{1}}, []arg{a(anyReal, 2, 3), a(anyReal, 4, 3, 2)}},
		{"tensordot", "no axes: outer product", ad.Attrs{}, []arg{a(anyReal, 2), a(anyReal, 3)}},
		{"tensordot", "axis 0 of a vector", ad.Attrs{Axes: []int{0}, Axes2: []int{1}}, []arg{a(anyReal, 3), a(anyReal, 2, 3, 2)}},
		{"matmul", "(3,)@(3,)", ad.Attrs{}, []arg{a(anyReal, 3), a(anyReal, 3)}},
		{"matmul", "(2,3)@(3,)", ad.Attrs{}, []arg{a(anyReal, 2, 3), a(anyReal, 3)}},
		{"matmul", "(3,)@(3,4)", ad.Attrs{}, []arg{a(anyReal, 3), a(anyReal, 3, 4)}},
		{"matmul", "(2,3)@(3,4)", ad.Attrs{}, []arg{a(anyReal, 2, 3), a(anyReal, 3, 4)}},
		{"matmul", "(2,1,2,3)@(4,3,2)", ad.Attrs{}, []arg{a(anyReal, 2, 1, 2, 3), a(anyReal, 4, 3, 2)}},
		{"matmul", "(3,)@(2,3,4)", ad.Attrs{}, []arg{a(anyReal, 3), a(anyReal, 2, 3, 4)}},
		{"matmul", "(2,2,3)@(3,)", ad.Attrs{}, []arg{a(anyReal, 2, 2, 3), a(anyReal, 3)}},
		{"matmul", "(1,2,3)@(2,3,1)", ad.Attrs{}, []arg{a(anyReal, 1, 2, 3), a(anyReal, 2, 3, 1)}},
		{"fft", "(5,) axis 0", ad.Attrs{Axes: []int{0}}, []arg{a(anyReal, 5)}},
		{"fft", "(2,4) axis 1", ad.Attrs{Axes: []int{1}}, []arg{a(anyReal, 2, 4)}},
		{"fft", "(3,2,4) axis -3", ad.Attrs{Axes: []int{-3}}, []arg{a(anyReal, 3, 2, 4)}},
		{"fft", "(2,6,3) axis 1", ad.Attrs{Axes: []int{1}}, []arg{a(anyReal, 2, 6, 3)}},
		{"fft", "(3,1) axis 1: length 1", ad.Attrs{Axes: []int{1}}, []arg{a(anyReal, 3, 1)}},
		{"ifft", "(5,) axis 0", ad.Attrs{Axes: []int{0}}, []arg{a(anyReal, 5)}},
		{"ifft", "(2,4) axis -1", ad.Attrs{Axes: []int{-1}}, []arg{a(anyReal, 2, 4)}},
		{"ifft", "(3,2,4) axis 0", ad.Attrs{Axes: []int{0}}, []arg{a(anyReal, 3, 2, 4)}},
		{"ifft", "(2,7,3) axis 1", ad.Attrs{Axes: []int{1}}, []arg{a(anyReal, 2, 7, 3)}},
		{"ifft", "(1,) axis 0: length 1", ad.Attrs{Axes: []int{0}}, []arg{a(anyReal, 1)}},
	}
	for _, c := range attrCases {
		at := c.attrs
		cs = append(cs, both(primCase{prim: c.prim, label: c.label, attrs: &at, args: c.args}))
	}
	return cs
}()

// variants returns the dtype variants to run c with (false: real, true:
// complex).
func (c primCase) variants() []bool {
	var out []bool
	if c.real {
		out = append(out, false)
	}
	if c.complex {
		out = append(out, true)
	}
	return out
}

// point draws the arguments of c, complex ones when cplx is set.
func (c primCase) point(rnd *rand.Rand, cplx bool) point {
	var p point
	for _, x := range c.args {
		isComplex := x.dtype == alwaysComplex || (x.dtype == followVariant && cplx && x.dom != boolMask)
		p.xs = append(p.xs, randArray(rnd, x.shape, x.dom, isComplex))
		p.diff = append(p.diff, x.dom != boolMask)
	}
	return p
}

// fn returns c's primitive applied to its arguments.
func (c primCase) fn() vfunc {
	prim := ad.Lookup(c.prim)
	if c.readout != nil {
		return func(xs []ad.Value) ad.Value { return c.readout(ad.Apply(prim, c.attrs, xs...)) }
	}
	return func(xs []ad.Value) ad.Value { return ad.Apply(prim, c.attrs, xs...) }
}

// name identifies the case and variant in test output.
func (c primCase) name(cplx bool) string {
	v := "real"
	if cplx {
		v = "complex"
	}
	return fmt.Sprintf("%s/%s/%s", c.prim, c.label, v)
}

// TestPrimCasesCoverRegistry fails when a registered primitive has no
// finite-difference case (or no complex case without a reason in
// realPrims), or when a case names a primitive that does not exist.
func TestPrimCasesCoverRegistry(t *testing.T) {
	realCase, complexCase := map[string]bool{}, map[string]bool{}
	for _, c := range primCases {
		if ad.Lookup(c.prim) == nil {
			t.Errorf("case %q names no registered primitive", c.name(false))
		}
		realCase[c.prim] = realCase[c.prim] || c.real
		complexCase[c.prim] = complexCase[c.prim] || c.complex
	}
	prims := ad.Prims()
	if len(prims) == 0 {
		t.Fatal("ad.Prims() is empty")
	}
	for _, p := range prims {
		if !realCase[p.Name] {
			t.Errorf("primitive %q has no real finite-difference case", p.Name)
		}
		if _, ok := realPrims[p.Name]; !ok && !complexCase[p.Name] {
			t.Errorf("primitive %q has no complex finite-difference case (nor a reason in realPrims)", p.Name)
		}
		if p.Eval == nil || (!p.NoGrad && (p.VJP == nil || p.JVP == nil)) {
			t.Errorf("primitive %q lacks a kernel or a rule", p.Name)
		}
	}
}

// runPrimCases runs the checks that checks returns on every case and
// variant of the table, in parallel subtests.
func runPrimCases(t *testing.T, checks func(f vfunc, p point, rnd *rand.Rand) []namedCheck) {
	for ci, c := range primCases {
		for _, cplx := range c.variants() {
			seed := uint64(2*ci + 1)
			if cplx {
				seed++
			}
			t.Run(c.name(cplx), func(t *testing.T) {
				t.Parallel()
				rnd := newRand(seed)
				p := c.point(rnd, cplx)
				for _, ch := range checks(c.fn(), p, rnd) {
					if err := ch.run(); err != nil {
						t.Errorf("%s (seed %d): %v", ch.name, seed, err)
					}
				}
			})
		}
	}
}

// TestPrimFirstOrder checks every primitive's VJP and JVP rules against
// central differences.
func TestPrimFirstOrder(t *testing.T) { runPrimCases(t, firstOrder) }

// TestPrimSecondOrder checks the derivatives of every primitive's VJP and
// JVP rules against central differences: reverse over reverse, forward
// over reverse, reverse over forward and forward over forward.
func TestPrimSecondOrder(t *testing.T) { runPrimCases(t, secondOrder) }

// numpyRealOnly lists the binary primitives numpy defines for real
// inputs only.
var numpyRealOnly = []string{"arctan2", "hypot", "logaddexp", "logaddexp2"}

// TestRealOnlyPrimsRejectComplex checks that the binary primitives numpy
// defines for reals only refuse complex input with numpy's TypeError.
func TestRealOnlyPrimsRejectComplex(t *testing.T) {
	for _, name := range numpyRealOnly {
		if _, ok := realPrims[name]; !ok {
			t.Errorf("%s is not listed in realPrims", name)
		}
		z := nd.FromComplex128s([]int{2}, []complex128{1 + 1i, 2})
		for _, args := range [][]ad.Value{{z, nd.Scalar(1)}, {nd.Scalar(1), z}} {
			err := catch(func() { ad.Apply(ad.Lookup(name), nil, args...) })
			if kindOf(err) != nd.TypeError {
				t.Errorf("%s of complex input: error %v, want a TypeError", name, err)
			}
		}
	}
}

// TestComplexSignHasNoGradient pins down the documented behaviour of sign
// on complex input: the value is numpy 2's z/|z| (0 at 0), and the
// primitive has no derivative in either mode (as upstream autograd), even
// though z/|z| is not locally constant.
func TestComplexSignHasNoGradient(t *testing.T) {
	z := nd.FromComplex128s([]int{4}, []complex128{3 + 4i, -2, 0, -1i})
	want := nd.FromComplex128s([]int{4}, []complex128{0.6 + 0.8i, -1, 0, -1i})
	if err := sameValues(ad.Unbox(ad.Sign(z)), want, 1e-15); err != nil {
		t.Errorf("sign(%v): %v", z, err)
	}
	f := func(x ad.Value) ad.Value { return ad.Real(ad.SumAll(ad.Mul(ad.Sign(x), x))) }
	g, err := ad.Grad(f, z)
	if err != nil {
		t.Fatal(err)
	}
	// d/dz real(sum(s*z)) with s held constant is s, by the convention
	if err := sameValues(ad.Unbox(g), ad.Unbox(ad.Sign(z)), 1e-15); err != nil {
		t.Errorf("gradient with sign held constant: %v", err)
	}
	_, tan, err := ad.JVP(ad.Sign, z, z)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameValues(ad.Unbox(tan), nd.Zeros([]int{4}, nd.Complex128), 0); err != nil {
		t.Errorf("tangent of sign: %v", err)
	}
}

// phaseFixed returns a readout of a packed decomposition (a stack of
// rows×k arrays) that multiplies every row but row keep by conj(r)/|r|,
// r being row ref: for a complex result it turns each column's vector
// (the pair u, v for svd) to make its entry in row ref real and positive,
// which makes the readout invariant under the vectors' phases. Row keep
// holds the eigenvalues (singular values). Real results are returned as
// they are.
func phaseFixed(rows, keep, ref int) func(ad.Value) ad.Value {
	keepMask, sel := make([]float64, rows), make([]float64, rows)
	keepMask[keep], sel[ref] = 1, 1
	return func(x ad.Value) ad.Value {
		if x.DType() != nd.Complex128 {
			return x
		}
		r := ad.Matmul(nd.FromFloat64s([]int{1, rows}, sel), x) // (..., 1, k)
		ph := ad.Div(ad.Conj(r), ad.Abs(r))
		kept := nd.FromFloat64s([]int{rows, 1}, keepMask)
		others := nd.FromFloat64s([]int{rows, 1}, complementOf(keepMask))
		return ad.Add(ad.Mul(x, kept), ad.Mul(ad.Mul(x, others), ph))
	}
}

// complementOf returns 1 − m elementwise.
func complementOf(m []float64) []float64 {
	out := make([]float64, len(m))
	for i, x := range m {
		out[i] = 1 - x
	}
	return out
}
