package tests_go

import (
	"math"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"autograd/core/ad"
	"autograd/core/nd"
)

// Tests of the memory the arrays live in: recycled buffers, callers'
// buffers wrapped without copies, in-place accumulation of cotangents, and
// the marks that let a gradient be handed over for writing.

const large = 1 << 16 // elements: pooled

// waitFor collects garbage until cond holds (finalizers and cleanups run
// after a collection, on a runtime goroutine) or a few seconds pass.
func waitFor(cond func() bool) bool {
	for i := 0; i < 200; i++ {
		if cond() {
			return true
		}
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	return cond()
}

func TestPooledBuffersAreReused(t *testing.T) {
	x := nd.FromFloat64s([]int{large}, make([]float64, large))
	before := nd.Stats()
	for i := 0; i < 200; i++ {
		_ = nd.Map(x, math.Sin, nil) // 512 KiB each, dropped at once
	}
	if !waitFor(func() bool { return nd.Stats().Outstanding <= before.Outstanding }) {
		t.Fatalf("pooled bytes outstanding: %d before, %d after", before.Outstanding, nd.Stats().Outstanding)
	}
	if nd.Stats().Free == 0 {
		t.Fatalf("no buffer came back to the pool: %+v", nd.Stats())
	}
	// a recycled buffer holds stale values; Zeros must still be zeros
	for i := 0; i < 20; i++ {
		z := nd.Zeros([]int{large}, nd.Float64)
		for j, v := range z.Float64s() {
			if v != 0 {
				t.Fatalf("Zeros from the pool: entry %d is %v", j, v)
			}
		}
		o := nd.Map(nd.Zeros([]int{large}, nd.Float64), func(float64) float64 { return 7 }, nil)
		_ = o
		runtime.GC()
	}
}

func TestPoolKeepsBuffersInUse(t *testing.T) {
	// arrays alive across many collections keep their values while other
	// buffers of the same size are recycled around them
	rnd := newRand(1)
	keep := make([]*nd.Array, 8)
	want := make([][]float64, len(keep))
	for i := range keep {
		d := reals(rnd, large)
		want[i] = append([]float64(nil), d...)
		keep[i] = nd.Map(nd.FromFloat64s([]int{large}, d), func(v float64) float64 { return v }, nil)
	}
	x := nd.FromFloat64s([]int{large}, make([]float64, large))
	for i := 0; i < 100; i++ {
		_ = nd.Map(x, func(float64) float64 { return math.NaN() }, nil)
		if i%10 == 0 {
			runtime.GC()
		}
	}
	for i, a := range keep {
		for j, v := range a.Float64s() {
			if v != want[i][j] {
				t.Fatalf("array %d entry %d changed to %v (was %v)", i, j, v, want[i][j])
			}
		}
	}
}

func TestForeignMemoryIsReadInPlaceAndReleased(t *testing.T) {
	data := make([]float64, 1000) // stands for a caller's buffer
	for i := range data {
		data[i] = float64(i)
	}
	var released atomic.Int32
	a := nd.Foreign([]int{10, 100}, data, func() { released.Add(1) })
	if !a.IsForeign() || a.DataPointer() != nd.FromFloat64s([]int{1000}, data).DataPointer() {
		t.Fatal("Foreign copied the data")
	}
	// a view shares the memory, and keeps it in use
	v := ad.Unbox(ad.Reshape(a, []int{1000}))
	a = nil
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	runtime.GC()
	if released.Load() != 0 {
		t.Fatal("released while a view is alive")
	}
	if !nd.SharesMemory(v, nd.FromFloat64s([]int{1000}, data)) || v.Float64s()[999] != 999 {
		t.Fatal("the view does not see the caller's memory")
	}
	runtime.KeepAlive(v)
	v = nil
	if !waitFor(func() bool { return released.Load() == 1 }) {
		t.Fatalf("release called %d times, want 1", released.Load())
	}
}

func TestAddInPlaceRefusesForeign(t *testing.T) {
	data := make([]float64, 4)
	f := nd.Foreign([]int{4}, data, func() {})
	err := catch(func() { nd.AddInPlace(f, nd.Ones([]int{4}, nd.Float64)) })
	if err == nil || data[0] != 0 {
		t.Fatalf("AddInPlace wrote into a caller's memory (err %v)", err)
	}
}

func TestExclusiveMarkIsTakenOnce(t *testing.T) {
	x := nd.FromFloat64s([]int{3}, []float64{1, 2, 3})
	g, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(x, x)) }, x)
	if err != nil {
		t.Fatal(err)
	}
	a := g.(*nd.Array)
	if !a.TakeExclusive() || a.TakeExclusive() {
		t.Fatal("a backward pass's own gradient must be exclusive exactly once")
	}
	// the gradient of x ↦ x is the seed, made by the pass: exclusive; but a
	// gradient that is an argument of a node (x ↦ sum(x·c): the gradient is c)
	// is not
	c := nd.FromFloat64s([]int{3}, []float64{4, 5, 6})
	g, _ = ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(x, c)) }, x)
	if nd.SharesMemory(g.(*nd.Array), c) && g.(*nd.Array).TakeExclusive() {
		t.Fatal("a gradient sharing an argument's memory was marked exclusive")
	}
}

// TestInPlaceAccumulation differentiates graphs whose nodes receive many
// cotangents, some of them views of one another (reshape passes its
// cotangent on as a view, add passes on copies), and checks the gradients
// against closed forms: in-place sums must never write into memory that
// another pending cotangent or a forward value uses.
func TestInPlaceAccumulation(t *testing.T) {
	rnd := newRand(7)
	for _, n := range []int{5, large} {
		x := nd.FromFloat64s([]int{n}, reals(rnd, n))
		xs := x.Float64s()
		cases := []struct {
			name string
			f    ad.Func
			want func(v float64) float64
		}{
			{"fan-in 4", func(x ad.Value) ad.Value {
				return ad.SumAll(ad.Add(ad.Add(ad.Mul(x, x), ad.Sin(x)), ad.Add(x, ad.Exp(x))))
			}, func(v float64) float64 { return 2*v + math.Cos(v) + 1 + math.Exp(v) }},
			{"views", func(x ad.Value) ad.Value {
				r := ad.Reshape(x, []int{1, n})
				s := ad.Reshape(r, []int{n})
				return ad.SumAll(ad.Add(ad.Add(ad.Mul(s, s), ad.Mul(r, r)), ad.Mul(ad.Reshape(s, []int{1, n}), nd.Scalar(3))))
			}, func(v float64) float64 { return 4*v + 3 }},
			{"same box twice", func(x ad.Value) ad.Value {
				y := ad.Tanh(x)
				return ad.SumAll(ad.Add(ad.Mul(y, y), ad.Add(y, y)))
			}, func(v float64) float64 { th := math.Tanh(v); return (2*th + 2) * (1 - th*th) }},
		}
		for _, c := range cases {
			g, err := ad.Grad(c.f, x)
			if err != nil {
				t.Fatal(c.name, err)
			}
			for i, v := range ad.Unbox(g).Float64s() {
				if w := c.want(xs[i]); math.Abs(v-w) > 1e-12*(1+math.Abs(w)) {
					t.Fatalf("%s, n=%d: gradient entry %d is %v, want %v", c.name, n, i, v, w)
				}
			}
		}
		// the input itself is untouched
		for i, v := range x.Float64s() {
			if v != xs[i] {
				t.Fatal("the input changed")
			}
		}
	}
}

// reals returns n numbers drawn uniformly from [-2, 2).
func reals(rnd interface{ Float64() float64 }, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = 4*rnd.Float64() - 2
	}
	return out
}

// TestLazyBroadcastCotangents checks gradients through reductions and
// broadcasting against closed forms: a sum's cotangent reaches elementwise
// rules unbroadcast (Prim.Elementwise), and every rule that sums over a
// broadcast axis must count that axis's length.
func TestLazyBroadcastCotangents(t *testing.T) {
	rnd := newRand(11)
	const r, c = 3, 4
	xs := reals(rnd, r*c)
	x := nd.FromFloat64s([]int{r, c}, xs)
	colSum := func(j int) float64 {
		s := 0.0
		for i := 0; i < r; i++ {
			s += xs[i*c+j]
		}
		return s
	}
	cases := []struct {
		name string
		f    ad.Func
		want func(i, j int) float64
	}{
		// Σ(x − S) = (1 − n) S with S = Σ x
		{"minus total", func(x ad.Value) ad.Value { return ad.SumAll(ad.Sub(x, ad.SumAll(x))) },
			func(i, j int) float64 { return 1 - r*c }},
		// Σ_ij c_j x_ij = Σ_j c_j², c = Σ_i x_i·: 2 c_j
		{"column sums", func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(ad.Sum(x, []int{0}, false), x)) },
			func(i, j int) float64 { return 2 * colSum(j) }},
		// Σ (S·1) over a broadcast of the scalar S to (r, c): r·c
		{"broadcast scalar", func(x ad.Value) ad.Value {
			return ad.SumAll(ad.Add(ad.Mul(ad.SumAll(x), nd.Ones([]int{r, c}, nd.Float64)), nd.Scalar(0)))
		}, func(i, j int) float64 { return r * c }},
		// mean over rows then a scalar shift, squared: Σ_j (m_j − 1)², m = c/r
		{"mean shift", func(x ad.Value) ad.Value {
			m := ad.Div(ad.Sum(x, []int{0}, true), nd.Scalar(r))
			return ad.SumAll(ad.Square(ad.Sub(m, nd.Scalar(1))))
		}, func(i, j int) float64 { return 2 * (colSum(j)/r - 1) / r }},
		// through a non-elementwise rule (transpose) and a negation
		{"transpose", func(x ad.Value) ad.Value {
			return ad.SumAll(ad.Neg(ad.Transpose(ad.Sub(x, ad.Sum(x, []int{1}, true)), []int{1, 0})))
		}, func(i, j int) float64 { return -1 + c }},
	}
	for _, tc := range cases {
		g, err := ad.Grad(tc.f, x)
		if err != nil {
			t.Fatal(tc.name, err)
		}
		ga := ad.Unbox(g)
		if !nd.SameShape(ga.Shape(), []int{r, c}) {
			t.Fatalf("%s: gradient shape %v", tc.name, ga.Shape())
		}
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				if v, w := ga.Float64s()[i*c+j], tc.want(i, j); math.Abs(v-w) > 1e-12*(1+math.Abs(w)) {
					t.Fatalf("%s: gradient [%d,%d] is %v, want %v", tc.name, i, j, v, w)
				}
			}
		}
	}
}

// TestRecycle: a whole pooled buffer handed back goes to the pool at once
// (the next allocation of its size gets it); small arrays and memory the
// pool did not hand out are left alone.
func TestRecycle(t *testing.T) {
	x := nd.FromFloat64s([]int{large}, make([]float64, large))
	before := nd.Stats().Free
	nd.Recycle(x) // not from the pool
	nd.Recycle(nd.FromFloat64s([]int{3}, []float64{1, 2, 3}))
	if nd.Stats().Free != before {
		t.Fatalf("recycling memory the pool did not hand out changed it: %d -> %d", before, nd.Stats().Free)
	}
	y := nd.Map(x, math.Sin, nil)
	addr := y.DataPointer()
	mid := nd.Stats().Free
	nd.Recycle(y)
	if nd.Stats().Free <= mid {
		t.Fatalf("a whole buffer did not come back: free %d -> %d", mid, nd.Stats().Free)
	}
	z := nd.Map(x, math.Cos, nil)
	if z.DataPointer() != addr {
		t.Fatalf("the next allocation of the class did not reuse the recycled buffer")
	}
	for i, w := range z.Float64s() {
		if w != 1 { // cos(0)
			t.Fatalf("element %d of the reused buffer is %v", i, w)
		}
	}
}
