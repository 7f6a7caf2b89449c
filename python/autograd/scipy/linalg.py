"""autograd.scipy.linalg: scipy.linalg, wrapped like autograd.numpy.

Every public name of scipy.linalg is here; a call without traced arguments
is scipy's own call.  Traced calls (real matrices; complex where noted),
all composed from the Go core's linear-algebra operations (cholesky,
solve, inv, det, the two triangular solves), so that their derivatives
exist to any order in both modes:

* ``solve_triangular(a, b, trans, lower, unit_diagonal)``: trans 0 / 'N',
  1 / 'T', 2 / 'C'; only the chosen triangle of a is read (the gradient
  with respect to a lies in it), and with unit_diagonal not its diagonal
  either.  Real or complex a and b.
* ``cholesky(a, lower=False)``: scipy's default is the upper factor U,
  a = UᵀU, read from a's upper triangle; ``lower=True`` reads the lower
  one.  ``cho_factor`` (its other triangle is a's, as scipy leaves it) and
  ``cho_solve``.
* ``solve(a, b, lower, assume_a, transposed)`` with assume_a None / 'gen',
  'sym' / 'her' / 'pos' (one triangle read, chosen by lower), 'diagonal',
  'tridiagonal', 'upper triangular', 'lower triangular'; ``inv(a,
  assume_a, lower)`` likewise except 'diagonal'; ``det`` and ``norm`` are
  autograd.numpy.linalg's.  Complex a is supported ('pos', ``cholesky``,
  ``cho_factor`` and ``cho_solve`` take Hermitian positive definite
  matrices, a = UᴴU = LLᴴ); 'her' then reads a Hermitian matrix from the
  triangle, 'sym' a complex symmetric one, as scipy.
* ``solve_sylvester(a, b, q)`` and ``sqrtm(A)`` (real or complex; sqrtm
  of a real matrix with a negative eigenvalue is complex, as scipy's):
  scipy's own values; their derivative rules solve another Sylvester
  equation with the traced solve_sylvester.  ``solve_banded(l_and_u, ab,
  b)``: the band is expanded to the full matrix (entries of ab outside
  the matrix are not read) and solved; one matrix, not a stack.
* a, b may be stacks (leading batch axes, broadcast between a and b), as
  scipy's batched functions allow; a 1-d b is one right-hand side.
* Errors are scipy's: when the traced computation fails (singular or not
  positive definite matrix, bad shapes), scipy itself is called on the
  values and raises its exception; inputs with NaN or inf
  (check_finite=True) and empty inputs are handed to scipy too (an empty
  result is scipy's, a constant).

Any other function raises NotImplementedError on traced values.
"""
import functools

import numpy as _np
import scipy.linalg as _sl

from ..numpy.numpy_wrapper import wrap_namespace as _wrap
from ..numpy import _traced as _t
from ..numpy import linalg as _nla  # noqa: F401  (fills TRACED_LINALG)
from ..numpy._traced import TRACED_LINALG as _NLA

_TABLE = {}
_wrap(_sl, globals(), _TABLE, prefix="linalg.", module="autograd.scipy")

_LinAlgError = _np.linalg.LinAlgError


def _untraced_call(name, args, kwargs):
    """scipy.linalg.name on the values of args: raises scipy's error."""
    return getattr(_sl, name)(*_t.deep_getval(args),
                              **{k: _t.deep_getval(v) for k, v in kwargs.items()})


def _arrays_of(args, kwargs, names, nargs):
    """The array arguments (the first nargs positional ones or keywords)."""
    out = list(args[:nargs])
    for n in names[len(out):nargs]:
        if n in kwargs:
            out.append(kwargs[n])
    return out


def _scipy_semantics(name, array_names, check_finite=True):
    """Register the decorated traced implementation of scipy.linalg.name:
    inputs with NaN / inf (when check_finite) or of size zero go to scipy
    (its error, or its empty result); an error of the traced computation is
    replaced by the one scipy raises on the same values, when it raises."""
    def deco(impl):
        @functools.wraps(impl)
        def wrapped(*args, **kwargs):
            arrays = _arrays_of(args, kwargs, array_names, len(array_names))
            vals = []
            for a in arrays:
                if isinstance(a, tuple) and name == "cho_solve":
                    a = a[0]
                vals.append(_np.asarray(_t.deep_getval(a)))
            finite = kwargs.get("check_finite", True) if check_finite else False
            if any(v.size == 0 for v in vals) or (
                    finite and not all(_np.isfinite(v).all() for v in vals
                                       if v.dtype.kind in "fc")):
                return _untraced_call(name, args, kwargs)
            try:
                return impl(*args, **kwargs)
            except (ValueError, _LinAlgError):
                try:
                    _untraced_call(name, args, kwargs)
                except Exception as scipy_error:
                    raise scipy_error from None
                raise
        _TABLE[name] = wrapped
        return wrapped
    return deco


# ------------------------------------------------------------ helpers


def _swap(x):
    return _t.swapaxes(x, -1, -2)


def _check_square(a):
    s = _t.shape_of(a)
    if len(s) < 2 or s[-1] != s[-2]:
        raise ValueError("expected square matrix")
    return s[-1]


def _eye_mask(n):
    return _np.eye(n, dtype=bool)


def _trisolve(a, b, trans=0, lower=False, unit_diagonal=False):
    """op(T)⁻¹ b where T is a's lower (lower) or upper triangle, with ones
    on its diagonal when unit_diagonal; op is identity (0), transpose (1)
    or conjugate transpose (2).  b is one vector (1-d) or a stack of
    matrices; a a stack of square matrices."""
    n = _check_square(a)
    if unit_diagonal:
        a = _t.where(_eye_mask(n), 1.0, a)
    if trans == 2 and _t.iscomplex_of(a):
        a = _t.conj(a)
    transposed = trans != 0
    if not lower:
        # triu(a) = tril(aᵀ)ᵀ: triu(a)⁻¹ = tril(aᵀ)⁻ᵀ, triu(a)⁻ᵀ = tril(aᵀ)⁻¹
        a, transposed = _swap(a), not transposed
    vector = _t.ndim_of(b) == 1
    if vector:
        b = _t.reshape(b, (_t.shape_of(b)[0], 1))
    x = _t.apply("solve_triangular_t" if transposed else "solve_triangular", [a, b])
    if vector:
        x = _t.reshape(x, _t.shape_of(x)[:-1])
    return x


def _symmetric_from(a, lower):
    """The symmetric matrix (stack) with a's lower or upper triangle."""
    if lower:
        return _t.add(_t.TRACED["tril"](a), _swap(_t.TRACED["tril"](a, -1)))
    return _t.add(_t.TRACED["triu"](a), _swap(_t.TRACED["triu"](a, 1)))


def _hermitian_from(a, lower):
    """The Hermitian matrix (stack) with a's lower or upper triangle, the
    imaginary part of the diagonal dropped (as LAPACK's hetrf reads it)."""
    tri = _t.TRACED["tril"](a, -1) if lower else _t.TRACED["triu"](a, 1)
    diag = _t.real(_t.multiply(a, _np.eye(_t.shape_of(a)[-1])))
    return _t.add(_t.add(tri, _swap(_t.conj(tri))), diag)


def _from_triangle(a, lower, assume_a):
    """The matrix scipy's 'sym' / 'her' solvers read from one triangle of a:
    Hermitian for a complex a with assume_a 'her' / 'hermitian', else
    symmetric."""
    if assume_a in ("her", "hermitian") and _t.iscomplex_of(a):
        return _hermitian_from(a, lower)
    return _symmetric_from(a, lower)


def _cholesky_factor(a, lower):
    """scipy's cholesky: L (lower) or U (else), from that triangle of a."""
    return _NLA["cholesky"](a, upper=not lower)


def _cho_solve(c, b, lower):
    """x with a x = b, where a = L Lᴴ (lower, L = tril(c)) or Uᴴ U (U = triu(c))."""
    vector = _t.ndim_of(b) == 1  # one right-hand side, also for a stack c
    if vector:
        b = _t.reshape(b, (_t.shape_of(b)[0], 1))
    if lower:
        x = _trisolve(c, _trisolve(c, b, 0, True), 2, True)
    else:
        x = _trisolve(c, _trisolve(c, b, 2, False), 0, False)
    return _t.reshape(x, _t.shape_of(x)[:-1]) if vector else x


_TRANS = {0: 0, 1: 1, 2: 2, "N": 0, "T": 1, "C": 2}


# ------------------------------------------------------------ the functions


@_scipy_semantics("solve_triangular", ("a", "b"))
def _solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                      check_finite=True):
    try:
        t = _TRANS[trans]
    except (KeyError, TypeError):
        raise ValueError("autograd.scipy.linalg.solve_triangular: trans must be 0, 1, 2, "
                         "'N', 'T' or 'C', not {!r}".format(trans)) from None
    return _trisolve(_t.lift(a), _t.lift(b), t, bool(lower), bool(unit_diagonal))


@_scipy_semantics("cholesky", ("a",))
def _cholesky(a, lower=False, overwrite_a=False, check_finite=True):
    a = _t.lift(a)
    _check_square(a)
    return _cholesky_factor(a, bool(lower))


@_scipy_semantics("cho_factor", ("a",))
def _cho_factor(a, lower=False, overwrite_a=False, check_finite=True):
    a = _t.lift(a)
    _check_square(a)
    c = _cholesky_factor(a, bool(lower))
    # scipy leaves a's entries in the other triangle
    rest = _t.TRACED["triu"](a, 1) if lower else _t.TRACED["tril"](a, -1)
    return _t.add(c, rest), bool(lower)


@_scipy_semantics("cho_solve", ("c_and_lower", "b"))
def _cho_solve_impl(c_and_lower, b, overwrite_b=False, check_finite=True):
    c, lower = c_and_lower
    return _cho_solve(_t.lift(c), _t.lift(b), bool(lower))


_SOLVE_STRUCTURES = {
    None: "gen", "general": "gen", "gen": "gen", "diagonal": "diagonal",
    "tridiagonal": "tridiagonal", "upper triangular": "upper", "lower triangular": "lower",
    "pos": "pos", "positive definite": "pos", "sym": "sym", "symmetric": "sym",
    "her": "sym", "hermitian": "sym",
}


def _structure(assume_a):
    """The structure solve / inv compute with for scipy's assume_a, None
    when it is not one of its names."""
    return _SOLVE_STRUCTURES.get(assume_a) if isinstance(assume_a, (str, type(None))) else None


def _unsupported(name, what):
    return NotImplementedError("autograd.scipy.linalg.{}: {} is not supported on traced "
                               "values".format(name, what))


@_scipy_semantics("solve", ("a", "b"))
def _solve(a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True,
           assume_a=None, transposed=False):
    structure = _structure(assume_a)
    if structure is None:
        if assume_a == "banded":
            raise _unsupported("solve", "assume_a='banded'")
        raise ValueError("{} is not a recognized matrix structure".format(assume_a))
    a, b = _t.lift(a), _t.lift(b)
    if _t.ndim_of(a) < 2:
        a = _t.reshape(a, (1,) * (2 - _t.ndim_of(a)) + tuple(_t.shape_of(a)))
    if _t.ndim_of(b) == 0:
        b = _t.reshape(b, (1,))
    if transposed and _t.iscomplex_of(a):
        _untraced_call("solve", (a, b), dict(transposed=True))  # scipy's error
    n = _check_square(a)
    vector = _t.ndim_of(b) == 1
    if int(_np.prod(_t.shape_of(a))) == 1:
        # scipy's scalar case: b / a (without the shape check on b)
        if (_np.asarray(_t.getval(a)) == 0).any():
            raise _LinAlgError("A singular matrix detected.")
        b2 = _t.reshape(b, (_t.shape_of(b)[0], 1)) if vector else b
        x = _t.divide(b2, a)
        return _t.reshape(x, _t.shape_of(x)[:-1]) if vector else x
    if structure == "upper" or structure == "lower":
        return _trisolve(a, b, 1 if transposed else 0, structure == "lower")
    if structure == "pos":
        return _cho_solve(_cholesky_factor(a, bool(lower)), b, bool(lower))
    if structure == "diagonal":
        d = _t.TRACED["diagonal"](a, 0, -2, -1)
        if (_np.asarray(_t.getval(d)) == 0).any():
            raise _LinAlgError("A singular matrix detected.")
        if vector:
            return _t.divide(b, d)
        return _t.divide(b, _t.expand_dims(d, -1))
    if structure == "sym":
        a = _from_triangle(a, bool(lower), assume_a)
    elif transposed:
        a = _swap(a)
    if structure == "tridiagonal":
        i = _np.arange(n)
        a = _t.multiply(a, (abs(i[:, None] - i[None, :]) <= 1).astype(float))
    return _NLA["solve"](a, b)


@_scipy_semantics("inv", ("a",))
def _inv(a, overwrite_a=False, check_finite=True, *, assume_a=None, lower=False):
    structure = _structure(assume_a)
    if structure in (None, "tridiagonal") or assume_a in ("symmetric", "hermitian",
                                                          "positive definite"):
        # not one of scipy.linalg.inv's names: scipy's KeyError
        _untraced_call("inv", (a,), dict(assume_a=assume_a, lower=lower))
    if structure == "diagonal":
        raise _unsupported("inv", "assume_a='diagonal'")
    a = _t.lift(a)
    n = _check_square(a)
    if structure == "upper" or structure == "lower":
        return _trisolve(a, _np.eye(n), 0, structure == "lower")
    if structure == "pos":
        return _cho_solve(_cholesky_factor(a, bool(lower)), _np.eye(n), bool(lower))
    if structure == "sym":
        a = _from_triangle(a, bool(lower), assume_a)
    return _NLA["inv"](a)


@_scipy_semantics("det", ("a",))
def _det(a, overwrite_a=False, check_finite=True):
    return _NLA["det"](a)


@_scipy_semantics("norm", ("a",))
def _norm(a, ord=None, axis=None, keepdims=False, check_finite=True):
    return _NLA["norm"](a, ord=ord, axis=axis, keepdims=keepdims)


# ------------------------------------------------------------ Python primitives
#
# solve_sylvester and sqrtm are scipy's own (Bartels-Stewart, Schur) on
# plain values; their derivative rules solve another Sylvester equation
# with the traced solve_sylvester, so derivatives exist to any order in
# both modes.

from ..extend import primitive as _primitive, defvjp as _defvjp, defjvp as _defjvp  # noqa: E402


def _T(x):
    return _swap(_t.lift(x))


def _like(g, x):
    """The cotangent g for the argument x: its real part when x is real."""
    return g if _t.iscomplex_of(x) or not _t.iscomplex_of(g) else _t.real(g)


_sylvester = _primitive(_sl.solve_sylvester)

# a x + x b = q.  Tangent: a ẋ + ẋ b = q̇ − ȧ x − x ḃ.  Cotangent:
# q̄ = sylvester(aᵀ, bᵀ, x̄), ā = −q̄ xᵀ, b̄ = −xᵀ q̄ (transposes, no
# conjugation, as autograd's complex convention wants).
_defvjp(_sylvester,
        lambda x, a, b, q: lambda g: _like(-_t.matmul(_sylvester(_T(a), _T(b), g), _T(x)), a),
        lambda x, a, b, q: lambda g: _like(-_t.matmul(_T(x), _sylvester(_T(a), _T(b), g)), b),
        lambda x, a, b, q: lambda g: _like(_sylvester(_T(a), _T(b), g), q))
_defjvp(_sylvester,
        lambda g, x, a, b, q: _sylvester(a, b, -_t.matmul(g, x)),
        lambda g, x, a, b, q: _sylvester(a, b, -_t.matmul(x, g)),
        lambda g, x, a, b, q: _sylvester(a, b, g))


@_scipy_semantics("solve_sylvester", ("a", "b", "q"), check_finite=False)
def _solve_sylvester(a, b, q):
    return _sylvester(a, b, q)


_sqrtm = _primitive(lambda a: _sl.sqrtm(a))

# x x = a.  Tangent: x ẋ + ẋ x = ȧ.  Cotangent: ā = sylvester(xᵀ, xᵀ, x̄).
_defvjp(_sqrtm, lambda x, a: lambda g: _like(_sylvester(_T(x), _T(x), g), a))
_defjvp(_sqrtm, lambda g, x, a: _sylvester(x, x, g))


@_scipy_semantics("sqrtm", ("A",), check_finite=False)
def _sqrtm_impl(A, *args, **kwargs):
    if args or kwargs:
        raise _unsupported("sqrtm", "disp / blocksize")
    return _sqrtm(A)


def _banded_to_full(l_and_u, ab):
    """The n×n matrix whose band is stored in ab (scipy's layout:
    a[i, j] = ab[u + i − j, j]); entries of ab outside the matrix are not
    read (their gradient is zero)."""
    (nl, nu) = l_and_u
    rows, n = _t.shape_of(ab)
    if nl + nu + 1 != rows:
        raise ValueError("invalid values for the number of lower and upper diagonals: "
                         "l+u+1 (%d) does not equal ab.shape[0] (%d)" % (nl + nu + 1, rows))
    i, j = _np.indices((n, n))
    k = nu + i - j
    inside = (k >= 0) & (k < rows)
    flat = _np.where(inside, k * n + j, rows * n)  # rows*n: an appended zero
    padded = _t.TRACED["concatenate"]([_t.reshape(ab, (rows * n,)), _np.zeros(1)])
    return _t.lift(padded)[flat]


@_scipy_semantics("solve_banded", ("l_and_u", "ab", "b"))
def _solve_banded(l_and_u, ab, b, overwrite_ab=False, overwrite_b=False, check_finite=True):
    ab, b = _t.lift(ab), _t.lift(b)
    if _t.ndim_of(ab) != 2:
        raise _unsupported("solve_banded", "a stack of banded matrices")
    a = _banded_to_full(l_and_u, ab)
    if _t.shape_of(ab)[1] == 1:  # scipy's 1×1 case: b / a
        bb = _t.reshape(b, (1, -1))
        return _t.reshape(_t.divide(bb, a), _t.shape_of(b))
    return _NLA["solve"](a, b)
