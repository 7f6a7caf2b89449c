"""autograd.numpy.linalg: numpy.linalg, wrapped like autograd.numpy.

Traced calls: ``norm`` (vector and Frobenius / 1 / inf matrix norms) is a
composite of differentiable operations; the others raise
NotImplementedError until the core provides them.
"""
import numpy as _np

from .numpy_wrapper import wrap_namespace as _wrap
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
        raise NotImplementedError("autograd.numpy.linalg.norm: ord={!r} needs the singular "
                                  "values, which have no gradient rule yet".format(ord))
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
