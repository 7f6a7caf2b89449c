package nd

import (
	"runtime"
	"sync"

	"autograd/core/vmath"
)

// Elem is the set of element types an Array can hold.
type Elem interface{ float64 | complex128 }

// grain is the smallest chunk worth a goroutine: kernels split their work
// only from 2*grain elements.
const grain = 1 << 17

// parallel runs f over [0, n) split into one chunk per processor when n is
// large enough to pay for the goroutines.
func parallel(n int, f func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 2*grain || workers < 2 {
		f(0, n)
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}

func mapSlice[T, U Elem](src []T, f func(T) U) []U {
	out := newSlice[U](len(src))
	if len(src) < 2*grain { // no closure: small arrays allocate only out
		mapChunk(f, out, src, 0, len(src))
		return out
	}
	parallel(len(src), func(lo, hi int) { mapChunk(f, out, src, lo, hi) })
	return out
}

func mapChunk[T, U Elem](f func(T) U, out []U, src []T, lo, hi int) {
	for i := lo; i < hi; i++ {
		out[i] = f(src[i])
	}
}

// Map applies fr (real arrays) or fc (complex arrays) to every element.
func Map(a *Array, fr func(float64) float64, fc func(complex128) complex128) *Array {
	if a.cx != nil {
		return &Array{shape: a.shape, cx: mapSlice(a.cx, fc)}
	}
	return &Array{shape: a.shape, re: mapSlice(a.re, fr)}
}

// MapFunc is Map for functions with slice kernels (package vmath): real
// arrays go through f.Slice, chunk by chunk on several cores when large.
func MapFunc(a *Array, f vmath.Func, fc func(complex128) complex128) *Array {
	if a.cx != nil {
		return &Array{shape: a.shape, cx: mapSlice(a.cx, fc)}
	}
	out := newSlice[float64](len(a.re))
	if len(out) < 2*grain { // no closure: small arrays allocate only out
		f.Slice(out, a.re)
	} else {
		parallel(len(out), func(lo, hi int) { f.Slice(out[lo:hi], a.re[lo:hi]) })
	}
	return &Array{shape: a.shape, re: out}
}

// MapToReal applies fr or fc to every element and returns a real array
// (abs, real, imag, comparisons).
func MapToReal(a *Array, fr func(float64) float64, fc func(complex128) float64) *Array {
	if a.cx != nil {
		return &Array{shape: a.shape, re: mapSlice(a.cx, fc)}
	}
	return &Array{shape: a.shape, re: mapSlice(a.re, fr)}
}

// BroadcastShapes returns the shape numpy broadcasts a and b to, or panics
// with numpy's ValueError.
func BroadcastShapes(a, b []int) []int {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			panic(Errorf(ValueError, "operands could not be broadcast together with shapes %s %s ", ShapeString(a), ShapeString(b)))
		}
	}
	return out
}

// Binary applies fr or fc elementwise to a and b broadcast together; the
// result is complex if either operand is.
func Binary(a, b *Array, fr func(x, y float64) float64, fc func(x, y complex128) complex128) *Array {
	shape := BroadcastShapes(a.shape, b.shape)
	if Promote(a.DType(), b.DType()) == Complex128 {
		a, b = a.AsType(Complex128), b.AsType(Complex128)
		return &Array{shape: shape, cx: zip(a.cx, a.shape, b.cx, b.shape, shape, fc)}
	}
	return &Array{shape: shape, re: zip(a.re, a.shape, b.re, b.shape, shape, fr)}
}

// Op is one of the four arithmetic operators, which Arith evaluates with
// the loops of package vmath rather than a function call per element.
type Op = vmath.Op

// The operators of Arith.
const (
	OpAdd = vmath.Add
	OpSub = vmath.Sub
	OpMul = vmath.Mul
	OpDiv = vmath.Div
)

// Arith is Binary for x op y, numpy's add, subtract, multiply and divide.
func Arith(op Op, a, b *Array) *Array {
	shape := BroadcastShapes(a.shape, b.shape)
	if Promote(a.DType(), b.DType()) == Complex128 {
		a, b = a.AsType(Complex128), b.AsType(Complex128)
		return &Array{shape: shape, cx: arith(op, a.cx, a.shape, b.cx, b.shape, shape)}
	}
	return &Array{shape: shape, re: arith(op, a.re, a.shape, b.re, b.shape, shape)}
}

func arith[T Elem](op Op, x []T, xs []int, y []T, ys []int, shape []int) []T {
	n := Prod(shape)
	bx, by := operands(x, xs, y, ys, shape, n)
	out := newSlice[T](n)
	if n < 2*grain { // no closure: small arrays allocate only out
		arithChunk(op, out, bx, by, 0, n)
		return out
	}
	parallel(n, func(lo, hi int) { arithChunk(op, out, bx, by, lo, hi) })
	return out
}

// operands returns the data of x and y ready for an elementwise loop over
// the n elements of shape: both of length n in the same order, or one of
// them of length 1 (a scalar) and the other of length n.
func operands[T Elem](x []T, xs []int, y []T, ys []int, shape []int, n int) ([]T, []T) {
	switch {
	case len(x) == n && len(y) == n:
		return x, y
	case n > 1 && (len(x) == 1 && len(y) == n || len(y) == 1 && len(x) == n):
		return x, y
	}
	return broadcastData(x, xs, shape), broadcastData(y, ys, shape)
}

func arithChunk[T Elem](op Op, out, x, y []T, lo, hi int) {
	switch {
	case len(out) > 1 && len(y) == 1:
		vmath.ArithVS(op, out[lo:hi], x[lo:hi], y[0])
	case len(out) > 1 && len(x) == 1:
		vmath.ArithSV(op, out[lo:hi], x[0], y[lo:hi])
	default:
		vmath.ArithVV(op, out[lo:hi], x[lo:hi], y[lo:hi])
	}
}

// BinaryToReal is Binary for operations whose result is always real
// (comparisons); fc receives promoted complex operands.
func BinaryToReal(a, b *Array, fr func(x, y float64) float64, fc func(x, y complex128) float64) *Array {
	shape := BroadcastShapes(a.shape, b.shape)
	if Promote(a.DType(), b.DType()) == Complex128 {
		a, b = a.AsType(Complex128), b.AsType(Complex128)
		return &Array{shape: shape, re: zipToReal(a.cx, a.shape, b.cx, b.shape, shape, fc)}
	}
	return &Array{shape: shape, re: zipToReal(a.re, a.shape, b.re, b.shape, shape, fr)}
}

func zipToReal[T Elem](x []T, xs []int, y []T, ys []int, shape []int, f func(T, T) float64) []float64 {
	bx, by := broadcastData(x, xs, shape), broadcastData(y, ys, shape)
	out := newSlice[float64](len(bx))
	for i := range out {
		out[i] = f(bx[i], by[i])
	}
	return out
}

func zip[T Elem](x []T, xs []int, y []T, ys []int, shape []int, f func(T, T) T) []T {
	n := Prod(shape)
	bx, by := operands(x, xs, y, ys, shape, n)
	out := newSlice[T](n)
	if n < 2*grain { // no closure: small arrays allocate only out
		zipChunk(f, out, bx, by, 0, n)
		return out
	}
	parallel(n, func(lo, hi int) { zipChunk(f, out, bx, by, lo, hi) })
	return out
}

func zipChunk[T Elem](f func(T, T) T, out, x, y []T, lo, hi int) {
	switch {
	case len(out) > 1 && len(y) == 1:
		c := y[0]
		for i := lo; i < hi; i++ {
			out[i] = f(x[i], c)
		}
	case len(out) > 1 && len(x) == 1:
		c := x[0]
		for i := lo; i < hi; i++ {
			out[i] = f(c, y[i])
		}
	default:
		for i := lo; i < hi; i++ {
			out[i] = f(x[i], y[i])
		}
	}
}

// broadcastData returns data (of shape from) repeated to shape to; it
// returns data itself when nothing needs repeating.
func broadcastData[T Elem](data []T, from, to []int) []T {
	if len(data) == Prod(to) {
		return data
	}
	st := make([]int, len(to))
	fs := Strides(from)
	off := len(to) - len(from)
	for i := range from {
		if from[i] != 1 {
			st[i+off] = fs[i]
		}
	}
	return copyStrided(data, 0, to, st)
}

// copyStrided gathers the elements at offset + sum(idx[k]*strides[k]) for
// every index of shape, in C order.
func copyStrided[T Elem](src []T, offset int, shape, strides []int) []T {
	n := Prod(shape)
	out := newSlice[T](n)
	if n == 0 {
		return out
	}
	nd := len(shape)
	if nd == 0 {
		out[0] = src[offset]
		return out
	}
	last := shape[nd-1]
	parallel(n, func(lo, hi int) {
		r0, r1 := (lo+last-1)/last, (hi+last-1)/last
		if r0 < r1 {
			copyRows(out, src, offset, shape, strides, r0, r1)
		}
	})
	return out
}

// copyRows does copyStrided's work for rows r0 to r1-1 of the result (a
// row: a run along the last axis).
func copyRows[T Elem](out, src []T, offset int, shape, strides []int, r0, r1 int) {
	nd := len(shape)
	last, lastStride := shape[nd-1], strides[nd-1]
	// the multi-index over all but the last axis of row r0, and its offset
	idx := make([]int, nd)
	pos := offset
	for k, r := nd-2, r0; k >= 0; k-- {
		idx[k] = r % shape[k]
		r /= shape[k]
		pos += idx[k] * strides[k]
	}
	for r := r0; r < r1; r++ {
		row := out[r*last : (r+1)*last]
		switch lastStride {
		case 1:
			copy(row, src[pos:pos+last])
		case 0:
			v := src[pos]
			for j := range row {
				row[j] = v
			}
		default:
			p := pos
			for j := range row {
				row[j] = src[p]
				p += lastStride
			}
		}
		// advance the multi-index over all but the last axis
		for k := nd - 2; k >= 0; k-- {
			idx[k]++
			pos += strides[k]
			if idx[k] < shape[k] {
				break
			}
			pos -= strides[k] * shape[k]
			idx[k] = 0
		}
	}
}

// Strided builds an array by reading src (C-ordered data of any layout)
// at the given element offset and element strides. It is how foreign
// buffers with arbitrary strides are copied in.
func Strided[T Elem](src []T, offset int, shape, strides []int) []T {
	checkView(len(src), offset, shape, strides)
	return copyStrided(src, offset, shape, strides)
}

func (a *Array) strided(shape, strides []int) *Array {
	if a.cx != nil {
		return &Array{shape: shape, cx: copyStrided(a.cx, 0, shape, strides)}
	}
	return &Array{shape: shape, re: copyStrided(a.re, 0, shape, strides)}
}

// BroadcastTo repeats a to shape, as numpy.broadcast_to.
func BroadcastTo(a *Array, shape []int) *Array {
	checkBroadcastShape(shape)
	if SameShape(a.shape, shape) {
		return a
	}
	off := len(shape) - len(a.shape)
	ok := off >= 0
	st := make([]int, len(shape))
	as := Strides(a.shape)
	for i := 0; ok && i < len(a.shape); i++ {
		switch a.shape[i] {
		case shape[i+off]:
			st[i+off] = as[i]
		case 1:
		default:
			ok = false
		}
	}
	if !ok {
		panic(Errorf(ValueError, "operands could not be broadcast together with remapped shapes [original->remapped]: %s  and requested shape %s", ShapeString(a.shape), ShapeString(shape)))
	}
	return a.strided(cloneInts(shape), st)
}

// Reshape gives a a new shape of the same size; one entry may be -1.
func Reshape(a *Array, shape []int) *Array {
	shape = cloneInts(shape)
	n, free := 1, -1
	for i, d := range shape {
		switch {
		case d == -1 && free < 0:
			free = i
		case d < 0:
			panic(Errorf(ValueError, "can only specify one unknown dimension"))
		default:
			n *= d
		}
	}
	if free >= 0 && n != 0 && a.Size()%n == 0 {
		shape[free] = a.Size() / n
		n *= shape[free]
	}
	if n != a.Size() || (free >= 0 && shape[free] < 0) {
		panic(Errorf(ValueError, "cannot reshape array of size %d into shape %s", a.Size(), ShapeString(shape)))
	}
	return &Array{shape: shape, re: a.re, cx: a.cx, keep: a.keep}
}

// NormAxes checks axes against ndim, resolves negative entries and rejects
// repeats, as numpy's normalize_axis_tuple does.
func NormAxes(axes []int, ndim int) []int {
	out := make([]int, len(axes))
	seen := make([]bool, ndim)
	for i, ax := range axes {
		if ax < -ndim || ax >= ndim {
			panic(Errorf(ValueError, "axis %d is out of bounds for array of dimension %d", ax, ndim))
		}
		if ax < 0 {
			ax += ndim
		}
		if seen[ax] {
			panic(Errorf(ValueError, "repeated axis"))
		}
		seen[ax] = true
		out[i] = ax
	}
	return out
}

// Transpose permutes the axes of a (perm must be a permutation).
func Transpose(a *Array, perm []int) *Array {
	if len(perm) != a.Ndim() {
		panic(Errorf(ValueError, "axes don't match array"))
	}
	perm = NormAxes(perm, a.Ndim())
	identity := true
	for i, p := range perm {
		identity = identity && p == i
	}
	if identity {
		return a
	}
	as := Strides(a.shape)
	shape := make([]int, len(perm))
	st := make([]int, len(perm))
	for i, p := range perm {
		shape[i] = a.shape[p]
		st[i] = as[p]
	}
	return a.strided(shape, st)
}

// reduceShape splits a's axes into kept and reduced ones and returns the
// transposed array whose reduced axes come last, the number of outputs,
// the length of each reduction and the result shape.
func reduceShape(a *Array, axes []int, keep bool) (t *Array, outer, inner int, shape []int) {
	axes = NormAxes(axes, a.Ndim())
	red := make([]bool, a.Ndim())
	for _, ax := range axes {
		red[ax] = true
	}
	var perm []int
	outer, inner = 1, 1
	for i, d := range a.shape {
		if !red[i] {
			perm = append(perm, i)
			shape = append(shape, d)
			outer *= d
		} else if keep {
			shape = append(shape, 1)
		}
	}
	for i, d := range a.shape {
		if red[i] {
			perm = append(perm, i)
			inner *= d
		}
	}
	if shape == nil {
		shape = []int{}
	}
	return Transpose(a, perm), outer, inner, shape
}

// reduce applies f to each of the outer runs of inner elements of x.
// Large reductions split across goroutines: by runs when there are
// several, else each run into chunks whose partial results combine
// (combine may be nil when chunks must not be split: then f sees whole
// runs only).
func reduce[T Elem](x []T, outer, inner int, f func([]T) T, combine func(a, b T) T) []T {
	out := newSlice[T](outer)
	switch {
	case outer*inner < 2*grain:
		for i := range out {
			out[i] = f(x[i*inner : (i+1)*inner])
		}
	case outer > 1 || combine == nil:
		parallel(outer*inner, func(lo, hi int) {
			for i := (lo + inner - 1) / inner; i < (hi+inner-1)/inner; i++ {
				out[i] = f(x[i*inner : (i+1)*inner])
			}
		})
	default: // one long run
		workers := runtime.GOMAXPROCS(0)
		parts := make([]T, workers)
		chunk := (inner + workers - 1) / workers
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			lo, hi := min(w*chunk, inner), min((w+1)*chunk, inner)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if lo < hi {
					parts[w] = f(x[lo:hi])
				}
			}()
		}
		wg.Wait()
		acc := parts[0]
		for _, p := range parts[1:] {
			acc = combine(acc, p)
		}
		out[0] = acc
	}
	return out
}

// sumOf adds the elements of x with four running sums, which the CPU
// pipelines (one sum would wait on every addition) and which round less.
func sumOf[T Elem](x []T) T {
	var s0, s1, s2, s3 T
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i]
		s1 += x[i+1]
		s2 += x[i+2]
		s3 += x[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func add[T Elem](a, b T) T { return a + b }

// leadingAxes reports whether axes (normalised) are exactly a's first
// len(axes) axes, so that a sum over them adds rows of a's data in place.
func leadingAxes(a *Array, axes []int) bool {
	axes = NormAxes(axes, a.Ndim())
	seen := make([]bool, a.Ndim())
	for _, ax := range axes {
		seen[ax] = true
	}
	for i := range axes {
		if !seen[i] {
			return false
		}
	}
	return len(axes) < a.Ndim() // all axes: one long run is the faster form
}

// sumRows adds the rows of x, a rows×cols matrix in C order: out[c] =
// Σ_r x[r, c], a row at a time (no transposed copy), columns split
// across goroutines when large.
func sumRows[T Elem](x []T, rows, cols int) []T {
	out := zeroed[T](cols)
	parallel(rows*cols, func(lo, hi int) {
		c0, c1 := lo/max(rows, 1), hi/max(rows, 1)
		if hi == rows*cols {
			c1 = cols
		}
		for r := 0; r < rows; r++ {
			vmath.ArithVV(OpAdd, out[c0:c1], out[c0:c1], x[r*cols+c0:r*cols+c1])
		}
	})
	return out
}

// Sum adds a's elements over the given axes.
func Sum(a *Array, axes []int, keep bool) *Array {
	if leadingAxes(a, axes) {
		k := len(NormAxes(axes, a.Ndim()))
		rows := Prod(a.shape[:k])
		shape := cloneInts(a.shape[k:])
		if keep {
			shape = append(make([]int, k), shape...)
			for i := 0; i < k; i++ {
				shape[i] = 1
			}
		}
		n := Prod(a.shape[k:])
		if a.cx != nil {
			return &Array{shape: shape, cx: sumRows(a.cx, rows, n)}
		}
		return &Array{shape: shape, re: sumRows(a.re, rows, n)}
	}
	t, outer, inner, shape := reduceShape(a, axes, keep)
	if t.cx != nil {
		return &Array{shape: shape, cx: reduce(t.cx, outer, inner, sumOf[complex128], add[complex128])}
	}
	return &Array{shape: shape, re: reduce(t.re, outer, inner, sumOf[float64], add[float64])}
}

// less orders complex numbers as numpy does (real part, then imaginary).
func less(x, y complex128) bool {
	return real(x) < real(y) || (real(x) == real(y) && imag(x) < imag(y))
}

// Extreme returns the maximum (or the minimum when max is false) over the
// given axes. NaNs propagate, as in numpy.amax.
func Extreme(a *Array, axes []int, keep bool, max bool) *Array {
	t, outer, inner, shape := reduceShape(a, axes, keep)
	if inner == 0 {
		panic(Errorf(ValueError, "zero-size array to reduction operation %s which has no identity", map[bool]string{true: "maximum", false: "minimum"}[max]))
	}
	pick := func(x []complex128) complex128 {
		best := x[0]
		for _, v := range x[1:] {
			if v != v || (max && less(best, v)) || (!max && less(v, best)) {
				best = v
			}
			if best != best {
				break
			}
		}
		return best
	}
	if t.cx != nil {
		return &Array{shape: shape, cx: reduce(t.cx, outer, inner, pick, nil)}
	}
	pickR := func(x []float64) float64 {
		best := x[0]
		for _, v := range x[1:] {
			if v != v || (max && v > best) || (!max && v < best) {
				best = v
			}
			if best != best {
				break
			}
		}
		return best
	}
	return &Array{shape: shape, re: reduce(t.re, outer, inner, pickR, nil)}
}

// Where picks x where cond is non-zero and y elsewhere, broadcasting all three.
func Where(cond, x, y *Array) *Array {
	shape := BroadcastShapes(BroadcastShapes(cond.shape, x.shape), y.shape)
	c := BroadcastTo(cond, shape)
	dt := Promote(x.DType(), y.DType())
	x, y = BroadcastTo(x.AsType(dt), shape), BroadcastTo(y.AsType(dt), shape)
	out := empty(shape, dt)
	for i := 0; i < len(c.re) || i < len(c.cx); i++ {
		src := y
		if c.At(i) != 0 {
			src = x
		}
		if dt == Complex128 {
			out.cx[i] = src.cx[i]
		} else {
			out.re[i] = src.re[i]
		}
	}
	return out
}

// Gather returns result.flat[i] = a.flat[index[i]], shaped as shape.
func Gather(a *Array, index []int, shape []int) *Array {
	checkLen(shape, len(index))
	n := a.Size()
	for _, j := range index {
		if j < 0 || j >= n {
			panic(Errorf(IndexError, "index %d is out of bounds for size %d", j, n))
		}
	}
	if a.cx != nil {
		out := newSlice[complex128](len(index))
		for i, j := range index {
			out[i] = a.cx[j]
		}
		return &Array{shape: cloneInts(shape), cx: out}
	}
	out := newSlice[float64](len(index))
	for i, j := range index {
		out[i] = a.re[j]
	}
	return &Array{shape: cloneInts(shape), re: out}
}

// ScatterAdd returns zeros(shape) with a.flat[i] added at flat position
// index[i]: the transpose of Gather.
func ScatterAdd(a *Array, index []int, shape []int) *Array {
	if a.Size() != len(index) {
		panic(Errorf(ValueError, "scatter_add: %d values for %d indices", a.Size(), len(index)))
	}
	out := Zeros(shape, a.DType())
	n := out.Size()
	for i, j := range index {
		if j < 0 || j >= n {
			panic(Errorf(IndexError, "index %d is out of bounds for size %d", j, n))
		}
		if a.cx != nil {
			out.cx[j] += a.cx[i]
		} else {
			out.re[j] += a.re[i]
		}
	}
	return out
}

// Stack joins arrays of equal shape along a new leading axis.
func Stack(arrs []*Array) *Array {
	if len(arrs) == 0 {
		panic(Errorf(ValueError, "need at least one array to stack"))
	}
	dt := Float64
	for _, a := range arrs {
		if !SameShape(a.shape, arrs[0].shape) {
			panic(Errorf(ValueError, "all input arrays must have the same shape"))
		}
		dt = Promote(dt, a.DType())
	}
	shape := append([]int{len(arrs)}, arrs[0].shape...)
	out := empty(shape, dt)
	m := arrs[0].Size()
	for i, a := range arrs {
		a = a.AsType(dt)
		if dt == Complex128 {
			copy(out.cx[i*m:], a.cx)
		} else {
			copy(out.re[i*m:], a.re)
		}
	}
	return out
}

// AddInPlace adds x to dst elementwise (equal shapes and dtypes). It is the
// one kernel that writes into an existing array: the caller must be the
// only holder of dst and of its memory (a backward pass summing cotangents
// it made itself).
func AddInPlace(dst, x *Array) {
	if !SameShape(dst.shape, x.shape) || dst.DType() != x.DType() || dst.keep != nil {
		panic(Errorf(Internal, "AddInPlace: %s into %s", x, dst))
	}
	if dst.cx != nil {
		addInPlace(dst.cx, x.cx)
		return
	}
	addInPlace(dst.re, x.re)
}

func addInPlace[T Elem](dst, x []T) {
	if len(dst) < 2*grain {
		vmath.ArithVV(OpAdd, dst, dst, x)
		return
	}
	parallel(len(dst), func(lo, hi int) { vmath.ArithVV(OpAdd, dst[lo:hi], dst[lo:hi], x[lo:hi]) })
}

// Map3 applies fr (or, when any operand is complex, fc to the promoted
// operands) elementwise to three arrays of one shape (no broadcasting): the
// one-pass form of an expression such as g·(1 − y²) that would otherwise
// take a pass, and an array, per operation.
func Map3(a, b, c *Array, fr func(x, y, z float64) float64, fc func(x, y, z complex128) complex128) *Array {
	if !SameShape(a.shape, b.shape) || !SameShape(a.shape, c.shape) {
		panic(Errorf(Internal, "Map3: shapes %s %s %s", ShapeString(a.shape), ShapeString(b.shape), ShapeString(c.shape)))
	}
	if a.cx != nil || b.cx != nil || c.cx != nil {
		a, b, c = a.AsType(Complex128), b.AsType(Complex128), c.AsType(Complex128)
		return &Array{shape: a.shape, cx: map3(a.cx, b.cx, c.cx, fc)}
	}
	return &Array{shape: a.shape, re: map3(a.re, b.re, c.re, fr)}
}

// Map3Slices is Map3 for real arrays with a kernel over slices: fr(dst,
// x, y, z) sets dst[i] from x[i], y[i], z[i] for slices of at most
// sliceChunk elements, which stay in the L1 cache while the kernel makes
// several vector passes over them. Complex arrays go through fc.
func Map3Slices(a, b, c *Array, fr func(dst, x, y, z []float64), fc func(x, y, z complex128) complex128) *Array {
	if a.cx != nil || b.cx != nil || c.cx != nil {
		return Map3(a, b, c, nil, fc)
	}
	if !SameShape(a.shape, b.shape) || !SameShape(a.shape, c.shape) {
		panic(Errorf(Internal, "Map3Slices: shapes %s %s %s", ShapeString(a.shape), ShapeString(b.shape), ShapeString(c.shape)))
	}
	x, y, z := a.re, b.re, c.re
	out := newSlice[float64](len(x))
	run := func(lo, hi int) {
		for i := lo; i < hi; i += sliceChunk {
			j := min(i+sliceChunk, hi)
			fr(out[i:j], x[i:j], y[i:j], z[i:j])
		}
	}
	if len(out) < 2*grain {
		run(0, len(out))
	} else {
		parallel(len(out), run)
	}
	return &Array{shape: a.shape, re: out}
}

// sliceChunk is the length of the slices Map3Slices hands its kernel.
const sliceChunk = 512

func map3[T Elem](x, y, z []T, f func(x, y, z T) T) []T {
	out := newSlice[T](len(x))
	run := func(lo, hi int) {
		o, x, y, z := out[lo:hi], x[lo:hi], y[lo:hi], z[lo:hi]
		for i := range o {
			o[i] = f(x[i], y[i], z[i])
		}
	}
	if len(out) < 2*grain {
		run(0, len(out))
		return out
	}
	parallel(len(out), run)
	return out
}

// A strided view picks, for each index i of shape, the element of a at
// flat position offset + Σ i_k·strides[k] (element strides, possibly
// negative or zero): numpy's basic slicing, flips, diagonals and the like,
// described by numbers instead of a list of every position.

// checkView panics unless every position of the view lies in [0, size).
func checkView(size, offset int, shape, strides []int) {
	if len(strides) != len(shape) {
		panic(Errorf(ValueError, "view: %d strides for %d axes", len(strides), len(shape)))
	}
	lo, hi := offset, offset
	for k, d := range shape {
		if d < 0 {
			panic(Errorf(ValueError, "negative dimensions are not allowed"))
		}
		if d == 0 {
			return // an empty view reads nothing
		}
		if s := strides[k] * (d - 1); s < 0 {
			lo += s
		} else {
			hi += s
		}
	}
	if lo < 0 || hi >= size {
		panic(Errorf(IndexError, "view of elements %d to %d is out of bounds for size %d", lo, hi, size))
	}
}

// View returns the strided view (offset, shape, strides) of a as a new
// array.
func View(a *Array, offset int, shape, strides []int) *Array {
	checkView(a.Size(), offset, shape, strides)
	shape = cloneInts(shape)
	if Prod(shape) == 0 {
		return Zeros(shape, a.DType())
	}
	if a.cx != nil {
		return &Array{shape: shape, cx: copyStrided(a.cx, offset, shape, strides)}
	}
	return &Array{shape: shape, re: copyStrided(a.re, offset, shape, strides)}
}

// ViewAdd returns zeros(shape) with a added at the positions of the view
// (offset, a's shape, strides) of it: the transpose of View. The view's
// positions must be distinct (as those of any numpy view with no zero
// stride on an axis longer than one).
func ViewAdd(a *Array, offset int, shape, strides []int) *Array {
	checkView(Prod(shape), offset, a.shape, strides)
	for k, d := range a.shape {
		if d > 1 && strides[k] == 0 {
			panic(Errorf(ValueError, "view_add: axis %d of length %d has stride 0", k, d))
		}
	}
	out := Zeros(shape, a.DType())
	if a.Size() == 0 {
		return out
	}
	if a.cx != nil {
		scatterStrided(out.cx, a.cx, offset, a.shape, strides)
	} else {
		scatterStrided(out.re, a.re, offset, a.shape, strides)
	}
	return out
}

// scatterStrided adds src (C order, of shape) at the strided positions
// offset + Σ i_k·strides[k] of dst.
func scatterStrided[T Elem](dst, src []T, offset int, shape, strides []int) {
	nd := len(shape)
	if nd == 0 {
		dst[offset] += src[0]
		return
	}
	idx := make([]int, nd)
	last, lastStride := shape[nd-1], strides[nd-1]
	pos := offset
	for o := 0; o < len(src); o += last {
		p := pos
		for j := 0; j < last; j++ {
			dst[p] += src[o+j]
			p += lastStride
		}
		for k := nd - 2; k >= 0; k-- {
			idx[k]++
			pos += strides[k]
			if idx[k] < shape[k] {
				break
			}
			pos -= strides[k] * shape[k]
			idx[k] = 0
		}
	}
}
