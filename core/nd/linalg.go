package nd

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/cblas128"
)

// gemm multiplies the C-ordered matrices x (m×k) and y (k×n).
func gemm(x, y *Array, m, k, n int) *Array {
	return gemmT(x, false, y, false, m, k, n)
}

// gemmT multiplies op(x) (m×k) by op(y) (k×n), where op transposes when
// the flag is set: a transposed x is stored k×m in C order, a transposed
// y n×k. Products with one row or one column go to Gemv, which gonum runs
// much faster than a Gemm of that shape.
func gemmT(x *Array, tx bool, y *Array, ty bool, m, k, n int) *Array {
	dt := Promote(x.DType(), y.DType())
	if m == 0 || n == 0 || k == 0 {
		return Zeros([]int{m, n}, dt)
	}
	out := empty([]int{m, n}, dt) // BLAS with beta = 0 writes every entry
	if dt == Complex128 {
		x, y = x.AsType(Complex128), y.AsType(Complex128)
		cblas128.Gemm(trans(tx), trans(ty), 1, cgeneral(x.cx, tx, m, k), cgeneral(y.cx, ty, k, n), 0,
			cblas128.General{Rows: m, Cols: n, Stride: n, Data: out.cx})
		return out
	}
	switch {
	case n == 1: // out (m) = op(x) · y (k)
		blas64.Gemv(trans(tx), 1, general(x.re, tx, m, k), blas64.Vector{N: k, Inc: 1, Data: y.re}, 0,
			blas64.Vector{N: m, Inc: 1, Data: out.re})
	case m == 1: // out (n) = op(y)ᵀ · x (k)
		blas64.Gemv(trans(!ty), 1, general(y.re, ty, k, n), blas64.Vector{N: k, Inc: 1, Data: x.re}, 0,
			blas64.Vector{N: n, Inc: 1, Data: out.re})
	default:
		blas64.Gemm(trans(tx), trans(ty), 1, general(x.re, tx, m, k), general(y.re, ty, k, n), 0,
			blas64.General{Rows: m, Cols: n, Stride: n, Data: out.re})
	}
	return out
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// general describes data as the r×c matrix op(A): stored c×r when t.
func general(data []float64, t bool, r, c int) blas64.General {
	if t {
		r, c = c, r
	}
	return blas64.General{Rows: r, Cols: c, Stride: c, Data: data}
}

func cgeneral(data []complex128, t bool, r, c int) cblas128.General {
	if t {
		r, c = c, r
	}
	return cblas128.General{Rows: r, Cols: c, Stride: c, Data: data}
}

// asMatrix lays a out as a matrix whose rows run over axes rows and whose
// columns run over axes cols (together a permutation of a's axes). It
// reports t when the matrix is a's data transposed, and copies only when
// a's memory order is neither.
func asMatrix(a *Array, rows, cols []int) (m *Array, t bool) {
	switch {
	case isRun(rows, 0) && isRun(cols, len(rows)):
		return a, false
	case isRun(cols, 0) && isRun(rows, len(cols)):
		return a, true
	}
	return Transpose(a, append(cloneInts(rows), cols...)), false
}

// isRun reports whether axes is start, start+1, ...
func isRun(axes []int, start int) bool {
	for i, ax := range axes {
		if ax != start+i {
			return false
		}
	}
	return true
}

// Tensordot contracts axesA of a with axesB of b, pairwise, as
// numpy.tensordot(a, b, (axesA, axesB)). The result's axes are a's free
// axes followed by b's free axes.
func Tensordot(a, b *Array, axesA, axesB []int) *Array {
	if len(axesA) != len(axesB) {
		panic(Errorf(ValueError, "shape-mismatch for sum"))
	}
	axesA, axesB = NormAxes(axesA, a.Ndim()), NormAxes(axesB, b.Ndim())
	k := 1
	for i := range axesA {
		if a.shape[axesA[i]] != b.shape[axesB[i]] {
			panic(Errorf(ValueError, "shape-mismatch for sum"))
		}
		k *= a.shape[axesA[i]]
	}
	freeA, shapeA := freeAxes(a.shape, axesA)
	freeB, shapeB := freeAxes(b.shape, axesB)
	at, ta := asMatrix(a, freeA, axesA)
	bt, tb := asMatrix(b, axesB, freeB)
	m, n := Prod(shapeA), Prod(shapeB)
	out := gemmT(at, ta, bt, tb, m, k, n)
	out.shape = append(shapeA, shapeB...)
	return out
}

func freeAxes(shape []int, contracted []int) (axes, dims []int) {
	used := make([]bool, len(shape))
	for _, ax := range contracted {
		used[ax] = true
	}
	axes, dims = []int{}, []int{}
	for i, d := range shape {
		if !used[i] {
			axes = append(axes, i)
			dims = append(dims, d)
		}
	}
	return axes, dims
}

// Matmul is numpy.matmul: the last two axes are matrices, the leading axes
// broadcast as a batch; a 1-d a is a row vector and a 1-d b a column
// vector, their added axis removed from the result.
func Matmul(a, b *Array) *Array {
	if a.Ndim() == 0 || b.Ndim() == 0 {
		panic(Errorf(ValueError, "matmul: Input operand %d does not have enough dimensions (has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)", map[bool]int{true: 0, false: 1}[a.Ndim() == 0]))
	}
	as, bs := a.shape, b.shape
	if a.Ndim() == 1 {
		as = []int{1, as[0]}
	}
	if b.Ndim() == 1 {
		bs = []int{bs[0], 1}
	}
	m, k, k2, n := as[len(as)-2], as[len(as)-1], bs[len(bs)-2], bs[len(bs)-1]
	if k != k2 {
		panic(Errorf(ValueError, "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size %d is different from %d)", k2, k))
	}
	batch := BroadcastShapes(as[:len(as)-2], bs[:len(bs)-2])
	nb := Prod(batch)
	dt := Promote(a.DType(), b.DType())
	ab := BroadcastTo(Reshape(a, as).AsType(dt), append(cloneInts(batch), m, k))
	bb := BroadcastTo(Reshape(b, bs).AsType(dt), append(cloneInts(batch), k, n))
	out := empty(append(cloneInts(batch), m, n), dt) // every batch's product is copied in
	for i := 0; i < nb; i++ {
		var r *Array
		if dt == Complex128 {
			r = gemm(&Array{shape: []int{m, k}, cx: ab.cx[i*m*k : (i+1)*m*k]}, &Array{shape: []int{k, n}, cx: bb.cx[i*k*n : (i+1)*k*n]}, m, k, n)
			copy(out.cx[i*m*n:], r.cx)
		} else {
			r = gemm(&Array{shape: []int{m, k}, re: ab.re[i*m*k : (i+1)*m*k]}, &Array{shape: []int{k, n}, re: bb.re[i*k*n : (i+1)*k*n]}, m, k, n)
			copy(out.re[i*m*n:], r.re)
		}
	}
	shape := cloneInts(batch)
	if a.Ndim() > 1 {
		shape = append(shape, m)
	}
	if b.Ndim() > 1 {
		shape = append(shape, n)
	}
	out.shape = shape
	return out
}
