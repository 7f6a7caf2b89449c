"""Python primitives with tuple results, and lists holding boxes as their
arguments (what ``autograd.tracer.primitive`` needs beyond arrays).

A Go box holds one array, so a primitive returning a tuple (or list,
namedtuple) of arrays is recorded as one node whose value is the
concatenation of the raveled elements (complex when one of them is); the
elements are gathered back out of it with traced operations.  The node's
VJP splits the packed cotangent into a tuple shaped like the result (zeros
for elements the output does not use, as upstream) and calls the
primitive's VJP once with it; forward mode packs the tuple tangent the
primitive's JVP returns.

An argument that is a list or tuple holding boxes is made one array first,
as the numpy wrappers make it (``numpy.array`` of the list, traced by
stacking), so ``scipy.special.gammaln([box, 2.0])`` is traced.
"""
import numpy

from . import _capi, ops
from . import tracer as _tracer
from ._capi import ag_custom_box_, ag_forward_box, ag_tangent, check, last_error, registry
from .tracer import HandleBox, borrow_handle, handles_array, release_later, user_value, has_box

__all__ = ["lift_list_args", "tuple_result"]


def lift_list_args(args):
    """args with every list / tuple holding a box made one traced array."""
    out = list(args)
    for i, a in enumerate(args):
        if (type(a) is list or type(a) is tuple) and has_box(a):
            out[i] = ops.array_from_nested(a)
    return tuple(out)


def _layout(parts):
    """(shapes, sizes, complex flags, offsets) of the tuple's elements."""
    shapes = [ops.shape_of(p) for p in parts]
    sizes = [int(numpy.prod(s)) for s in shapes]
    flags = [ops.iscomplex_of(p) for p in parts]
    offsets = numpy.concatenate([[0], numpy.cumsum(sizes)]).astype(numpy.int64)
    return shapes, sizes, flags, offsets


def _pack(parts, sizes, offsets):
    """The raveled elements of parts one after the other (traced when one
    of them is a box of an outer trace)."""
    total = int(offsets[-1])
    if not has_box(parts):
        cplx = any(numpy.iscomplexobj(p) for p in parts)
        out = numpy.zeros(total, numpy.complex128 if cplx else numpy.float64)
        for p, n, o in zip(parts, sizes, offsets):
            out[o:o + n] = numpy.ravel(p)
        return out
    packed = None
    for p, n, o in zip(parts, sizes, offsets):
        flat = ops.apply("reshape", [p], shape=(n,))
        placed = ops.apply("scatter_add", [flat], shape=(total,), index=numpy.arange(o, o + n))
        packed = placed if packed is None else ops.apply("add", [packed, placed])
    return packed


def _unpack(packed, shapes, sizes, flags, offsets, make):
    """The elements of packed (a box or an array), as make(list)."""
    parts = []
    packed_complex = ops.iscomplex_of(packed)
    for s, n, c, o in zip(shapes, sizes, flags, offsets):
        e = ops.apply("gather", [packed], shape=s, index=numpy.arange(o, o + n))
        if packed_complex and not c:
            e = ops.apply("real", [e])
        parts.append(e)
    return make(parts)


def _maker(ans):
    t = type(ans)
    if hasattr(t, "_make"):
        return t._make
    return t


def _check_parts(prim, parts):
    for p in parts:
        if not isinstance(p, (HandleBox, numpy.ndarray, float, int, complex, numpy.number)):
            raise TypeError("autograd: primitive {} returned a tuple holding a value of type {}; "
                            "the elements of a traced primitive's tuple must be numbers or arrays"
                            .format(_tracer._fname(prim), type(p).__name__))


def tuple_result(prim, ans, trace_id, mode, args, kwargs, argnums, parents):
    """The traced result of Python primitive prim whose value ans (computed
    on args one level down) is a tuple or list."""
    parts = list(ans)
    _check_parts(prim, parts)
    make = _maker(ans)
    layout = _layout(parts)
    shapes, sizes, flags, offsets = layout
    packed = _pack(parts, sizes, offsets)
    ph, owned = borrow_handle(packed)
    try:
        if mode == _capi.REVERSE:
            maker = []

            def vjp(g):
                if not maker:
                    if prim._vjp is None:
                        raise NotImplementedError("VJP of {} wrt argnum {} not defined"
                                                  .format(_tracer._fname(prim), argnums[0]))
                    maker.append(prim._vjp(tuple(argnums), ans, tuple(args), kwargs))
                return maker[0](_unpack(g, shapes, sizes, flags, offsets, make))
            node_id = next(_tracer._ids)
            registry[node_id] = [prim, ans, tuple(args), kwargs, tuple(argnums), vjp]
            h = ag_custom_box_(trace_id, ph, len(parents), handles_array(parents), node_id)
            if not h:
                registry.pop(node_id, None)
                raise last_error()
        else:
            if prim._jvp is None:
                raise NotImplementedError("JVP of {} wrt argnum {} not defined"
                                          .format(_tracer._fname(prim), argnums[0]))
            tangents = [user_value(check(ag_tangent(trace_id, p))) for p in parents]
            t = prim._jvp(tuple(argnums), tangents, ans, tuple(args), kwargs)
            if t is None:
                t = [None] * len(parts)
            t = [numpy.zeros(s, numpy.complex128 if c else numpy.float64) if ti is None else ti
                 for ti, s, c in zip(t, shapes, flags)]
            tp = _pack(t, sizes, offsets)
            if ops.iscomplex_of(tp) and not ops.iscomplex_of(packed):
                tp = ops.apply("real", [tp])
            th, towned = borrow_handle(tp)
            try:
                h = check(ag_forward_box(trace_id, ph, th))
            finally:
                if towned:
                    release_later(th)
    finally:
        if owned:
            release_later(ph)
    return _unpack(_tracer._box_type(h), shapes, sizes, flags, offsets, make)


_tracer.set_value_hooks(lift_list_args, tuple_result)
