"""Traced functions that build arrays from others: the Python side of the
Go core's ``stack`` (``core/ad/rules_array.go``), with gathers.

np.array / asarray of nested lists holding boxes stack them; stack is the
core's stack and a transpose; concatenate, hstack, vstack, ... let numpy lay
out arrays of element markers and gather each operand's elements into
place; full, linspace and select are compositions.
"""
import numpy as _np

from ..ops import apply, lift, array_from_nested, shape_of, ndim_of
from ..tracer import HandleBox, Box, getval, deep_getval, has_box, constant_box
from ._args import normalize_axis, nelems
from .array_indexing import gather, index_grid
from .array_shapes import broadcast_to, moveaxis, ravel, reshape
from .elementwise import add, astype, multiply, subtract, where
from .numpy_wrapper import TRACED, traced


@traced("asarray", "asanyarray", "ascontiguousarray", "asfortranarray", "asarray_chkfinite")
def asarray(obj, dtype=None, *args, **kwargs):
    r = array_from_nested(obj) if not isinstance(obj, HandleBox) else obj
    if dtype is not None:
        r = astype(r, dtype)
    ndmin = kwargs.get("ndmin", 0)
    if ndmin and ndim_of(r) < ndmin:
        r = reshape(r, (1,) * (ndmin - ndim_of(r)) + shape_of(r))
    return r


@traced("array", "copy")
def array(obj, dtype=None, *args, **kwargs):
    """np.array / np.copy: a new box object (copy=False: the same one), so
    assigning into the copy leaves the original alone."""
    r = asarray(obj, dtype, *args, **kwargs)
    if r is obj and kwargs.get("copy", True) is not False:
        r = r._alias()
    return r


def _constant_like(a, fill, dtype=None, shape=None, **kwargs):
    """A constant array shaped like a (or shape) boxed in a's trace: what
    zeros_like / ones_like / empty_like / full_like of a traced value return,
    so that assigning traced values into it is traced."""
    plain = _np.full_like(getval(a), fill, dtype=dtype, shape=shape, **kwargs)
    if plain.dtype.kind not in "fc" or not isinstance(a, HandleBox):
        return plain
    return constant_box(a, plain)


@traced("zeros_like")
def _zeros_like(a, dtype=None, order="K", subok=True, shape=None, **kwargs):
    return _constant_like(a, 0, dtype, shape)


@traced("ones_like")
def _ones_like(a, dtype=None, order="K", subok=True, shape=None, **kwargs):
    return _constant_like(a, 1, dtype, shape)


@traced("empty_like")
def _empty_like(a, dtype=None, order="K", subok=True, shape=None, **kwargs):
    return _constant_like(a, 0, dtype, shape)


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
            off += nelems(s)
        res = _np.asarray(numpy_fn(markers, *args, **kwargs))
        total, off = None, 0
        for p in parts:
            n = nelems(shape_of(p))
            sel = (res > off) & (res <= off + n)
            if sel.any():
                local = _np.where(sel, res - off - 1, 0)
                if isinstance(p, HandleBox):
                    term = gather(p, local)
                else:
                    vals = _np.ravel(_np.asarray(p))
                    term = vals[local].astype(_np.result_type(vals, 0.0))
                # select, never multiply by a 0/1 mask: inf * 0 would be nan
                if total is None:
                    total = term if sel.all() else where(sel, term, 0.0)
                else:
                    total = where(sel, term, total)
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
    return astype(r, dtype) if dtype is not None else r


@traced("full_like")
def _full_like(a, fill_value, dtype=None, **kwargs):
    if not isinstance(fill_value, Box) and not (isinstance(fill_value, (list, tuple)) and has_box(fill_value)):
        return _constant_like(a, fill_value, dtype, **kwargs)
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
