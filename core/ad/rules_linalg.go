package ad

import "autograd/core/nd"

// This file declares the linear-algebra primitives (numpy.linalg). Each
// works on a stack of square matrices: the last two axes are the matrix,
// the leading axes a batch (which broadcasts between the two operands of
// solve and the triangular solves). Their rules are written with Matmul,
// the triangular solves and masks, so they differentiate to any order.
//
// solve, inv, det and logabsdet take complex matrices too (nd's complex
// LU), cholesky Hermitian ones (nd's own kernel), and the triangular
// solves complex operands. solve, inv, det and the triangular
// solves are holomorphic: their rules follow autograd's convention (plain
// transposes, no conjugation), so one rule serves real and complex input.
// logabsdet = log|det A| = Re(log det A) is real-valued and not
// holomorphic: see its rule.

var (
	choleskyP, solveP, solveTP, invP, detP *Prim
	logabsdetP                             *Prim
	trisolveP, trisolveTP                  *Prim
)

// triangleMask returns the constant n×n matrix with ones below the
// diagonal, diag on it and zeros above: multiplying by it keeps the lower
// triangle (diag 1) or applies Murray's Φ (diag 1/2).
func triangleMask(n int, diag float64) *nd.Array {
	m := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			m[i*n+j] = 1
		}
		m[i*n+i] = diag
	}
	return nd.FromFloat64s([]int{n, n}, m)
}

// order returns the order of the (stack of) square matrices x.
func order(x Value) int { s := x.Shape(); return s[len(s)-1] }

// tril keeps the lower triangle of each matrix of x, diagonal included.
func tril(x Value) Value { return Mul(x, triangleMask(order(x), 1)) }

// phi keeps the strict lower triangle of each matrix of x and half its
// diagonal: Φ of Murray's "Differentiation of the Cholesky decomposition".
func phi(x Value) Value { return Mul(x, triangleMask(order(x), 0.5)) }

// eye returns the constant n×n identity matrix.
func eye(n int) *nd.Array {
	m := make([]float64, n*n)
	for i := 0; i < n; i++ {
		m[i*n+i] = 1
	}
	return nd.FromFloat64s([]int{n, n}, m)
}

// hermitianOfLower returns Φ(x) + Φ(x)ᴴ: the Hermitian matrices with
// x's strict lower triangle, its conjugate above and the real part of x's
// diagonal, which is all cholesky and eigh read of their argument (so it
// maps a tangent of the argument to the tangent of what they factor).
func hermitianOfLower(x Value) Value {
	h := phi(x)
	return Add(h, adjoint(h))
}

// lowerOfHermitian returns Φ(s + sᴴ), the transpose of hermitianOfLower
// under autograd's convention: it maps a cotangent of the Hermitian matrix
// back to the lower triangle that was read.
func lowerOfHermitian(s Value) Value { return phi(Add(s, adjoint(s))) }

// trace returns the trace of each matrix of x (shape: x's batch).
func trace(x Value) Value { return Sum(Mul(x, eye(order(x))), []int{-2, -1}, false) }

// conj returns the complex conjugate of x, and x itself when x is real.
func conj(x Value) Value {
	if x.DType() == nd.Complex128 {
		return Conj(x)
	}
	return x
}

// adjoint returns the conjugate transpose of each matrix of the stack x
// (the transpose when x is real).
func adjoint(x Value) Value { return conj(swapLast(x)) }

// asMatrices gives a value of x's batch shape two trailing axes of length
// 1, to scale the matrices of a stack.
func asMatrices(x Value) Value {
	return Reshape(x, append(append([]int(nil), x.Shape()...), 1, 1))
}

func init() {
	// L = chol(S) where S is the symmetric (Hermitian) matrix with A's
	// lower triangle (all numpy reads), so Ṡ = Φ(Ȧ) + Φ(Ȧ)ᴴ (for complex
	// A the diagonal of Ṡ is Re Ȧ_ii: numpy ignores its imaginary part).
	// With P = L⁻¹ Ṡ L⁻ᴴ, L̇ = L Φ(P) (Murray 2016; for complex A, L's
	// diagonal is real and so is P's). The VJP is its adjoint, under
	// autograd's convention (the conjugate of the adjoint for the real inner
	// product Re tr(Xᴴ Y), applied to the conjugate cotangent): with
	// G = L⁻ᵀ Φ(Lᵀ L̄) L̅⁻¹, Ā = Φ(G + Gᴴ), lower triangular (its diagonal
	// real); for real A, upstream autograd's symmetric gradient is
	// (Ā + Āᵀ)/2.
	choleskyP = register(&Prim{
		Name:  "cholesky",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Cholesky(a[0]) },
		VJP: func(_ int, g, l Value, _ []Value, _ *Attrs) Value {
			y := solveTriangular(l, phi(Matmul(swapLast(l), g)), true)  // L⁻ᵀ Φ(Lᵀ L̄)
			gs := swapLast(solveTriangular(conj(l), swapLast(y), true)) // y L̅⁻¹
			return lowerOfHermitian(gs)
		},
		JVP: func(_ int, t, l Value, _ []Value, _ *Attrs) Value {
			s := hermitianOfLower(t)                                              // Ṡ
			p := solveTriangular(l, adjoint(solveTriangular(l, s, false)), false) // L⁻¹ Ṡ L⁻ᴴ
			return Matmul(l, phi(p))
		},
	})
	solveP = linearSolve("solve", false)
	solveTP = linearSolve("solve_t", true)
	// Y = A⁻¹: Ẏ = −Y Ȧ Y; Ā = −Yᵀ Ȳ Yᵀ.
	invP = register(&Prim{
		Name:  "inv",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Inv(a[0]) },
		VJP: func(_ int, g, y Value, _ []Value, _ *Attrs) Value {
			yt := swapLast(y)
			return Neg(Matmul(Matmul(yt, g), yt))
		},
		JVP: func(_ int, t, y Value, _ []Value, _ *Attrs) Value { return Neg(Matmul(Matmul(y, t), y)) },
	})
	// d = det A: ḋ = d tr(A⁻¹ Ȧ); Ā = d̄ d A⁻ᵀ (A must be invertible).
	detP = register(&Prim{
		Name:  "det",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.Det(a[0]) },
		VJP: func(_ int, g, d Value, args []Value, _ *Attrs) Value {
			return Mul(asMatrices(Mul(g, d)), swapLast(Inv(args[0])))
		},
		JVP: func(_ int, t, d Value, args []Value, _ *Attrs) Value {
			return Mul(d, trace(solveMatrices(args[0], t, false)))
		},
	})
	// l = log|det A| = Re h(A) with h = log det holomorphic, h'(A)[V] =
	// tr(A⁻¹ V): l̇ = Re tr(A⁻¹ Ȧ) (Re does nothing for real A). For the
	// VJP, by autograd's convention (the gradient of a real f of z = x+iy
	// is ∂f/∂x − i ∂f/∂y), with ∂l/∂x = Re h', ∂l/∂y = Re(i h') = −Im h':
	// the gradient is Re h' + i Im h' = h', so Ā = l̄ A⁻ᵀ for complex A as
	// for real (l̄ is real: the imaginary part of a cotangent of a real
	// output is dropped).
	logabsdetP = register(&Prim{
		Name:  "logabsdet",
		Arity: 1,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.LogAbsDet(a[0]) },
		VJP: func(_ int, g, l Value, args []Value, _ *Attrs) Value {
			return Mul(asMatrices(matchComplex(l, g)), swapLast(Inv(args[0])))
		},
		JVP: func(_ int, t, l Value, args []Value, _ *Attrs) Value {
			return matchComplex(l, trace(solveMatrices(args[0], t, false)))
		},
	})
	trisolveP = triangularSolve("solve_triangular", false)
	trisolveTP = triangularSolve("solve_triangular_t", true)
}

// triangularSolve declares the triangular solve X = T⁻¹ B (transposed
// false) or X = T⁻ᵀ B (transposed true), T = tril(L). Each is the other's
// transpose, so each one's rules use the other:
//
//	X = T⁻¹ B: Ẋ = T⁻¹ (Ḃ − tril(L̇) X);  B̄ = T⁻ᵀ X̄, L̄ = −tril(B̄ Xᵀ);
//	X = T⁻ᵀ B: Ẋ = T⁻ᵀ (Ḃ − tril(L̇)ᵀ X); B̄ = T⁻¹ X̄, L̄ = −tril(X B̄ᵀ).
func triangularSolve(name string, transposed bool) *Prim {
	return register(&Prim{
		Name:  name,
		Arity: 2,
		Eval:  func(a []*nd.Array, _ *Attrs) *nd.Array { return nd.SolveTriangular(a[0], a[1], transposed) },
		VJP: func(i int, g, x Value, args []Value, _ *Attrs) Value {
			gb := solveTriangular(args[0], g, !transposed)
			if i == 1 {
				return unbroadcast(gb, args[1])
			}
			if transposed {
				return unbroadcast(Neg(tril(Matmul(x, swapLast(gb)))), args[0])
			}
			return unbroadcast(Neg(tril(Matmul(gb, swapLast(x)))), args[0])
		},
		JVP: func(i int, t, x Value, args []Value, _ *Attrs) Value {
			if i == 1 {
				return broadcastLike(solveTriangular(args[0], t, transposed), x)
			}
			dl := tril(t)
			if transposed {
				dl = swapLast(dl)
			}
			return Neg(solveTriangular(args[0], Matmul(dl, x), transposed))
		},
	})
}

// linearSolve declares the solve primitive X = A⁻¹B (or, transposed,
// X = A⁻ᵀB): each is the other's transpose, so a reverse pass solves with
// the LU factors its forward pass made (nd keeps them with A). With op(A)
// = A or Aᵀ: Ẋ = op(A)⁻¹ (Ḃ − op(Ȧ) X); B̄ = op(A)⁻ᵀ X̄, and Ā = −B̄ Xᵀ
// (−X B̄ᵀ when transposed).
func linearSolve(name string, transposed bool) *Prim {
	return register(&Prim{
		Name:  name,
		Arity: 2,
		Eval: func(a []*nd.Array, _ *Attrs) *nd.Array {
			if transposed {
				return nd.SolveTransposed(a[0], a[1])
			}
			return nd.Solve(a[0], a[1])
		},
		VJP: func(i int, g, x Value, args []Value, _ *Attrs) Value {
			gb := solveMatrices(args[0], g, !transposed)
			if i == 1 {
				return unbroadcast(gb, args[1])
			}
			if transposed {
				return unbroadcast(Neg(Matmul(x, swapLast(gb))), args[0])
			}
			return unbroadcast(Neg(Matmul(gb, swapLast(x))), args[0])
		},
		JVP: func(i int, t, x Value, args []Value, _ *Attrs) Value {
			if i == 1 {
				return broadcastLike(solveMatrices(args[0], t, transposed), x)
			}
			if transposed {
				t = swapLast(t)
			}
			return Neg(solveMatrices(args[0], Matmul(t, x), transposed))
		},
	})
}

// solveMatrices is one of the two solve primitives: A⁻¹b, or A⁻ᵀb when
// transposed; b is a stack of (n, k) matrices.
func solveMatrices(a, b Value, transposed bool) Value {
	if transposed {
		return Apply(solveTP, nil, a, b)
	}
	return Apply(solveP, nil, a, b)
}

// solveTriangular is one of the two triangular-solve primitives: it
// returns tril(l)⁻¹ b, or tril(l)⁻ᵀ b when transposed; b is a stack of
// (n, k) matrices.
func solveTriangular(l, b Value, transposed bool) Value {
	if transposed {
		return Apply(trisolveTP, nil, l, b)
	}
	return Apply(trisolveP, nil, l, b)
}

// asColumn returns b as a stack of matrices and a function that brings a
// result back to b's form: a 1-d b (numpy's vector case) becomes an (n, 1)
// matrix.
func asColumn(b Value) (Value, func(Value) Value) {
	s := b.Shape()
	if len(s) != 1 {
		return b, func(x Value) Value { return x }
	}
	return Reshape(b, []int{s[0], 1}), func(x Value) Value {
		xs := x.Shape()
		return Reshape(x, xs[:len(xs)-1])
	}
}

// Cholesky returns the lower Cholesky factor of each matrix of the stack
// a (...,n,n), as numpy.linalg.cholesky: only a's lower triangle is read,
// so the gradient with respect to a is lower triangular (upstream
// autograd's symmetric gradient is its symmetric part). A complex a is
// Hermitian: l·lᴴ = a, the imaginary part of a's diagonal ignored.
func Cholesky(a Value) Value { return Apply(choleskyP, nil, a) }

// Solve is numpy.linalg.solve: x with a·x = b for the stack of square
// matrices a (...,n,n); b is a vector (n,) when it is 1-d, else a stack of
// (n,k) matrices, the batch axes broadcasting. Real or complex a and b.
func Solve(a, b Value) Value {
	bm, back := asColumn(b)
	return back(solveMatrices(a, bm, false))
}

// Inv is numpy.linalg.inv on a stack of square matrices, real or complex.
func Inv(a Value) Value { return Apply(invP, nil, a) }

// Det is numpy.linalg.det on a stack of square matrices, real or complex
// (its derivative needs a invertible).
func Det(a Value) Value { return Apply(detP, nil, a) }

// LogAbsDet returns log|det a| (real) for a stack of square matrices, real
// or complex.
func LogAbsDet(a Value) Value { return Apply(logabsdetP, nil, a) }

// Slogdet is numpy.linalg.slogdet: the sign of det a (a constant, without
// derivative; det/|det| for complex a, as numpy's) and log|det a|.
func Slogdet(a Value) (sign *nd.Array, logabsdet Value) {
	sign, _ = nd.SlogDet(Unbox(a))
	return sign, LogAbsDet(a)
}

// SolveTriangular is scipy.linalg.solve_triangular on stacks: x with
// op(T)·x = b, where T is the lower (lower set) or upper triangle of each
// matrix of a, op transposes when trans is set, and b is a vector (n,)
// when it is 1-d, else a stack of (n,k) matrices. The other triangle of a
// is never read. Real and complex.
func SolveTriangular(a, b Value, lower, trans bool) Value {
	bm, back := asColumn(b)
	if lower {
		return back(solveTriangular(a, bm, trans))
	}
	// triu(a) = tril(aᵀ)ᵀ, so triu(a)⁻¹ = tril(aᵀ)⁻ᵀ and triu(a)⁻ᵀ = tril(aᵀ)⁻¹
	return back(solveTriangular(swapLast(a), bm, !trans))
}
