package ad

import "autograd/core/nd"

// Backward runs the reverse pass of reverse trace `trace` from end, whose
// cotangent is g (nil means ones), and returns the gradient with respect
// to each root (zeros shaped like the root when end does not depend on it).
// The graph is not consumed: Backward may run again with another g.
func Backward(trace int64, end Value, g Value, roots []*Box) []Value {
	grads := make([]Value, len(roots))
	if eb, ok := end.(*Box); ok && eb.trace == trace {
		en, ok := eb.node.(*vjpNode)
		if !ok {
			panic(nd.Errorf(nd.ValueError, "trace %d is a forward trace: it has no reverse pass", trace))
		}
		if g == nil {
			g = nd.Ones(eb.Shape(), eb.DType())
		} else if !nd.SameShape(g.Shape(), eb.Shape()) {
			panic(nd.Errorf(nd.ValueError, "cotangent shape %s does not match output shape %s", nd.ShapeString(g.Shape()), nd.ShapeString(eb.Shape())))
		}
		out := backwardPass(g, en)
		for i, r := range roots {
			if rn, ok := r.node.(*vjpNode); ok {
				grads[i] = out[rn]
			}
		}
	}
	for i, r := range roots {
		if grads[i] == nil {
			grads[i] = nd.Zeros(r.Shape(), r.DType())
		}
	}
	return grads
}

// backwardPass visits the graph above end in reverse topological order,
// accumulating cotangents; it returns the cotangents of the nodes without
// parents (the roots).
func backwardPass(g Value, end *vjpNode) map[*vjpNode]Value {
	children := map[*vjpNode]int{}
	stack := []*vjpNode{end}
	seen := map[*vjpNode]bool{end: true}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range n.parents {
			children[p]++
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	grads := map[*vjpNode]Value{end: g}
	ready := []*vjpNode{end}
	for len(ready) > 0 {
		n := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		if len(n.parents) == 0 {
			continue // a root: keep its gradient
		}
		gn := grads[n]
		delete(grads, n)
		var ins []Value
		if gn != nil && n.vjp != nil {
			ins = n.vjp(gn)
		}
		for k, p := range n.parents {
			if ins != nil && ins[k] != nil {
				if prev := grads[p]; prev != nil {
					grads[p] = Add(prev, ins[k])
				} else {
					grads[p] = ins[k]
				}
			}
			if children[p]--; children[p] == 0 {
				ready = append(ready, p)
			}
		}
	}
	return grads
}

// Tangent returns the tangent that forward trace `trace` carries for v, or
// zeros shaped like v when v is not a box of that trace.
func Tangent(trace int64, v Value) Value {
	if b, ok := v.(*Box); ok && b.trace == trace {
		if n, ok := b.node.(*jvpNode); ok {
			return n.tangent
		}
		panic(nd.Errorf(nd.ValueError, "trace %d is a reverse trace: it carries no tangents", trace))
	}
	return nd.Zeros(v.Shape(), v.DType())
}
