package ad

import (
	"runtime"
	"slices"

	"autograd/core/nd"
)

// Graph is the recorded graph of one reverse trace, from its roots to one
// output, kept so that the same computation can be evaluated again on new
// root values without the code that built it (const_graph). Each step is
// one primitive call: the primitive, its attributes, and for each argument
// either the slot of an earlier value (a root or a step) or the constant
// the recording saw. A Graph is immutable once made and may be replayed by
// several goroutines at once.
type Graph struct {
	inShapes [][]int
	inTypes  []nd.DType
	steps    []replayStep
	out      int // slot of the output: roots first, then one per step
	maxArgs  int
}

// replayStep is one recorded primitive call.
type replayStep struct {
	prim   *Prim
	at     *Attrs
	consts []Value // the constant arguments; nil where src names a slot
	src    []int   // per argument: its slot, or -1 for a constant
	free   []int   // slots no later step reads: dropped after this step
}

// RecordGraph returns the graph of reverse trace `trace` from roots to end.
// Every value end depends on must come from the roots through primitives
// of the table: a node made by NewCustomBox (a primitive defined outside
// Go) makes it panic with a NotImplemented *nd.Error, as does an argument
// that is a box of another trace (a value captured from an outer trace).
// Roots of the trace that are not among roots (constant boxes) become
// constants. end must be a box of the trace.
func RecordGraph(trace int64, end Value, roots []*Box) *Graph {
	mustMode(trace, Reverse)
	eb, ok := end.(*Box)
	if !ok || eb.trace != trace {
		panic(nd.Errorf(nd.ValueError, "record: the output is not a value of trace %d (it does not depend on the inputs)", trace))
	}
	g := &Graph{}
	slot := map[*vjpNode]int{}
	for i, r := range roots {
		n, ok := r.node.(*vjpNode)
		if r.trace != trace || !ok || len(n.parents) != 0 || n.prim != nil || n.custom != nil {
			panic(nd.Errorf(nd.ValueError, "record: input %d is not a root of trace %d", i, trace))
		}
		if _, dup := slot[n]; dup {
			panic(nd.Errorf(nd.ValueError, "record: input %d is given twice", i))
		}
		slot[n] = i
		g.inShapes = append(g.inShapes, slices.Clone(r.Shape()))
		g.inTypes = append(g.inTypes, r.DType())
	}
	// every node end depends on, in creation order (a topological order)
	en := eb.node.(*vjpNode)
	seen := map[*vjpNode]bool{en: true}
	stack, nodes := []*vjpNode{en}, []*vjpNode(nil)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, in := slot[n]; in {
			continue
		}
		if n.custom != nil {
			panic(nd.Errorf(nd.NotImplemented, "record: the graph holds a primitive defined outside the Go core"))
		}
		if n.prim == nil {
			if n == en {
				panic(nd.Errorf(nd.NotImplemented, "record: the output is a constant of the trace"))
			}
			continue // a constant root: its children keep its value
		}
		nodes = append(nodes, n)
		for _, p := range n.parents {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	slices.SortFunc(nodes, func(a, b *vjpNode) int {
		switch {
		case a.seq < b.seq:
			return -1
		case a.seq > b.seq:
			return 1
		}
		return 0
	})
	nin := len(roots)
	for k, n := range nodes {
		slot[n] = nin + k
	}
	last := make([]int, nin+len(nodes)) // the last step reading each slot
	for i := range last {
		last[i] = -1
	}
	g.steps = make([]replayStep, len(nodes))
	for k, n := range nodes {
		st := replayStep{prim: n.prim, at: n.at, consts: make([]Value, len(n.args)), src: make([]int, len(n.args))}
		for i := range st.src {
			st.src[i] = -1
		}
		for j, i := range n.argnums {
			if s, ok := slot[n.parents[j]]; ok {
				st.src[i] = s
				last[s] = k
			}
		}
		for i, s := range st.src {
			if s >= 0 {
				continue
			}
			c := n.args[i]
			if _, boxed := c.(*Box); boxed {
				panic(nd.Errorf(nd.NotImplemented, "record: argument %d of %s is a value of another trace", i, n.prim.Name))
			}
			st.consts[i] = c
		}
		g.maxArgs = max(g.maxArgs, len(n.args))
		g.steps[k] = st
	}
	g.out = slot[en]
	for s, k := range last {
		if k >= 0 && s >= nin && s != g.out {
			g.steps[k].free = append(g.steps[k].free, s)
		}
	}
	return g
}

// NumInputs returns the number of values Replay takes.
func (g *Graph) NumInputs() int { return len(g.inShapes) }

// NumSteps returns the number of primitive calls of the graph.
func (g *Graph) NumSteps() int { return len(g.steps) }

// InputShape returns the shape input i was recorded with.
func (g *Graph) InputShape(i int) []int { return g.inShapes[i] }

// Replay evaluates the graph on new input values, which must have the
// shapes and dtypes the graph was recorded with, and returns its output.
// Each step applies its primitive with Apply, so inputs that are boxes are
// traced as usual: replaying inside a trace records the replayed calls,
// and the trace's passes differentiate them to any order in both modes.
func (g *Graph) Replay(inputs []Value) Value {
	nin := len(g.inShapes)
	if len(inputs) != nin {
		plural := "s"
		if nin == 1 {
			plural = ""
		}
		panic(nd.Errorf(nd.TypeError, "the recorded graph takes %d argument%s (%d given)", nin, plural, len(inputs)))
	}
	for i, x := range inputs {
		if x == nil {
			panic(nd.Errorf(nd.ValueError, "input %d is missing", i))
		}
		if !nd.SameShape(x.Shape(), g.inShapes[i]) {
			panic(nd.Errorf(nd.ValueError, "input %d has shape %s, but the graph was recorded for shape %s",
				i, nd.ShapeString(x.Shape()), nd.ShapeString(g.inShapes[i])))
		}
		if x.DType() != g.inTypes[i] {
			panic(nd.Errorf(nd.TypeError, "input %d has dtype %s, but the graph was recorded for dtype %s",
				i, x.DType(), g.inTypes[i]))
		}
	}
	vals := make([]Value, nin+len(g.steps))
	copy(vals, inputs)
	args := make([]Value, g.maxArgs)
	arrs := make([]*nd.Array, g.maxArgs)
	for k := range g.steps {
		st := &g.steps[k]
		a := args[:len(st.src)]
		boxed := false
		for i, s := range st.src {
			if s < 0 {
				a[i] = st.consts[i]
			} else {
				a[i] = vals[s]
				_, b := a[i].(*Box)
				boxed = boxed || b
			}
		}
		if boxed {
			vals[nin+k] = Apply(st.prim, st.at, a...)
		} else {
			// Apply's own path for plain arrays, without its allocations
			p := arrs[:len(a)]
			for i, v := range a {
				p[i] = v.(*nd.Array)
			}
			vals[nin+k] = st.prim.Eval(p, st.at)
		}
		for _, s := range st.free {
			vals[s] = nil
		}
	}
	runtime.KeepAlive(arrs) // kernels work on the arrays' slices (see Apply)
	clear(args)
	clear(arrs)
	return vals[g.out]
}
