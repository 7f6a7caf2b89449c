package ad

import "autograd/core/nd"

// This file declares the primitives that reduce, reshape, select and
// combine arrays, and the products.

var (
	sumP, maxP, minP, reshapeP, broadcastP, transposeP *Prim
	gatherP, scatterP, stackP, tensordotP, matmulP     *Prim
	viewP, viewAddP                                    *Prim
)

// keptShape returns x's shape with the reduced axes set to 1.
func keptShape(shape []int, axes []int) []int {
	out := append([]int(nil), shape...)
	for _, ax := range nd.NormAxes(axes, len(shape)) {
		out[ax] = 1
	}
	return out
}

// restore brings a reduction's cotangent back to x's shape.
func restore(g Value, x Value, at *Attrs) Value {
	return BroadcastTo(Reshape(g, keptShape(x.Shape(), at.Axes)), x.Shape())
}

// inverse returns the inverse of a permutation.
func inverse(perm []int) []int {
	inv := make([]int, len(perm))
	for i, p := range perm {
		inv[p] = i
	}
	return inv
}

// span returns [lo, lo+1, ..., hi-1].
func span(lo, hi int) []int {
	out := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}

// extremeMask is the constant that routes a max/min cotangent: one over the
// number of entries equal to the extreme, where they are equal.
func extremeMask(x, ans Value, at *Attrs) Value {
	xa := Unbox(x)
	hit := mask(eq, xa, nd.Reshape(Unbox(ans), keptShape(xa.Shape(), at.Axes)))
	count := nd.Sum(hit, at.Axes, true)
	return nd.Binary(hit, count, func(h, c float64) float64 { return h / c }, nil)
}

func reduction(name string, eval func(a *nd.Array, at *Attrs) *nd.Array) *Prim {
	return register(&Prim{
		Name:  name,
		Arity: 1,
		Eval:  func(a []*nd.Array, at *Attrs) *nd.Array { return eval(a[0], at) },
		VJP: func(_ int, g, ans Value, args []Value, at *Attrs) Value {
			return Mul(restore(g, args[0], at), extremeMask(args[0], ans, at))
		},
		JVP: func(_ int, t, ans Value, args []Value, at *Attrs) Value {
			return Sum(Mul(t, extremeMask(args[0], ans, at)), at.Axes, at.KeepDims)
		},
	})
}

func init() {
	sumP = register(&Prim{
		Name:  "sum",
		Arity: 1,
		Eval:  func(a []*nd.Array, at *Attrs) *nd.Array { return nd.Sum(a[0], at.Axes, at.KeepDims) },
		// the cotangent is g with the reduced axes back as length 1, left to
		// broadcast (see Prim.Elementwise): no array of x's size is made
		// unless a rule needs it
		VJP: func(_ int, g, _ Value, args []Value, at *Attrs) Value {
			return Reshape(g, keptShape(args[0].Shape(), at.Axes))
		},
		JVP: func(_ int, t, _ Value, _ []Value, at *Attrs) Value { return Sum(t, at.Axes, at.KeepDims) },
	})
	maxP = reduction("max", func(a *nd.Array, at *Attrs) *nd.Array { return nd.Extreme(a, at.Axes, at.KeepDims, true) })
	minP = reduction("min", func(a *nd.Array, at *Attrs) *nd.Array { return nd.Extreme(a, at.Axes, at.KeepDims, false) })
	reshapeP = register(&Prim{
		Name:  "reshape",
		Arity: 1,
		Eval:  func(a []*nd.Array, at *Attrs) *nd.Array { return nd.Reshape(a[0], at.Shape) },
		VJP:   func(_ int, g, _ Value, args []Value, _ *Attrs) Value { return Reshape(g, args[0].Shape()) },
		JVP:   func(_ int, t, ans Value, _ []Value, _ *Attrs) Value { return Reshape(t, ans.Shape()) },
	})
	broadcastP = register(&Prim{
		Name:  "broadcast_to",
		Arity: 1,
		Eval:  func(a []*nd.Array, at *Attrs) *nd.Array { return nd.BroadcastTo(a[0], at.Shape) },
		VJP:   func(_ int, g, _ Value, args []Value, _ *Attrs) Value { return unbroadcast(g, args[0]) },
		JVP:   func(_ int, t, _ Value, _ []Value, at *Attrs) Value { return BroadcastTo(t, at.Shape) },
	})
	transposeP = register(&Prim{
		Name:  "transpose",
		Arity: 1,
		Eval:  func(a []*nd.Array, at *Attrs) *nd.Array { return nd.Transpose(a[0], at.Axes) },
		VJP: func(_ int, g, _ Value, args []Value, at *Attrs) Value {
			return Transpose(g, inverse(nd.NormAxes(at.Axes, len(at.Axes))))
		},
		JVP: func(_ int, t, _ Value, _ []Value, at *Attrs) Value { return Transpose(t, at.Axes) },
	})
	gatherP = register(&Prim{
		Name:  "gather",
		Arity: 1,
		Eval:  func(a []*nd.Array, at *Attrs) *nd.Array { return nd.Gather(a[0], at.Index, at.Shape) },
		VJP: func(_ int, g, _ Value, args []Value, at *Attrs) Value {
			return ScatterAdd(g, at.Index, args[0].Shape())
		},
		JVP: func(_ int, t, _ Value, _ []Value, at *Attrs) Value { return Gather(t, at.Index, at.Shape) },
	})
	// view picks a strided view of x (Index = {offset}, Shape = the view's
	// shape, Axes2 = its element strides); view_add is its transpose, the
	// view's values added into zeros of x's shape (Shape = x's shape, the
	// view's shape being its argument's).
	viewP = register(&Prim{
		Name:  "view",
		Arity: 1,
		Eval: func(a []*nd.Array, at *Attrs) *nd.Array {
			return nd.View(a[0], viewOffset(at), at.Shape, at.Axes2)
		},
		VJP: func(_ int, g, _ Value, args []Value, at *Attrs) Value {
			return Apply(viewAddP, &Attrs{Index: at.Index, Shape: args[0].Shape(), Axes2: at.Axes2}, g)
		},
		JVP: func(_ int, t, _ Value, _ []Value, at *Attrs) Value { return Apply(viewP, at, t) },
	})
	viewAddP = register(&Prim{
		Name:  "view_add",
		Arity: 1,
		Eval: func(a []*nd.Array, at *Attrs) *nd.Array {
			return nd.ViewAdd(a[0], viewOffset(at), at.Shape, at.Axes2)
		},
		VJP: func(_ int, g, _ Value, args []Value, at *Attrs) Value {
			return Apply(viewP, &Attrs{Index: at.Index, Shape: args[0].Shape(), Axes2: at.Axes2}, g)
		},
		JVP: func(_ int, t, _ Value, _ []Value, at *Attrs) Value { return Apply(viewAddP, at, t) },
	})
	scatterP = register(&Prim{
		Name:  "scatter_add",
		Arity: 1,
		Eval:  func(a []*nd.Array, at *Attrs) *nd.Array { return nd.ScatterAdd(a[0], at.Index, at.Shape) },
		VJP:   func(_ int, g, _ Value, args []Value, at *Attrs) Value { return Gather(g, at.Index, args[0].Shape()) },
		JVP:   func(_ int, t, _ Value, _ []Value, at *Attrs) Value { return ScatterAdd(t, at.Index, at.Shape) },
	})
	stackP = register(&Prim{
		Name:  "stack",
		Arity: Variadic,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Stack(a) },
		VJP: func(i int, g, _ Value, args []Value, _ *Attrs) Value {
			m := nd.Prod(args[i].Shape())
			return matchComplex(args[i], Gather(g, span(i*m, (i+1)*m), args[i].Shape()))
		},
		JVP: func(i int, t, ans Value, args []Value, _ *Attrs) Value {
			m := nd.Prod(args[i].Shape())
			return ScatterAdd(t, span(i*m, (i+1)*m), ans.Shape())
		},
	})
	tensordotP = register(&Prim{
		Name:  "tensordot",
		Arity: 2,
		Eval:  func(a []*nd.Array, at *Attrs) *nd.Array { return nd.Tensordot(a[0], a[1], at.Axes, at.Axes2) },
		VJP: func(i int, g, _ Value, args []Value, at *Attrs) Value {
			return unbroadcast(tensordotVJP(i, g, args[0], args[1], at), args[i])
		},
		JVP: func(i int, t, _ Value, args []Value, at *Attrs) Value {
			if i == 0 {
				return Tensordot(t, args[1], at.Axes, at.Axes2)
			}
			return Tensordot(args[0], t, at.Axes, at.Axes2)
		},
	})
	matmulP = register(&Prim{
		Name:  "matmul",
		Arity: 2,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Matmul(a[0], a[1]) },
		VJP:   func(i int, g, _ Value, args []Value, _ *Attrs) Value { return matmulVJP(i, g, args[0], args[1]) },
		JVP: func(i int, t, _ Value, args []Value, _ *Attrs) Value {
			if i == 0 {
				return Matmul(t, args[1])
			}
			return Matmul(args[0], t)
		},
	})
}

// tensordotVJP contracts the cotangent g of tensordot(a, b) with the other
// operand and puts the result's axes back in the order of the operand.
func tensordotVJP(i int, g, a, b Value, at *Attrs) Value {
	axA, axB := nd.NormAxes(at.Axes, len(a.Shape())), nd.NormAxes(at.Axes2, len(b.Shape()))
	freeA, freeB := freeOf(len(a.Shape()), axA), freeOf(len(b.Shape()), axB)
	nfa := len(freeA)
	if i == 0 {
		// g's trailing axes pair with b's free axes; what is left of b are
		// its contracted axes in increasing order, i.e. a's axes paired with them.
		r := Tensordot(g, b, span(nfa, nfa+len(freeB)), freeB)
		order := append(append([]int(nil), freeA...), pairedInOrder(axB, axA)...)
		return Transpose(r, inverse(order))
	}
	r := Tensordot(a, g, freeA, span(0, nfa))
	order := append(pairedInOrder(axA, axB), freeB...)
	return Transpose(r, inverse(order))
}

// pairedInOrder lists, for the axes of `own` taken in increasing order,
// the axis of `other` contracted with each.
func pairedInOrder(own, other []int) []int {
	out := make([]int, 0, len(own))
	for ax := 0; len(out) < len(own); ax++ {
		for j, o := range own {
			if o == ax {
				out = append(out, other[j])
			}
		}
	}
	return out
}

func freeOf(ndim int, contracted []int) []int {
	used := make([]bool, ndim)
	for _, ax := range contracted {
		used[ax] = true
	}
	var out []int
	for i := 0; i < ndim; i++ {
		if !used[i] {
			out = append(out, i)
		}
	}
	return out
}

// matmulVJP differentiates numpy.matmul: vectors are promoted to matrices,
// the products transposed, and batch axes summed away.
func matmulVJP(i int, g, a, b Value) Value {
	as, bs := a.Shape(), b.Shape()
	A, B := a, b
	if len(as) == 1 {
		A = Reshape(a, []int{1, as[0]})
	}
	if len(bs) == 1 {
		B = Reshape(b, []int{bs[0], 1})
	}
	drop := 0 // the output has a row axis when a is a matrix, a column axis when b is
	if len(as) > 1 {
		drop++
	}
	if len(bs) > 1 {
		drop++
	}
	gs := g.Shape()
	batch := append([]int(nil), gs[:len(gs)-drop]...)
	As, Bs := A.Shape(), B.Shape()
	G := Reshape(g, append(batch, As[len(As)-2], Bs[len(Bs)-1]))
	if len(As) == 2 && len(Bs) == 2 { // no batch: BLAS reads the transposes in place
		if i == 0 {
			return Reshape(unbroadcast(Tensordot(G, B, []int{1}, []int{1}), A), as) // G·Bᵀ
		}
		return Reshape(unbroadcast(Tensordot(A, G, []int{0}, []int{0}), B), bs) // Aᵀ·G
	}
	if i == 0 {
		r := Matmul(G, swapLast(B))
		return Reshape(unbroadcast(r, A), as)
	}
	r := Matmul(swapLast(A), G)
	return Reshape(unbroadcast(r, B), bs)
}

// swapLast swaps the last two axes.
func swapLast(x Value) Value {
	n := len(x.Shape())
	perm := span(0, n)
	perm[n-1], perm[n-2] = perm[n-2], perm[n-1]
	return Transpose(x, perm)
}

// Sum adds x's elements over axes (keeping them as length 1 if keep).
func Sum(x Value, axes []int, keep bool) Value {
	return Apply(sumP, &Attrs{Axes: axes, KeepDims: keep}, x)
}

// SumAll adds all of x's elements.
func SumAll(x Value) Value { return Sum(x, span(0, len(x.Shape())), false) }

// Mean averages x over axes.
func Mean(x Value, axes []int, keep bool) Value {
	n := 1
	for _, ax := range nd.NormAxes(axes, len(x.Shape())) {
		n *= x.Shape()[ax]
	}
	return Div(Sum(x, axes, keep), k(float64(n)))
}

// Max returns the maximum over axes.
func Max(x Value, axes []int, keep bool) Value {
	return Apply(maxP, &Attrs{Axes: axes, KeepDims: keep}, x)
}

// Min returns the minimum over axes.
func Min(x Value, axes []int, keep bool) Value {
	return Apply(minP, &Attrs{Axes: axes, KeepDims: keep}, x)
}

// Reshape gives x a new shape with the same number of elements.
func Reshape(x Value, shape []int) Value {
	if nd.SameShape(x.Shape(), shape) {
		return x
	}
	return Apply(reshapeP, &Attrs{Shape: shape}, x)
}

// BroadcastTo repeats x to shape, as numpy.broadcast_to.
func BroadcastTo(x Value, shape []int) Value {
	return Apply(broadcastP, &Attrs{Shape: shape}, x)
}

// Transpose permutes x's axes.
func Transpose(x Value, perm []int) Value {
	return Apply(transposeP, &Attrs{Axes: perm}, x)
}

// Gather returns r with r.flat[i] = x.flat[index[i]], shaped as shape.
func Gather(x Value, index []int, shape []int) Value {
	return Apply(gatherP, &Attrs{Index: index, Shape: shape}, x)
}

// ScatterAdd returns zeros(shape) with x.flat[i] added at index[i].
func ScatterAdd(x Value, index []int, shape []int) Value {
	return Apply(scatterP, &Attrs{Index: index, Shape: shape}, x)
}

// Stack joins values of equal shape along a new leading axis.
func Stack(xs ...Value) Value { return Apply(stackP, nil, xs...) }

// Tensordot contracts a's axes axA with b's axes axB.
func Tensordot(a, b Value, axA, axB []int) Value {
	return Apply(tensordotP, &Attrs{Axes: axA, Axes2: axB}, a, b)
}

// Dot is numpy.dot: the last axis of a with the second-to-last of b (or
// its only axis); a product when either is a scalar.
func Dot(a, b Value) Value {
	na, nb := len(a.Shape()), len(b.Shape())
	if na == 0 || nb == 0 {
		return Mul(a, b)
	}
	return Tensordot(a, b, []int{na - 1}, []int{max(nb-2, 0)})
}

// Matmul is numpy.matmul.
func Matmul(a, b Value) Value { return Apply(matmulP, nil, a, b) }

// viewOffset is the offset attribute of view and view_add.
func viewOffset(at *Attrs) int {
	if len(at.Index) != 1 {
		panic(nd.Errorf(nd.ValueError, "view: the index attribute must hold exactly the offset"))
	}
	return at.Index[0]
}

// View returns the strided view (offset, shape, strides) of x: element i
// of the result is x.flat[offset + Σ i_k·strides[k]].
func View(x Value, offset int, shape, strides []int) Value {
	return Apply(viewP, &Attrs{Index: []int{offset}, Shape: shape, Axes2: strides}, x)
}
