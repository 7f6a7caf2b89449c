package gobench

import (
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

func BenchmarkArithMul1e6(b *testing.B) {
	x := nd.Ones([]int{1 << 20}, nd.Float64)
	y := nd.Ones([]int{1 << 20}, nd.Float64)
	for b.Loop() {
		_ = nd.Arith(nd.OpMul, x, y)
	}
}

func BenchmarkPlainMul1e6(b *testing.B) {
	x := make([]float64, 1<<20)
	y := make([]float64, 1<<20)
	z := make([]float64, 1<<20)
	for b.Loop() {
		for i := range z {
			z[i] = x[i] * y[i]
		}
	}
}

func BenchmarkSumSqGrad1e6(b *testing.B) {
	x := nd.Ones([]int{1 << 20}, nd.Float64)
	f := func(x ad.Value) ad.Value { return ad.SumAll(ad.Mul(x, x)) }
	for b.Loop() {
		_, _ = ad.Grad(f, x)
	}
	b.Logf("%+v", nd.Stats())
}

func BenchmarkBroadcast1e6(b *testing.B) {
	x := nd.Scalar(1)
	for b.Loop() {
		_ = nd.BroadcastTo(x, []int{1 << 20})
	}
}
