package tests_go

import (
	"errors"
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// Fuzz targets: whatever the input, the library's entry points return a
// value or an error of one of numpy's kinds; they never panic past the
// boundary, and no error is an internal one (a Go runtime error such as an
// index out of range, which nd.Catch reports as kind Internal, is a bug).
//
// Run one with  go test -run=NONE -fuzz=FuzzApply -fuzztime=20s ./tests_go
// (the seed corpus, run by every plain `go test`, is in testdata/fuzz/).

// bytesReader hands out the fuzzer's bytes as small numbers; past the end
// it returns zeros, so every input decodes to something.
type bytesReader struct{ b []byte }

func (r *bytesReader) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// intIn returns an int in [lo, hi].
func (r *bytesReader) intIn(lo, hi int) int { return lo + int(r.byte())%(hi-lo+1) }

// value returns a number, now and then a special one.
func (r *bytesReader) value() float64 {
	switch c := r.byte(); c {
	case 250:
		return math.NaN()
	case 251:
		return math.Inf(1)
	case 252:
		return math.Inf(-1)
	case 253:
		return 0
	case 254:
		return math.MaxFloat64
	case 255:
		return 5e-324
	default:
		return (float64(c) - 125) / 16
	}
}

func (r *bytesReader) ints(n, lo, hi int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = r.intIn(lo, hi)
	}
	return out
}

// array returns an array of up to 4 dimensions of up to 4 entries.
func (r *bytesReader) array() *nd.Array {
	shape := r.ints(r.intIn(0, 4), 0, 4)
	n := nd.Prod(shape)
	if r.byte()%4 == 0 {
		cx := make([]complex128, n)
		for i := range cx {
			cx[i] = complex(r.value(), r.value())
		}
		return nd.FromComplex128s(shape, cx)
	}
	re := make([]float64, n)
	for i := range re {
		re[i] = r.value()
	}
	return nd.FromFloat64s(shape, re)
}

// checkKind fails the fuzz run when err is an internal error or not an
// *nd.Error at all.
func checkKind(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *nd.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: error %v is not an *nd.Error", what, err)
	}
	if e.Kind == nd.Internal || e.Kind < nd.ValueError || e.Kind > nd.MemoryError {
		t.Fatalf("%s: %v error: %s", what, e.Kind, e.Msg)
	}
}

// FuzzArrayConstructors feeds arbitrary shapes, strides, offsets, dtype
// codes and element counts to the array constructors.
func FuzzArrayConstructors(f *testing.F) {
	f.Add([]byte{2, 2, 3, 6, 0, 0})
	f.Add([]byte{1, 255, 1, 0, 1})
	f.Add([]byte{3, 0, 5, 2, 7, 3, 2, 1, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := &bytesReader{b}
		ndim := r.intIn(0, 6)
		shape := r.ints(ndim, -2, 6)
		if r.byte()%5 == 0 { // now and then a dimension whose product overflows
			shape = append(shape, 1<<40, 1<<40)
		}
		n := r.intIn(0, 40)
		dt := r.intIn(0, 3)
		offset := r.intIn(-3, 10)
		strides := r.ints(len(shape), -4, 8)
		err := catch(func() {
			var a *nd.Array
			switch dt {
			case 0:
				a = nd.FromFloat64s(shape, make([]float64, n))
			case 1:
				a = nd.FromComplex128s(shape, make([]complex128, n))
			case 2:
				src := make([]float64, n)
				out := nd.Strided(src, offset, shape, strides)
				a = nd.FromFloat64s(shape, out)
			default:
				a = nd.Full(shape, nd.Float64, complex(r.value(), 0))
			}
			if a.Size() != nd.Prod(a.Shape()) || !nd.SameShape(a.Shape(), shape) {
				t.Fatalf("array of shape %v has size %d", a.Shape(), a.Size())
			}
		})
		checkKind(t, "constructor", err)
	})
}

// FuzzApply applies every primitive to arbitrary arguments (shapes,
// dtypes, NaN and infinities) with arbitrary attributes, untraced, in a
// reverse trace followed by its backward pass, and in a forward trace.
func FuzzApply(f *testing.F) {
	f.Add([]byte{0, 1, 2, 2, 3, 1, 2, 3, 4, 5, 6})
	f.Add([]byte{7, 2, 1, 3, 0, 4, 9, 9, 9, 250, 251, 252, 2, 1, 3})
	f.Add([]byte{30, 1, 2, 2, 2, 1, 1, 1, 1, 4, 1, 0, 2, 2, 2})
	prims := ad.Prims()
	f.Fuzz(func(t *testing.T, b []byte) {
		r := &bytesReader{b}
		p := prims[r.intIn(0, 255)%len(prims)]
		nargs := p.Arity
		if nargs < 0 || r.byte()%16 == 0 { // variadic, or now and then the wrong count
			nargs = r.intIn(0, 3)
		}
		args := make([]ad.Value, nargs)
		for i := range args {
			args[i] = r.array()
		}
		at := &ad.Attrs{
			Axes:     r.ints(r.intIn(0, 3), -3, 5),
			Axes2:    r.ints(r.intIn(0, 3), -3, 5),
			Shape:    r.ints(r.intIn(0, 4), -2, 5),
			Index:    r.ints(r.intIn(0, 6), -3, 40),
			KeepDims: r.byte()%2 == 1,
		}
		if r.byte()%3 == 0 {
			at = nil
		}
		what := p.Name
		var out ad.Value
		err := catch(func() { out = ad.Apply(p, at, args...) })
		checkKind(t, what, err)
		if err != nil || nargs == 0 || p.NoGrad {
			return
		}
		if err := catch(func() { readAll(out) }); err != nil {
			t.Fatalf("%s: reading the result: %v", what, err)
		}

		// reverse: differentiate with respect to the first argument
		err = catch(func() {
			trace := ad.NewTrace(ad.Reverse)
			root := ad.NewRoot(trace, args[0])
			targs := append([]ad.Value{root}, args[1:]...)
			y := ad.Apply(p, at, targs...)
			g := ad.Backward(trace, y, nd.Ones(y.Shape(), y.DType()), []*ad.Box{root})
			if !nd.SameShape(g[0].Shape(), args[0].Shape()) {
				t.Fatalf("%s: gradient of shape %v for an argument of shape %v", what, g[0].Shape(), args[0].Shape())
			}
		})
		checkKind(t, what+" (reverse)", err)

		// forward: push a tangent of ones through the first argument
		err = catch(func() {
			trace := ad.NewTrace(ad.Forward)
			root := ad.NewForwardRoot(trace, args[0], nd.Ones(args[0].Shape(), args[0].DType()))
			targs := append([]ad.Value{root}, args[1:]...)
			y := ad.Apply(p, at, targs...)
			tan := ad.Tangent(trace, y)
			if tan != nil && !nd.SameShape(ad.Unbox(tan).Shape(), y.Shape()) &&
				nd.Prod(ad.Unbox(tan).Shape()) != 1 {
				t.Fatalf("%s: tangent of shape %v for an output of shape %v", what, ad.Unbox(tan).Shape(), y.Shape())
			}
		})
		if err != nil && strings.Contains(err.Error(), "no JVP") {
			return
		}
		checkKind(t, what+" (forward)", err)
	})
}

// readAll reads every element of v (a result whose data did not match
// its shape would fail here).
func readAll(v ad.Value) (nans int) {
	a := ad.Unbox(v)
	for i := 0; i < a.Size(); i++ {
		if cmplx.IsNaN(a.At(i)) {
			nans++
		}
	}
	return nans
}
