//go:build goexperiment.simd && amd64

package vmath

import (
	"math"
	"math/bits"
	"simd/archsimd"
)

// The AVX2 kernels (AVX, AVX2 and FMA instructions): those of
// kernels_avx512.go on four lanes, step for step. Where an AVX-512 kernel
// uses an instruction that has no AVX2 form, these use an exact
// substitute, so that both levels round alike:
//
//   - y·2^n (VSCALEFPD, one rounding) is scale4: the exponent bits of 2^n
//     are built from n and the product is taken in two exact-or-rounded-once
//     steps, so that it also rounds once into the subnormal range.
//   - The float64 ↔ int64 conversions (VCVTQQ2PD, VCVTTPD2QQ) add the
//     magic number 2^52 or 1.5·2^52, which moves an integer into a
//     float64's low mantissa bits or back.
//   - The arithmetic shift VPSRAQ is the logical VPSRLQ: they differ on
//     negative numbers only, whose log is patched to nan anyway.
//
// Two rules keep them fast. No instruction in a loop may have a legacy
// SSE encoding (one in a loop of AVX instructions made the log kernel six
// times slower on an AMD EPYC): the shifts take their count in a vector
// (VPSLLVQ, not ShiftAllLeft, whose count goes through a legacy MOVQ),
// zero is a zero vector, not a broadcast 0.0 (XORPS), and nan a broadcast
// bit pattern. And each kernel ends with VZEROUPPER, so that the scalar
// code after it does not pay for the upper halves it leaves set.

type f4 = archsimd.Float64x4
type u4 = archsimd.Uint64x4

// b4 broadcasts a float64 to all lanes.
func b4(x float64) f4 { return archsimd.BroadcastFloat64x4(x) }

// bu4 broadcasts a bit pattern to all lanes.
func bu4(x uint64) u4 { return archsimd.BroadcastUint64x4(x) }

// nan4 is math.NaN() in all lanes.
func nan4() f4 { return bu4(0x7ff8000000000001).AsFloat64x4() }

// clear4 ends a kernel: VZEROUPPER.
func clear4() { archsimd.ClearAVXUpperBits() }

// The magic numbers of the conversions: for an integer k with |k| < 2^51,
// k + round is exact and its bits are those of round plus k, and for
// 0 ≤ k < 2^52 the float64 with the bits of 2^52 or'ed with k is 2^52 + k.
const (
	round    = 0x1.8p52
	two52    = 0x1p52
	two52Bit = 0x4330000000000000 // the bits of 2^52
)

// installAVX2 sets the kernels of level AVX2.
func installAVX2() {
	Exp.vec[AVX2] = expSlice4
	Expm1.vec[AVX2] = expm1Slice4
	Log.vec[AVX2] = logSlice4
	Log1p.vec[AVX2] = log1pSlice4
	Tanh.vec[AVX2] = tanhSlice4
	Sqrt.vec[AVX2] = sqrtSlice4
	Sin.vec[AVX2] = func(dst, src []float64) { trigSlice4(dst, src, 0) }
	Cos.vec[AVX2] = func(dst, src []float64) { trigSlice4(dst, src, 1) }
	arithVec[AVX2] = arithKernels{arithVV4, arithVS4, arithSV4}
}

// pow2x4 is 2^n for integers n with −1022 ≤ n ≤ 1023, built from its
// exponent bits (n + 1023) << 52; n = 1024 gives +inf. s52 is 52 in every
// lane.
func pow2x4(n f4, s52 u4) f4 {
	return n.Add(b4(round + 1023)).AsUint64x4().ShiftLeft(s52).AsFloat64x4()
}

// scale4 is y·2^n rounded once, for integers n with −1076 ≤ n ≤ 1024 and
// 2^-52 ≤ |y| < 4, as VSCALEFPD computes it: with h = ⌊n/2⌋, y·2^h is
// normal, so adding h to y's exponent bits forms it exactly, and the
// product with 2^(n−h) (a normal power of two) rounds once. s52 is 52 in
// every lane.
func scale4(y, n f4, s52 u4) f4 {
	h := n.Mul(b4(0.5)).Floor()
	yh := y.AsUint64x4().Add(h.Add(b4(round)).AsUint64x4().ShiftLeft(s52)).AsFloat64x4()
	return yh.Mul(pow2x4(n.Sub(h), s52))
}

// The slice loops, as in kernels_avx512.go: each loop holds its whole
// computation, with no calls; every iteration loads four elements
// (zero-padded at the tail) and stores as many as there are.

func expSlice4(dst, src []float64) {
	var c [12]f4 // first: Go zeroes it with legacy SSE moves
	expCoefs4(&c)
	lo, hi, nan := b4(-746), b4(710), nan4()
	log2e, l2h, l2l := b4(math.Log2E), b4(-ln2Hi), b4(-ln2Lo)
	one, s52 := b4(1), bu4(52)
	for i := 0; i < len(src); i += 4 {
		x := archsimd.LoadFloat64x4SlicePart(src[i:])
		xc := x.Max(lo).Min(hi)
		n := xc.Mul(log2e).RoundToEven()
		r := n.MulAdd(l2l, n.MulAdd(l2h, xc))
		y := scale4(expPoly4(r, &c).MulAdd(r.Mul(r), r).Add(one), n, s52) // 2^n·(1 + r + r²·P(r))
		nan.Merge(y, x.IsNaN()).StoreSlicePart(dst[i:])
	}
	clear4()
}

// expCoefs4 broadcasts the coefficients expCoef into c.
func expCoefs4(c *[12]f4) {
	for k := range c {
		c[k] = b4(expCoef[k])
	}
}

// expPoly4 evaluates the polynomial with coefficients c (highest degree
// first) at r.
func expPoly4(r f4, c *[12]f4) f4 {
	p := c[0].MulAdd(r, c[1]).MulAdd(r, c[2]).MulAdd(r, c[3]).MulAdd(r, c[4]).MulAdd(r, c[5])
	return p.MulAdd(r, c[6]).MulAdd(r, c[7]).MulAdd(r, c[8]).MulAdd(r, c[9]).MulAdd(r, c[10]).MulAdd(r, c[11])
}

// expm1Slice4 is expm1Slice8 on four lanes: 2^n·(e^r − 1) + (2^n − 1), or
// 2^n·e^r for n above 56.
func expm1Slice4(dst, src []float64) {
	var c [12]f4 // first: Go zeroes it with legacy SSE moves
	expCoefs4(&c)
	var zero f4
	lo, hi, n56 := b4(-50), b4(710), b4(56)
	log2e, l2h, l2l := b4(math.Log2E), b4(-ln2Hi), b4(-ln2Lo)
	one, s52 := b4(1), bu4(52)
	for i := 0; i < len(src); i += 4 {
		x := archsimd.LoadFloat64x4SlicePart(src[i:])
		xc := x.Max(lo).Min(hi)
		n := xc.Mul(log2e).RoundToEven()
		r := n.MulAdd(l2l, n.MulAdd(l2h, xc))
		q := expPoly4(r, &c).MulAdd(r.Mul(r), r) // e^r − 1
		t := pow2x4(n, s52)                      // n ≥ −72; +inf at 1024, a lane the merge below replaces
		y := q.MulAdd(t, t.Sub(one))
		y = scale4(q.Add(one), n, s52).Merge(y, n.Greater(n56))
		y = x.Merge(y, x.Equal(zero).Or(x.IsNaN())) // ±0 and nan are their own results
		y.StoreSlicePart(dst[i:])
	}
	clear4()
}

// logSlice4 is logSlice8 on four lanes: k·ln2 + log m with x = 2^k·m.
// The exponent field e of x's bits becomes the float64 e − 1023 by way of
// 2^52 + e.
func logSlice4(dst, src []float64) {
	var zero f4
	tiny, two54, m54, one, half, two := b4(0x1p-1022), b4(0x1p54), b4(-54), b4(1), b4(0.5), b4(2)
	sqrt2, l2h, l2l := b4(math.Sqrt2), b4(ln2Hi), b4(ln2Lo)
	inf, ninf, nan := b4(math.Inf(1)), b4(math.Inf(-1)), nan4()
	mant, expOne, exp52, bias, s52 := bu4(1<<52-1), bu4(0x3ff0000000000000), bu4(two52Bit), b4(two52+1023), bu4(52)
	g1, g2, g3, g4, g5, g6, g7 := b4(lg1), b4(lg2), b4(lg3), b4(lg4), b4(lg5), b4(lg6), b4(lg7)
	for i := 0; i < len(src); i += 4 {
		x := archsimd.LoadFloat64x4SlicePart(src[i:])
		sub := x.Less(tiny)
		bitsx := x.Mul(two54).Merge(x, sub).AsUint64x4()
		k := m54.Merge(zero, sub).Add(bitsx.ShiftRight(s52).Or(exp52).AsFloat64x4().Sub(bias))
		m := bitsx.And(mant).Or(expOne).AsFloat64x4()
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
	clear4()
}

// log1pSlice4 is log1pSlice8 on four lanes: log u + (x − (u − 1))/u with
// u = 1 + x rounded.
func log1pSlice4(dst, src []float64) {
	var u [chunk]float64
	var zero f4
	one, inf, m1, ninf := b4(1), b4(math.Inf(1)), b4(-1), b4(math.Inf(-1))
	for lo := 0; lo < len(src); lo += chunk {
		s, d := src[lo:min(lo+chunk, len(src))], dst[lo:min(lo+chunk, len(src))]
		for i := 0; i < len(s); i += 4 {
			one.Add(archsimd.LoadFloat64x4SlicePart(s[i:])).StoreSlicePart(u[i:len(s)])
		}
		logSlice4(u[:len(s)], u[:len(s)]) // not into d: it may be src
		for i := 0; i < len(s); i += 4 {
			x := archsimd.LoadFloat64x4SlicePart(s[i:])
			uv := one.Add(x)
			y := archsimd.LoadFloat64x4SlicePart(u[i:len(s)]).Add(x.Sub(uv.Sub(one)).Div(uv))
			y = ninf.Merge(y, x.Equal(m1))
			y = inf.Merge(y, x.Equal(inf))
			y = x.Merge(y, x.Equal(zero).Or(x.IsNaN())) // ±0 and nan are their own results
			y.StoreSlicePart(d[i:])
		}
	}
	clear4()
}

// tanhSlice4 is tanhSlice8 on four lanes: sign(x)·t/(t+2) with
// t = e^{2|x|} − 1.
func tanhSlice4(dst, src []float64) {
	var t [chunk]float64
	cap40, two := b4(40), b4(2)
	for lo := 0; lo < len(src); lo += chunk {
		s, d := src[lo:min(lo+chunk, len(src))], dst[lo:min(lo+chunk, len(src))]
		for i := 0; i < len(s); i += 4 {
			a := abs4(archsimd.LoadFloat64x4SlicePart(s[i:])).Min(cap40)
			a.Add(a).StoreSlicePart(t[i:len(s)])
		}
		expm1Slice4(t[:len(s)], t[:len(s)])
		for i := 0; i < len(s); i += 4 {
			x := archsimd.LoadFloat64x4SlicePart(s[i:])
			tv := archsimd.LoadFloat64x4SlicePart(t[i:len(s)])
			y := copysign4(tv.Div(tv.Add(two)), x)
			x.Merge(y, x.IsNaN()).StoreSlicePart(d[i:])
		}
	}
	clear4()
}

func sqrtSlice4(dst, src []float64) {
	i := 0
	for ; i+4 <= len(src); i += 4 {
		archsimd.LoadFloat64x4Slice(src[i:]).Sqrt().StoreSlice(dst[i:])
	}
	archsimd.LoadFloat64x4SlicePart(src[i:]).Sqrt().StoreSlicePart(dst[i:])
	clear4()
}

// trigSlice4 is the loop of sin (shift 0) and cos (shift 1): lanes whose
// argument exceeds ReduceLimit in magnitude (or is nan) are recomputed by
// the pure-Go path.
func trigSlice4(dst, src []float64, shift uint64) {
	var k trig4 // first: Go zeroes it with legacy SSE moves
	k.init(shift)
	var zero f4
	for i := 0; i < len(src); i += 4 {
		x := archsimd.LoadFloat64x4SlicePart(src[i:])
		n, hi, lo := k.reduce(x)
		y := k.quadrant(n, k.sin(hi, lo), k.cos(hi, lo))
		if shift == 0 {
			y = x.Merge(y, x.Equal(zero)) // keeps −0
		}
		big := abs4(x).Greater(k.limit).Or(x.IsNaN()).ToBits() // never a lane of the zero padding
		if big == 0 {
			y.StoreSlicePart(dst[i:])
			continue
		}
		var ys [4]float64 // patched before the store: dst may be src
		y.StoreSlice(ys[:])
		clear4()
		for ; big != 0; big &= big - 1 {
			j := bits.TrailingZeros8(big)
			ys[j] = trigAt(src[i+j], shift)
		}
		copy(dst[i:], ys[:])
	}
	clear4()
}

// abs4 clears the sign bits.
func abs4(x f4) f4 { return x.AsUint64x4().And(bu4(^uint64(signBit))).AsFloat64x4() }

// copysign4 returns |m| with the sign of s.
func copysign4(m, s f4) f4 {
	return m.AsUint64x4().And(bu4(^uint64(signBit))).Or(s.AsUint64x4().And(bu4(signBit))).AsFloat64x4()
}

// trig4 holds the constants of the sin and cos loop, broadcast once
// before it (b4 inside the loop broadcasts at every iteration, which was
// measurably slower). Its methods are the steps of sin and cos, as in
// kernels_avx512.go.
type trig4 struct {
	limit, twoByPi, half, one, minus1, round f4
	pio2                                     [3]f4 // −pio2a, −pio2b, −pio2c
	s, c                                     [6]f4 // s1…s6, c1…c6
	shift, bit0, bit1                        u4
}

// init broadcasts the constants of sin (shift 0) or cos (shift 1).
func (k *trig4) init(shift uint64) {
	k.limit, k.twoByPi, k.half, k.one, k.minus1, k.round = b4(ReduceLimit), b4(2/math.Pi), b4(0.5), b4(1), b4(-1), b4(round)
	// element by element: an array literal would be copied with legacy SSE moves
	k.pio2[0], k.pio2[1], k.pio2[2] = b4(-pio2a), b4(-pio2b), b4(-pio2c)
	k.s[0], k.s[1], k.s[2], k.s[3], k.s[4], k.s[5] = b4(s1), b4(s2), b4(s3), b4(s4), b4(s5), b4(s6)
	k.c[0], k.c[1], k.c[2], k.c[3], k.c[4], k.c[5] = b4(c1), b4(c2), b4(c3), b4(c4), b4(c5), b4(c6)
	k.shift, k.bit0, k.bit1 = bu4(shift), bu4(1), bu4(2)
}

// reduce is reduceTrig8 on four lanes: x = n·π/2 + (hi + lo).
func (k *trig4) reduce(x f4) (n, hi, lo f4) {
	n = x.Mul(k.twoByPi).RoundToEven()
	r1 := n.MulAdd(k.pio2[0], x)
	hi = n.MulAdd(k.pio2[1], r1)
	lo = n.MulAdd(k.pio2[1], r1.Sub(hi))
	lo = n.MulAdd(k.pio2[2], lo)
	return n, hi, lo
}

// sin is sinKernel on four lanes.
func (k *trig4) sin(x, y f4) f4 {
	z := x.Mul(x)
	v := z.Mul(x)
	r := k.s[5].MulAdd(z, k.s[4]).MulAdd(z, k.s[3]).MulAdd(z, k.s[2]).MulAdd(z, k.s[1])
	// x − ((z·(y/2 − v·r) − y) − v·s1)
	t := z.Mul(y.Mul(k.half).Sub(v.Mul(r))).Sub(y).Sub(v.Mul(k.s[0]))
	return x.Sub(t)
}

// cos is cosKernel on four lanes.
func (k *trig4) cos(x, y f4) f4 {
	z := x.Mul(x)
	w := z.Mul(z)
	r := z.Mul(k.c[2].MulAdd(z, k.c[1]).MulAdd(z, k.c[0])).Add(w.Mul(w).Mul(k.c[5].MulAdd(z, k.c[4]).MulAdd(z, k.c[3])))
	hz := z.Mul(k.half)
	w = k.one.Sub(hz)
	// w + (((1 − w) − hz) + (z·r − x·y))
	return w.Add(k.one.Sub(w).Sub(hz).Add(z.Mul(r).Sub(x.Mul(y))))
}

// quadrant is sin or cos at n·π/2 + r from s = sin r and c = cos r, as
// quadrant8: the kernel is chosen by the parity of q = n + shift, the sign
// by its second bit. The low bits of n + 1.5·2^52 are those of n.
func (k *trig4) quadrant(n, s, c f4) f4 {
	var zero u4
	q := n.Add(k.round).AsUint64x4().Add(k.shift)
	y := s.Merge(c, q.And(k.bit0).Equal(zero))
	return y.Merge(y.Mul(k.minus1), q.And(k.bit1).Equal(zero))
}

// op4 applies an arithmetic operator to two vectors.
func op4(op Op, x, y f4) f4 {
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

// The arithmetic loops: whole vectors with one operator each, then the
// tail through op4.

func load4(s []float64) f4 { return archsimd.LoadFloat64x4Slice(s) }

func arithVV4(op Op, out, x, y []float64) {
	n := len(out) &^ 3
	switch op {
	case Add:
		for i := 0; i < n; i += 4 {
			load4(x[i:]).Add(load4(y[i:])).StoreSlice(out[i:])
		}
	case Sub:
		for i := 0; i < n; i += 4 {
			load4(x[i:]).Sub(load4(y[i:])).StoreSlice(out[i:])
		}
	case Mul:
		for i := 0; i < n; i += 4 {
			load4(x[i:]).Mul(load4(y[i:])).StoreSlice(out[i:])
		}
	case Div:
		for i := 0; i < n; i += 4 {
			load4(x[i:]).Div(load4(y[i:])).StoreSlice(out[i:])
		}
	}
	if n < len(out) {
		op4(op, archsimd.LoadFloat64x4SlicePart(x[n:]), archsimd.LoadFloat64x4SlicePart(y[n:])).StoreSlicePart(out[n:])
	}
	clear4()
}

func arithVS4(op Op, out, x []float64, c float64) {
	cv := b4(c)
	n := len(out) &^ 3
	switch op {
	case Add:
		for i := 0; i < n; i += 4 {
			load4(x[i:]).Add(cv).StoreSlice(out[i:])
		}
	case Sub:
		for i := 0; i < n; i += 4 {
			load4(x[i:]).Sub(cv).StoreSlice(out[i:])
		}
	case Mul:
		for i := 0; i < n; i += 4 {
			load4(x[i:]).Mul(cv).StoreSlice(out[i:])
		}
	case Div:
		for i := 0; i < n; i += 4 {
			load4(x[i:]).Div(cv).StoreSlice(out[i:])
		}
	}
	if n < len(out) {
		op4(op, archsimd.LoadFloat64x4SlicePart(x[n:]), cv).StoreSlicePart(out[n:])
	}
	clear4()
}

func arithSV4(op Op, out []float64, c float64, y []float64) {
	cv := b4(c)
	n := len(out) &^ 3
	switch op {
	case Add:
		for i := 0; i < n; i += 4 {
			cv.Add(load4(y[i:])).StoreSlice(out[i:])
		}
	case Sub:
		for i := 0; i < n; i += 4 {
			cv.Sub(load4(y[i:])).StoreSlice(out[i:])
		}
	case Mul:
		for i := 0; i < n; i += 4 {
			cv.Mul(load4(y[i:])).StoreSlice(out[i:])
		}
	case Div:
		for i := 0; i < n; i += 4 {
			cv.Div(load4(y[i:])).StoreSlice(out[i:])
		}
	}
	if n < len(out) {
		op4(op, cv, archsimd.LoadFloat64x4SlicePart(y[n:])).StoreSlicePart(out[n:])
	}
	clear4()
}
