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
		owned := g == nil // a seed made here belongs to the pass
		if g == nil {
			// ones, left to broadcast (see Prim.Elementwise)
			ones := make([]int, len(eb.Shape()))
			for i := range ones {
				ones[i] = 1
			}
			g = nd.Ones(ones, eb.DType())
		} else if !nd.SameShape(g.Shape(), eb.Shape()) {
			panic(nd.Errorf(nd.ValueError, "cotangent shape %s does not match output shape %s", nd.ShapeString(g.Shape()), nd.ShapeString(eb.Shape())))
		}
		nodes := make([]*vjpNode, len(roots))
		for i, r := range roots {
			nodes[i], _ = r.node.(*vjpNode)
		}
		owns := make([]bool, len(roots))
		backwardPass(g, owned, en, nodes, grads, owns)
		for i, r := range roots {
			if grads[i] == nil {
				continue
			}
			if !nd.SameShape(grads[i].Shape(), r.Shape()) {
				grads[i] = BroadcastTo(grads[i], r.Shape())
				owns[i] = true
			}
			if a, ok := grads[i].(*nd.Array); ok && owns[i] {
				a.MarkExclusive()
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

// backwardPass propagates cotangent g from end through the graph above it
// and stores in grads[i] the cotangent reaching roots[i] (a node without
// parents; nil entries and unreached roots are left alone), and in
// owns[i] whether only the pass holds it. owned tells whether the pass may
// write into g (see pending). A cotangent may have a smaller shape that
// broadcasts to its node's (see Prim.Elementwise); so may grads[i].
//
// Nodes are visited in decreasing creation order (seq), which is a
// topological order: by the time a node is popped, every node that feeds
// a cotangent into it has been visited, so its pending cotangents, which
// sit next to each other at the top of the heap, are summed and passed on.
// The pass keeps no state in the nodes, so several passes may run over
// one graph at once.
func backwardPass(g Value, owned bool, end *vjpNode, roots []*vjpNode, grads []Value, owns []bool) {
	h := cotangentHeap{{end, g, owned}}
	var emitted []pending
	stop := interruptCheck()
	for len(h) > 0 {
		if stop != nil && stop() {
			panic(errInterrupted())
		}
		top := h.pop()
		n, gn, own := top.node, top.g, top.owned
		for len(h) > 0 && h[0].node == n {
			gn, own = accumulate(gn, own, h.pop())
		}
		if len(n.parents) == 0 {
			for i, r := range roots {
				if r == n {
					grads[i], owns[i] = gn, own
				}
			}
			continue
		}
		if (n.custom != nil || !n.prim.Elementwise) && !nd.SameShape(gn.Shape(), n.ans.Shape()) {
			gn = BroadcastTo(gn, n.ans.Shape())
			_, own = gn.(*nd.Array)
		}
		emitted = emitted[:0]
		n.cotangents(gn, func(k int, gk Value) {
			emitted = append(emitted, pending{n.parents[k], gk, n.custom == nil && n.fresh(gk, gn, own, emitted)})
		})
		for _, p := range emitted {
			h.push(p)
		}
		if own && n.custom == nil { // a Python rule may keep what it was given
			recycleUnlessShared(gn, emitted)
		}
	}
}

// recycleUnlessShared returns g's buffer to the pool when g, a cotangent
// the pass owns alone and has just passed through its node, shares no
// memory with what the node's rule emitted.
func recycleUnlessShared(g Value, emitted []pending) {
	a, ok := g.(*nd.Array)
	if !ok || a.IsForeign() {
		return
	}
	for _, p := range emitted {
		if b, ok := p.g.(*nd.Array); ok && nd.SharesMemory(a, b) {
			return
		}
	}
	nd.Recycle(a)
}

// accumulate returns g + p.g, written into whichever of the two the pass
// owns when both are plain arrays of one shape and dtype, and whether the
// pass owns the sum.
func accumulate(g Value, owned bool, p pending) (Value, bool) {
	a, aok := g.(*nd.Array)
	b, bok := p.g.(*nd.Array)
	if aok && bok && nd.SameShape(a.Shape(), b.Shape()) && a.DType() == b.DType() {
		switch {
		case owned:
			nd.AddInPlace(a, b)
			return a, true
		case p.owned:
			nd.AddInPlace(b, a)
			return b, true
		}
		return Add(a, b), true // a new array, which only the pass holds
	}
	return Add(g, p.g), false
}

// fresh reports whether gk, a cotangent node n's rule just made from g,
// is a plain array that only the pass holds: not a view of n's output or
// arguments (rules may return those), of g unless the pass owns g, or of
// another cotangent the rule emitted (which then loses its ownership too).
func (n *vjpNode) fresh(gk, g Value, gOwned bool, emitted []pending) bool {
	a, ok := gk.(*nd.Array)
	if !ok {
		return false
	}
	if nd.SharesMemory(a, Unbox(n.ans)) {
		return false
	}
	for _, x := range n.args {
		if nd.SharesMemory(a, Unbox(x)) {
			return false
		}
	}
	if !gOwned && nd.SharesMemory(a, Unbox(g)) {
		return false
	}
	for i, p := range emitted {
		if b, ok := p.g.(*nd.Array); ok && nd.SharesMemory(a, b) {
			emitted[i].owned = false
			return false
		}
	}
	return !a.IsForeign()
}

// pending is a cotangent on its way to a node.
type pending struct {
	node  *vjpNode
	g     Value
	owned bool // g is a plain array that only this pass refers to, so it may be summed into in place
}

// cotangentHeap is a binary max-heap of pending cotangents ordered by the
// seq of their node.
type cotangentHeap []pending

func (h *cotangentHeap) push(p pending) {
	*h = append(*h, p)
	s := *h
	for i := len(s) - 1; i > 0; {
		up := (i - 1) / 2
		if s[up].node.seq >= s[i].node.seq {
			break
		}
		s[up], s[i] = s[i], s[up]
		i = up
	}
}

func (h *cotangentHeap) pop() pending {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s[last] = pending{}
	s = s[:last]
	for i := 0; ; {
		big, l, r := i, 2*i+1, 2*i+2
		if l < len(s) && s[l].node.seq > s[big].node.seq {
			big = l
		}
		if r < len(s) && s[r].node.seq > s[big].node.seq {
			big = r
		}
		if big == i {
			break
		}
		s[i], s[big] = s[big], s[i]
		i = big
	}
	*h = s
	return top
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
