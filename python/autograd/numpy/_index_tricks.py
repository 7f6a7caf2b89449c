"""np.r_, np.c_ and make_diagonal: names autograd.numpy has beyond numpy's
functions.

r_ and c_ are numpy's index-expression concatenators.  With traced values
inside the key, numpy builds the result itself from object arrays of
markers (one per element of each traced value), so every numpy rule (slices
as ranges, directives such as '0,2', c_'s columns) is numpy's; the result
is then one gather from the traced values' elements, with the constants
filled in by `where`.
"""
import numpy as _np

from ..ops import shape_of
from ..tracer import Box, getval, has_box
from .array_combining import concatenate
from .array_shapes import expand_dims, ravel, reshape
from .elementwise import where


class _Marker(object):
    """Element j of the traced values' concatenated elements."""
    __slots__ = ["j"]

    def __init__(self, j):
        self.j = j


class _Concatenator(object):
    def __init__(self, raw):
        self._raw = raw

    def __getitem__(self, key):
        items = key if isinstance(key, tuple) else (key,)
        if not has_box(items):
            return self._raw[key]
        boxes, count = [], [0]

        def mark(x):
            if not isinstance(x, Box):
                return x
            v = _np.asarray(getval(x))
            m = _np.empty(v.shape, dtype=object)
            for j, idx in enumerate(_np.ndindex(*v.shape)):
                m[idx] = _Marker(count[0] + j)
            count[0] += v.size
            boxes.append((x, v.dtype))
            return m

        marked = tuple(mark(x) for x in items)
        raw = _np.asarray(self._raw[marked if isinstance(key, tuple) else marked[0]])
        flat = raw.ravel()
        is_marker = _np.array([type(e) is _Marker for e in flat], dtype=bool)
        index = _np.array([e.j if type(e) is _Marker else 0 for e in flat], dtype=_np.intp)
        consts = [e for e in flat if type(e) is not _Marker]
        dtype = _np.result_type(*[d for _, d in boxes],
                                *([_np.asarray(consts).dtype] if consts else []))
        const = _np.zeros(flat.shape, dtype)
        if consts:
            const[~is_marker] = _np.asarray(consts).astype(dtype)
        values = concatenate([ravel(b) for b, _ in boxes])
        out = where(is_marker, values[index], const)
        return reshape(out, raw.shape)

    def __len__(self):
        return 0


r_ = _Concatenator(_np.r_)
c_ = _Concatenator(_np.c_)


def make_diagonal(D, offset=0, axis1=0, axis2=1):
    """Arrays with D on the diagonal of their last two axes (the inverse of
    np.diagonal(A, axis1=-1, axis2=-2)): shape D.shape + D.shape[-1:].  As
    upstream autograd, only offset=0, axis1=-1, axis2=-2 are supported."""
    if not (offset == 0 and axis1 == -1 and axis2 == -2):
        raise NotImplementedError("Currently make_diagonal only supports offset=0, axis1=-1, axis2=-2")
    if not isinstance(D, Box):
        D = _np.asarray(D)
        return _np.where(_np.eye(D.shape[-1], dtype=bool), _np.expand_dims(D, -1), 0.0)
    eye = _np.eye(shape_of(D)[-1], dtype=bool)
    return where(eye, expand_dims(D, -1), 0.0)
