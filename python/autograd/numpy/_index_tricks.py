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

from ..tracer import Box, getval
from .numpy_wrapper import has_box


def _anp():
    from .. import numpy as anp
    return anp


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
        anp = _anp()
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
        values = anp.concatenate([anp.ravel(b) for b, _ in boxes])
        out = anp.where(is_marker, values[index], const)
        return anp.reshape(out, raw.shape)

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
    anp = _anp()
    if not isinstance(D, Box):
        D = _np.asarray(D)
    n = anp.shape(D)[-1]
    eye = _np.eye(n, dtype=bool)
    return anp.where(eye, anp.expand_dims(D, -1), 0.0)
