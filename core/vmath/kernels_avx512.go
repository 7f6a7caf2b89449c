//go:build goexperiment.simd && amd64

package vmath

import (
	"math"
	"math/bits"
	"simd/archsimd"
)

// The AVX-512 kernels (F, DQ, VL, with FMA): eight lanes at a time. Each
// kernel reduces its argument to a small interval, evaluates a polynomial
// there with fused multiply-adds, and reconstructs; special values (±0,
// ±inf, nan, out-of-range arguments) are patched in with masks at the
// end, lane by lane. kernels_avx2.go has the same kernels on four lanes.

type f8 = archsimd.Float64x8
type i8 = archsimd.Int64x8

// b8 broadcasts a float64 to all lanes.
func b8(x float64) f8 { return archsimd.BroadcastFloat64x8(x) }

// bi8 broadcasts a bit pattern to all lanes.
func bi8(x uint64) i8 { return archsimd.BroadcastFloat64x8(math.Float64frombits(x)).AsInt64x8() }

// installAVX512 sets the kernels of level AVX512.
func installAVX512() {
	Exp.vec[AVX512] = expSlice8
	Expm1.vec[AVX512] = expm1Slice8
	Log.vec[AVX512] = logSlice8
	Log1p.vec[AVX512] = log1pSlice8
	Tanh.vec[AVX512] = tanhSlice8
	Sqrt.vec[AVX512] = sqrtSlice8
	Sin.vec[AVX512] = func(dst, src []float64) { trigSlice8(dst, src, 0) }
	Cos.vec[AVX512] = func(dst, src []float64) { trigSlice8(dst, src, 1) }
	arithVec[AVX512] = arithKernels{arithVV8, arithVS8, arithSV8}
}

// The slice loops. Each kernel's loop holds its whole computation, with no
// calls, and its constants broadcast once before it; every iteration loads
// eight elements (zero-padded at the tail) and stores as many as there are,
// so the tail is computed by the same instructions as the body.

func expSlice8(dst, src []float64) {
	lo, hi, nan := b8(-746), b8(710), b8(math.NaN())
	log2e, l2h, l2l := b8(math.Log2E), b8(-ln2Hi), b8(-ln2Lo)
	one := b8(1)
	c := expCoefs8()
	for i := 0; i < len(src); i += 8 {
		x := archsimd.LoadFloat64x8SlicePart(src[i:])
		xc := x.Max(lo).Min(hi)
		n := xc.Mul(log2e).RoundToEvenScaled(0)
		r := n.MulAdd(l2l, n.MulAdd(l2h, xc))
		y := expPoly8(r, &c).MulAdd(r.Mul(r), r).Add(one).Scale(n) // 2^n·(1 + r + r²·P(r))
		nan.Merge(y, x.IsNaN()).StoreSlicePart(dst[i:])
	}
}

func expCoefs8() (c [12]f8) {
	for k := range c {
		c[k] = b8(expCoef[k])
	}
	return c
}

// expPoly8 evaluates the polynomial with coefficients c (highest degree
// first) at r.
func expPoly8(r f8, c *[12]f8) f8 {
	p := c[0].MulAdd(r, c[1]).MulAdd(r, c[2]).MulAdd(r, c[3]).MulAdd(r, c[4]).MulAdd(r, c[5])
	return p.MulAdd(r, c[6]).MulAdd(r, c[7]).MulAdd(r, c[8]).MulAdd(r, c[9]).MulAdd(r, c[10]).MulAdd(r, c[11])
}

// expm1Slice8 is e^x − 1 = 2^n·(e^r − 1) + (2^n − 1): exact at n = 0, and
// 2^n − 1 is exact for the n below 57 that take this form; beyond,
// e^x − 1 rounds to 2^n·e^r.
func expm1Slice8(dst, src []float64) {
	lo, hi, zero, n56 := b8(-50), b8(710), b8(0), b8(56)
	log2e, l2h, l2l := b8(math.Log2E), b8(-ln2Hi), b8(-ln2Lo)
	one := b8(1)
	c := expCoefs8()
	for i := 0; i < len(src); i += 8 {
		x := archsimd.LoadFloat64x8SlicePart(src[i:])
		xc := x.Max(lo).Min(hi)
		n := xc.Mul(log2e).RoundToEvenScaled(0)
		r := n.MulAdd(l2l, n.MulAdd(l2h, xc))
		q := expPoly8(r, &c).MulAdd(r.Mul(r), r) // e^r − 1
		t := one.Scale(n)
		y := q.MulAdd(t, t.Sub(one))
		y = q.Add(one).Scale(n).Merge(y, n.Greater(n56))
		y = x.Merge(y, x.Equal(zero).Or(x.IsNaN())) // ±0 and nan are their own results
		y.StoreSlicePart(dst[i:])
	}
}

// logSlice8 is log x = k·ln2 + log m with x = 2^k·m, m in [√2/2, √2), log m
// from fdlibm's rational form log(1+f) = f − f²/2 + s·(f²/2 + R(s²)),
// s = f/(2+f). Subnormals are scaled by 2^54 first.
func logSlice8(dst, src []float64) {
	tiny, two54, m54, zero, one, half, two := b8(0x1p-1022), b8(0x1p54), b8(-54), b8(0), b8(1), b8(0.5), b8(2)
	sqrt2, l2h, l2l := b8(math.Sqrt2), b8(ln2Hi), b8(ln2Lo)
	inf, ninf, nan := b8(math.Inf(1)), b8(math.Inf(-1)), b8(math.NaN())
	mant, expOne, bias := bi8(1<<52-1), bi8(0x3ff0000000000000), archsimd.BroadcastInt64x8(1023)
	g1, g2, g3, g4, g5, g6, g7 := b8(lg1), b8(lg2), b8(lg3), b8(lg4), b8(lg5), b8(lg6), b8(lg7)
	for i := 0; i < len(src); i += 8 {
		x := archsimd.LoadFloat64x8SlicePart(src[i:])
		sub := x.Less(tiny)
		bitsx := x.Mul(two54).Merge(x, sub).AsInt64x8()
		k := m54.Merge(zero, sub).Add(bitsx.ShiftAllRight(52).Sub(bias).ConvertToFloat64())
		m := bitsx.And(mant).Or(expOne).AsFloat64x8()
		big := m.Greater(sqrt2)
		m = m.Mul(half).Merge(m, big)
		k = k.Add(one).Merge(k, big)
		f := m.Sub(one)
		hfsq := f.Mul(f).Mul(half)
		s := f.Div(f.Add(two))
		z := s.Mul(s)
		w := z.Mul(z)
		rr := w.Mul(g6.MulAdd(w, g4).MulAdd(w, g2)).Add(z.Mul(g7.MulAdd(w, g5).MulAdd(w, g3).MulAdd(w, g1)))
		// k·ln2Hi − ((hfsq − (s·(hfsq + R) + k·ln2Lo)) − f)
		y := k.Mul(l2h).Sub(hfsq.Sub(s.MulAdd(hfsq.Add(rr), k.Mul(l2l))).Sub(f))
		y = ninf.Merge(y, x.Equal(zero))
		y = nan.Merge(y, x.Less(zero))
		y = inf.Merge(y, x.Equal(inf))
		x.Merge(y, x.IsNaN()).StoreSlicePart(dst[i:])
	}
}

// log1pSlice8 is log(1+x) = log u + (x − (u − 1))/u with u = 1 + x rounded:
// the second term restores what the rounding of u lost.
func log1pSlice8(dst, src []float64) {
	var u [chunk]float64
	one, zero, inf, m1, ninf := b8(1), b8(0), b8(math.Inf(1)), b8(-1), b8(math.Inf(-1))
	for lo := 0; lo < len(src); lo += chunk {
		s, d := src[lo:min(lo+chunk, len(src))], dst[lo:min(lo+chunk, len(src))]
		for i := 0; i < len(s); i += 8 {
			one.Add(archsimd.LoadFloat64x8SlicePart(s[i:])).StoreSlicePart(u[i:len(s)])
		}
		logSlice8(u[:len(s)], u[:len(s)]) // not into d: it may be src
		for i := 0; i < len(s); i += 8 {
			x := archsimd.LoadFloat64x8SlicePart(s[i:])
			uv := one.Add(x)
			y := archsimd.LoadFloat64x8SlicePart(u[i:len(s)]).Add(x.Sub(uv.Sub(one)).Div(uv))
			y = ninf.Merge(y, x.Equal(m1))
			y = inf.Merge(y, x.Equal(inf))
			y = x.Merge(y, x.Equal(zero).Or(x.IsNaN())) // ±0 and nan are their own results
			y.StoreSlicePart(d[i:])
		}
	}
}

// tanhSlice8 is sign(x)·t/(t+2) with t = e^{2|x|} − 1.
func tanhSlice8(dst, src []float64) {
	var t [chunk]float64
	cap40, two := b8(40), b8(2)
	for lo := 0; lo < len(src); lo += chunk {
		s, d := src[lo:min(lo+chunk, len(src))], dst[lo:min(lo+chunk, len(src))]
		for i := 0; i < len(s); i += 8 {
			a := abs8(archsimd.LoadFloat64x8SlicePart(s[i:])).Min(cap40)
			a.Add(a).StoreSlicePart(t[i:len(s)])
		}
		expm1Slice8(t[:len(s)], t[:len(s)])
		for i := 0; i < len(s); i += 8 {
			x := archsimd.LoadFloat64x8SlicePart(s[i:])
			tv := archsimd.LoadFloat64x8SlicePart(t[i:len(s)])
			y := copysign8(tv.Div(tv.Add(two)), x)
			x.Merge(y, x.IsNaN()).StoreSlicePart(d[i:])
		}
	}
}

func sqrtSlice8(dst, src []float64) {
	i := 0
	for ; i+8 <= len(src); i += 8 {
		archsimd.LoadFloat64x8Slice(src[i:]).Sqrt().StoreSlice(dst[i:])
	}
	archsimd.LoadFloat64x8SlicePart(src[i:]).Sqrt().StoreSlicePart(dst[i:])
}

// trigSlice8 is the loop of sin (shift 0) and cos (shift 1): lanes whose
// argument exceeds ReduceLimit in magnitude (or is nan) are recomputed by
// the pure-Go path.
func trigSlice8(dst, src []float64, shift int64) {
	limit := b8(ReduceLimit)
	for i := 0; i < len(src); i += 8 {
		x := archsimd.LoadFloat64x8SlicePart(src[i:])
		n, hi, lo := reduceTrig8(x)
		y := quadrant8(n, hi, lo, shift)
		if shift == 0 {
			y = x.Merge(y, x.Equal(b8(0))) // keeps −0
		}
		big := abs8(x).Greater(limit).Or(x.IsNaN()).ToBits() // never a lane of the zero padding
		if big == 0 {
			y.StoreSlicePart(dst[i:])
			continue
		}
		var ys [8]float64 // patched before the store: dst may be src
		y.StoreSlice(ys[:])
		for ; big != 0; big &= big - 1 {
			j := bits.TrailingZeros8(big)
			ys[j] = trigAt(src[i+j], uint64(shift))
		}
		copy(dst[i:], ys[:])
	}
}

// abs8 clears the sign bits.
func abs8(x f8) f8 { return x.AsInt64x8().And(bi8(^uint64(signBit))).AsFloat64x8() }

// copysign8 returns |m| with the sign of s.
func copysign8(m, s f8) f8 {
	return m.AsInt64x8().And(bi8(^uint64(signBit))).Or(s.AsInt64x8().And(bi8(signBit))).AsFloat64x8()
}

// reduceTrig8 writes x = n·π/2 + (hi + lo) with n an integer and |hi + lo|
// about π/4 at most. The first step is exact (n·pio2a is formed exactly by
// the fused multiply-add and the difference fits in 53 bits); lo carries
// the rounding error of the second step and the third part of π/2.
func reduceTrig8(x f8) (n, hi, lo f8) {
	n = x.Mul(b8(2 / math.Pi)).RoundToEvenScaled(0)
	r1 := n.MulAdd(b8(-pio2a), x)
	hi = n.MulAdd(b8(-pio2b), r1)
	lo = n.MulAdd(b8(-pio2b), r1.Sub(hi))
	lo = n.MulAdd(b8(-pio2c), lo)
	return n, hi, lo
}

// sinKernel8 is sinKernel on eight lanes.
func sinKernel8(x, y f8) f8 {
	z := x.Mul(x)
	v := z.Mul(x)
	r := b8(s6).MulAdd(z, b8(s5)).MulAdd(z, b8(s4)).MulAdd(z, b8(s3)).MulAdd(z, b8(s2))
	// x − ((z·(y/2 − v·r) − y) − v·s1)
	t := z.Mul(y.Mul(b8(0.5)).Sub(v.Mul(r))).Sub(y).Sub(v.Mul(b8(s1)))
	return x.Sub(t)
}

// cosKernel8 is cosKernel on eight lanes.
func cosKernel8(x, y f8) f8 {
	one := b8(1)
	z := x.Mul(x)
	w := z.Mul(z)
	r := z.Mul(b8(c3).MulAdd(z, b8(c2)).MulAdd(z, b8(c1))).Add(w.Mul(w).Mul(b8(c6).MulAdd(z, b8(c5)).MulAdd(z, b8(c4))))
	hz := z.Mul(b8(0.5))
	w = one.Sub(hz)
	// w + (((1 − w) − hz) + (z·r − x·y))
	return w.Add(one.Sub(w).Sub(hz).Add(z.Mul(r).Sub(x.Mul(y))))
}

// quadrant8 evaluates sin (shift 0) or cos (shift 1) at n·π/2 + hi + lo:
// the kernel is chosen by the parity of n+shift, the sign by its second bit.
func quadrant8(n, hi, lo f8, shift int64) f8 {
	q := n.ConvertToInt64().Add(archsimd.BroadcastInt64x8(shift))
	s := sinKernel8(hi, lo)
	c := cosKernel8(hi, lo)
	zero := archsimd.BroadcastInt64x8(0)
	y := c.Merge(s, q.And(archsimd.BroadcastInt64x8(1)).NotEqual(zero))
	return y.Mul(b8(-1)).Merge(y, q.And(archsimd.BroadcastInt64x8(2)).NotEqual(zero))
}

// op8 applies an arithmetic operator to two vectors.
func op8(op Op, x, y f8) f8 {
	switch op {
	case Add:
		return x.Add(y)
	case Sub:
		return x.Sub(y)
	case Mul:
		return x.Mul(y)
	}
	return x.Div(y)
}

// The arithmetic loops: whole vectors with one operator each (no switch
// inside the loop, no masked memory access), then the tail through op8.

func load8(s []float64) f8 { return archsimd.LoadFloat64x8Slice(s) }

func arithVV8(op Op, out, x, y []float64) {
	n := len(out) &^ 7
	switch op {
	case Add:
		for i := 0; i < n; i += 8 {
			load8(x[i:]).Add(load8(y[i:])).StoreSlice(out[i:])
		}
	case Sub:
		for i := 0; i < n; i += 8 {
			load8(x[i:]).Sub(load8(y[i:])).StoreSlice(out[i:])
		}
	case Mul:
		for i := 0; i < n; i += 8 {
			load8(x[i:]).Mul(load8(y[i:])).StoreSlice(out[i:])
		}
	case Div:
		for i := 0; i < n; i += 8 {
			load8(x[i:]).Div(load8(y[i:])).StoreSlice(out[i:])
		}
	}
	if n < len(out) {
		op8(op, archsimd.LoadFloat64x8SlicePart(x[n:]), archsimd.LoadFloat64x8SlicePart(y[n:])).StoreSlicePart(out[n:])
	}
}

func arithVS8(op Op, out, x []float64, c float64) {
	cv := b8(c)
	n := len(out) &^ 7
	switch op {
	case Add:
		for i := 0; i < n; i += 8 {
			load8(x[i:]).Add(cv).StoreSlice(out[i:])
		}
	case Sub:
		for i := 0; i < n; i += 8 {
			load8(x[i:]).Sub(cv).StoreSlice(out[i:])
		}
	case Mul:
		for i := 0; i < n; i += 8 {
			load8(x[i:]).Mul(cv).StoreSlice(out[i:])
		}
	case Div:
		for i := 0; i < n; i += 8 {
			load8(x[i:]).Div(cv).StoreSlice(out[i:])
		}
	}
	if n < len(out) {
		op8(op, archsimd.LoadFloat64x8SlicePart(x[n:]), cv).StoreSlicePart(out[n:])
	}
}

func arithSV8(op Op, out []float64, c float64, y []float64) {
	cv := b8(c)
	n := len(out) &^ 7
	switch op {
	case Add:
		for i := 0; i < n; i += 8 {
			cv.Add(load8(y[i:])).StoreSlice(out[i:])
		}
	case Sub:
		for i := 0; i < n; i += 8 {
			cv.Sub(load8(y[i:])).StoreSlice(out[i:])
		}
	case Mul:
		for i := 0; i < n; i += 8 {
			cv.Mul(load8(y[i:])).StoreSlice(out[i:])
		}
	case Div:
		for i := 0; i < n; i += 8 {
			cv.Div(load8(y[i:])).StoreSlice(out[i:])
		}
	}
	if n < len(out) {
		op8(op, cv, archsimd.LoadFloat64x8SlicePart(y[n:])).StoreSlicePart(out[n:])
	}
}
