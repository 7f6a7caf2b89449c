package ad

import "autograd/core/nd"

// This file declares eig, the general eigendecomposition A = V diag(w) V⁻¹
// of a stack of square matrices, real or complex (see nd.Eig): one
// complex128 output (..., n+1, n) = [w; V], split and packed with gather
// and scatter_add as eigh's (rules_decomp.go).
//
// Derivatives (Giles 2008; upstream autograd's VJP for the first two
// terms). Differentiating A V = V W (W = diag w) gives Ȧ V + A V̇ = V̇ W +
// V Ẇ; with V̇ = V C and P = V⁻¹ Ȧ V this is P = Ẇ + C W − W C, whose
// entries are P_jj = ẇ_j and P_ij = C_ij (w_j − w_i). So, with
// F_ij = 1/(w_j − w_i) off the diagonal (0 on it),
//
//	ẇ = diag P,
//	U = V (F ∘ P)                           (no component along v_j),
//	V̇ = U + V diag(c).
//
// None of this uses that A is real: these terms are complex-linear in Ȧ
// (holomorphic). The free diagonal c is fixed by the normalisation of
// nd.Eig: |v_j| = 1 gives Re(v_jᴴ v̇_j) = Re(v_jᴴ u_j) + Re c_j = 0, and
// V_kj real and positive (k = k(j) the row of the largest entry,
// nd.EigPhaseRows, a constant) gives Im(U_kj) + V_kj Im c_j = 0, so
//
//	c_j = −Re(v_jᴴ u_j) − i Im(U_kj / V_kj),
//
// which is only real-linear in Ȧ: the JVP is the same formula for real and
// complex A, and is not holomorphic.
//
// VJP. Under autograd's convention the cotangent ḡ of an output y is such
// that a real loss ℓ changes by dℓ = Re Σ ḡ ẏ (ḡ = ∂ℓ/∂Re y − i ∂ℓ/∂Im
// y, no conjugation), so the VJP is the adjoint of the JVP for the pairing
// ⟨a, b⟩ = Re Σ a b. Term by term, with D = Vᵀ V̄ (V̄ the cotangent of V),
// a = Re diag D and d = Im diag D:
//
//	Re Σ V̄ ∘ V diag(c) = Re Σ_j c_j D_jj = Σ_j (Re c_j a_j − Im c_j d_j)
//	                    = Re Σ (−conj(V) diag(a)) ∘ U + Re Σ_j (−i d_j / V_kj) U_kj,
//
// so Ū = V̄ − conj(V) diag(a) − i d_j / V_kj at (k(j), j); then
// Re Σ Ū ∘ V(F ∘ P) = Re Σ (F ∘ VᵀŪ) ∘ P and Re Σ w̄ ∘ diag P give
// P̄ = diag w̄ + F ∘ (Vᵀ Ū), and Re Σ P̄ ∘ V⁻¹ Ȧ V = Re Σ (V⁻ᵀ P̄ Vᵀ) ∘ Ȧ
// gives Ā = V⁻ᵀ P̄ Vᵀ. That holds for every complex Ȧ, so for complex A
// it is the gradient (no conjugation anywhere: the holomorphic terms pass
// their cotangents by transposes); for real A only real Ȧ exist and the
// cotangent keeps its real part, Re(V⁻ᵀ P̄ Vᵀ).
//
// Upstream autograd has the first two terms of V̇ only: its derivative of
// the phase is arbitrary and its tests read |v|; here Re v and Im v are
// differentiable too. All rules use Solve, Matmul, gather/scatter_add and
// elementwise functions (Real, Imag, Conj included), so they
// differentiate to any order in both modes; they are infinite where
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
		// (k(j), j); then P̄ = diag w̄ + F ∘ (Vᵀ Ū) and Ā = V⁻ᵀ P̄ Vᵀ, its
		// real part for a real A.
		VJP: func(_ int, g, ans Value, args []Value, _ *Attrs) Value {
			w, v := splitEig(ans)
			gw, gv := splitEig(g)
			vt := swapLast(v)
			idx, vs := eigPhaseIndex(ans)
			dg := diagOf(Matmul(vt, gv))
			ub := Sub(gv, Mul(Conj(v), asRow(Real(dg))))
			phase := Mul(Div(Imag(dg), Gather(v, idx, vs)), minusI)
			ub = Add(ub, ScatterAdd(phase, idx, v.Shape()))
			pb := Add(diagMat(gw), Mul(gapInverse(w), Matmul(vt, ub)))
			ga := Solve(vt, Matmul(pb, vt))
			if args[0].DType() != nd.Complex128 {
				return Real(ga)
			}
			return ga
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

// Eig is numpy.linalg.eig on a stack of square matrices (..., n, n), real
// or complex: the eigenvalues w (..., n) and the eigenvectors, the columns
// of v (..., n, n), both complex128, with a v = v diag(w). Each
// eigenvector has unit norm and its entry of largest modulus real and
// positive (numpy's may differ by a unit factor). The order is LAPACK's
// for a real matrix, that of the Schur form of nd's kernel for a complex
// one. The derivatives of v are infinite where eigenvalues coincide.
func Eig(a Value) (w, v Value) {
	return splitEig(Apply(eigP, nil, a))
}
