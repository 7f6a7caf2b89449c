package ad

import "autograd/core/nd"

// This file declares the spectral decompositions: eigh (symmetric
// eigendecomposition) and svd (reduced singular value decomposition), on
// stacks of real matrices. A primitive has one output, so each returns its
// factors packed into one array (see nd.Eigh and nd.SVD): eigh gives
// (..., n+1, n) = [w; V], svd gives (..., m+1+n, k) = [U; s; V] with
// k = min(m, n). The rules split the packed output, and pack the tangent,
// with gather and scatter_add, so one rule pair covers every factor and
// the decomposition runs once per evaluation.
//
// The derivatives of the vectors divide by the gaps of the spectrum
// (F_ij = 1/(w_j − w_i), or 1/(s_j² − s_i²) for svd): they are infinite
// where eigenvalues (singular values) coincide, and svd's also divide by
// the singular values when m ≠ n. All rules are written with Matmul and
// elementwise functions, so they differentiate to any order.

var eighP, svdP *Prim

// eye returns the constant n×n identity matrix.
func eye(n int) *nd.Array {
	m := make([]float64, n*n)
	for i := 0; i < n; i++ {
		m[i*n+i] = 1
	}
	return nd.FromFloat64s([]int{n, n}, m)
}

// withTail returns shape with its last drop axes replaced by tail.
func withTail(shape []int, drop int, tail ...int) []int {
	return append(append([]int(nil), shape[:len(shape)-drop]...), tail...)
}

// rowIndex returns the flat indices, in C order, of x[..., lo:hi, :] in an
// array x of the given shape, and the shape of that block.
func rowIndex(shape []int, lo, hi int) (index, block []int) {
	r, c := shape[len(shape)-2], shape[len(shape)-1]
	block = withTail(shape, 2, hi-lo, c)
	index = make([]int, 0, nd.Prod(block))
	for b := range nd.Prod(shape[:len(shape)-2]) {
		for i := lo; i < hi; i++ {
			for j := 0; j < c; j++ {
				index = append(index, (b*r+i)*c+j)
			}
		}
	}
	return index, block
}

// rows returns the block x[..., lo:hi, :] of a stack of matrices.
func rows(x Value, lo, hi int) Value {
	index, block := rowIndex(x.Shape(), lo, hi)
	return Gather(x, index, block)
}

// row returns x[..., i, :], a stack of vectors.
func row(x Value, i int) Value {
	index, block := rowIndex(x.Shape(), i, i+1)
	return Gather(x, index, withTail(block, 2, block[len(block)-1]))
}

// placeRows returns zeros of the given shape with the block x (or the
// stack of vectors x, as one row) at rows lo, lo+1, ...: the transpose of
// rows and row.
func placeRows(x Value, shape []int, lo int) Value {
	hi := lo + 1
	if xs := x.Shape(); len(xs) == len(shape) {
		hi = lo + xs[len(xs)-2]
	}
	index, _ := rowIndex(shape, lo, hi)
	return ScatterAdd(x, index, shape)
}

// diagOf returns the diagonal of each matrix of the stack x (..., n, n).
func diagOf(x Value) Value { return Sum(Mul(x, eye(order(x))), []int{-1}, false) }

// diagMat returns the stack of diagonal matrices whose diagonals are the
// vectors of the stack d (..., n).
func diagMat(d Value) Value {
	s := d.Shape()
	n := s[len(s)-1]
	return Mul(Reshape(d, withTail(s, 1, n, 1)), eye(n))
}

// asRow and asCol give the stack of vectors d (..., n) the shape of a row
// (..., 1, n) or a column (..., n, 1), to scale the columns or the rows of
// matrices.
func asRow(d Value) Value { s := d.Shape(); return Reshape(d, withTail(s, 1, 1, s[len(s)-1])) }
func asCol(d Value) Value { s := d.Shape(); return Reshape(d, withTail(s, 1, s[len(s)-1], 1)) }

// gapInverse returns, for the stack of vectors d (..., n), the matrices F
// with F_ij = 1/(d_j − d_i) off the diagonal and 0 on it.
func gapInverse(d Value) Value {
	e := eye(d.Shape()[len(d.Shape())-1])
	return Sub(Reciprocal(Add(Sub(asRow(d), asCol(d)), e)), e)
}

// splitSVD returns the factors U (..., m, k), s (..., k) and V (..., n, k)
// packed in x (..., m+1+n, k).
func splitSVD(x Value, m, n int) (u, s, v Value) {
	return rows(x, 0, m), row(x, m), rows(x, m+1, m+1+n)
}

func init() {
	// S is the symmetric matrix with A's lower triangle (all numpy reads):
	// Ṡ = Φ(Ȧ) + Φ(Ȧ)ᵀ. With P = Vᵀ Ṡ V: ẇ = diag P, V̇ = V (F ∘ P)
	// (F_ij = 1/(w_j − w_i)). The VJP is its adjoint:
	// S̄ = V (diag w̄ + F ∘ (Vᵀ V̄)) Vᵀ, Ā = Φ(S̄ + S̄ᵀ), lower triangular.
	eighP = register(&Prim{
		Name:  "eigh",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Eigh(a[0]) },
		VJP: func(_ int, g, ans Value, _ []Value, _ *Attrs) Value {
			n := order(ans)
			w, v := row(ans, 0), rows(ans, 1, n+1)
			vt := swapLast(v)
			inner := Add(diagMat(row(g, 0)), Mul(gapInverse(w), Matmul(vt, rows(g, 1, n+1))))
			s := Matmul(Matmul(v, inner), vt)
			return phi(Add(s, swapLast(s)))
		},
		JVP: func(_ int, t, ans Value, _ []Value, _ *Attrs) Value {
			n := order(ans)
			w, v := row(ans, 0), rows(ans, 1, n+1)
			h := phi(t)
			p := Matmul(Matmul(swapLast(v), Add(h, swapLast(h))), v)
			shape := ans.Shape()
			return Add(placeRows(diagOf(p), shape, 0), placeRows(Matmul(v, Mul(gapInverse(w), p)), shape, 1))
		},
	})
	// A = U S Vᵀ (reduced, k = min(m, n)), F_ij = 1/(s_j² − s_i²).
	// With P = Uᵀ Ȧ V: ṡ = diag P,
	//   U̇ = U (F ∘ (P S + S Pᵀ)) + (I − U Uᵀ) Ȧ V S⁻¹,
	//   V̇ = V (F ∘ (S P + Pᵀ S)) + (I − V Vᵀ) Ȧᵀ U S⁻¹
	// (the projections vanish when U, resp. V, is square). The VJP is its
	// adjoint (Townsend 2016, "Differentiating the singular value
	// decomposition"): with X = Uᵀ Ū, Z = Vᵀ V̄,
	//   Ā = U ((F ∘ (X − Xᵀ)) S + diag s̄ + S (F ∘ (Z − Zᵀ))) Vᵀ
	//       + (I − U Uᵀ) Ū S⁻¹ Vᵀ + U S⁻¹ V̄ᵀ (I − V Vᵀ).
	svdP = register(&Prim{
		Name:  "svd",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.SVD(a[0]) },
		VJP: func(_ int, g, ans Value, args []Value, _ *Attrs) Value {
			sh := args[0].Shape()
			m, n := sh[len(sh)-2], sh[len(sh)-1]
			k := min(m, n)
			u, s, v := splitSVD(ans, m, n)
			gu, gs, gv := splitSVD(g, m, n)
			ut, vt := swapLast(u), swapLast(v)
			f := gapInverse(Square(s))
			x, z := Matmul(ut, gu), Matmul(vt, gv)
			core := Add(Add(Mul(Mul(f, Sub(x, swapLast(x))), asRow(s)), diagMat(gs)),
				Mul(asCol(s), Mul(f, Sub(z, swapLast(z)))))
			ga := Matmul(Matmul(u, core), vt)
			inv := Reciprocal(asRow(s))
			if m > k { // (I − U Uᵀ) Ū S⁻¹ Vᵀ
				p := Mul(gu, inv)
				ga = Add(ga, Matmul(Sub(p, Matmul(u, Matmul(ut, p))), vt))
			}
			if n > k { // U S⁻¹ V̄ᵀ (I − V Vᵀ) = U ((I − V Vᵀ) V̄ S⁻¹)ᵀ
				q := Mul(gv, inv)
				ga = Add(ga, Matmul(u, swapLast(Sub(q, Matmul(v, Matmul(vt, q))))))
			}
			return ga
		},
		JVP: func(_ int, t, ans Value, args []Value, _ *Attrs) Value {
			sh := args[0].Shape()
			m, n := sh[len(sh)-2], sh[len(sh)-1]
			k := min(m, n)
			u, s, v := splitSVD(ans, m, n)
			ut, vt := swapLast(u), swapLast(v)
			f := gapInverse(Square(s))
			p := Matmul(Matmul(ut, t), v)
			pt := swapLast(p)
			sr, sc := asRow(s), asCol(s)
			du := Matmul(u, Mul(f, Add(Mul(p, sr), Mul(sc, pt))))
			dv := Matmul(v, Mul(f, Add(Mul(sc, p), Mul(pt, sr))))
			inv := Reciprocal(sr)
			if m > k {
				r := Mul(Matmul(t, v), inv)
				du = Add(du, Sub(r, Matmul(u, Matmul(ut, r))))
			}
			if n > k {
				r := Mul(Matmul(swapLast(t), u), inv)
				dv = Add(dv, Sub(r, Matmul(v, Matmul(vt, r))))
			}
			shape := ans.Shape()
			return Add(Add(placeRows(du, shape, 0), placeRows(diagOf(p), shape, m)), placeRows(dv, shape, m+1))
		},
	})
}

// Eigh is numpy.linalg.eigh(a, 'L') on a stack of symmetric matrices
// (..., n, n): the ascending eigenvalues w (..., n) and the orthonormal
// eigenvectors, the columns of v (..., n, n), with a = v diag(w) vᵀ. Only
// a's lower triangle is read, so the gradient with respect to a is lower
// triangular. Each eigenvector's entry of largest modulus is positive.
// The vectors' derivatives are infinite where eigenvalues coincide. Real
// only.
func Eigh(a Value) (w, v Value) {
	x := Apply(eighP, nil, a)
	n := order(x)
	return row(x, 0), rows(x, 1, n+1)
}

// SVD is numpy.linalg.svd(a, full_matrices=False) on a stack of matrices
// (..., m, n), with k = min(m, n): u (..., m, k), the decreasing singular
// values s (..., k) and vh (..., k, n), with a = u diag(s) vh. Each column
// of u has its entry of largest modulus positive. The derivatives of u and
// vh are infinite where singular values coincide (or, when m ≠ n, vanish).
// Real only.
func SVD(a Value) (u, s, vh Value) {
	sh := a.Shape()
	if len(sh) < 2 { // numpy's LinAlgError, from the kernel
		Apply(svdP, nil, a)
	}
	m, n := sh[len(sh)-2], sh[len(sh)-1]
	u, s, v := splitSVD(Apply(svdP, nil, a), m, n)
	return u, s, swapLast(v)
}
