package ad

import "autograd/core/nd"

// This file declares eig, the general eigendecomposition A = V diag(w) V⁻¹
// of a stack of real square matrices (see nd.Eig): one complex128 output
// (..., n+1, n) = [w; V], split and packed with gather and scatter_add as
// eigh's (rules_decomp.go).
//
// Derivatives (Giles 2008; upstream autograd's VJP for the first two
// terms), with P = V⁻¹ Ȧ V and F_ij = 1/(w_j − w_i) off the diagonal:
//
//	ẇ = diag P,
//	U = V (F ∘ P)                           (no component along v_j),
//	V̇ = U − V diag(Re diag(Vᴴ U)) − i V diag(Im(U_kj / V_kj))
//
// where k = k(j) is the row whose entry Eig makes real and positive
// (nd.EigPhaseRows, a constant). The second term keeps |v_j| = 1, the third
// keeps V_kj real: neither is holomorphic, so the VJP is the adjoint for
// the pairing Re Σ a b of the "Complex numbers" convention, and it is exact
// for real input (the only input eig takes). Upstream autograd has the first
// two terms only: its derivative of the phase is arbitrary and its tests
// read |v|; here Re v and Im v are differentiable too. All rules use Solve,
// Matmul, gather/scatter_add and elementwise functions (Real, Imag, Conj
// included), so they differentiate to any order; they are infinite where
// eigenvalues coincide.

var eigP *Prim

// eigPhaseIndex returns the flat indices, in the stack of matrices V
// (..., n, n) of the packed result x, of the entries V[k(j), j] whose phase
// Eig fixes, and the shape (..., n) of the vector they form.
func eigPhaseIndex(x Value) (index, shape []int) {
	ks := nd.EigPhaseRows(Unbox(x))
	s := x.Shape()
	n := s[len(s)-1]
	index = make([]int, len(ks))
	for m, k := range ks {
		b, j := m/n, m%n
		index[m] = (b*n+k)*n + j
	}
	return index, withTail(s, 2, n)
}

// splitEig returns w (..., n) and V (..., n, n) packed in x.
func splitEig(x Value) (w, v Value) {
	n := order(x)
	return row(x, 0), rows(x, 1, n+1)
}

func init() {
	minusI := nd.ComplexScalar(-1i)
	eigP = register(&Prim{
		Name:  "eig",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Eig(a[0]) },
		// With D = Vᵀ V̄, a = Re diag D, d = Im diag D, the adjoint of V̇
		// with respect to U is Ū = V̄ − conj(V) diag(a) − i d_j / V_kj at
		// (k(j), j); then P̄ = diag w̄ + F ∘ (Vᵀ Ū) and Ā = Re(V⁻ᵀ P̄ Vᵀ).
		VJP: func(_ int, g, ans Value, _ []Value, _ *Attrs) Value {
			w, v := splitEig(ans)
			gw, gv := splitEig(g)
			vt := swapLast(v)
			idx, vs := eigPhaseIndex(ans)
			dg := diagOf(Matmul(vt, gv))
			ub := Sub(gv, Mul(Conj(v), asRow(Real(dg))))
			phase := Mul(Div(Imag(dg), Gather(v, idx, vs)), minusI)
			ub = Add(ub, ScatterAdd(phase, idx, v.Shape()))
			pb := Add(diagMat(gw), Mul(gapInverse(w), Matmul(vt, ub)))
			return Real(Solve(vt, Matmul(pb, vt)))
		},
		JVP: func(_ int, t, ans Value, _ []Value, _ *Attrs) Value {
			w, v := splitEig(ans)
			idx, vs := eigPhaseIndex(ans)
			p := Solve(v, Matmul(t, v))
			u := Matmul(v, Mul(gapInverse(w), p))
			norm := Real(Sum(Mul(Conj(v), u), []int{-2}, false))
			phase := Imag(Div(Gather(u, idx, vs), Gather(v, idx, vs)))
			dv := Sub(u, Mul(v, asRow(Add(norm, Mul(phase, nd.ComplexScalar(1i))))))
			shape := ans.Shape()
			return Add(placeRows(diagOf(p), shape, 0), placeRows(dv, shape, 1))
		},
	})
}

// Eig is numpy.linalg.eig on a stack of real square matrices (..., n, n):
// the eigenvalues w (..., n) and the eigenvectors, the columns of v
// (..., n, n), both complex128, with a v = v diag(w). Each eigenvector has
// unit norm and its entry of largest modulus real and positive (numpy's
// may differ by a unit factor). The order is LAPACK's. The derivatives of
// v are infinite where eigenvalues coincide. Real only: a complex matrix
// is a TypeError.
func Eig(a Value) (w, v Value) {
	return splitEig(Apply(eigP, nil, a))
}
