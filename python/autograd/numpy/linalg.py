"""autograd.numpy.linalg: numpy.linalg, wrapped like autograd.numpy.

Untraced calls are numpy's own.  Traced calls:

* ``cholesky``, ``solve``, ``inv``, ``det`` and ``slogdet`` call the Go
  core's linear-algebra operations (gonum LAPACK), on a square matrix or a
  stack of them (leading batch axes, which broadcast between ``solve``'s
  operands), with numpy's semantics and errors (``LinAlgError`` for a
  singular or non positive definite matrix).  Their derivatives exist to
  any order in both modes.
* ``solve``, ``inv``, ``det`` and ``slogdet`` take complex matrices too
  (the Go core's own complex LU: gonum has no complex LAPACK); for a
  complex matrix ``slogdet``'s sign is numpy's det/|det| and its
  ``logabsdet`` is real, with the gradient autograd's convention gives a
  real function of a complex argument (∂f/∂x − i ∂f/∂y, here A⁻ᵀ).
  ``cholesky``, ``eigh`` and ``svd`` take complex (Hermitian, for the
  first two) matrices too, with the Go core's own Jacobi-based kernels;
  see below for the vectors' phases.
* ``cholesky`` reads only the lower triangle of a, as numpy does, and its
  derivative is that function's: the gradient with respect to a matrix
  given directly is lower triangular.  Upstream autograd returns the
  symmetric gradient instead, which is this one's symmetric part
  (g + gᵀ)/2; both give the same result for any symmetric
  parametrization of a (a = f(θ) with f(θ) symmetric).
  ``upper=True`` reads the upper triangle, as numpy does.
* ``slogdet`` returns numpy's ``SlogdetResult``: the sign is a constant
  (no gradient), ``logabsdet`` is differentiable.
* ``det``'s derivative uses the inverse: it raises ``LinAlgError`` at a
  singular matrix (the value itself is 0, as numpy's).
* ``norm`` (vector and Frobenius / 1 / inf matrix norms) is a composite of
  differentiable operations.
* ``matrix_power(a, n)`` is repeated squaring with ``matmul`` (numpy's
  order of products), through ``inv`` for negative n; n = 0 gives numpy's
  identity stack, a constant.
* ``eigh``/``eigvalsh`` and ``svd``/``svdvals`` call the Go core's
  ``eigh`` (gonum Syev; Jacobi rotations for complex input) and ``svd``
  (gonum Gesvd, reduced; one-sided Jacobi for complex input) operations,
  which return their factors packed in one array (``[w; v]``,
  ``[u; s; v]``), split here with indexing.  ``eigh`` reads only the
  ``UPLO`` triangle, as numpy does, so its gradient lies in that triangle.
  Each eigenvector / singular-vector pair is then given numpy's sign (or,
  for complex input, numpy's phase) by a constant factor, so a traced call
  returns numpy's vectors.  Those come from numpy's own decomposition of
  the plain matrix, run once more for this (O(n³), about the cost of the
  traced decomposition itself; ``eigvalsh`` and ``compute_uv=False`` skip
  it): LAPACK's signs depend on its implementation, so the Go core cannot
  reproduce them.  For complex input the vectors' derivatives fix
  the phase freedom as upstream autograd does (diag(vᴴ dv) = 0, and for
  svd none in v), so compare phase-invariant quantities (|v|, v·v̄ᵀ, a
  vector rotated to make one entry real) with finite differences.
  The vectors' derivatives divide by eigenvalue (singular value) gaps:
  they are infinite at repeated eigenvalues (singular values), and svd's
  also at a zero singular value of a non-square matrix.  ``svd`` with
  ``full_matrices=True`` on a non-square traced matrix raises
  NotImplementedError (the extra vectors are not unique, so not
  differentiable); ``hermitian=True`` follows numpy (through ``eigh``,
  reading the lower triangle).
* ``norm`` with ``ord`` 2, -2 and ``'nuc'`` for matrices is the largest,
  smallest and sum of the singular values.
* ``pinv(a, rcond)`` is numpy's: ``vh.T @ diag(1/s) @ u.T`` over the
  singular values above ``rcond * max(s)``.  Which values are kept is
  decided with numpy's own singular values of the plain matrix, so
  rank-deficient input gives numpy's result; the derivative exists where
  the rank is full (at rank-deficient input pinv is not continuous).
* ``eig``/``eigvals`` call the Go core's ``eig`` (gonum Geev on real
  matrices, a Hessenberg-QR kernel of its own on complex ones): the values
  are numpy's (same order, same eigenvector phases, real when numpy's are;
  always complex for complex input), see the section at the end.  Both
  the raw vectors and phase-invariant functions of them are
  differentiable (the phase convention, largest entry real, is numpy's
  and locally constant).  The vectors' derivatives are infinite where
  eigenvalues coincide.
* ``matrix_rank`` and ``cond`` have no traced version.

The other functions raise NotImplementedError on traced values.
"""
import operator as _operator

import numpy as _np

from .numpy_wrapper import wrap_namespace as _wrap, wrap_function as _wrap_function
from . import _traced as _t
from ._traced import TRACED_LINALG as _TABLE

_wrap(_np.linalg, globals(), _TABLE, prefix="linalg.")


def _abs2(x):
    if _t.iscomplex_of(x):
        return _t.real(_t.multiply(x, _t.conj(x)))
    return _t.multiply(x, x)


def _vector_norm(x, ord, axis, keepdims):
    ax = (axis,)
    absx = _t.TRACED["abs"](x)
    if ord is None or ord == 2:
        return _t.sqrt(_t.sum(_abs2(x), axis=ax, keepdims=keepdims))
    if ord == _np.inf:
        return _t.TRACED["max"](absx, axis=ax, keepdims=keepdims)
    if ord == -_np.inf:
        return _t.TRACED["min"](absx, axis=ax, keepdims=keepdims)
    if ord == 0:
        return _np.sum(_t.getval(x) != 0, axis=ax, keepdims=keepdims).astype(float)
    if ord == 1:
        return _t.sum(absx, axis=ax, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError("Invalid norm order '{}' for vectors".format(ord))
    return _t.power(_t.sum(_t.power(absx, float(ord)), axis=ax, keepdims=keepdims), 1.0 / ord)


def _matrix_norm(x, ord, axes, keepdims):
    r, c = axes
    if ord is None or ord == "fro":
        res = _t.sqrt(_t.sum(_abs2(x), axis=axes, keepdims=True))
    elif ord in (1, -1, _np.inf, -_np.inf):
        absx = _t.TRACED["abs"](x)
        inner = r if ord in (1, -1) else c
        outer = c if ord in (1, -1) else r
        red = _t.TRACED["max"] if ord in (1, _np.inf) else _t.TRACED["min"]
        res = red(_t.sum(absx, axis=inner, keepdims=True), axis=outer, keepdims=True)
    elif ord in (2, -2, "nuc"):
        s = _svdvals(_t.moveaxis(x, axes, (-2, -1)))
        if ord == "nuc":
            res = _t.sum(s, axis=-1)
        else:
            res = _t.TRACED["max" if ord == 2 else "min"](s, axis=-1)
        return _t.expand_dims(res, tuple(sorted(axes))) if keepdims else res
    else:
        raise ValueError("Invalid norm order for matrices.")
    if keepdims:
        return res
    return _t.squeeze(res, axis=tuple(axes))


def _norm(x, ord=None, axis=None, keepdims=False):
    x = _t.lift(x)
    nd = _t.ndim_of(x)
    if axis is None:
        if ord is None:
            res = _t.sqrt(_t.sum(_abs2(x)))
            if keepdims:
                res = _t.reshape(res, (1,) * nd)
            return res
        if nd == 1:
            axis = 0
        elif nd == 2:
            axis = (0, 1)
        else:
            raise ValueError("Improper number of dimensions to norm.")
    if isinstance(axis, (int, _np.integer)):
        return _vector_norm(x, ord, _t.normalize_axis(axis, nd), keepdims)
    axes = _t.normalize_axes(axis, nd)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    if len(axes) == 2:
        return _matrix_norm(x, ord, tuple(axes), keepdims)
    raise ValueError("Improper number of dimensions to norm.")


_TABLE["norm"] = _norm


# ------------------------------------------------------------ LAPACK-backed


def _adjoint(x):
    """The conjugate transpose of each matrix of x (the transpose when x
    is real)."""
    x = _t.swapaxes(x, -1, -2)
    return _t.conj(x) if _t.iscomplex_of(x) else x


def _cholesky(a, upper=False):
    a = _t.lift(a)
    if not upper:
        return _t.apply("cholesky", [a])
    # numpy then reads the upper triangle, the lower one of aᴴ:
    # U = cholesky(aᴴ)ᴴ
    if _t.ndim_of(a) < 2:
        return _t.apply("cholesky", [a])  # numpy's LinAlgError
    return _adjoint(_t.apply("cholesky", [_adjoint(a)]))


def _solve(a, b):
    a, b = _t.lift(a), _t.lift(b)
    if _t.ndim_of(b) != 1:
        return _t.apply("solve", [a, b])
    # numpy's vector case: b of shape (m,) is one column
    m, sa = _t.shape_of(b)[0], _t.shape_of(a)
    if len(sa) >= 2 and sa[-1] == sa[-2] and sa[-1] != m:
        raise ValueError("solve1: Input operand 1 has a mismatch in its core dimension 0, "
                         "with gufunc signature (m,m),(m)->(m) (size {} is different from {})"
                         .format(m, sa[-1]))
    x = _t.apply("solve", [a, _t.reshape(b, (m, 1))])
    return _t.reshape(x, _t.shape_of(x)[:-1])


def _inv(a):
    return _t.apply("inv", [_t.lift(a)])


def _det(a):
    return _t.apply("det", [_t.lift(a)])


def _slogdet(a):
    a = _t.lift(a)
    logabsdet = _t.apply("logabsdet", [a])  # raises numpy's errors first
    res = _np.linalg.slogdet(_t.getval(a))
    return type(res)(res.sign, logabsdet)


_TABLE.update(cholesky=_cholesky, solve=_solve, inv=_inv, det=_det, slogdet=_slogdet)


def _matrix_power(a, n):
    a = _t.lift(a)
    try:
        n = _operator.index(n)
    except TypeError:
        raise TypeError("exponent must be an integer") from None
    shape = _t.shape_of(a)
    if len(shape) < 2:
        raise _np.linalg.LinAlgError("{}-dimensional array given. Array must be at least "
                                     "two-dimensional".format(len(shape)))
    if shape[-1] != shape[-2]:
        raise _np.linalg.LinAlgError("Last 2 dimensions of the array must be square")
    if n == 0:
        # numpy's identity stack, in a's dtype: a constant
        dtype = a.dtype if isinstance(a, _np.ndarray) else _t.getval(a).dtype
        out = _np.empty(shape, dtype=dtype)
        out[...] = _np.eye(shape[-1], dtype=dtype)
        return out
    if n < 0:
        a = _inv(a)
        n = -n
    if n == 1:
        return a
    if n == 2:
        return _t.matmul(a, a)
    if n == 3:
        return _t.matmul(_t.matmul(a, a), a)
    # binary decomposition: z runs through a, a², a⁴, ...; result collects
    # the powers of the bits of n
    z = result = None
    while n > 0:
        z = a if z is None else _t.matmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else _t.matmul(result, z)
    return result


_TABLE["matrix_power"] = _matrix_power


# ------------------------------------------------------------ decompositions

_EighResult = type(_np.linalg.eigh(_np.eye(1)))
_SVDResult = type(_np.linalg.svd(_np.eye(1)))


def _eigh_packed(a, UPLO):
    if UPLO not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    a = _t.lift(a)
    if UPLO == "U" and _t.ndim_of(a) >= 2:
        a = _adjoint(a)  # the Hermitian matrix of a's upper triangle is that of aᴴ's lower one
    return _t.apply("eigh", [a])


def _real_row(x, i):
    """x[..., i, :], real: the eigenvalues or singular values, packed in a
    complex array for complex input."""
    r = _t.getitem(x, (Ellipsis, i, slice(None)))
    return _t.real(r) if _t.iscomplex_of(r) else r


def _numpy_signs(ours, theirs):
    """+1 or -1 per column (last axis) of ours, the vectors of a traced
    decomposition, to give each the sign numpy's LAPACK gave it in theirs.
    Singular vectors are unique only up to sign: numpy's are the reference,
    so that a traced call returns numpy's value, and its derivative is that
    of the function numpy computes (the sign is locally constant)."""
    dots = _np.sum(_np.asarray(_t.getval(ours)) * _np.asarray(theirs), axis=-2)
    return _np.where(dots < 0, -1.0, 1.0)


def _numpy_phases(ours, theirs):
    """The complex counterpart of _numpy_signs: a unit phase per column of
    ours (complex vectors are unique only up to a phase), the one that
    turns it into numpy's vector in theirs: c = ⟨ours, theirs⟩/|⟨…⟩|
    (ours·c = theirs when the two differ by a phase).  A constant, so the
    derivative is that of our vectors rotated: complex vectors' derivatives
    fix the phase freedom by upstream autograd's convention, not numpy's,
    and only phase-invariant functions of them match finite differences."""
    dots = _np.sum(_np.conj(_np.asarray(_t.getval(ours))) * _np.asarray(theirs), axis=-2)
    mag = _np.abs(dots)
    return _np.where(mag > 0, dots / _np.where(mag > 0, mag, 1.0), 1.0)


def _align(ours, theirs):
    """Per-column factors (signs or phases) that give ours numpy's vectors."""
    if _np.iscomplexobj(theirs):
        return _numpy_phases(ours, theirs)
    return _numpy_signs(ours, theirs)


def _eigh(a, UPLO="L"):
    x = _eigh_packed(a, UPLO)
    w = _real_row(x, 0)
    v = _t.getitem(x, (Ellipsis, slice(1, None), slice(None)))
    theirs = _np.linalg.eigh(_np.asarray(_t.getval(a)), UPLO)[1]
    v = _t.multiply(v, _align(v, theirs)[..., None, :])
    return _EighResult(w, v)


def _eigvalsh(a, UPLO="L"):
    return _real_row(_eigh_packed(a, UPLO), 0)


def _take_last(x, order):
    """x[..., order] along the last axis, order holding one permutation per
    vector (it broadcasts over x's other leading axes)."""
    return _t.TRACED["take_along_axis"](x, order, axis=-1)


def _svd_hermitian(a, compute_uv):
    # numpy's: the eigendecomposition of the lower triangle, |w| in
    # decreasing order, the signs of w moved into vh
    w, v = _eigh(a)
    wv = _t.getval(w)
    order = _np.argsort(_np.abs(wv), axis=-1)[..., ::-1]
    s = _take_last(_t.TRACED["abs"](w), order)
    if not compute_uv:
        return s
    sign = _np.sign(wv)  # a constant, as numpy's
    u = _take_last(v, order[..., None, :])
    vh = _adjoint(_take_last(_t.multiply(v, sign[..., None, :]), order[..., None, :]))
    return _SVDResult(u, s, vh)


def _svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    a = _t.lift(a)
    shape = _t.shape_of(a)
    if len(shape) < 2:
        return _t.apply("svd", [a])  # numpy's LinAlgError
    if hermitian:
        return _svd_hermitian(a, compute_uv)
    m, n = shape[-2:]
    if compute_uv and full_matrices and m != n:
        raise NotImplementedError(
            "autograd.numpy.linalg.svd: full_matrices=True on a non-square matrix has no "
            "derivative (the extra singular vectors are not unique); use full_matrices=False")
    x = _t.apply("svd", [a])
    s = _real_row(x, m)
    if not compute_uv:
        return s
    u = _t.getitem(x, (Ellipsis, slice(0, m), slice(None)))
    vh = _adjoint(_t.getitem(x, (Ellipsis, slice(m + 1, None), slice(None))))
    theirs = _np.linalg.svd(_np.asarray(_t.getval(a)), full_matrices=False)[0]
    c = _align(u, theirs)  # u's column turns by c, vh's row by conj(c)
    return _SVDResult(_t.multiply(u, c[..., None, :]), s, _t.multiply(vh, _np.conj(c)[..., :, None]))


def _svdvals(x):
    return _svd(x, compute_uv=False)


def _pinv(a, rcond=None, hermitian=False, *, rtol=_np._NoValue):
    a = _t.lift(a)
    plain = _np.asarray(_t.getval(a))
    if rcond is None:
        if rtol is _np._NoValue:
            rcond = 1e-15
        elif rtol is None:
            rcond = max(plain.shape[-2:]) * _np.finfo(plain.dtype).eps
        else:
            rcond = rtol
    elif rtol is not _np._NoValue:
        raise ValueError("`rtol` and `rcond` can't be both set.")
    rcond = _np.asarray(_t.getval(rcond))
    if plain.ndim < 2 or plain.size == 0:
        return _np.linalg.pinv(plain, rcond=rcond, hermitian=hermitian)  # numpy's error or empty result
    u, s, vh = _svd(a, full_matrices=False, hermitian=hermitian)
    # which singular values are kept: decided as numpy decides, on numpy's
    # own singular values of the plain matrix (a constant mask)
    ns = _np.linalg.svd(plain.conjugate(), compute_uv=False, hermitian=hermitian)
    large = ns > rcond[..., None] * _np.amax(ns, axis=-1, keepdims=True)
    sinv = _t.where(large, _t.TRACED["reciprocal"](_t.where(large, s, 1.0)), 0.0)
    return _t.matmul(_adjoint(vh), _t.multiply(sinv[..., None], _adjoint(u)))


_TABLE.update(eigh=_eigh, eigvalsh=_eigvalsh, svd=_svd, svdvals=_svdvals, pinv=_pinv)


# autograd.numpy's swapaxes and einsum (numpy's own on plain values)
_swapaxes, _einsum = (_wrap_function(getattr(_np, n), n, _t.TRACED, "") for n in ["swapaxes", "einsum"])


# Two helpers upstream autograd.numpy.linalg exposes (code written against
# upstream uses them): the transpose of the last two axes, and the stacked
# matrix product.
def T(x):
    """x with its last two axes swapped."""
    return _swapaxes(x, -1, -2)


def _dot(a, b):
    """The matrix product of stacks of matrices (no broadcasting of the
    stack axes beyond einsum's)."""
    return _einsum("...ij,...jk->...ik", a, b)


# ------------------------------------------------------------ eig, eigvals
#
# The Go core's ``eig`` (gonum Geev for real matrices, a kernel of its own
# for complex ones) returns [w; v] packed in one complex array
# (..., n+1, n), each eigenvector of unit norm with its entry of largest
# modulus real and positive.  numpy's order and
# phases are its LAPACK's: after the traced call, numpy's eig of the plain
# value is computed, each of numpy's eigenvalues is matched to ours (a
# constant permutation, applied by gathering) and each eigenvector is
# multiplied by the constant unit factor that maps it onto numpy's, so a
# traced call returns numpy's value, and the derivative is that of the
# function numpy computes (wherever its phase convention, the largest entry
# real, is locally constant; for a complex matrix numpy's zgeev makes that
# entry real and positive, as the core does, so the factor is 1 up to
# rounding).  When numpy's result is real (a real matrix with all
# eigenvalues real), so is the traced one; for a complex matrix numpy's,
# and the traced, w and v are always complex.

_EigResult = type(_np.linalg.eig(_np.eye(1)))


def _eig_match(ours, theirs):
    """For each of numpy's eigenvalues (last axis of theirs), the index of
    the nearest of ours, each used once (greedy, in numpy's order)."""
    perm = _np.empty(theirs.shape, dtype=_np.int64)
    for idx in _np.ndindex(*theirs.shape[:-1]):
        free = list(range(theirs.shape[-1]))
        for i, z in enumerate(theirs[idx]):
            j = min(free, key=lambda j: abs(ours[idx + (j,)] - z))
            free.remove(j)
            perm[idx + (i,)] = j
    return perm


def _eig_traced(a, name, vectors):
    a = _t.lift(a)
    x = _t.apply("eig", [a])  # numpy's LinAlgError for bad shapes, NaN, inf
    w = _t.getitem(x, (Ellipsis, 0, slice(None)))
    plain = _np.asarray(_t.getval(a))
    if vectors:
        nw, nv = _np.linalg.eig(plain)
    else:
        nw, nv = _np.linalg.eigvals(plain), None
    perm = _eig_match(_np.asarray(_t.getval(w)), nw)
    w = _take_last(w, perm)
    if nw.dtype.kind != "c":
        w = _t.real(w)
    if not vectors:
        return w
    v = _take_last(_t.getitem(x, (Ellipsis, slice(1, None), slice(None))), perm[..., None, :])
    v = _t.multiply(v, _numpy_phases(v, nv)[..., None, :])
    if nv.dtype.kind != "c":
        v = _t.real(v)
    return _EigResult(w, v)


def _eig(a):
    return _eig_traced(a, "eig", True)


def _eigvals(a):
    return _eig_traced(a, "eigvals", False)


_TABLE.update(eig=_eig, eigvals=_eigvals)
