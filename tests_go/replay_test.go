package tests_go

import (
	"math"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file tests recorded graphs (ad.RecordGraph, Graph.Replay): values
// and derivatives of replays against running the function itself, the
// constants a graph keeps, and what cannot be recorded or replayed.

// record traces f at xs in a new reverse trace and returns its graph.
func recordGraph(t *testing.T, f func(xs []ad.Value) ad.Value, xs ...ad.Value) *ad.Graph {
	t.Helper()
	trace := ad.NewTrace(ad.Reverse)
	roots := make([]*ad.Box, len(xs))
	vals := make([]ad.Value, len(xs))
	for i, x := range xs {
		roots[i] = ad.NewRoot(trace, x)
		vals[i] = roots[i]
	}
	var g *ad.Graph
	err := catch(func() { g = ad.RecordGraph(trace, f(vals), roots) })
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// replayFunc is the graph's replay as a function of one value (its only
// input).
func replayFunc(g *ad.Graph) ad.Func {
	return func(x ad.Value) ad.Value { return g.Replay([]ad.Value{x}) }
}

// closeTo fails unless a and b (plain arrays) agree to tol.
func closeTo(t *testing.T, what string, a, b ad.Value, tol float64) {
	t.Helper()
	x, y := ad.Unbox(a).Float64s(), ad.Unbox(b).Float64s()
	if len(x) != len(y) {
		t.Fatalf("%s: %d values against %d", what, len(x), len(y))
	}
	for i := range x {
		if math.Abs(x[i]-y[i]) > tol*(1+math.Abs(y[i])) {
			t.Fatalf("%s[%d] = %.17g, want %.17g", what, i, x[i], y[i])
		}
	}
}

func vector(xs ...float64) *nd.Array { return nd.FromFloat64s([]int{len(xs)}, xs) }

// mlpish is a function of two inputs with products, broadcasting against
// a constant, reductions with attributes and a value used many times.
func mlpish(xs []ad.Value) ad.Value {
	w := nd.FromFloat64s([]int{3, 2}, []float64{0.5, -1, 2, 0.25, -0.75, 1.5})
	h := ad.Tanh(ad.Add(ad.Matmul(xs[0], w), xs[1]))
	s := ad.Sum(ad.Mul(h, h), []int{0}, false)
	return ad.SumAll(ad.Add(ad.Exp(ad.Neg(s)), ad.Mul(s, xs[1])))
}

func TestReplayValuesMatchTheFunction(t *testing.T) {
	x0 := nd.FromFloat64s([]int{4, 3}, []float64{1, 2, 3, -1, 0.5, 0.25, 2, -2, 0, 0.1, 0.2, 0.3})
	b0 := vector(0.1, -0.2)
	g := recordGraph(t, mlpish, x0, b0)
	if g.NumInputs() != 2 || g.NumSteps() == 0 {
		t.Fatalf("graph of %d inputs and %d steps", g.NumInputs(), g.NumSteps())
	}
	rnd := newRand(7)
	for k := 0; k < 5; k++ {
		x := randArray(rnd, []int{4, 3}, anyReal, false)
		b := randArray(rnd, []int{2}, anyReal, false)
		closeTo(t, "replay", g.Replay([]ad.Value{x, b}), mlpish([]ad.Value{x, b}), 1e-14)
	}
}

func TestReplayDerivativesAnyOrder(t *testing.T) {
	f := func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(ad.Sin(x), ad.Exp(ad.Mul(x, x)))) }
	g := recordGraph(t, func(xs []ad.Value) ad.Value { return f(xs[0]) }, vector(0.3, -0.1, 0.7))
	x := vector(0.2, 0.5, -0.4)
	want, err := ad.Grad(f, x)
	got, err2 := ad.Grad(replayFunc(g), x)
	closeTo(t, "grad", mustValue(t, got, err2), mustValue(t, want, err), 1e-14)
	wantH, err := ad.Hessian(f, x)
	gotH, err2 := ad.Hessian(replayFunc(g), x)
	closeTo(t, "hessian", mustValue(t, gotH, err2), mustValue(t, wantH, err), 1e-13)
	v := vector(1, -2, 0.5)
	_, wantJ, err := ad.JVP(f, x, v)
	_, gotJ, err2 := ad.JVP(replayFunc(g), x, v)
	closeTo(t, "jvp", mustValue(t, gotJ, err2), mustValue(t, wantJ, err), 1e-14)
	// and against central differences of the replay itself
	gx := ad.Unbox(got).Float64s()
	for i := range gx {
		const h = 1e-6
		xp, xm := nd.Copy(x), nd.Copy(x)
		xp.Float64s()[i] += h
		xm.Float64s()[i] -= h
		fd := (ad.Unbox(g.Replay([]ad.Value{xp})).Float64s()[0] - ad.Unbox(g.Replay([]ad.Value{xm})).Float64s()[0]) / (2 * h)
		if math.Abs(fd-gx[i]) > 1e-7 {
			t.Fatalf("grad[%d] = %g, central difference %g", i, gx[i], fd)
		}
	}
}

func TestReplayKeepsConstantsAndConstantBoxes(t *testing.T) {
	c := vector(10, 20)
	var trace int64
	f := func(xs []ad.Value) ad.Value {
		// a constant box of the trace (a root no gradient is asked of)
		z := ad.NewRoot(trace, vector(1, 2))
		return ad.Add(ad.Mul(xs[0], c), z)
	}
	trace = ad.NewTrace(ad.Reverse)
	root := ad.NewRoot(trace, vector(1, 1))
	g := ad.RecordGraph(trace, f([]ad.Value{root}), []*ad.Box{root})
	closeTo(t, "replay", g.Replay([]ad.Value{vector(2, 3)}), vector(21, 62), 0)
	// the input itself as the output
	g2 := recordGraph(t, func(xs []ad.Value) ad.Value { return xs[0] }, vector(1, 2))
	closeTo(t, "identity", g2.Replay([]ad.Value{vector(5, 6)}), vector(5, 6), 0)
}

func TestReplayLongChainFreesAndAgrees(t *testing.T) {
	f := func(xs []ad.Value) ad.Value {
		x := xs[0]
		for i := 0; i < 1000; i++ {
			x = ad.Div(ad.Add(x, x), nd.Scalar(2))
		}
		return ad.SumAll(x)
	}
	g := recordGraph(t, f, nd.Scalar(2))
	if g.NumSteps() != 2001 {
		t.Fatalf("%d steps, want 2001", g.NumSteps())
	}
	closeTo(t, "replay", g.Replay([]ad.Value{nd.Scalar(1.5)}), nd.Scalar(1.5), 0)
	d, err := ad.Grad(replayFunc(g), nd.Scalar(0.5))
	closeTo(t, "grad", mustValue(t, d, err), nd.Scalar(1), 1e-15)
}

func TestReplayRejectsWrongInputs(t *testing.T) {
	g := recordGraph(t, func(xs []ad.Value) ad.Value { return ad.Sin(xs[0]) }, vector(1, 2))
	cases := []struct {
		name string
		in   []ad.Value
		kind nd.Kind
	}{
		{"shape", []ad.Value{vector(1, 2, 3)}, nd.ValueError},
		{"dtype", []ad.Value{nd.FromComplex128s([]int{2}, []complex128{1, 2})}, nd.TypeError},
		{"count", []ad.Value{vector(1, 2), vector(1, 2)}, nd.TypeError},
		{"none", nil, nd.TypeError},
	}
	for _, c := range cases {
		err := catch(func() { g.Replay(c.in) })
		if kindOf(err) != c.kind {
			t.Errorf("%s: error %v, want kind %v", c.name, err, c.kind)
		}
	}
}

func TestRecordRefusesWhatItCannotReplay(t *testing.T) {
	trace := ad.NewTrace(ad.Reverse)
	root := ad.NewRoot(trace, vector(1, 2))
	custom := ad.NewCustomBox(trace, vector(3, 4), []*ad.Box{root}, func(g ad.Value) []ad.Value { return []ad.Value{g} })
	err := catch(func() { ad.RecordGraph(trace, ad.Sin(custom), []*ad.Box{root}) })
	if kindOf(err) != nd.NotImplemented {
		t.Errorf("custom node: %v, want NotImplemented", err)
	}
	// a value of an outer trace captured by the function
	outer := ad.NewTrace(ad.Reverse)
	captured := ad.NewRoot(outer, vector(5, 6))
	inner := ad.NewTrace(ad.Reverse)
	r := ad.NewRoot(inner, vector(1, 2))
	err = catch(func() { ad.RecordGraph(inner, ad.Mul(r, captured), []*ad.Box{r}) })
	if kindOf(err) != nd.NotImplemented {
		t.Errorf("captured box: %v, want NotImplemented", err)
	}
	// an output that is not a value of the trace
	err = catch(func() { ad.RecordGraph(inner, vector(1), []*ad.Box{r}) })
	if kindOf(err) != nd.ValueError {
		t.Errorf("plain output: %v, want ValueError", err)
	}
	// a root of another trace
	err = catch(func() { ad.RecordGraph(inner, ad.Sin(r), []*ad.Box{captured}) })
	if kindOf(err) != nd.ValueError {
		t.Errorf("foreign root: %v, want ValueError", err)
	}
}

func BenchmarkReplayChain50(b *testing.B) {
	trace := ad.NewTrace(ad.Reverse)
	root := ad.NewRoot(trace, nd.Scalar(2))
	var x ad.Value = root
	for i := 0; i < 50; i++ {
		x = ad.Sin(x)
	}
	g := ad.RecordGraph(trace, x, []*ad.Box{root})
	in := []ad.Value{nd.Scalar(1.5)}
	for b.Loop() {
		g.Replay(in)
	}
}
