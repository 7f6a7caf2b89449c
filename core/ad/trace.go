// Package ad is the automatic-differentiation layer: boxes and traces, the
// primitive registry with each primitive's forward, VJP and JVP rules side
// by side, and the reverse and forward passes.
//
// A Value is either a plain *nd.Array or a *Box. A box wraps a value of an
// outer trace (or a plain array) together with a node of its own trace.
// Apply finds the boxes of the innermost trace among the arguments,
// computes the primitive on their wrapped values (which may be boxes of
// outer traces: that recursion is what gives derivatives of any order) and
// boxes the result. Every rule is written with the same differentiable
// functions users call (Mul, Cos, Sum...), so the reverse pass of an inner
// trace is itself recorded by the outer traces.
//
// Bad input makes the functions of this package panic with an *nd.Error;
// the entry points Grad, JVP, Jacobian and Hessian (and the C ABI) recover
// it and return it as an error value.
package ad

import (
	"runtime"
	"sync/atomic"

	"autograd/core/nd"
)

// Value is an array or a box. Its shape and dtype are those of the array
// under every level of boxing.
type Value interface {
	Shape() []int
	DType() nd.DType
}

// Mode is the kind of a trace.
type Mode int

const (
	// Reverse traces record a graph that Backward walks from the output.
	Reverse Mode = 1
	// Forward traces carry a tangent with every value.
	Forward Mode = 2
)

// Box is a value being traced by one trace.
type Box struct {
	val   Value
	trace int64
	node  any // *vjpNode for reverse traces, *jvpNode for forward traces
}

// Shape returns the shape of the boxed value.
func (b *Box) Shape() []int { return b.val.Shape() }

// DType returns the dtype of the boxed value.
func (b *Box) DType() nd.DType { return b.val.DType() }

// Trace returns the id of the box's trace.
func (b *Box) Trace() int64 { return b.trace }

// Value returns the value the box wraps (one level down).
func (b *Box) Value() Value { return b.val }

// Mode returns the mode of the box's trace.
func (b *Box) Mode() Mode { return ModeOf(b.trace) }

// vjpNode is a node of a reverse trace: its parents and how to map the
// cotangent of its output to a cotangent for each parent. A primitive's
// node keeps what its VJP rule needs (the primitive, its attributes, its
// output and its arguments one level unboxed; parent k is argument
// argnums[k]); a node made by NewCustomBox keeps the caller's function.
// Roots have neither. seq numbers nodes in creation order, so a node's
// parents always have smaller seqs than the node: decreasing seq is a
// topological order for the backward pass.
type vjpNode struct {
	seq     uint64
	parents []*vjpNode
	prim    *Prim
	at      *Attrs
	ans     Value
	args    []Value
	argnums []int
	custom  func(g Value) []Value
	inline  [2]*vjpNode // storage of parents for nodes with at most two
	inArgs  [2]int      // storage of argnums likewise
}

// boxNode allocates a box and its node together.
type boxNode struct {
	box  Box
	node vjpNode
}

var lastNode atomic.Uint64

func newVJPNode(nparents int, custom func(g Value) []Value) *vjpNode {
	n := &vjpNode{seq: lastNode.Add(1), custom: custom}
	if nparents > 0 {
		n.parents = make([]*vjpNode, nparents)
	}
	return n
}

// cotangents calls emit(k, g_k) for each parent k that gets a cotangent
// from g, the cotangent of the node's output.
func (n *vjpNode) cotangents(g Value, emit func(k int, gk Value)) {
	if n.custom != nil {
		for k, gk := range n.custom(g) {
			if gk != nil {
				emit(k, gk)
			}
		}
		return
	}
	for k, i := range n.argnums {
		if gk := n.prim.VJP(i, g, n.ans, n.args, n.at); gk != nil {
			emit(k, gk)
		}
	}
}

// jvpNode is a node of a forward trace: the tangent of its value.
type jvpNode struct {
	tangent Value
}

var lastTrace atomic.Int64

// NewTrace returns a fresh id for a trace of mode m, higher than every id
// before it, so that a trace started inside another always ranks as the
// inner one. The id's lowest bit records the mode (see ModeOf).
func NewTrace(m Mode) int64 {
	id := lastTrace.Add(1) << 1
	if m == Forward {
		id |= 1
	}
	return id
}

// ModeOf returns the mode of the trace with the given id.
func ModeOf(trace int64) Mode {
	if trace&1 == 1 {
		return Forward
	}
	return Reverse
}

// NewRoot boxes x as a starting point of reverse trace `trace`.
func NewRoot(trace int64, x Value) *Box {
	mustMode(trace, Reverse)
	return &Box{val: x, trace: trace, node: newVJPNode(0, nil)}
}

// NewForwardRoot boxes x with tangent t in forward trace `trace`.
func NewForwardRoot(trace int64, x, t Value) *Box {
	mustMode(trace, Forward)
	if !nd.SameShape(x.Shape(), t.Shape()) {
		panic(nd.Errorf(nd.ValueError, "tangent shape %s does not match value shape %s", nd.ShapeString(t.Shape()), nd.ShapeString(x.Shape())))
	}
	return &Box{val: x, trace: trace, node: &jvpNode{tangent: complexLike(x, t)}}
}

// complexLike promotes a real tangent t of a complex value x to complex:
// the tangent space of a complex value is complex, as in numpy's result
// of x + t.
func complexLike(x, t Value) Value {
	if x.DType() == nd.Complex128 && t.DType() == nd.Float64 {
		return matchComplex(x, t)
	}
	return t
}

// NewCustomBox boxes ans in reverse trace `trace` with a node whose parents
// are the given boxes (all of that trace) and whose VJP is vjp, which must
// return one cotangent (or nil) per parent. It is how primitives defined
// outside Go (Python functions) join the graph.
func NewCustomBox(trace int64, ans Value, parents []*Box, vjp func(g Value) []Value) *Box {
	mustMode(trace, Reverse)
	shapes := make([][]int, len(parents))
	checked := func(g Value) []Value {
		gs := vjp(g)
		if len(gs) != len(parents) {
			panic(nd.Errorf(nd.ValueError, "custom vjp returned %d gradients for %d arguments", len(gs), len(parents)))
		}
		for i, gi := range gs {
			if gi != nil && !nd.SameShape(gi.Shape(), shapes[i]) {
				panic(nd.Errorf(nd.ValueError, "custom vjp returned a gradient of shape %s for an argument of shape %s",
					nd.ShapeString(gi.Shape()), nd.ShapeString(shapes[i])))
			}
		}
		return gs
	}
	n := newVJPNode(len(parents), checked)
	n.ans = ans
	for i, p := range parents {
		shapes[i] = p.Shape()
		pn, ok := p.node.(*vjpNode)
		if p.trace != trace || !ok {
			panic(nd.Errorf(nd.ValueError, "custom box: parent %d is not a box of reverse trace %d", i, trace))
		}
		n.parents[i] = pn
	}
	return &Box{val: ans, trace: trace, node: n}
}

// NewForwardBox boxes ans with tangent t in forward trace `trace`.
func NewForwardBox(trace int64, ans, t Value) *Box {
	return NewForwardRoot(trace, ans, t)
}

// Unbox returns the plain array under every level of boxing.
func Unbox(v Value) *nd.Array {
	for {
		switch x := v.(type) {
		case *nd.Array:
			return x
		case *Box:
			v = x.val
		default:
			panic(nd.Errorf(nd.Internal, "unknown value type %T", v))
		}
	}
}

// UnboxFrom returns the value v wraps if v is a box of trace, else v.
func UnboxFrom(trace int64, v Value) Value {
	if b, ok := v.(*Box); ok && b.trace == trace {
		return b.val
	}
	return v
}

// TopTrace returns the innermost (highest) trace among the boxes in vs and
// one box of it, or (0, nil) when there is none.
func TopTrace(vs []Value) (int64, *Box) {
	var top *Box
	for _, v := range vs {
		if b, ok := v.(*Box); ok && (top == nil || b.trace > top.trace) {
			top = b
		}
	}
	if top == nil {
		return 0, nil
	}
	return top.trace, top
}

// Apply applies primitive p with attributes at to args: on plain arrays it
// just evaluates; with boxes it records the operation in the innermost
// trace (reverse) or pushes the tangents through it (forward).
func Apply(p *Prim, at *Attrs, args ...Value) Value {
	p.checkArity(len(args))
	if p.Simplify != nil {
		p, args = p.Simplify(args)
	}
	if at == nil {
		at = &noAttrs
	}
	trace, top := TopTrace(args)
	if top == nil || p.NoGrad {
		arrs := make([]*nd.Array, len(args))
		for i, a := range args {
			arrs[i] = Unbox(a)
		}
		out := p.Eval(arrs, at)
		// kernels work on the arrays' slices: keep the arrays (and so any
		// foreign memory they wrap, see nd.Foreign) reachable throughout
		runtime.KeepAlive(arrs)
		return out
	}
	inner := make([]Value, len(args))
	for i, a := range args {
		inner[i] = UnboxFrom(trace, a)
	}
	ans := Apply(p, at, inner...)
	if top.Mode() == Forward {
		return pushTangents(p, at, trace, args, inner, ans)
	}
	return record(p, at, trace, args, inner, ans)
}

// record boxes ans, the value of p on inner (args one level unboxed), in
// reverse trace `trace`, with a node whose parents are the nodes of the
// arguments boxed in that trace.
func record(p *Prim, at *Attrs, trace int64, args, inner []Value, ans Value) *Box {
	bn := &boxNode{}
	n := &bn.node
	n.seq, n.prim, n.at, n.ans, n.args = lastNode.Add(1), p, at, ans, inner
	n.parents, n.argnums = n.inline[:0], n.inArgs[:0] // append moves them to the heap past two
	for i, a := range args {
		if b, ok := a.(*Box); ok && b.trace == trace {
			n.parents = append(n.parents, b.node.(*vjpNode))
			n.argnums = append(n.argnums, i)
		}
	}
	bn.box = Box{val: ans, trace: trace, node: n}
	return &bn.box
}

// pushTangents boxes ans, the value of p on inner (args one level
// unboxed), in forward trace `trace`, with the sum of the JVPs of the
// arguments boxed in that trace as its tangent.
func pushTangents(p *Prim, at *Attrs, trace int64, args, inner []Value, ans Value) *Box {
	var t Value
	for i, a := range args {
		b, ok := a.(*Box)
		if !ok || b.trace != trace {
			continue
		}
		ti := p.JVP(i, b.node.(*jvpNode).tangent, ans, inner, at)
		switch {
		case ti == nil:
		case t == nil:
			t = ti
		default:
			t = Add(t, ti)
		}
	}
	if t == nil {
		t = nd.Zeros(ans.Shape(), ans.DType())
	}
	return &Box{val: ans, trace: trace, node: &jvpNode{tangent: complexLike(ans, t)}}
}

func mustMode(trace int64, m Mode) {
	if trace <= 0 || trace>>1 > lastTrace.Load() {
		panic(nd.Errorf(nd.ValueError, "unknown trace %d (never issued by NewTrace)", trace))
	}
	if ModeOf(trace) != m {
		name := map[Mode]string{Reverse: "reverse", Forward: "forward"}[m]
		panic(nd.Errorf(nd.ValueError, "trace %d is not a %s trace", trace, name))
	}
}
