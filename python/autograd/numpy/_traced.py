"""Traced implementations of numpy functions (called when an argument is
a box).

Each one normalises numpy's arguments (axes, shapes, keyword forms) in
Python and calls an operation of the Go core with explicit attributes, or
is a composite of other traced functions.  Functions that only rearrange
or select elements (flip, roll, take, diagonal, sort, ...) are done by
applying the numpy function itself to an array of element indices and
gathering with the result.
"""
import functools
import operator
import warnings

import numpy as _np

from .. import _capi
from .._capi import (ag_apply1, ag_apply2, ag_apply2s, last_error, to_handle,
                     release_later, encode_attrs, SCALAR_COMPLEX)
from ..tracer import ArrayBox, Box, getval, user_value, _binop_general
from .numpy_wrapper import has_box

TRACED = {}        # name -> traced implementation, for autograd.numpy
TRACED_LINALG = {}  # for autograd.numpy.linalg
TRACED_FFT = {}     # for autograd.numpy.fft

_AxisError = _np.exceptions.AxisError


def traced(*names, table=TRACED):
    """Register the decorated function as the traced implementation of
    numpy's `names`."""
    def deco(f):
        for n in names:
            table[n] = f
        return f
    return deco


_OPS = {}


def opid(name):
    i = _OPS.get(name)
    if i is None:
        i = _OPS[name] = _capi.op_id(name)
    return i


def _no_op(name):
    return NotImplementedError("autograd: the Go core has no operation '{}' "
                               "(needed on a traced value)".format(name))


# ------------------------------------------------------------ helpers

def deep_getval(x):
    """x with every box replaced by its value, inside lists and tuples."""
    if isinstance(x, Box):
        return getval(x)
    t = type(x)
    if (t is list or t is tuple) and has_box(x):
        return t(deep_getval(e) for e in x)
    return x


def lift(x):
    """x as an ArrayBox (a box, or a list holding boxes) or an ndarray."""
    if isinstance(x, ArrayBox):
        return x
    if isinstance(x, (list, tuple)) and has_box(x):
        return array_from_nested(x)
    return _np.asarray(x)


def shape_of(x):
    return x.shape if isinstance(x, (ArrayBox, _np.ndarray)) else _np.shape(x)


def ndim_of(x):
    return len(shape_of(x))


def iscomplex_of(x):
    if isinstance(x, ArrayBox):
        return x.dtype.kind == "c"
    return _np.iscomplexobj(x)


def apply(opname, args, axes=None, axes2=None, shape=None, index=None, flags=None):
    """Apply Go operation opname to args (boxes or plain values) with the
    given attribute lists."""
    op = opid(opname)
    if op < 0:
        raise _no_op(opname)
    hs, owned, boxed = [], [], False
    try:
        for a in args:
            if isinstance(a, ArrayBox):
                hs.append(a._h)
                boxed = True
            else:
                h = to_handle(a)
                owned.append(h)
                hs.append(h)
        h = _capi.apply(op, hs, encode_attrs(axes, axes2, shape, index, flags))
    finally:
        for o in owned:
            release_later(o)
    return ArrayBox(h) if boxed else user_value(h)


def _reject_kwargs(name, kwargs, allowed=()):
    """Raise for keyword arguments the traced version does not support
    (those left at numpy's defaults are accepted)."""
    for k, v in kwargs.items():
        if k in allowed:
            continue
        if v is None or v is _np._NoValue:
            continue
        if k == "where" and v is True:
            continue
        if k in ("casting", "subok", "copy", "like"):
            continue
        if k == "order" and v in ("K", "C", "A"):
            continue
        raise NotImplementedError("autograd.numpy.{}: argument {}={!r} is not supported "
                                  "on traced values".format(name, k, v))


def normalize_axes(axis, ndim):
    """axis (None, int or sequence) as a list of distinct axes in [0, ndim)."""
    if axis is None:
        return list(range(ndim))
    if not isinstance(axis, (list, tuple)):
        axis = (axis,)
    out = []
    for a in axis:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise _AxisError(a, ndim)
        a %= ndim
        if a in out:
            raise ValueError("duplicate value in 'axis'")
        out.append(a)
    return out


def normalize_axis(axis, ndim):
    return normalize_axes(axis, ndim)[0]


def _prod(xs):
    n = 1
    for v in xs:
        n *= v
    return n


# ------------------------------------------------------------ elementwise

_UFUNC_KW = ("out", "where", "casting", "order", "dtype", "subok", "signature")


def _unary(name, opname=None):
    opname = opname or name
    op = opid(opname)

    def impl(x, *args, **kwargs):
        if args or kwargs:
            if args:
                raise NotImplementedError("autograd.numpy.{}: positional 'out' is not "
                                          "supported on traced values".format(name))
            _reject_kwargs(name, kwargs)
        if type(x) is not ArrayBox:
            x = lift(x)
            if not isinstance(x, ArrayBox):
                return getattr(_np, name)(x)
        if op < 0:
            raise _no_op(opname)
        h = ag_apply1(op, x._h)
        if not h:
            raise last_error()
        return ArrayBox(h)
    impl.__name__ = name
    TRACED[name] = impl
    # the numpy wrapper calls ag_apply1(op) itself on one box: the hot path
    impl.unary_op = op
    return impl


def _binop(op, a, b, numpy_fn):
    """op(a, b) where a or b may be (or hold) a box; numpy_fn(a, b) when
    neither does."""
    ta, tb = type(a), type(b)
    if ta is ArrayBox:
        if tb is ArrayBox:
            h = ag_apply2(op, a._h, b._h)
        elif (tb is float or tb is int) and op >= 0:
            h = ag_apply2s(op, a._h, b, 0.0, 0)
        else:
            r = _binop_general(op, a, b, False)
            if r is NotImplemented:
                raise TypeError("unsupported operand type: {}".format(tb.__name__))
            return r
    elif tb is ArrayBox:
        if (ta is float or ta is int) and op >= 0:
            h = ag_apply2s(op, b._h, a, 0.0, _capi.SCALAR_LEFT)
        else:
            r = _binop_general(op, b, a, True)
            if r is NotImplemented:
                raise TypeError("unsupported operand type: {}".format(ta.__name__))
            return r
    else:
        a2, b2 = lift(a), lift(b)
        if not isinstance(a2, ArrayBox) and not isinstance(b2, ArrayBox):
            return numpy_fn(a, b)
        return _binop(op, a2, b2, numpy_fn)
    if not h:
        raise last_error()
    return ArrayBox(h)


def _binary(name, opname=None):
    opname = opname or name
    op = opid(opname)
    numpy_fn = getattr(_np, name)

    def impl(a, b, *args, **kwargs):
        if args or kwargs:
            if args:
                raise NotImplementedError("autograd.numpy.{}: positional 'out' is not "
                                          "supported on traced values".format(name))
            _reject_kwargs(name, kwargs)
        if op < 0:
            raise _no_op(opname)
        return _binop(op, a, b, numpy_fn)
    impl.__name__ = name
    TRACED[name] = impl
    return impl


for _n in ["negative", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh",
           "tanh", "arcsinh", "arccosh", "arctanh", "exp", "exp2", "expm1", "log", "log2",
           "log10", "log1p", "sqrt", "square", "reciprocal", "real", "imag", "conj"]:
    _unary(_n)
_unary("abs")
_unary("absolute", "abs")
_unary("fabs", "abs")
_unary("conjugate", "conj")
for _n in ["add", "subtract", "multiply", "divide", "power", "maximum", "minimum",
           "arctan2", "hypot"]:
    _binary(_n)
_binary("true_divide", "divide")

add, subtract, multiply, divide, power = (TRACED[n] for n in
                                          ["add", "subtract", "multiply", "divide", "power"])
real, imag, conj, sqrt, exp, log = (TRACED[n] for n in ["real", "imag", "conj", "sqrt", "exp", "log"])


@traced("positive")
def _positive(x, **kwargs):
    return lift(x)


@traced("negative")
def _negative_any(x, **kwargs):
    return -lift(x)


@traced("float_power")
def _float_power(a, b, **kwargs):
    _reject_kwargs("float_power", kwargs)
    return power(a, b)


@traced("where")
def where(condition, x=None, y=None):
    """numpy.where: the condition is taken by value and gets no gradient."""
    if x is None and y is None:
        return _np.where(getval(condition))
    cond = _np.asarray(deep_getval(condition))
    return apply("where", [cond.astype(_np.float64), lift(x), lift(y)])


def _tofloat_mask(m):
    return _np.asarray(m, dtype=_np.float64)


@traced("clip")
def clip(a, a_min=_np._NoValue, a_max=_np._NoValue, out=None, **kwargs):
    """Values outside [a_min, a_max] are replaced by the bounds (which get
    the gradient there when they are traced)."""
    a = lift(a)
    if a_min is _np._NoValue:
        a_min = kwargs.pop("min", None)
    if a_max is _np._NoValue:
        a_max = kwargs.pop("max", None)
    _reject_kwargs("clip", dict(out=out, **kwargs))
    v = getval(a)
    res = a
    if a_min is not None:
        res = where(v < deep_getval(a_min), a_min, res)
    if a_max is not None:
        res = where(v > deep_getval(a_max), a_max, res)
    return res


@traced("fmax")
def _fmax(a, b, **kwargs):
    a, b = lift(a), lift(b)
    va, vb = getval(a), getval(b)
    return where((va >= vb) | _np.isnan(vb), a, b)


@traced("fmin")
def _fmin(a, b, **kwargs):
    a, b = lift(a), lift(b)
    va, vb = getval(a), getval(b)
    return where((va <= vb) | _np.isnan(vb), a, b)


@traced("mod", "remainder")
def mod(a, b, **kwargs):
    """a - b * floor(a / b): gradient 1 for a and -floor(a / b) for b."""
    _reject_kwargs("mod", kwargs)
    q = _np.floor_divide(deep_getval(a), deep_getval(b))
    return subtract(a, multiply(b, q))


@traced("fmod")
def _fmod(a, b, **kwargs):
    q = _np.trunc(_np.divide(deep_getval(a), deep_getval(b)))
    return subtract(a, multiply(b, q))


@traced("logaddexp")
def _logaddexp(a, b, **kwargs):
    a, b = lift(a), lift(b)
    m = _np.maximum(getval(a), getval(b))
    m = _np.where(_np.isfinite(m), m, 0.0)
    return add(m, log(add(exp(subtract(a, m)), exp(subtract(b, m)))))


@traced("logaddexp2")
def _logaddexp2(a, b, **kwargs):
    a, b = lift(a), lift(b)
    m = _np.maximum(getval(a), getval(b))
    m = _np.where(_np.isfinite(m), m, 0.0)
    s = add(TRACED["exp2"](subtract(a, m)), TRACED["exp2"](subtract(b, m)))
    return add(m, TRACED["log2"](s))


@traced("sinc")
def _sinc(x):
    x = lift(x)
    v = getval(x)
    near = _np.abs(v) < 0.03
    safe = where(near, 1.0, x) * _np.pi
    # near 0, sin(t)/t and its derivatives lose every digit to cancellation:
    # the Taylor polynomial there (error below t^10/10! with |t| < 0.1)
    t2 = (_np.pi * x) ** 2
    small = 1.0 - t2 / 6.0 * (1.0 - t2 / 20.0 * (1.0 - t2 / 42.0 * (1.0 - t2 / 72.0)))
    return where(near, small, TRACED["sin"](safe) / safe)


@traced("deg2rad", "radians")
def _deg2rad(x, **kwargs):
    return multiply(x, _np.pi / 180.0)


@traced("rad2deg", "degrees")
def _rad2deg(x, **kwargs):
    return multiply(x, 180.0 / _np.pi)


@traced("angle")
def _angle(z, deg=False):
    z = lift(z)
    if iscomplex_of(z):
        r = TRACED["arctan2"](imag(z), real(z))
    else:
        r = _np.angle(getval(z))
    return r * (180.0 / _np.pi) if deg else r


@traced("real_if_close")
def _real_if_close(a, tol=100):
    a = lift(a)
    if not iscomplex_of(a):
        return a
    v = getval(a)
    if _np.all(_np.abs(_np.imag(v)) < tol * _np.finfo(float).eps):
        return real(a)
    return a


@traced("nan_to_num")
def _nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    x = lift(x)
    v = getval(x)
    if iscomplex_of(x):
        return add(_nan_to_num(real(x), copy, nan, posinf, neginf),
                   multiply(_nan_to_num(imag(x), copy, nan, posinf, neginf), 1j))
    fixed = _np.nan_to_num(v, copy=True, nan=nan, posinf=posinf, neginf=neginf)
    return where(_np.isfinite(v), x, fixed)


@traced("sign")
def _sign(x, **kwargs):
    return _np.sign(deep_getval(x))


# ------------------------------------------------------------ reductions

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
    return broadcast_to(TRACED["where"](m, a, fill), shape_of(a))


@traced("sum")
def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True, **kwargs):
    _reject_kwargs("sum", dict(out=out, **kwargs))
    a = _masked(a, where, 0.0)
    r = _reduce("sum", a, axis, bool(keepdims) and keepdims is not _np._NoValue)
    if initial is not None and initial is not _np._NoValue:
        r = add(r, initial)
    return _astype(r, dtype) if dtype is not None else r


def _count(a, axis):
    shape = shape_of(a)
    return _prod(shape[i] for i in normalize_axes(axis, len(shape)))


@traced("mean")
def mean(a, axis=None, dtype=None, out=None, keepdims=False, where=True, **kwargs):
    _reject_kwargs("mean", dict(out=out, **kwargs))
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
        _reject_kwargs(name, dict(out=out, **kwargs))
        a = lift(a)
        keepdims = bool(keepdims) and keepdims is not _np._NoValue
        has_initial = initial is not _np._NoValue and initial is not None
        if has_initial or _mask(where) is not None:
            # numpy's own checks (where= needs initial=, shapes, empty axes)
            res = getattr(_np, name)(getval(a), axis=axis, keepdims=keepdims,
                                     initial=deep_getval(initial), where=deep_getval(where))
            if _np.size(res) == 0 or _prod(shape_of(a)) == 0:
                return res
            a = _masked(a, where, -_np.inf if opname == "max" else _np.inf)
            r = _reduce(opname, a, axis, keepdims)
            if has_initial:
                r = TRACED["maximum" if opname == "max" else "minimum"](r, initial)
            return r
        if _prod(shape_of(a)) == 0:
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
    _reject_kwargs("var", dict(out=out, **kwargs))
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
    _reject_kwargs("prod", dict(out=out, **kwargs))
    if initial is not None and initial is not _np._NoValue:
        return multiply(prod(a, axis, dtype, None, keepdims, where=where), initial)
    a = _masked(a, where, 1.0)
    shape = shape_of(a)
    axes = normalize_axes(axis, len(shape))
    keep = [i for i in range(len(shape)) if i not in axes]
    n = _prod(shape[i] for i in axes)
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
    r = tensordot(a, upper, ([axis], [0]))
    return moveaxis(r, nd - 1, axis)


# ------------------------------------------------------------ shapes

def _shape_str(shape):
    return "(" + ",".join("newaxis" if s == -1 else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def resolve_shape(shape, size):
    if isinstance(shape, (int, _np.integer)):
        shape = (shape,)
    shape = [operator.index(s) for s in shape]
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise ValueError("can only specify one unknown dimension")
    if any(s < -1 for s in shape):
        raise ValueError("negative dimensions not allowed")
    known = _prod(s for s in shape if s != -1)
    if unknown:
        if known == 0 or size % known:
            raise ValueError("cannot reshape array of size {} into shape {}".format(size, _shape_str(shape)))
        shape[unknown[0]] = size // known
    elif known != size:
        raise ValueError("cannot reshape array of size {} into shape {}".format(size, _shape_str(shape)))
    return tuple(shape)


@traced("reshape")
def reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    if shape is None:
        shape = newshape
    a = lift(a)
    old = shape_of(a)
    shape = resolve_shape(shape, _prod(old))
    if order == "F":
        return transpose(reshape(transpose(a), shape[::-1]))
    if order not in ("C", "A"):
        raise NotImplementedError("autograd.numpy.reshape: order={!r}".format(order))
    if shape == old:
        return a
    return apply("reshape", [a], shape=shape)


@traced("ravel")
def ravel(a, order="C"):
    return reshape(a, (-1,), order=order)


@traced("transpose", "permute_dims")
def transpose(a, axes=None):
    a = lift(a)
    nd = ndim_of(a)
    if axes is None:
        perm = list(range(nd))[::-1]
    else:
        perm = [operator.index(p) for p in axes]
        if len(perm) != nd:
            raise ValueError("axes don't match array")
        perm = [normalize_axis(p, nd) for p in perm]
        if len(set(perm)) != nd:
            raise ValueError("repeated axis in transpose")
    if perm == list(range(nd)):
        return a
    return apply("transpose", [a], axes=perm)


@traced("matrix_transpose")
def _matrix_transpose(x):
    return swapaxes(x, -1, -2)


@traced("swapaxes")
def swapaxes(a, axis1, axis2):
    a = lift(a)
    nd = ndim_of(a)
    i, j = normalize_axis(axis1, nd), normalize_axis(axis2, nd)
    perm = list(range(nd))
    perm[i], perm[j] = perm[j], perm[i]
    return transpose(a, perm)


@traced("moveaxis")
def moveaxis(a, source, destination):
    a = lift(a)
    nd = ndim_of(a)
    src = normalize_axes(source, nd)
    dst = normalize_axes(destination, nd)
    if len(src) != len(dst):
        raise ValueError("`source` and `destination` arguments must have the same number of elements")
    order = [k for k in range(nd) if k not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, order)


@traced("rollaxis")
def _rollaxis(a, axis, start=0):
    a = lift(a)
    nd = ndim_of(a)
    axis = normalize_axis(axis, nd)
    if start < 0:
        start += nd
    if not 0 <= start <= nd:
        raise _AxisError("'start' arg requires {} <= start < {}, but {} was passed in".format(-nd, nd + 1, start))
    if axis < start:
        start -= 1
    if axis == start:
        return a
    perm = list(range(nd))
    perm.remove(axis)
    perm.insert(start, axis)
    return transpose(a, perm)


@traced("expand_dims")
def expand_dims(a, axis):
    a = lift(a)
    shape = shape_of(a)
    n = len(shape) + (len(axis) if isinstance(axis, (list, tuple)) else 1)
    axes = normalize_axes(axis, n)
    it = iter(shape)
    return reshape(a, tuple(1 if i in axes else next(it) for i in range(n)))


@traced("squeeze")
def squeeze(a, axis=None):
    a = lift(a)
    shape = shape_of(a)
    if axis is None:
        return reshape(a, tuple(s for s in shape if s != 1))
    axes = normalize_axes(axis, len(shape))
    for i in axes:
        if shape[i] != 1:
            raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    return reshape(a, tuple(s for i, s in enumerate(shape) if i not in axes))


def _check_broadcast(shape, target):
    dummy = _np.lib.stride_tricks.as_strided(_np.zeros(1), shape=shape, strides=(0,) * len(shape))
    _np.broadcast_to(dummy, target)  # raises numpy's own error


@traced("broadcast_to")
def broadcast_to(array, shape, subok=False):
    a = lift(array)
    if isinstance(shape, (int, _np.integer)):
        shape = (shape,)
    shape = tuple(operator.index(s) for s in shape)
    old = shape_of(a)
    if old == shape:
        return a
    _check_broadcast(old, shape)
    return apply("broadcast_to", [a], shape=shape)


@traced("broadcast_arrays")
def _broadcast_arrays(*args, subok=False):
    args = [lift(x) for x in args]
    shape = _np.broadcast_shapes(*[shape_of(x) for x in args])
    return tuple(broadcast_to(x, shape) for x in args)


def _atleast(nd_min, arys):
    out = []
    for a in arys:
        a = lift(a)
        s = shape_of(a)
        if len(s) < nd_min:
            if nd_min == 1:
                s = (1,)
            elif nd_min == 2:
                s = (1,) * (2 - len(s)) + s
            else:
                s = {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}[len(s)]
            a = reshape(a, s)
        out.append(a)
    return out[0] if len(out) == 1 else tuple(out)


TRACED["atleast_1d"] = lambda *arys: _atleast(1, arys)
TRACED["atleast_2d"] = lambda *arys: _atleast(2, arys)
TRACED["atleast_3d"] = lambda *arys: _atleast(3, arys)


def _astype(x, dtype):
    dtype = _np.dtype(dtype)
    x = lift(x)
    if not isinstance(x, ArrayBox):
        return x.astype(dtype)
    if dtype.kind == "c":
        if x.dtype.kind == "c":
            return x
        return ArrayBox(_capi.check(ag_apply2s(opid("add"), x._h, 0.0, 0.0, SCALAR_COMPLEX)))
    if dtype.kind == "f":
        if x.dtype.kind == "c":
            warnings.warn("Casting complex values to real discards the imaginary part",
                          _np.exceptions.ComplexWarning, stacklevel=3)
            return real(x)
        return x
    return getval(x).astype(dtype)  # integers and booleans: no gradient


TRACED["astype"] = lambda x, dtype, *args, **kwargs: _astype(x, dtype)


# ------------------------------------------------------------ gathering

_GRIDS = {}


def index_grid(shape):
    """arange(size).reshape(shape), read-only and cached for recent shapes."""
    shape = tuple(shape)
    g = _GRIDS.get(shape)
    if g is None:
        g = _np.arange(_prod(shape), dtype=_np.int64).reshape(shape)
        g.flags.writeable = False
        if g.size <= (1 << 22):
            if len(_GRIDS) > 32:
                _GRIDS.clear()
            _GRIDS[shape] = g
    return g


def gather(x, idx):
    """result.flat[i] = x.flat[idx.flat[i]], shaped like idx."""
    idx = _np.asarray(idx, dtype=_np.int64)
    return apply("gather", [x], shape=idx.shape, index=idx.ravel())


def _key_getval(key):
    if isinstance(key, Box):
        return getval(key)
    if isinstance(key, tuple):
        return tuple(_key_getval(k) for k in key)
    if isinstance(key, list):
        return [_key_getval(k) for k in key]
    return key


def getitem(x, key):
    """x[key] for any numpy index, as one gather."""
    x = lift(x)
    shape = shape_of(x)
    grid = index_grid(shape)
    idx = _np.asarray(grid[_key_getval(key)])
    if idx.shape == shape and (idx.size == 0 or (idx.flat[0] == 0 and _np.array_equal(idx, grid))):
        return x
    return gather(x, idx)


def rearrange(numpy_fn):
    """The traced version of a numpy function that only moves or selects
    the elements of its first argument."""
    def impl(a, *args, **kwargs):
        a = lift(a)
        args = [deep_getval(v) for v in args]
        kwargs = {k: deep_getval(v) for k, v in kwargs.items()}
        idx = numpy_fn(index_grid(shape_of(a)), *args, **kwargs)
        if isinstance(idx, (list, tuple)):
            return type(idx)(gather(a, i) for i in idx)
        return gather(a, idx)
    impl.__name__ = getattr(numpy_fn, "__name__", "rearrange")
    return impl


for _n in ["flip", "fliplr", "flipud", "roll", "rot90", "repeat", "tile", "diagonal",
           "take", "split", "array_split", "hsplit", "vsplit", "dsplit", "resize",
           "take_along_axis"]:
    if hasattr(_np, _n):
        TRACED[_n] = rearrange(getattr(_np, _n))


@traced("compress")
def _compress(condition, a, axis=None):
    a = lift(a)
    return gather(a, _np.compress(deep_getval(condition), index_grid(shape_of(a)), axis))


@traced("extract")
def _extract(condition, arr):
    arr = lift(arr)
    return gather(arr, _np.extract(deep_getval(condition), index_grid(shape_of(arr))))


@traced("sort")
def _sort(a, axis=-1, kind=None, order=None, **kwargs):
    a = lift(a)
    v = getval(a)
    if axis is None:
        return gather(a, _np.argsort(_np.ravel(v), kind=kind))
    order_idx = _np.argsort(v, axis=axis, kind=kind)
    return gather(a, _np.take_along_axis(index_grid(shape_of(a)), order_idx, axis))


@traced("partition")
def _partition(a, kth, axis=-1, kind="introselect", order=None):
    a = lift(a)
    v = getval(a)
    if axis is None:
        return gather(a, _np.argpartition(_np.ravel(v), kth))
    order_idx = _np.argpartition(v, kth, axis=axis)
    return gather(a, _np.take_along_axis(index_grid(shape_of(a)), order_idx, axis))


def _masked_place(a, markers, fill=0.0):
    """Gather a by markers (element index + 1, 0 meaning `fill`)."""
    markers = _np.asarray(markers)
    hit = markers > 0
    r = gather(a, _np.where(hit, markers - 1, 0))
    if hit.all():
        return r
    # where, not r * hit: the filled places gather a.flat[0], which may be
    # inf or nan (0 * inf would put nan where numpy puts fill)
    return where(hit, r, fill)


@traced("diag")
def _diag(v, k=0):
    v = lift(v)
    grid = index_grid(shape_of(v))
    if ndim_of(v) == 1:
        return _masked_place(v, _np.diag(grid + 1, k))
    return gather(v, _np.diag(grid, k))


@traced("diagflat")
def _diagflat(v, k=0):
    v = lift(v)
    return _masked_place(v, _np.diagflat(index_grid(shape_of(v)) + 1, k))


@traced("pad")
def _pad(array, pad_width, mode="constant", **kwargs):
    a = lift(array)
    grid = index_grid(shape_of(a)) + 1
    if mode == "constant":
        cv = kwargs.get("constant_values", 0)
        if isinstance(cv, Box) or _np.ndim(cv) > 0:
            raise NotImplementedError("autograd.numpy.pad: constant_values must be a plain scalar")
        markers = _np.pad(grid, pad_width, mode="constant", constant_values=0)
        return _masked_place(a, markers, fill=cv)
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        return _masked_place(a, _np.pad(grid, pad_width, mode=mode, **kwargs))
    raise NotImplementedError("autograd.numpy.pad: mode {!r} on traced values".format(mode))


def _tri(numpy_fn):
    def impl(m, k=0):
        m = lift(m)
        s = shape_of(m)
        if len(s) < 2:
            raise NotImplementedError("autograd.numpy.tril/triu of a 1-d traced array")
        mask = numpy_fn(_np.ones(s[-2:]), k)
        return multiply(m, mask)
    return impl


TRACED["tril"] = _tri(_np.tril)
TRACED["triu"] = _tri(_np.triu)


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


# ------------------------------------------------------------ combining

def array_from_nested(obj):
    """numpy.array of a nested list / tuple holding boxes, by stacking."""
    if isinstance(obj, ArrayBox):
        return obj
    if isinstance(obj, (list, tuple)):
        if not has_box(obj):
            return _np.asarray(obj)
        items = [array_from_nested(e) for e in obj]
        shapes = {shape_of(i) for i in items}
        if len(shapes) != 1:
            raise ValueError("setting an array element with a sequence. The requested array "
                             "has an inhomogeneous shape after 1 dimensions.")
        return apply("stack", items)
    return obj


@traced("array", "asarray", "asanyarray", "ascontiguousarray", "asfortranarray",
        "asarray_chkfinite", "copy")
def array(obj, dtype=None, *args, **kwargs):
    r = array_from_nested(obj) if not isinstance(obj, ArrayBox) else obj
    if dtype is not None:
        r = _astype(r, dtype)
    ndmin = kwargs.get("ndmin", 0)
    if ndmin and ndim_of(r) < ndmin:
        r = reshape(r, (1,) * (ndmin - ndim_of(r)) + shape_of(r))
    return r


@traced("stack")
def stack(arrays, axis=0, out=None, **kwargs):
    items = [lift(a) for a in arrays]
    if not items:
        raise ValueError("need at least one array to stack")
    shapes = {shape_of(i) for i in items}
    if len(shapes) != 1:
        raise ValueError("all input arrays must have the same shape")
    r = apply("stack", items)
    axis = normalize_axis(axis, ndim_of(r))
    return moveaxis(r, 0, axis) if axis else r


def combine(numpy_fn):
    """The traced version of a numpy function that assembles its result from
    the elements of a sequence of arrays (concatenate, hstack, ...)."""
    def impl(arrays, *args, **kwargs):
        kwargs.pop("dtype", None)
        kwargs.pop("casting", None)
        parts = [lift(p) for p in arrays]
        markers, off = [], 0
        for p in parts:
            s = shape_of(p)
            markers.append(index_grid(s) + off + 1)
            off += _prod(s)
        res = _np.asarray(numpy_fn(markers, *args, **kwargs))
        total, off = None, 0
        for p in parts:
            n = _prod(shape_of(p))
            sel = (res > off) & (res <= off + n)
            if sel.any():
                local = _np.where(sel, res - off - 1, 0)
                if isinstance(p, ArrayBox):
                    term = gather(p, local)
                    if not sel.all():
                        term = multiply(term, sel.astype(_np.float64))
                else:
                    vals = _np.ravel(_np.asarray(p))
                    term = _np.where(sel, vals[local], 0).astype(_np.result_type(vals, 0.0))
                total = term if total is None else add(total, term)
            off += n
        if total is None:
            return _np.zeros(res.shape)
        return total
    impl.__name__ = getattr(numpy_fn, "__name__", "combine")
    return impl


for _n in ["concatenate", "hstack", "vstack", "dstack", "column_stack", "row_stack",
           "concat"]:
    if hasattr(_np, _n):
        TRACED[_n] = combine(getattr(_np, _n))
concatenate = TRACED["concatenate"]


@traced("append")
def _append(arr, values, axis=None):
    if axis is None:
        return concatenate([ravel(lift(arr)), ravel(lift(values))])
    return concatenate([arr, values], axis=axis)


@traced("full")
def _full(shape, fill_value, dtype=None, **kwargs):
    r = broadcast_to(lift(fill_value), shape)
    return _astype(r, dtype) if dtype is not None else r


@traced("full_like")
def _full_like(a, fill_value, dtype=None, **kwargs):
    if not isinstance(fill_value, Box) and not (isinstance(fill_value, (list, tuple)) and has_box(fill_value)):
        return _np.full_like(getval(a), fill_value, dtype=dtype, **kwargs)
    shape = kwargs.get("shape") or shape_of(getval(a))
    if dtype is None:  # numpy: the dtype of a (a complex fill on a real a is cast)
        dtype = _np.asarray(deep_getval(a)).dtype
    return _full(shape, fill_value, dtype)


@traced("linspace")
def _linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if retstep or axis != 0:
        raise NotImplementedError("autograd.numpy.linspace: retstep / axis on traced values")
    start, stop = lift(start), lift(stop)
    t = _np.linspace(0.0, 1.0, num, endpoint=endpoint)
    nd = max(ndim_of(start), ndim_of(stop))
    t = t.reshape((num,) + (1,) * nd)
    return add(start, multiply(subtract(stop, start), t))


@traced("select")
def _select(condlist, choicelist, default=0):
    result = default
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        result = where(deep_getval(cond), choice, result)
    return result


# ------------------------------------------------------------ products

def shape_str(shape):
    """A shape as numpy writes it in messages: (2,3), (4,), ()."""
    return "(" + ",".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _not_aligned(sa, sb, da, db):
    return ValueError("shapes {} and {} not aligned: {} (dim {}) != {} (dim {})".format(
        shape_str(sa), shape_str(sb), sa[da], da, sb[db], db))


@traced("tensordot")
def tensordot(a, b, axes=2):
    a, b = lift(a), lift(b)
    sa, sb = shape_of(a), shape_of(b)
    na, nb = len(sa), len(sb)
    if isinstance(axes, (int, _np.integer)):
        n = int(axes)
        if n < 0 or n > na or n > nb:
            raise ValueError("shape-mismatch for sum")
        ax_a, ax_b = list(range(na - n, na)), list(range(n))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, (int, _np.integer)) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, (int, _np.integer)) else list(ax_b)
        if len(ax_a) != len(ax_b):
            raise ValueError("shape-mismatch for sum")
        ax_a = [normalize_axis(i, na) for i in ax_a]
        ax_b = [normalize_axis(i, nb) for i in ax_b]
    for i, j in zip(ax_a, ax_b):
        if sa[i] != sb[j]:
            raise ValueError("shape-mismatch for sum")
    if not ax_a and (na == 0 or nb == 0):
        return multiply(a, b)
    return apply("tensordot", [a, b], axes=ax_a, axes2=ax_b)


@traced("dot")
def dot(a, b, out=None):
    a, b = lift(a), lift(b)
    sa, sb = shape_of(a), shape_of(b)
    na, nb = len(sa), len(sb)
    if na == 0 or nb == 0:
        return multiply(a, b)
    db = 0 if nb == 1 else nb - 2
    if sa[-1] != sb[db]:
        raise _not_aligned(sa, sb, na - 1, db)
    return apply("tensordot", [a, b], axes=[na - 1], axes2=[db])


@traced("vdot")
def _vdot(a, b):
    a, b = lift(a), lift(b)
    return dot(ravel(conj(a)) if iscomplex_of(a) else ravel(a), ravel(b))


@traced("matmul")
def matmul(a, b, **kwargs):
    _reject_kwargs("matmul", kwargs)
    a, b = lift(a), lift(b)
    for k, x in enumerate((a, b)):
        if ndim_of(x) == 0:
            raise ValueError("matmul: Input operand {} does not have enough dimensions (has 0, "
                             "gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)".format(k))
    sa, sb = shape_of(a), shape_of(b)
    kb = sb[0] if len(sb) == 1 else sb[-2]
    if sa[-1] != kb:
        raise ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with "
                         "gufunc signature (n?,k),(k,m?)->(n?,m?) (size {} is different from {})"
                         .format(kb, sa[-1]))
    return apply("matmul", [a, b])


@traced("inner")
def inner(a, b):
    a, b = lift(a), lift(b)
    sa, sb = shape_of(a), shape_of(b)
    if not sa or not sb:
        return multiply(a, b)
    if sa[-1] != sb[-1]:
        raise _not_aligned(sa, sb, len(sa) - 1, len(sb) - 1)
    return apply("tensordot", [a, b], axes=[len(sa) - 1], axes2=[len(sb) - 1])


@traced("outer")
def outer(a, b, out=None):
    a, b = ravel(lift(a)), ravel(lift(b))
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


@traced("kron")
def _kron(a, b):
    a, b = lift(a), lift(b)
    sa, sb = shape_of(a), shape_of(b)
    nd = max(len(sa), len(sb))
    sa = (1,) * (nd - len(sa)) + sa
    sb = (1,) * (nd - len(sb)) + sb
    a2 = reshape(a, tuple(v for s in sa for v in (s, 1)))
    b2 = reshape(b, tuple(v for s in sb for v in (1, s)))
    return reshape(multiply(a2, b2), tuple(x * y for x, y in zip(sa, sb)))


@traced("cross")
def _cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    a = moveaxis(lift(a), axisa, -1)
    b = moveaxis(lift(b), axisb, -1)
    if shape_of(a)[-1] != 3 or shape_of(b)[-1] != 3:
        raise NotImplementedError("autograd.numpy.cross: only 3-vectors on traced values")
    a0, a1, a2 = (a[..., i] for i in range(3))
    b0, b1, b2 = (b[..., i] for i in range(3))
    c = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return moveaxis(c, -1, axisc)


# ------------------------------------------------------------ plain results

def _plain(name):
    f = getattr(_np, name)

    def impl(*args, **kwargs):
        return f(*[deep_getval(a) for a in args], **{k: deep_getval(v) for k, v in kwargs.items()})
    impl.__name__ = name
    return impl


for _n in ["shape", "ndim", "size", "result_type", "iscomplexobj", "isrealobj", "iscomplex",
           "isreal", "argmax", "argmin", "argsort", "argpartition", "nonzero", "flatnonzero",
           "argwhere", "searchsorted", "round", "around", "rint", "floor", "ceil", "trunc",
           "fix", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "isclose",
           "allclose", "array_equal", "array_equiv", "all", "any", "logical_and", "logical_or",
           "logical_not", "logical_xor", "equal", "not_equal", "less", "less_equal",
           "greater", "greater_equal", "floor_divide", "count_nonzero", "zeros_like",
           "ones_like", "empty_like", "unique", "digitize", "histogram", "bincount",
           "heaviside", "isscalar", "shares_memory", "may_share_memory", "iinfo", "finfo",
           "can_cast", "min_scalar_type", "promote_types", "ndindex", "isin", "copysign",
           "nextafter", "spacing", "frexp", "modf", "sign"]:
    if hasattr(_np, _n):
        TRACED.setdefault(_n, _plain(_n))
TRACED["sign"] = _sign


# ------------------------------------------------------------ scans and einsum

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


_EINSUM_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _einsum_parse(subscripts, ndims):
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        lhs, out = subscripts.split("->")
    else:
        lhs, out = subscripts, None
    terms = lhs.split(",")
    if len(terms) != len(ndims):
        raise ValueError("more operands provided to einstein sum function than specified in "
                         "the subscripts string" if len(ndims) > len(terms) else
                         "fewer operands provided to einstein sum function than specified in "
                         "the subscripts string")
    used = set(c for c in subscripts if c.isalpha())
    free = [c for c in _EINSUM_LETTERS if c not in used]
    n_ell = max([nd - (len(t) - 3) for t, nd in zip(terms, ndims) if "..." in t] or [0])
    ell = "".join(free[:n_ell])
    fixed = []
    for t, nd in zip(terms, ndims):
        if "..." in t:
            k = nd - (len(t) - 3)
            t = t.replace("...", ell[n_ell - k:] if k else "")
        if len(t) != nd:
            raise ValueError("einstein sum subscripts string contains too many subscripts "
                             "for operand {}".format(len(fixed)))
        fixed.append(t)
    if out is None:
        counts = {}
        for t in fixed:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1 and c not in ell))
    else:
        out = out.replace("...", ell)
    return fixed, out


def _einsum_interleaved(args):
    """(op, sublist, op, sublist, ..., [out]) as (subscripts, operands)."""
    ops, terms = [], []
    args = list(args)
    out = None
    if len(args) % 2 == 1:
        out = args.pop()

    def letters(sub):
        return "".join("..." if s is Ellipsis else _EINSUM_LETTERS[s] for s in sub)
    for k in range(0, len(args), 2):
        ops.append(args[k])
        terms.append(letters(args[k + 1]))
    s = ",".join(terms) + ("->" + letters(out) if out is not None else "")
    return s, ops


@traced("einsum")
def einsum(*operands, out=None, optimize=False, **kwargs):
    """numpy.einsum as diagonals (gathers), sums, tensordots and broadcast
    products of the operands."""
    if out is not None:
        raise NotImplementedError("autograd.numpy.einsum: out= on traced values")
    if isinstance(operands[0], str):
        subscripts, ops = operands[0], list(operands[1:])
    else:
        subscripts, ops = _einsum_interleaved(operands)
    ops = [lift(o) for o in ops]
    terms, output = _einsum_parse(subscripts, [ndim_of(o) for o in ops])
    size = {}
    for t, o in zip(terms, ops):
        for c, n in zip(t, shape_of(o)):
            if size.get(c, 1) == 1:
                size[c] = n
            elif n not in (1, size[c]):
                raise ValueError("operands could not be broadcast together with remapped "
                                 "shapes [original->remapped]")
    # one operand at a time: diagonals of repeated letters, broadcasting
    items = []
    for t, o in zip(terms, ops):
        uniq = "".join(dict.fromkeys(t))
        if uniq != t:
            o = gather(o, _np.einsum(t + "->" + uniq, index_grid(shape_of(o))))
            t = uniq
        target = tuple(size[c] for c in t)
        if shape_of(o) != target:
            o = broadcast_to(o, target)
        items.append([o, t])

    def needed_after(k):
        s = set(output)
        for _, t in items[k:]:
            s.update(t)
        return s

    # letters used by a single operand and not kept are summed right away
    for k, it in enumerate(items):
        others = set(output)
        for j, (_, t) in enumerate(items):
            if j != k:
                others.update(t)
        drop = [i for i, c in enumerate(it[1]) if c not in others]
        if drop:
            it[0] = sum(it[0], axis=tuple(drop))
            it[1] = "".join(c for c in it[1] if c not in [it[1][i] for i in drop])
    cur, lc = items[0]
    for k in range(1, len(items)):
        nxt, ln = items[k]
        keep = needed_after(k + 1)
        shared = [c for c in lc if c in ln]
        contract = [c for c in shared if c not in keep]
        batch = [c for c in shared if c in keep]
        if not batch:
            cur = tensordot(cur, nxt, ([lc.index(c) for c in contract], [ln.index(c) for c in contract]))
            lc = "".join(c for c in lc if c not in contract) + "".join(c for c in ln if c not in contract)
        else:
            letters = lc + "".join(c for c in ln if c not in lc)
            prod_ = multiply(_einsum_align(cur, lc, letters, size), _einsum_align(nxt, ln, letters, size))
            axes = tuple(i for i, c in enumerate(letters) if c in contract)
            cur = sum(prod_, axis=axes) if axes else prod_
            lc = "".join(c for c in letters if c not in contract)
    extra = tuple(i for i, c in enumerate(lc) if c not in output)
    if extra:
        cur = sum(cur, axis=extra)
        lc = "".join(c for c in lc if c in output)
    return transpose(cur, [lc.index(c) for c in output])


def _einsum_align(x, letters, target, size):
    x = transpose(x, [letters.index(c) for c in target if c in letters])
    return reshape(x, tuple(size[c] if c in letters else 1 for c in target))


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


@traced("msort")
def msort(a):
    """numpy.msort (removed from numpy 2): sort along the first axis."""
    return _sort(a, axis=0)


# the core's own rules, where it has them, replace the composites above
for _n in ["logaddexp", "logaddexp2"]:
    if opid(_n) >= 0:
        _binary(_n)
