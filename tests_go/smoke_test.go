package tests_go

import (
	"math"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

func TestSeedGradGo(t *testing.T) {
	f := func(x ad.Value) ad.Value { return ad.Div(ad.Sin(ad.Mul(x, nd.Scalar(2))), x) }
	g, err := ad.Grad(f, nd.Scalar(1.0))
	if err != nil {
		t.Fatal(err)
	}
	got := ad.Unbox(g).Float64s()[0]
	if want := -1.7415910999199664; math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Fatalf("grad = %v, want %v", got, want)
	}
	// second derivative by nesting, compared with the closed form
	h, err := ad.Grad(ad.GradOf(f), nd.Scalar(1.0))
	if err != nil {
		t.Fatal(err)
	}
	x := 1.0
	want2 := (-4*math.Sin(2*x))/x - 2*(2*math.Cos(2*x))/(x*x) + 2*math.Sin(2*x)/(x*x*x)
	if got := ad.Unbox(h).Float64s()[0]; math.Abs(got-want2) > 1e-12 {
		t.Fatalf("second derivative = %v, want %v", got, want2)
	}
	_, ty, err := ad.JVP(f, nd.Scalar(1.0), nd.Scalar(1.0))
	if err != nil {
		t.Fatal(err)
	}
	if got := ad.Unbox(ty).Float64s()[0]; math.Abs(got+1.7415910999199664) > 1e-12 {
		t.Fatalf("jvp = %v", got)
	}
}
