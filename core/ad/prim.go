package ad

import (
	"sync"

	"autograd/core/nd"
)

// Attrs are the static parameters of an operation. Each primitive reads
// the fields it documents and ignores the others.
type Attrs struct {
	Axes     []int // reduced axes (sum, max, min), a permutation (transpose), a's contracted axes (tensordot)
	Axes2    []int // b's contracted axes (tensordot)
	Shape    []int // target shape (reshape, broadcast_to, gather, scatter_add)
	Index    []int // flat indices (gather, scatter_add)
	KeepDims bool  // keep reduced axes as length 1 (sum, max, min)
}

var noAttrs Attrs

// A VJPRule returns the cotangent of argument argnum given the cotangent g
// of the output ans; args are the arguments one level unboxed. It returns
// nil for "no gradient".
type VJPRule func(argnum int, g, ans Value, args []Value, at *Attrs) Value

// A JVPRule returns the tangent of the output ans contributed by the
// tangent t of argument argnum, or nil for none.
type JVPRule func(argnum int, t, ans Value, args []Value, at *Attrs) Value

// Prim is a primitive operation: how to evaluate it on arrays and how to
// differentiate it in each mode. The rules must be written with
// differentiable functions of this package so that they can be traced.
type Prim struct {
	Name   string
	Arity  int // number of arguments; Variadic for one or more
	Eval   func(args []*nd.Array, at *Attrs) *nd.Array
	VJP    VJPRule
	JVP    JVPRule
	NoGrad bool // piecewise constant: evaluated on unboxed values, never traced
	// Elementwise primitives (and broadcasting binary ones) accept in VJP a
	// cotangent g of any shape that broadcasts to the output's, and may
	// return cotangents that broadcast to their arguments' shapes rather
	// than have them: the backward pass then carries the smaller array and
	// broadcasts it only for a rule that needs the full shape (any other
	// primitive, a caller-defined node, a root). So the ones of a sum's
	// cotangent, say, are never made.
	Elementwise bool
	// Simplify, when set, may name a cheaper primitive that gives the same
	// values on (some of) these arguments: Apply then evaluates and
	// records that one instead. Multiply's turns x·x into square, power's
	// x**2 with a constant 2: square's rules make fewer passes over
	// memory (its VJP is g·2x in one pass, not g·x twice and a sum).
	Simplify func(args []Value) (*Prim, []Value)
}

// Variadic is the Arity of a primitive that takes one or more arguments.
const Variadic = -1

// checkArity panics with a TypeError, as numpy does, when a primitive is
// given the wrong number of arguments.
func (p *Prim) checkArity(n int) {
	switch {
	case p.Arity == Variadic && n == 0:
		panic(nd.Errorf(nd.TypeError, "%s() takes at least 1 argument (0 given)", p.Name))
	case p.Arity != Variadic && n != p.Arity:
		plural := "s"
		if p.Arity == 1 {
			plural = ""
		}
		panic(nd.Errorf(nd.TypeError, "%s() takes %d argument%s (%d given)", p.Name, p.Arity, plural, n))
	}
}

var (
	regMu    sync.RWMutex
	registry []*Prim
	byName   = map[string]*Prim{}
)

// register adds p to the registry; it is called by the package's variable
// declarations, so the registry is complete before any user code runs.
func register(p *Prim) *Prim {
	regMu.Lock()
	defer regMu.Unlock()
	if p.Arity == 0 || p.Arity < Variadic {
		panic("ad: primitive without an arity: " + p.Name)
	}
	if byName[p.Name] != nil {
		panic("ad: primitive registered twice: " + p.Name)
	}
	registry = append(registry, p)
	byName[p.Name] = p
	return p
}

// Prims returns every registered primitive, in a fixed order.
func Prims() []*Prim {
	regMu.RLock()
	defer regMu.RUnlock()
	return append([]*Prim(nil), registry...)
}

// Lookup returns the primitive called name, or nil.
func Lookup(name string) *Prim {
	regMu.RLock()
	defer regMu.RUnlock()
	return byName[name]
}
