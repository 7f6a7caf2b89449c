"""Checking derivatives against finite differences.

``check_grads(f, modes=['fwd', 'rev'], order=2)(*args)`` (or, with the
argument given directly, ``check_grads(f, x)``) compares the exact VJPs and
JVPs of f with central finite differences along random directions, then
does the same for the functions (x, v) -> VJP / JVP, recursively, up to
the given order.

Conventions (those of autograd): vector spaces carry the real inner
product <x, y> = sum(Re(conj(x) * y)); the VJP of a holomorphic function
is g * f'(z) with no conjugation, so ``covector(vjp(covector(v)))`` is the
adjoint of the JVP for that inner product.
"""
import itertools

import numpy as _np

from .core import make_vjp, make_jvp, vspace
from .tracer import getval

__all__ = ["check_grads", "check_vjp", "check_jvp", "check_equivalent",
           "combo_check", "scalar_close", "make_numerical_jvp"]

EPS = 1e-6
RTOL = 1e-5
ATOL = 1e-6


def scalar_close(a, b, rtol=RTOL, atol=ATOL):
    """|a - b| small relative to |a| + |b| (or absolutely small)."""
    a, b = complex(getval(a)), complex(getval(b))
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))


def make_numerical_jvp(f, x, eps=EPS):
    """v -> (f(x + eps v) - f(x - eps v)) / (2 eps), in f's output space."""
    y = f(x)
    x_vs, y_vs = vspace(x), vspace(y)

    def jvp(v):
        f_plus = f(x_vs.add(x, x_vs.scalar_mul(v, eps)))
        f_minus = f(x_vs.add(x, x_vs.scalar_mul(v, -eps)))
        return y_vs.scalar_mul(y_vs.add(f_plus, y_vs.scalar_mul(f_minus, -1.0)), 1.0 / (2 * eps))
    return jvp


def check_vjp(f, x):
    """Check the reverse mode of f at x against finite differences."""
    vjp, y = make_vjp(f, x)
    num_jvp = make_numerical_jvp(f, x)
    x_vs, y_vs = vspace(x), vspace(y)
    x_v, y_v = x_vs.randn(), y_vs.randn()
    vjp_y = x_vs.covector(vjp(y_vs.covector(y_v)))
    if vspace(vjp_y) != x_vs:
        raise AssertionError("VJP has the wrong vector space: {} instead of {}".format(
            vspace(vjp_y), x_vs))
    exact = x_vs.inner_prod(x_v, vjp_y)
    numeric = y_vs.inner_prod(y_v, num_jvp(x_v))
    if not scalar_close(numeric, exact):
        raise AssertionError("Derivative (VJP) check of {} failed with arg {}:\n"
                             "analytic: {}\nnumeric:  {}".format(_name(f), x, exact, numeric))


def check_jvp(f, x):
    """Check the forward mode of f at x against finite differences."""
    jvp = make_jvp(f, x)
    num_jvp = make_numerical_jvp(f, x)
    x_v = vspace(x).randn()
    y, t = jvp(x_v)
    y_vs = vspace(y)
    if vspace(t) != y_vs:
        raise AssertionError("JVP has the wrong vector space: {} instead of {}".format(
            vspace(t), y_vs))
    y_v = y_vs.randn()
    exact = y_vs.inner_prod(y_v, t)
    numeric = y_vs.inner_prod(y_v, num_jvp(x_v))
    if not scalar_close(numeric, exact):
        raise AssertionError("Derivative (JVP) check of {} failed with arg {}:\n"
                             "analytic: {}\nnumeric:  {}".format(_name(f), x, exact, numeric))


def _name(f):
    return getattr(f, "__name__", repr(f))


def _named(g, name):
    """g renamed, so that failures name the user's function (as upstream's
    messages do), not a wrapper of it."""
    g.__name__ = g.__qualname__ = name
    return g


def _check_grads_unary(f, x, modes, order):
    for m in modes:
        if m not in ("fwd", "rev"):
            raise ValueError("modes must be 'fwd' and/or 'rev', not {!r}".format(m))
    if "fwd" in modes:
        check_jvp(f, x)
        if order > 1:
            def jvp_f(x, v):
                return make_jvp(f, x)(v)[1]
            v = vspace(x).randn()
            _check_grads_unary(_named(lambda xv: jvp_f(*xv), "jvp_" + _name(f)),
                               (x, v), modes, order - 1)
    if "rev" in modes:
        check_vjp(f, x)
        if order > 1:
            def vjp_f(x, v):
                return make_vjp(f, x)[0](v)
            v = vspace(f(x)).randn()
            _check_grads_unary(_named(lambda xv: vjp_f(*xv), "vjp_" + _name(f)),
                               (x, v), modes, order - 1)


def _is_argnum(a):
    return isinstance(a, int) and not isinstance(a, bool) or (
        isinstance(a, tuple) and a and all(isinstance(i, int) for i in a))


def check_grads(f, x=None, modes=("fwd", "rev"), order=2, argnum=None):
    """Check f's derivatives up to `order` in `modes` by finite differences.

    Two call forms: ``check_grads(f, x)`` checks at argument x now;
    ``check_grads(f, argnum, modes=..., order=...)(*args)`` (or with x left
    out) returns a checker of f with respect to argument(s) argnum.
    """
    modes = list(modes)
    if x is not None and not _is_argnum(x):
        _check_grads_unary(f, x, modes, order)
        return None
    argnum = x if x is not None else (argnum if argnum is not None else 0)

    def checker(*args, **kwargs):
        if isinstance(argnum, int):
            def unary_f(v):
                return f(*args[:argnum], v, *args[argnum + 1:], **kwargs)
            x0 = args[argnum]
            _named(unary_f, _name(f))
        else:
            def unary_f(vs):
                new = list(args)
                for i, v in zip(argnum, vs):
                    new[i] = v
                return f(*new, **kwargs)
            x0 = tuple(args[i] for i in argnum)
            _named(unary_f, _name(f))
        _check_grads_unary(unary_f, x0, modes, order)
    return checker


def check_equivalent(x, y):
    """Assert that x and y are in the same vector space and equal."""
    x_vs, y_vs = vspace(x), vspace(y)
    if x_vs != y_vs:
        raise AssertionError("VSpace mismatch:\nx: {}\ny: {}".format(x_vs, y_vs))
    diff = x_vs.add(x, x_vs.scalar_mul(y, -1.0))
    size = float(getval(x_vs.inner_prod(diff, diff))) ** 0.5
    scale = max(float(getval(x_vs.inner_prod(x, x))) ** 0.5, 1.0)
    if size > RTOL * scale + ATOL:
        raise AssertionError("Value mismatch:\nx: {}\ny: {}".format(x, y))


def combo_check(fun, *args, **kwargs):
    """combo_check(fun, argnums, modes=..., order=...)(arg0_values, ...,
    kw=kw_values...): check_grads of fun at every combination of the listed
    values, with respect to each argnum in argnums."""
    def checker(*arg_lists, **kwarg_lists):
        argnums = args[0] if args else (0,)
        kw_names = list(kwarg_lists)
        for vals in itertools.product(*arg_lists, *[kwarg_lists[k] for k in kw_names]):
            pos = vals[:len(arg_lists)]
            kw = dict(zip(kw_names, vals[len(arg_lists):]))
            for i in argnums:
                check_grads(fun, i, **kwargs)(*pos, **kw)
    return checker
