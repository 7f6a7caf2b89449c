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

// realPart returns the real part of x when x is complex: the eigenvalues
// and singular values are real, though packed in a complex array for
// complex input.
func realPart(x Value) Value {
	if x.DType() == nd.Complex128 {
		return Real(x)
	}
	return x
}

// phaseTerm returns, for complex P, the stack of diagonal matrices
// diag(i Im P_jj / s_j), and nil for real P (where it vanishes): the
// gauge term of complex svd (see its rule).
func phaseTerm(p, s Value) Value {
	if p.DType() != nd.Complex128 {
		return nil
	}
	return diagMat(Mul(Div(Imag(diagOf(p)), realPart(s)), nd.ComplexScalar(1i)))
}

func init() {
	// S is the symmetric (Hermitian) matrix with A's lower triangle (all
	// numpy reads): Ṡ = Φ(Ȧ) + Φ(Ȧ)ᴴ. With P = Vᴴ Ṡ V (Hermitian):
	// ẇ = diag P (real), V̇ = V (F ∘ P) (F_ij = 1/(w_j − w_i)). For complex
	// A this fixes the phase freedom of the vectors as upstream autograd
	// does: diag(Vᴴ V̇) = 0. The VJP is its adjoint under autograd's
	// convention (see cholesky): S̄ = V̅ (diag w̄ + F ∘ (Vᵀ V̄)) Vᵀ,
	// Ā = Φ(S̄ + S̄ᴴ), lower triangular with a real diagonal (w̄ real: the
	// imaginary part of a cotangent of a real output is dropped).
	eighP = register(&Prim{
		Name:  "eigh",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Eigh(a[0]) },
		VJP: func(_ int, g, ans Value, _ []Value, _ *Attrs) Value {
			n := order(ans)
			w, v := realPart(row(ans, 0)), rows(ans, 1, n+1)
			vt := swapLast(v)
			inner := Add(diagMat(realPart(row(g, 0))), Mul(gapInverse(w), Matmul(vt, rows(g, 1, n+1))))
			s := Matmul(Matmul(conj(v), inner), vt)
			return lowerOfHermitian(s)
		},
		JVP: func(_ int, t, ans Value, _ []Value, _ *Attrs) Value {
			n := order(ans)
			w, v := realPart(row(ans, 0)), rows(ans, 1, n+1)
			p := Matmul(Matmul(adjoint(v), hermitianOfLower(t)), v)
			shape := ans.Shape()
			return Add(placeRows(realPart(diagOf(p)), shape, 0), placeRows(Matmul(v, Mul(gapInverse(w), p)), shape, 1))
		},
	})
	// A = U S Vᴴ (reduced, k = min(m, n)), F_ij = 1/(s_j² − s_i²).
	// With P = Uᴴ Ȧ V: ṡ = Re diag P,
	//   U̇ = U (F ∘ (P S + S Pᴴ) + diag(i Im P_jj / s_j)) + (I − U Uᴴ) Ȧ V S⁻¹,
	//   V̇ = V (F ∘ (S P + Pᴴ S)) + (I − V Vᴴ) Ȧᴴ U S⁻¹
	// (the projections vanish when U, resp. V, is square; the diagonal
	// term is zero for real A). For complex A only the difference of the
	// phase derivatives of u_j and v_j is determined (by Im P_jj); as
	// upstream autograd, V takes none: diag(Vᴴ V̇) = 0. The VJP is the
	// adjoint for the real inner product Re tr(Xᴴ Y) (Townsend 2016, and
	// Wan & Zhang 2019 for complex A), with X = Uᴴ Ū, Z = Vᴴ V̄:
	//   Ā = U ((F ∘ (X − Xᴴ)) S + diag(Re s̄) + S (F ∘ (Z − Zᴴ))
	//         + diag(i Im X_jj / s_j)) Vᴴ
	//       + (I − U Uᴴ) Ū S⁻¹ Vᴴ + U S⁻¹ V̄ᴴ (I − V Vᴴ),
	// applied, by autograd's convention, to the conjugate cotangent, and
	// conjugated (both conjugations do nothing for real A).
	svdP = register(&Prim{
		Name:  "svd",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.SVD(a[0]) },
		VJP: func(_ int, g, ans Value, args []Value, _ *Attrs) Value {
			sh := args[0].Shape()
			m, n := sh[len(sh)-2], sh[len(sh)-1]
			k := min(m, n)
			u, s, v := splitSVD(ans, m, n)
			s = realPart(s)
			gu, gs, gv := splitSVD(conj(g), m, n)
			uh, vh := adjoint(u), adjoint(v)
			f := gapInverse(Square(s))
			x, z := Matmul(uh, gu), Matmul(vh, gv)
			core := Add(Add(Mul(Mul(f, Sub(x, adjoint(x))), asRow(s)), diagMat(realPart(gs))),
				Mul(asCol(s), Mul(f, Sub(z, adjoint(z)))))
			if d := phaseTerm(x, s); d != nil {
				core = Add(core, d)
			}
			ga := Matmul(Matmul(u, core), vh)
			inv := Reciprocal(asRow(s))
			if m > k { // (I − U Uᴴ) Ū S⁻¹ Vᴴ
				p := Mul(gu, inv)
				ga = Add(ga, Matmul(Sub(p, Matmul(u, Matmul(uh, p))), vh))
			}
			if n > k { // U S⁻¹ V̄ᴴ (I − V Vᴴ) = U ((I − V Vᴴ) V̄ S⁻¹)ᴴ
				q := Mul(gv, inv)
				ga = Add(ga, Matmul(u, adjoint(Sub(q, Matmul(v, Matmul(vh, q))))))
			}
			return conj(ga)
		},
		JVP: func(_ int, t, ans Value, args []Value, _ *Attrs) Value {
			sh := args[0].Shape()
			m, n := sh[len(sh)-2], sh[len(sh)-1]
			k := min(m, n)
			u, s, v := splitSVD(ans, m, n)
			s = realPart(s)
			uh, vh := adjoint(u), adjoint(v)
			f := gapInverse(Square(s))
			p := Matmul(Matmul(uh, t), v)
			ph := adjoint(p)
			sr, sc := asRow(s), asCol(s)
			inner := Mul(f, Add(Mul(p, sr), Mul(sc, ph)))
			if d := phaseTerm(p, s); d != nil {
				inner = Add(inner, d)
			}
			du := Matmul(u, inner)
			dv := Matmul(v, Mul(f, Add(Mul(sc, p), Mul(ph, sr))))
			inv := Reciprocal(sr)
			if m > k {
				r := Mul(Matmul(t, v), inv)
				du = Add(du, Sub(r, Matmul(u, Matmul(uh, r))))
			}
			if n > k {
				r := Mul(Matmul(adjoint(t), u), inv)
				dv = Add(dv, Sub(r, Matmul(v, Matmul(vh, r))))
			}
			shape := ans.Shape()
			return Add(Add(placeRows(du, shape, 0), placeRows(realPart(diagOf(p)), shape, m)), placeRows(dv, shape, m+1))
		},
	})
}

// Eigh is numpy.linalg.eigh(a, 'L') on a stack of symmetric matrices
// (..., n, n): the ascending eigenvalues w (..., n) and the orthonormal
// eigenvectors, the columns of v (..., n, n), with a = v diag(w) vᵀ. Only
// a's lower triangle is read, so the gradient with respect to a is lower
// triangular. Each eigenvector's entry of largest modulus is positive.
// The vectors' derivatives are infinite where eigenvalues coincide. A
// complex a is Hermitian (a = v diag(w) vᴴ, w real), each eigenvector's
// entry of largest modulus real and positive; the derivative of v fixes
// the phase freedom as upstream autograd does (diag(vᴴ dv) = 0), so only
// functions invariant under v → v·diag(e^{iθ}) have derivatives that
// match the values' finite differences.
func Eigh(a Value) (w, v Value) {
	x := Apply(eighP, nil, a)
	n := order(x)
	return realPart(row(x, 0)), rows(x, 1, n+1)
}

// SVD is numpy.linalg.svd(a, full_matrices=False) on a stack of matrices
// (..., m, n), with k = min(m, n): u (..., m, k), the decreasing singular
// values s (..., k) and vh (..., k, n), with a = u diag(s) vh. Each column
// of u has its entry of largest modulus positive. The derivatives of u and
// vh are infinite where singular values coincide (or, when m ≠ n, vanish).
// A complex a gives a = u diag(s) vh with vh = vᴴ and real s, the phases
// fixed by u's entry of largest modulus, real and positive; the
// derivatives of u and vh fix the phase freedom as upstream autograd does
// (see svd's rule), so only phase-invariant functions of them match the
// values' finite differences.
func SVD(a Value) (u, s, vh Value) {
	sh := a.Shape()
	if len(sh) < 2 { // numpy's LinAlgError, from the kernel
		Apply(svdP, nil, a)
	}
	m, n := sh[len(sh)-2], sh[len(sh)-1]
	u, s, v := splitSVD(Apply(svdP, nil, a), m, n)
	return u, realPart(s), adjoint(v)
}
