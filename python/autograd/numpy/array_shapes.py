"""Traced shape functions: the Python side of the Go core's ``reshape``,
``transpose`` and ``broadcast_to`` (``core/ad/rules_array.go``).

reshape, ravel, expand_dims, squeeze and atleast_* are reshapes;
transpose, swapaxes, moveaxis and rollaxis are transposes; broadcast_to
and broadcast_arrays broadcast.  Shapes and axes are checked here with
numpy's errors before the core is called.
"""
import operator

import numpy as _np

from ..ops import apply, lift, shape_of, ndim_of
from ._args import AxisError, normalize_axes, normalize_axis, nelems
from .numpy_wrapper import TRACED, traced


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
    known = nelems(s for s in shape if s != -1)
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
    shape = resolve_shape(shape, nelems(old))
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
    i, j = normalize_axis(axis1, nd, "axis1"), normalize_axis(axis2, nd, "axis2")
    perm = list(range(nd))
    perm[i], perm[j] = perm[j], perm[i]
    return transpose(a, perm)


@traced("moveaxis")
def moveaxis(a, source, destination):
    a = lift(a)
    nd = ndim_of(a)
    src = normalize_axes(source, nd, "source")
    dst = normalize_axes(destination, nd, "destination")
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
        raise AxisError("'start' arg requires {} <= start < {}, but {} was passed in".format(-nd, nd + 1, start))
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
