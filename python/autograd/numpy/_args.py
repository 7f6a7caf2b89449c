"""numpy's argument conventions, for the traced implementations: axes,
keyword arguments the traced versions do not support, products of shapes
and shapes as numpy writes them in messages."""
import operator

import numpy as _np

AxisError = _np.exceptions.AxisError


def reject_kwargs(name, kwargs, allowed=()):
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


def normalize_axes(axis, ndim, argname=None):
    """axis (None, int or sequence) as a list of distinct axes in [0, ndim);
    errors name the argument argname as numpy's do ("source: axis 3 ...")."""
    if axis is None:
        return list(range(ndim))
    if not isinstance(axis, (list, tuple)):
        axis = (axis,)
    out = []
    for a in axis:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise AxisError(a, ndim, argname)
        a %= ndim
        if a in out:
            raise ValueError("duplicate value in 'axis'")
        out.append(a)
    return out


def normalize_axis(axis, ndim, argname=None):
    return normalize_axes(axis, ndim, argname)[0]


def nelems(shape):
    """The number of elements of an array of the given shape: the product
    of the integers (1 for none)."""
    n = 1
    for v in shape:
        n *= v
    return n


def shape_str(shape):
    """A shape as numpy writes it in messages: (2,3), (4,), ()."""
    return "(" + ",".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
