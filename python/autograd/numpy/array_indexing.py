"""Traced indexing: the Python side of the Go core's ``gather`` and
``scatter_add`` (``core/ad/rules_array.go``).

numpy computes which elements a function selects: it is applied to an array
of element indices (:func:`index_grid`), and the result is one gather.  So
indexing (ints, slices, Ellipsis, None, integer arrays, boolean masks) and
every function that only moves or selects elements (flip, roll, take,
diagonal, sort, partition, compress, diag, pad, ...) has numpy's semantics
by construction.  tril and triu multiply by a constant mask.

Basic indexing (ints, slices, Ellipsis, None) and the functions that numpy
computes as views (flip, rot90, diagonal, split, ...) are described by
numbers instead of a list of every position: numpy applies the key to a
*probe*, an array of the right shape and strides that owns a single byte
(numpy makes views without reading data), and the view's offset and
strides are the Go core's ``view`` operation.
"""
import warnings

import numpy as _np
from numpy.lib.stride_tricks import as_strided as _as_strided

from ..ops import apply, lift, shape_of, ndim_of
from ..tracer import Box, getval, deep_getval
from ._args import nelems
from .elementwise import multiply, where
from .numpy_wrapper import TRACED, traced


_GRIDS = {}


def index_grid(shape):
    """arange(size).reshape(shape), read-only and cached for recent shapes."""
    shape = tuple(shape)
    g = _GRIDS.get(shape)
    if g is None:
        g = _np.arange(nelems(shape), dtype=_np.int64).reshape(shape)
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


_PROBE = _np.zeros(1, dtype=_np.uint8)


def _c_strides(shape):
    st, s = [], 1
    for d in reversed(shape):
        st.append(s)
        s *= d
    return tuple(reversed(st))


def _probe(shape):
    """An array of shape (C-ordered element strides, itemsize 1) over one
    byte: apply to it only what makes views without reading elements
    (basic indexing, numpy's view functions)."""
    return _as_strided(_PROBE, shape=shape, strides=_c_strides(shape))


def _view_spec(v):
    """(offset, shape, strides), in elements, of v, a view of a probe, or
    None when it is empty (or not an array)."""
    if not isinstance(v, _np.ndarray) or nelems(v.shape) == 0:
        return None
    offset = v.__array_interface__["data"][0] - _PROBE.__array_interface__["data"][0]
    return offset, v.shape, v.strides


def view(x, spec):
    """The view spec = (offset, shape, strides) of x (the core's view)."""
    offset, shape, strides = spec
    return apply("view", [x], axes2=strides, shape=shape, index=[offset])


def _basic_key(key):
    """key with an Ellipsis added when it is a basic index (ints, slices,
    Ellipsis, None), so that numpy answers with a view even when every axis
    gets an integer; else None."""
    ks = key if isinstance(key, tuple) else (key,)
    ellipsis = False
    for k in ks:
        if k is Ellipsis:
            ellipsis = True
        elif not (k is None or type(k) is slice or
                  (isinstance(k, (int, _np.integer)) and not isinstance(k, (bool, _np.bool_)))):
            return None
    return ks if ellipsis else ks + (Ellipsis,)


def getitem(x, key):
    """x[key] for any numpy index: one view, or one gather."""
    x = lift(x)
    shape = shape_of(x)
    basic = _basic_key(key)
    if basic is not None and nelems(shape):
        spec = _view_spec(_probe(shape)[basic])
        if spec is not None:
            if spec[1] == shape and spec[2] == _c_strides(shape) and spec[0] == 0:
                return x
            return view(x, spec)
    grid = index_grid(shape)
    idx = _np.asarray(grid[_key_getval(key)])
    if idx.shape == shape and (idx.size == 0 or (idx.flat[0] == 0 and _np.array_equal(idx, grid))):
        return x
    return gather(x, idx)


def rearrange(numpy_fn, makes_views=False):
    """The traced version of a numpy function that only moves or selects
    the elements of its first argument (as views of it, for the functions
    numpy computes without reading the elements: makes_views)."""
    def impl(a, *args, **kwargs):
        a = lift(a)
        args = [deep_getval(v) for v in args]
        kwargs = {k: deep_getval(v) for k, v in kwargs.items()}
        if makes_views and nelems(shape_of(a)):
            out = numpy_fn(_probe(shape_of(a)), *args, **kwargs)
            many = isinstance(out, (list, tuple))
            specs = [_view_spec(o) for o in (out if many else [out])]
            if all(s is not None for s in specs):
                res = [view(a, s) for s in specs]
                return type(out)(res) if many else res[0]
        idx = numpy_fn(index_grid(shape_of(a)), *args, **kwargs)
        if isinstance(idx, (list, tuple)):
            return type(idx)(gather(a, i) for i in idx)
        return gather(a, idx)
    impl.__name__ = getattr(numpy_fn, "__name__", "rearrange")
    return impl


# numpy computes these as views (slicing and strides only, never reading an
# element): traced, they are the core's view
_VIEW_FUNCTIONS = {"flip", "fliplr", "flipud", "rot90", "diagonal", "split", "array_split",
                   "hsplit", "vsplit", "dsplit"}

for _n in ["flip", "fliplr", "flipud", "roll", "rot90", "repeat", "tile", "diagonal",
           "take", "split", "array_split", "hsplit", "vsplit", "dsplit", "resize",
           "take_along_axis"]:
    if hasattr(_np, _n):
        TRACED[_n] = rearrange(getattr(_np, _n), _n in _VIEW_FUNCTIONS)


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


@traced("msort")
def msort(a):
    """numpy.msort (removed from numpy 2): sort along the first axis."""
    return _sort(a, axis=0)


# ------------------------------------------------------------ assignment

def setitem(x, key, v):
    """The array x with x[key] = v, traced (numpy's assignment semantics:
    v broadcast to the selection, the last of repeated positions wins, a
    complex v into a real x keeps its real part with numpy's
    ComplexWarning).  The kept entries of x and v get the gradient."""
    x, v = lift(x), lift(v)
    shape, vshape = shape_of(x), shape_of(v)
    key = _key_getval(key)
    # numpy's own errors (bad keys, shapes that do not broadcast), on stand-ins
    _np.empty(shape, dtype=_np.bool_)[key] = _np.zeros(vshape, dtype=_np.bool_)
    pos = _np.asarray(index_grid(shape)[key])
    flat = pos.ravel()
    if not flat.size:
        return x
    vshape = vshape[len(vshape) - min(len(vshape), pos.ndim):] if len(vshape) > pos.ndim else vshape
    vals = apply("reshape", [v], shape=vshape) if vshape != shape_of(v) else v
    if vshape != pos.shape:
        vals = apply("broadcast_to", [vals], shape=pos.shape)
    vals = apply("reshape", [vals], shape=(flat.size,))
    if _iscomplex(v) and not _iscomplex(x):
        warnings.warn("Casting complex values to real discards the imaginary part",
                      _ComplexWarning, stacklevel=3)
        vals = apply("real", [vals])
    last = flat.size - 1 - _np.unique(flat[::-1], return_index=True)[1]
    if last.size != flat.size:  # repeated positions: the last write wins
        vals = gather(vals, last)
        flat = flat[last]
    mask = _np.zeros(nelems(shape), dtype=_np.float64)
    mask[flat] = 1.0
    placed = apply("scatter_add", [vals], shape=shape, index=flat)
    return apply("where", [mask.reshape(shape), placed, x])


def _iscomplex(a):
    return _np.dtype(getattr(a, "dtype", None) or _np.result_type(a)).kind == "c"


_ComplexWarning = getattr(getattr(_np, "exceptions", _np), "ComplexWarning", RuntimeWarning)
