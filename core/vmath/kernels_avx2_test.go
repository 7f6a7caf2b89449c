//go:build goexperiment.simd && amd64

package vmath

import (
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// TestScale4 checks that scale4, the AVX2 kernels' stand-in for
// VSCALEFPD, rounds y·2^n once, as math.Ldexp does, over the whole range
// of n the exp kernels use: normal, subnormal, underflowing to zero and
// overflowing results, including the ties of the subnormal rounding.
func TestScale4(t *testing.T) {
	if MaxLevel() < AVX2 {
		t.Skip("no AVX2 and FMA in this CPU")
	}
	r := rand.New(rand.NewPCG(5, 6))
	ys := make([]float64, 4)
	ns := make([]float64, 4)
	got := make([]float64, 4)
	bad := 0
	for n := -1076; n <= 1024; n++ {
		for k := 0; k < 64; k++ {
			for j := range ys {
				ys[j] = 0.5 + 1.5*r.Float64() // [0.5, 2)
				if k < 8 {
					// few mantissa bits: exact results and ties
					ys[j] = 1 + float64(r.IntN(64))/64
				}
				if r.IntN(2) == 0 {
					ys[j] = -ys[j]
				}
				ns[j] = float64(n)
			}
			scale4(archsimd.LoadFloat64x4Slice(ys), archsimd.LoadFloat64x4Slice(ns), bu4(52)).StoreSlice(got)
			for j, y := range ys {
				if want := math.Ldexp(y, n); math.Float64bits(got[j]) != math.Float64bits(want) {
					if bad < 5 {
						t.Errorf("scale4(%v, %d) = %v, want %v", y, n, got[j], want)
					}
					bad++
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d results differ", bad)
	}
}
