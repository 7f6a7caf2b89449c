"""Traced elementwise functions: the Python side of the Go core's
``core/ad/rules_elementwise.go``.

numpy's unary and binary ufuncs that are one operation of the core
(sin, exp, add, power, arctan2, ...) call it directly, through the single
dispatch of :mod:`autograd.ops`; the others (clip, mod, logaddexp without
the core's rule, sinc, angle, nan_to_num, ...) are composed of traced
operations, with constant masks computed by numpy from the plain values.
``where`` is the core's ``where``, its condition taken by value.  dtype
conversions (``astype``) are here too: promotion to complex and taking the
real part are elementwise.
"""
import warnings

import numpy as _np

from ..ops import apply, apply1, binary, lift, opid, no_op, iscomplex_of
from ..tracer import HandleBox, getval, deep_getval
from ._args import reject_kwargs
from .numpy_wrapper import TRACED, traced


def _unary(name, opname=None):
    opname = opname or name
    op = opid(opname)

    def impl(x, *args, **kwargs):
        if args or kwargs:
            if args:
                raise NotImplementedError("autograd.numpy.{}: positional 'out' is not "
                                          "supported on traced values".format(name))
            reject_kwargs(name, kwargs)
        if not isinstance(x, HandleBox):
            x = lift(x)
            if not isinstance(x, HandleBox):
                return getattr(_np, name)(x)
        if op < 0:
            raise no_op(opname)
        return apply1(op, x)
    impl.__name__ = name
    TRACED[name] = impl
    # the numpy wrapper calls the core itself on one box: the hot path
    impl.unary_op = op
    return impl


def _binary(name, opname=None):
    opname = opname or name
    op = opid(opname)
    numpy_fn = getattr(_np, name)

    def impl(a, b, *args, **kwargs):
        if args or kwargs:
            if args:
                raise NotImplementedError("autograd.numpy.{}: positional 'out' is not "
                                          "supported on traced values".format(name))
            reject_kwargs(name, kwargs)
        if op < 0:
            raise no_op(opname)
        return binary(op, a, b, numpy_fn)
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
    reject_kwargs("float_power", kwargs)
    return power(a, b)


@traced("where")
def where(condition, x=None, y=None):
    """numpy.where: the condition is taken by value and gets no gradient."""
    if x is None and y is None:
        return _np.where(getval(condition))
    cond = _np.asarray(deep_getval(condition))
    return apply("where", [cond.astype(_np.float64), lift(x), lift(y)])


@traced("clip")
def clip(a, a_min=_np._NoValue, a_max=_np._NoValue, out=None, **kwargs):
    """Values outside [a_min, a_max] are replaced by the bounds (which get
    the gradient there when they are traced)."""
    a = lift(a)
    if a_min is _np._NoValue:
        a_min = kwargs.pop("min", None)
    if a_max is _np._NoValue:
        a_max = kwargs.pop("max", None)
    reject_kwargs("clip", dict(out=out, **kwargs))
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
    reject_kwargs("mod", kwargs)
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


# ------------------------------------------------------------ dtype conversions

def astype(x, dtype):
    """x.astype(dtype) on a traced value: complex dtypes promote a real box
    (adding 0j), real ones take the real part of a complex box (with numpy's
    warning), integer and boolean ones give plain values."""
    dtype = _np.dtype(dtype)
    x = lift(x)
    if not isinstance(x, HandleBox):
        return x.astype(dtype)
    if dtype.kind == "c":
        if iscomplex_of(x):
            return x
        return binary(opid("add"), x, 0j, _np.add)
    if dtype.kind == "f":
        if iscomplex_of(x):
            warnings.warn("Casting complex values to real discards the imaginary part",
                          _np.exceptions.ComplexWarning, stacklevel=3)
            return real(x)
        return x
    return getval(x).astype(dtype)  # integers and booleans: no gradient


TRACED["astype"] = lambda x, dtype, *args, **kwargs: astype(x, dtype)


# the core's own rules, where it has them, replace the composites above
for _n in ["logaddexp", "logaddexp2"]:
    if opid(_n) >= 0:
        _binary(_n)
