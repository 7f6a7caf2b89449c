package tests_go

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// This file checks that bad input comes back as error values of numpy's
// kinds, and that the library keeps working afterwards.

// checkStillWorks fails the test unless a gradient computed after an
// error is right: d/dx sum(sin(x)) = cos(x).
func checkStillWorks(t *testing.T, after string) {
	t.Helper()
	x := nd.FromFloat64s([]int{3}, []float64{0.1, 1.2, -2})
	g, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.Sin(x)) }, x)
	if err != nil {
		t.Fatalf("after %s: %v", after, err)
	}
	for i, v := range x.Float64s() {
		if got := real(ad.Unbox(g).At(i)); math.Abs(got-math.Cos(v)) > 1e-15 {
			t.Fatalf("after %s: gradient %v, want cos(%v)", after, got, v)
		}
	}
}

func TestErrorsAsValues(t *testing.T) {
	x23 := nd.Ones([]int{2, 3}, nd.Float64)
	ones4 := nd.Ones([]int{4}, nd.Float64)
	tests := []struct {
		name string
		run  func() error
		kind nd.Kind
		msg  string // the whole message, or a prefix when it ends in "..."
	}{
		{"Grad of a non-scalar function", func() error {
			_, err := ad.Grad(ad.Sin, x23)
			return err
		}, nd.TypeError, "Grad only applies to real scalar-output functions. Try jacobian, elementwise_grad or holomorphic_grad."},
		{"Grad of a function whose shapes do not broadcast", func() error {
			_, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.Add(x, ones4)) }, x23)
			return err
		}, nd.ValueError, "operands could not be broadcast together with shapes (2,3) (4,) "},
		{"second derivative of a function whose shapes do not broadcast", func() error {
			_, err := ad.Grad(func(x ad.Value) ad.Value {
				return ad.SumAll(ad.GradOf(func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(x, ones4)) })(x))
			}, x23)
			return err
		}, nd.ValueError, "operands could not be broadcast together with shapes (2,3) (4,) "},
		{"Hessian of a non-scalar function", func() error {
			_, err := ad.Hessian(ad.Sin, x23)
			return err
		}, nd.TypeError, "Grad only applies to real scalar-output functions..."},
		{"Jacobian of a bad reshape", func() error {
			_, err := ad.Jacobian(func(x ad.Value) ad.Value { return ad.Reshape(x, []int{4}) }, x23)
			return err
		}, nd.ValueError, "cannot reshape array of size 6 into shape (4,)"},
		{"JVP with a tangent of the wrong shape", func() error {
			_, _, err := ad.JVP(ad.Sin, x23, ones4)
			return err
		}, nd.ValueError, "tangent shape (4,) does not match value shape (2,3)"},
		{"Grad through an out-of-bounds axis", func() error {
			_, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.Sum(x, []int{2}, false)) }, x23)
			return err
		}, nd.ValueError, "axis 2 is out of bounds for array of dimension 2"},
		{"Grad through a gather out of bounds", func() error {
			_, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.Gather(x, []int{6}, []int{1})) }, x23)
			return err
		}, nd.IndexError, "index 6 is out of bounds for size 6"},
		{"Grad through arctan2 of complex input", func() error {
			_, err := ad.Grad(func(x ad.Value) ad.Value {
				return ad.Real(ad.SumAll(ad.Apply(ad.Lookup("arctan2"), nil, x, nd.Scalar(1))))
			}, nd.ComplexScalar(1i))
			return err
		}, nd.TypeError, "ufunc 'arctan2' not supported for the input types..."},
		{"Grad of a function that panics with a string", func() error {
			_, err := ad.Grad(func(ad.Value) ad.Value { panic("boom") }, x23)
			return err
		}, nd.Internal, "internal error: boom"},
		{"Backward with a cotangent of the wrong shape", func() error {
			return catch(func() {
				tr := ad.NewTrace(ad.Reverse)
				r := ad.NewRoot(tr, x23)
				ad.Backward(tr, ad.Sin(r), ones4, []*ad.Box{r})
			})
		}, nd.ValueError, "cotangent shape (4,) does not match output shape (2,3)"},
		{"Backward of a forward trace", func() error {
			return catch(func() {
				tr := ad.NewTrace(ad.Forward)
				r := ad.NewForwardRoot(tr, x23, x23)
				ad.Backward(tr, ad.Sin(r), nil, nil)
			})
		}, nd.ValueError, "..."},
		{"Tangent in a reverse trace", func() error {
			return catch(func() {
				tr := ad.NewTrace(ad.Reverse)
				ad.Tangent(tr, ad.Sin(ad.NewRoot(tr, x23)))
			})
		}, nd.ValueError, "..."},
		{"NewRoot of a forward trace", func() error {
			return catch(func() { ad.NewRoot(ad.NewTrace(ad.Forward), x23) })
		}, nd.ValueError, "..."},
		{"NewForwardRoot of a reverse trace", func() error {
			return catch(func() { ad.NewForwardRoot(ad.NewTrace(ad.Reverse), x23, x23) })
		}, nd.ValueError, "..."},
		{"custom VJP returning too many gradients", func() error {
			_, err := ad.Grad(func(x ad.Value) ad.Value {
				b := x.(*ad.Box)
				return ad.NewCustomBox(b.Trace(), nd.Scalar(1), []*ad.Box{b}, func(g ad.Value) []ad.Value { return []ad.Value{g, g} })
			}, x23)
			return err
		}, nd.ValueError, "custom vjp returned 2 gradients for 1 arguments"},
		{"custom VJP returning a gradient of the wrong shape", func() error {
			_, err := ad.Grad(func(x ad.Value) ad.Value {
				b := x.(*ad.Box)
				return ad.NewCustomBox(b.Trace(), nd.Scalar(1), []*ad.Box{b}, func(g ad.Value) []ad.Value { return []ad.Value{g} })
			}, x23)
			return err
		}, nd.ValueError, "custom vjp returned a gradient of shape () for an argument of shape (2,3)"},
		{"custom box with a parent from another trace", func() error {
			return catch(func() {
				other := ad.NewRoot(ad.NewTrace(ad.Reverse), x23)
				ad.NewCustomBox(ad.NewTrace(ad.Reverse), x23, []*ad.Box{other}, nil)
			})
		}, nd.ValueError, "custom box: parent 0 is not a box of reverse trace..."},
		{"max of an empty array", func() error {
			_, err := ad.Grad(func(x ad.Value) ad.Value { return ad.Max(x, []int{0}, false) }, nd.Zeros([]int{0}, nd.Float64))
			return err
		}, nd.ValueError, "zero-size array to reduction operation maximum which has no identity"},
	}
	for _, test := range tests {
		err := test.run()
		switch {
		case err == nil:
			t.Errorf("%s: no error", test.name)
		case kindOf(err) != test.kind:
			t.Errorf("%s: error %q of kind %d, want kind %d", test.name, err, kindOf(err), test.kind)
		case strings.HasSuffix(test.msg, "..."):
			if !strings.HasPrefix(err.Error(), strings.TrimSuffix(test.msg, "...")) {
				t.Errorf("%s: message %q, want a message starting %q", test.name, err, test.msg)
			}
		case err.Error() != test.msg:
			t.Errorf("%s: message %q, want %q", test.name, err, test.msg)
		}
		checkStillWorks(t, test.name)
	}
}

// TestApplyChecksArity applies every primitive to one argument too many
// and one too few: numpy raises a TypeError for a wrong number of
// arguments, so neither may succeed (an extra argument would be silently
// ignored by the kernel yet get a gradient from the rules) nor fail as an
// internal error. The arities come from the finite-difference table.
func TestApplyChecksArity(t *testing.T) {
	arity := map[string]int{}
	for _, c := range primCases {
		arity[c.prim] = len(c.args)
	}
	var accepted, internal []string
	for _, p := range ad.Prims() {
		n, ok := arity[p.Name]
		if !ok || p.Name == "stack" { // stack takes any number of arguments
			continue
		}
		for _, m := range []int{n - 1, n + 1} {
			args := make([]ad.Value, m)
			tr := ad.NewTrace(ad.Reverse)
			for i := range args {
				args[i] = ad.NewRoot(tr, nd.Full([]int{2}, nd.Float64, complex(0.5+float64(i), 0)))
			}
			at := &ad.Attrs{Shape: []int{2}, Index: []int{1, 0}}
			err := catch(func() {
				out := ad.Apply(p, at, args...)
				ad.Backward(tr, ad.SumAll(out), nil, nil)
			})
			call := fmt.Sprintf("%s/%d", p.Name, m)
			switch k := kindOf(err); {
			case err == nil:
				accepted = append(accepted, call)
			case k != nd.TypeError && k != nd.ValueError:
				internal = append(internal, call+": "+err.Error())
			}
		}
	}
	if len(accepted) > 0 {
		t.Errorf("%d calls name/number-of-arguments succeeded with a wrong number of arguments: %v", len(accepted), accepted)
	}
	if len(internal) > 0 {
		t.Errorf("%d calls with a wrong number of arguments failed with another kind than TypeError or ValueError; first: %v", len(internal), internal[0])
	}
	checkStillWorks(t, "calls with wrong numbers of arguments")
}

// TestGoHeapFlat runs many gradient computations and checks that the live
// heap does not grow with their number: nothing (traces, nodes, boxes)
// outlives a computation.
func TestGoHeapFlat(t *testing.T) {
	x := randArray(newRand(31), []int{16}, anyReal, false)
	f := func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(ad.Tanh(x), ad.Exp(x))) }
	run := func(n int) {
		for i := 0; i < n; i++ {
			if _, err := ad.Grad(f, x); err != nil {
				t.Fatal(err)
			}
			if _, err := ad.Grad(func(x ad.Value) ad.Value { return ad.SumAll(ad.GradOf(f)(x)) }, x); err != nil {
				t.Fatal(err)
			}
			if _, err := ad.Grad(ad.Tanh, x); err == nil {
				t.Fatal("Grad of a non-scalar function did not fail")
			}
		}
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	run(500)
	before := heap()
	run(5000)
	after := heap()
	if after > before+1<<20 {
		t.Errorf("live heap grew from %d to %d bytes over 15000 gradient computations (a third of them failing)", before, after)
	}
}
