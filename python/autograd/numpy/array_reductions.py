"""Traced sums, products, extrema, statistics, scans and differences: the
Python side of the Go core's ``sum``, ``max`` and ``min``
(``core/ad/rules_array.go``).

sum, max and min over axes are the core's reductions; mean, var and std
are compositions; prod is a tree of elementwise products, cumsum a
tensordot with a triangle of ones and cumprod a log-depth scan of
products.  where= and initial= replace excluded elements by the reduction's
identity under a constant mask.  trace is a sum of a diagonal; diff and
gradient are differences of slices.
"""
import numpy as _np

from ..ops import apply, lift, shape_of, ndim_of, iscomplex_of
from ..tracer import getval, deep_getval
from ._args import reject_kwargs, normalize_axes, normalize_axis, nelems
from .array_combining import concatenate
from .array_indexing import getitem, index_grid, _masked_place
from .array_shapes import broadcast_to, moveaxis, ravel, reshape, transpose
from .elementwise import add, astype, conj, divide, multiply, real, sqrt, subtract
from .elementwise import where as _where  # reductions take where= arguments
from .numpy_wrapper import TRACED, traced


def _reduce(opname, a, axis, keepdims):
    a = lift(a)
    nd = ndim_of(a)
    axes = normalize_axes(axis, nd)
    if not axes:
        return a
    return apply(opname, [a], axes=axes, flags=[1 if keepdims else 0])


def _mask(where):
    """The where= argument of a reduction as a plain boolean array, or None
    for numpy's default (every element)."""
    if where is True or where is None or where is _np._NoValue:
        return None
    return _np.asarray(deep_getval(where), dtype=bool)


def _masked(a, where, fill):
    """a with the elements where= excludes replaced by fill (a constant)."""
    m = _mask(where)
    if m is None:
        return lift(a)
    a = lift(a)
    return broadcast_to(_where(m, a, fill), shape_of(a))


@traced("sum")
def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True, **kwargs):
    reject_kwargs("sum", dict(out=out, **kwargs))
    a = _masked(a, where, 0.0)
    r = _reduce("sum", a, axis, bool(keepdims) and keepdims is not _np._NoValue)
    if initial is not None and initial is not _np._NoValue:
        r = add(r, initial)
    return astype(r, dtype) if dtype is not None else r


def _count(a, axis):
    shape = shape_of(a)
    return nelems(shape[i] for i in normalize_axes(axis, len(shape)))


@traced("mean")
def mean(a, axis=None, dtype=None, out=None, keepdims=False, where=True, **kwargs):
    reject_kwargs("mean", dict(out=out, **kwargs))
    a = lift(a)
    m = _mask(where)
    if m is not None:  # numpy: the mean of the selected elements
        axes = tuple(normalize_axes(axis, ndim_of(a)))
        n = _np.sum(_np.broadcast_to(m, shape_of(a)), axis=axes, keepdims=bool(keepdims))
        with _np.errstate(divide="ignore", invalid="ignore"):
            return divide(sum(a, axis=axes, keepdims=keepdims, where=m), n.astype(_np.float64))
    n = _count(a, axis)
    s = sum(a, axis=axis, keepdims=keepdims)
    return multiply(s, 1.0 / n if n else _np.nan)


def _max_like(opname, name):
    def impl(a, axis=None, out=None, keepdims=False, initial=_np._NoValue, where=True, **kwargs):
        reject_kwargs(name, dict(out=out, **kwargs))
        a = lift(a)
        keepdims = bool(keepdims) and keepdims is not _np._NoValue
        has_initial = initial is not _np._NoValue and initial is not None
        if has_initial or _mask(where) is not None:
            # numpy's own checks (where= needs initial=, shapes, empty axes)
            res = getattr(_np, name)(getval(a), axis=axis, keepdims=keepdims,
                                     initial=deep_getval(initial), where=deep_getval(where))
            if _np.size(res) == 0 or nelems(shape_of(a)) == 0:
                return res
            a = _masked(a, where, -_np.inf if opname == "max" else _np.inf)
            r = _reduce(opname, a, axis, keepdims)
            if has_initial:
                r = TRACED["maximum" if opname == "max" else "minimum"](r, initial)
            return r
        if nelems(shape_of(a)) == 0:
            raise ValueError("zero-size array to reduction operation {} which has no "
                             "identity".format("maximum" if opname == "max" else "minimum"))
        return _reduce(opname, a, axis, keepdims)
    impl.__name__ = name
    return impl


TRACED["max"] = TRACED["amax"] = _max_like("max", "max")
TRACED["min"] = TRACED["amin"] = _max_like("min", "min")


@traced("ptp")
def _ptp(a, axis=None, out=None, keepdims=False):
    return TRACED["max"](a, axis, keepdims=keepdims) - TRACED["min"](a, axis, keepdims=keepdims)


@traced("var")
def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True, **kwargs):
    reject_kwargs("var", dict(out=out, **kwargs))
    a = lift(a)
    axes = tuple(normalize_axes(axis, ndim_of(a)))
    m = _mask(where)
    d = subtract(a, mean(a, axis=axes, keepdims=True, where=True if m is None else m))
    sq = real(multiply(d, conj(d))) if iscomplex_of(a) else multiply(d, d)
    if m is not None:
        n = _np.sum(_np.broadcast_to(m, shape_of(a)), axis=axes, keepdims=bool(keepdims))
        dof = _np.maximum(n - ddof, 0).astype(_np.float64)
        with _np.errstate(divide="ignore", invalid="ignore"):
            return divide(sum(sq, axis=axes, keepdims=keepdims, where=m), dof)
    n = _count(a, axis)
    s = sum(sq, axis=axes, keepdims=keepdims)
    dof = n - ddof
    return multiply(s, 1.0 / dof if dof > 0 else _np.inf)


@traced("std")
def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kwargs):
    v = var(a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims, **kwargs)
    if _mask(kwargs.get("where", True)) is None and _count(lift(a), axis) <= 1:
        # one element per result: std is a constant (0, or nan when
        # ddof >= 1) whose derivative is 0, as upstream's rule says; sqrt'(0)
        # would make it nan.  0 * var(ddof=0) (whose derivatives are all 0)
        # keeps the result on the trace.
        v0 = var(a, axis=axis, keepdims=keepdims, **kwargs)
        with _np.errstate(invalid="ignore"):
            return add(multiply(v0, 0.0), _np.sqrt(deep_getval(v)))
    return sqrt(v)


@traced("prod")
def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True,
         **kwargs):
    """Product over axes as a tree of elementwise multiplications."""
    reject_kwargs("prod", dict(out=out, **kwargs))
    if initial is not None and initial is not _np._NoValue:
        return multiply(prod(a, axis, dtype, None, keepdims, where=where), initial)
    a = _masked(a, where, 1.0)
    shape = shape_of(a)
    axes = normalize_axes(axis, len(shape))
    keep = [i for i in range(len(shape)) if i not in axes]
    n = nelems(shape[i] for i in axes)
    x = reshape(transpose(a, keep + axes), tuple(shape[i] for i in keep) + (n,))
    if n == 0:
        x = _np.ones(tuple(shape[i] for i in keep))
    while n > 1:
        half = n // 2
        y = multiply(x[..., :half], x[..., half:2 * half])
        if n % 2:
            e = _np.zeros(half)
            e[0] = 1.0
            y = multiply(y, add(multiply(x[..., 2 * half:], e), 1.0 - e))
        x, n = y, half
    if n == 1:
        x = reshape(x, shape_of(x)[:-1])
    out_shape = tuple(1 if i in axes else shape[i] for i in range(len(shape))) if keepdims \
        else tuple(shape[i] for i in keep)
    return reshape(x, out_shape)


@traced("cumsum")
def cumsum(a, axis=None, dtype=None, out=None):
    a = lift(a)
    if axis is None:
        a, axis = ravel(a), 0
    nd = ndim_of(a)
    axis = normalize_axis(axis, nd)
    n = shape_of(a)[axis]
    upper = _np.triu(_np.ones((n, n)))
    r = apply("tensordot", [a, upper], axes=[axis], axes2=[0])
    return moveaxis(r, nd - 1, axis)
@traced("trace")
def _trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return sum(TRACED["diagonal"](a, offset, axis1, axis2), axis=-1)


@traced("diff")
def _diff(a, n=1, axis=-1, prepend=_np._NoValue, append=_np._NoValue):
    a = lift(a)
    parts = []
    if prepend is not _np._NoValue:
        parts.append(prepend)
    parts.append(a)
    if append is not _np._NoValue:
        parts.append(append)
    if len(parts) > 1:
        nd = ndim_of(a)
        ax = normalize_axis(axis, nd)
        fixed = []
        for p in parts:
            if p is a:
                fixed.append(p)
            else:
                p = lift(p)
                if ndim_of(p) == 0:
                    s = list(shape_of(a))
                    s[ax] = 1
                    p = broadcast_to(p, tuple(s))
                fixed.append(p)
        a = concatenate(fixed, axis=ax)
    nd = ndim_of(a)
    ax = normalize_axis(axis, nd)
    for _ in range(n):
        hi = [slice(None)] * nd
        lo = [slice(None)] * nd
        hi[ax] = slice(1, None)
        lo[ax] = slice(None, -1)
        a = subtract(getitem(a, tuple(hi)), getitem(a, tuple(lo)))
    return a
@traced("cumprod")
def cumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product as a log-depth scan of elementwise products."""
    a = lift(a)
    if axis is None:
        a, axis = ravel(a), 0
    shape = shape_of(a)
    axis = normalize_axis(axis, len(shape))
    n = shape[axis]
    grid = index_grid(shape)
    d = 1
    while d < n:
        markers = _np.zeros(shape, dtype=_np.int64)
        dst = [slice(None)] * len(shape)
        src = [slice(None)] * len(shape)
        dst[axis] = slice(d, None)
        src[axis] = slice(None, n - d)
        markers[tuple(dst)] = grid[tuple(src)] + 1
        a = multiply(a, _masked_place(a, markers, fill=1.0))
        d *= 2
    return a
@traced("gradient")
def _gradient(f, *varargs, axis=None, edge_order=1):
    """numpy.gradient with uniform (scalar) spacings: central differences
    inside, one-sided (first or second order) at the edges."""
    f = lift(f)
    nd = ndim_of(f)
    axes = normalize_axes(axis, nd)
    if len(varargs) == 0:
        spacing = [1.0] * len(axes)
    elif len(varargs) == 1 and _np.ndim(deep_getval(varargs[0])) == 0:
        spacing = [varargs[0]] * len(axes)
    elif len(varargs) == len(axes) and all(_np.ndim(deep_getval(v)) == 0 for v in varargs):
        spacing = list(varargs)
    else:
        raise NotImplementedError("autograd.numpy.gradient: coordinate arrays on traced values")
    out = []
    for ax, h in zip(axes, spacing):
        n = shape_of(f)[ax]
        if n < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")

        def sl(start, stop):
            key = [slice(None)] * nd
            key[ax] = slice(start, stop)
            return getitem(f, tuple(key))
        inner = (sl(2, None) - sl(None, -2)) / 2.0
        if edge_order == 1:
            first = sl(1, 2) - sl(0, 1)
            last = sl(n - 1, n) - sl(n - 2, n - 1)
        else:
            first = -1.5 * sl(0, 1) + 2.0 * sl(1, 2) - 0.5 * sl(2, 3)
            last = 0.5 * sl(n - 3, n - 2) - 2.0 * sl(n - 2, n - 1) + 1.5 * sl(n - 1, n)
        out.append(divide(concatenate([first, inner, last], axis=ax), h))
    return out[0] if len(out) == 1 else tuple(out)
