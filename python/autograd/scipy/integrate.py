"""autograd.scipy.integrate: ``odeint`` with reverse-mode gradients.

``odeint(func, y0, t, args=(), **kwargs)`` is scipy.integrate.odeint
(dy/dt = func(y, t, *args), y(t[0]) = y0, the solution at every time of t,
shape (len(t), y0.size)), differentiable with respect to y0, t and args
(arrays, numbers, or nested lists / tuples / dicts of them).  Parameters
that func depends on must be passed through args: func's closure is not
seen by the primitive, and a traced value reaching the solver that way is
an error rather than a silently zero gradient.

The forward solve is scipy's, on plain values.  The VJP is the adjoint
method: with cotangents g_i for y(t_i), the adjoint λ and the parameter
gradient μ obey

    dλ/dt = -(∂func/∂y)ᵀ λ,   dμ/dt = -(∂func/∂args)ᵀ λ,

solved backwards in time from t[-1] to t[0] together with y itself (one
scipy odeint call per interval, λ jumping by g_i at each t_i); the products
with the Jacobians come from autograd's own make_vjp of func.  Then
∂L/∂y0 = λ(t0) (including g_0), ∂L/∂t_i = g_i · func(y_i, t_i) for i > 0,
∂L/∂t_0 = -λ(t0) · func(y0, t0) (λ without g_0: y(t0) = y0 whatever t0)
and ∂L/∂args = μ(t0).  The backward solves use the rtol / atol / hmin /
hmax / mxstep options of the call.

Derivatives of higher order (reverse over reverse): when the VJP itself
is traced, the same adjoint solve runs with traced operations (the
backward solves are this odeint again, so they are differentiated the
same way).  Not supported (as in upstream autograd): forward mode (JVPs),
which raises NotImplementedError.
``full_output=True`` is scipy's own when nothing is traced and an error
otherwise.  ``tfirst=True`` (func(t, y, ...)) works.
"""
import threading
import warnings

import numpy as _np
import scipy.integrate as _si

from .. import numpy as anp
from ..core import make_vjp, flatten_tree, unflatten_tree
from ..extend import primitive, defvjp, defjvp
from ..tracer import Box, getval

__all__ = ["odeint"]

# options that the backward (adjoint) solves inherit from the call
_ADJOINT_OPTIONS = ("rtol", "atol", "hmin", "hmax", "mxstep", "mxhnil", "mxordn",
                    "mxords", "printmessg")


def _has_box(x):
    if isinstance(x, Box):
        return True
    if isinstance(x, (list, tuple, dict)):
        return any(isinstance(l, Box) for l in flatten_tree(x, check_leaves=False)[0])
    return False


def _no_traced_result(func):
    """func, refusing to hand a traced value to scipy (it would come from
    func's closure, and its derivative would be lost)."""
    def checked(y, t, *args):
        out = func(y, t, *args)
        if _has_box(out):
            raise TypeError("odeint: func returned a traced value: pass the traced "
                            "parameters it depends on through args, not its closure")
        return out
    return checked


class _Unpack(object):
    """Rebuild the args tuple from the flat vector of its traced leaves."""

    def __init__(self, spec, leaves, traced, shapes):
        self.spec, self.leaves, self.traced, self.shapes = spec, leaves, traced, shapes

    def __call__(self, flat):
        leaves = list(self.leaves)
        start = 0
        for i, shape in zip(self.traced, self.shapes):
            n = int(_np.prod(shape))
            leaves[i] = anp.reshape(flat[start:start + n], shape)
            start += n
        return unflatten_tree(self.spec, leaves)


def odeint(func, y0, t, args=(), **kwargs):
    """scipy.integrate.odeint, differentiable (reverse mode) with respect
    to y0, t and args."""
    if not isinstance(args, tuple):
        raise TypeError("Extra arguments must be in a tuple.")
    if kwargs.pop("tfirst", False):
        user = func

        def func(y, t, *a):
            return user(t, y, *a)
    leaves, spec = flatten_tree(args, check_leaves=False)
    traced = [i for i, l in enumerate(leaves) if isinstance(l, Box)]
    if not traced and not isinstance(y0, Box) and not isinstance(t, Box):
        return _si.odeint(_no_traced_result(func), y0, t, args=args, **kwargs)
    if kwargs.get("full_output"):
        raise NotImplementedError("odeint: full_output=True is not supported with traced arguments")
    shapes = [_np.shape(leaves[i]) for i in traced]
    flat = (anp.concatenate([anp.ravel(leaves[i]) for i in traced]) if traced
            else _np.zeros(0))
    return _odeint(func, y0, t, flat, _Unpack(spec, leaves, traced, shapes), **kwargs)


@primitive
def _odeint(func, y0, t, flat_args, unpack, **kwargs):
    """The primitive: odeint with args given as one flat vector of the
    traced leaves (argnum 3) and the function that rebuilds the tuple."""
    return _si.odeint(_no_traced_result(func), y0, t, args=unpack(flat_args), **kwargs)


def _adjoint_kwargs(kwargs):
    out = {}
    for k in _ADJOINT_OPTIONS:
        if kwargs.get(k) is not None:
            v = kwargs[k]
            if k in ("rtol", "atol") and _np.ndim(v) > 0:
                v = float(_np.min(v))  # per-component tolerances: the tightest
            out[k] = v
    return out


class _Adjoint(object):
    """The VJPs of one odeint call with respect to y0, t and the flat args,
    computed together for a cotangent g (and kept for the last g, since
    each argnum's VJP asks for them in turn)."""

    def __init__(self, ans, func, y0, t, flat_args, unpack, kwargs):
        self.ans, self.func, self.y0, self.t = ans, func, y0, t
        self.flat_args, self.unpack, self.kwargs = flat_args, unpack, kwargs
        self._g, self._result = None, None

    def __call__(self, g):
        if self._g is not g:
            self._result = self._solve(g)
            self._g = g
        return self._result

    def _solve(self, g):
        """The adjoint solve.  It is written with autograd.numpy operations
        and its backward solves are this module's odeint (the augmented
        state passed as y0, the parameters as args), so one code serves
        both orders: on plain values every operation is numpy's and odeint
        is scipy's, and when the VJP itself is being differentiated (g,
        ans, y0, t or the args traced) the same solve is recorded, giving
        derivatives of higher order."""
        func, unpack, p, yt = self.func, self.unpack, self.flat_args, self.ans
        T, D = _np.shape(getval(yt))
        P = _np.size(getval(p))
        # the times func sees are floats, as in scipy's forward solve
        t = anp.ravel(self.t if isinstance(self.t, Box) else _np.asarray(self.t, dtype=float))
        tv = _np.ravel(getval(t))
        g = anp.reshape(g, (T, D))
        q_args = (p,) if P else ()

        def f(y, s, q):
            return anp.reshape(func(y, s, *unpack(q)), (D,))

        def augmented(state, s, *q):
            y, lam = state[:D], state[D:2 * D]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # func may not depend on y or args
                if P:
                    vjp, dy = make_vjp(lambda yq: f(yq[0], s, yq[1]), (y, q[0]))
                    gy, gq = vjp(-lam)
                    return anp.concatenate([anp.ravel(dy), anp.ravel(gy), anp.ravel(gq)])
                vjp, dy = make_vjp(lambda y_: f(y_, s, _np.zeros(0)), y)
                return anp.concatenate([anp.ravel(dy), anp.ravel(vjp(-lam))])

        opts = _adjoint_kwargs(self.kwargs)
        lam, mu = g[T - 1], anp.zeros(P)
        gt = [0.0] * T
        for i in range(T - 1, 0, -1):
            gt[i] = anp.dot(g[i], f(yt[i], t[i], p))
            if tv[i] != tv[i - 1]:
                state = anp.concatenate([yt[i], lam, mu])
                state = odeint(augmented, state, anp.stack([t[i], t[i - 1]]), args=q_args,
                               **opts)[1]
                lam, mu = state[D:2 * D], state[2 * D:]
            if i > 1:
                lam = lam + g[i - 1]
        if T > 1:
            gt[0] = -anp.dot(lam, f(yt[0], t[0], p))
        lam = lam + g[0] if T > 1 else g[0]
        return (anp.reshape(lam, _np.shape(getval(self.y0))),
                anp.reshape(anp.stack(gt), _np.shape(getval(self.t))), mu)


_local = threading.local()


def _vjp_maker(k):
    def maker(ans, func, y0, t, flat_args, unpack, **kwargs):
        last = getattr(_local, "last", None)
        if last is None or last.ans is not ans:
            last = _local.last = _Adjoint(ans, func, y0, t, flat_args, unpack, kwargs)
        return lambda g: last(g)[k]
    return maker


def _no_jvp(g, ans, *args, **kwargs):
    raise NotImplementedError("odeint: forward mode (JVP) is not supported; "
                              "use reverse mode (grad, make_vjp, jacobian)")


defvjp(_odeint, _vjp_maker(0), _vjp_maker(1), _vjp_maker(2), argnums=(1, 2, 3))
defjvp(_odeint, _no_jvp, _no_jvp, _no_jvp, argnums=(1, 2, 3))
