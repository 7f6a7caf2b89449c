// Package gobench measures the Go core alone, with no C or Python:
// `go test -bench . ./bench/go`.
package gobench

import (
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// BenchmarkScalarChain50 is grad of 50 nested sin calls on a scalar.
func BenchmarkScalarChain50(b *testing.B) {
	f := func(x ad.Value) ad.Value {
		for i := 0; i < 50; i++ {
			x = ad.Sin(x)
		}
		return x
	}
	x := nd.Scalar(2)
	for b.Loop() {
		if _, err := ad.Grad(f, x); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTanhHessian is the Hessian of sum(tanh(x)) for 10 inputs.
func BenchmarkTanhHessian(b *testing.B) {
	f := func(x ad.Value) ad.Value { return ad.SumAll(ad.Tanh(x)) }
	x := nd.FromFloat64s([]int{10}, make([]float64, 10))
	for b.Loop() {
		if _, err := ad.Hessian(f, x); err != nil {
			b.Fatal(err)
		}
	}
}
