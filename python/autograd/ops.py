"""Applying the Go core's operations to boxes, numbers and arrays.

This is the one module that dispatches operands to the C ABI's apply calls:
``ag_apply1`` for a unary operation on a box, ``ag_apply2`` for two boxes,
``ag_apply2s`` for a box and a Python or numpy scalar (which never becomes a
handle), and ``ag_apply`` (through ``_capi.apply``) for any operation with
attribute lists, plain operands being copied into handles first.  The box
operators of the numpy layer, its traced wrappers and the core's own
accumulation of tangents and outputs all come here.

On the hot path (a box operator, a numpy function of one box) the
call → check → wrap sequence is written out inside the closures this module
makes (:func:`unary_method`, :func:`binary_methods`,
:func:`unary_fast_path`) rather than called, to save a Python call per op.

Results that are boxes are wrapped in the class registered with the tracer
(``autograd.numpy.numpy_boxes.ArrayBox``); plain results come back as
ndarrays or numpy scalars.
"""
import numpy

from . import _capi
from ._capi import (ag_apply1, ag_apply2, ag_apply2s, last_error, to_handle,
                    release_later, encode_attrs, SCALAR_LEFT, SCALAR_COMPLEX)
from .tracer import HandleBox, has_box, user_value, follow_box_type

__all__ = ["opid", "no_op", "apply1", "apply", "binary", "lift", "array_from_nested",
           "shape_of", "ndim_of", "iscomplex_of", "unary_method", "binary_methods",
           "unary_fast_path"]

_Box = HandleBox  # the class new boxes are wrapped in (tracer.follow_box_type)


def _use_box_type(cls):
    global _Box
    _Box = cls


follow_box_type(_use_box_type)

_OPS = {}


def opid(name):
    """The id of Go operation `name` (-1 when the library lacks it), cached."""
    i = _OPS.get(name)
    if i is None:
        i = _OPS[name] = _capi.op_id(name)
    return i


def no_op(name):
    return NotImplementedError("autograd: the Go core has no operation '{}' "
                               "(needed on a traced value)".format(name))


# ------------------------------------------------------------ describing values

def shape_of(x):
    """The shape of a box or a plain value."""
    if isinstance(x, HandleBox):
        return x._info()[1]
    return x.shape if isinstance(x, numpy.ndarray) else numpy.shape(x)


def ndim_of(x):
    return len(shape_of(x))


def iscomplex_of(x):
    if isinstance(x, HandleBox):
        return x._info()[0].kind == "c"
    return numpy.iscomplexobj(x)


# ------------------------------------------------------------ operands

def array_from_nested(obj):
    """numpy.array of a nested list / tuple holding boxes, by stacking."""
    if isinstance(obj, HandleBox):
        return obj
    if isinstance(obj, (list, tuple)):
        if not has_box(obj):
            return numpy.asarray(obj)
        items = [array_from_nested(e) for e in obj]
        shapes = {shape_of(i) for i in items}
        if len(shapes) != 1:
            raise ValueError("setting an array element with a sequence. The requested array "
                             "has an inhomogeneous shape after 1 dimensions.")
        return apply("stack", items)
    return obj


def lift(x):
    """x as a box (a box, or a list holding boxes) or an ndarray."""
    if isinstance(x, HandleBox):
        return x
    if isinstance(x, (list, tuple)) and has_box(x):
        return array_from_nested(x)
    return numpy.asarray(x)


# ------------------------------------------------------------ applying

def apply(opname, args, axes=None, axes2=None, shape=None, index=None, flags=None):
    """Apply Go operation opname to args (boxes or plain values) with the
    given attribute lists: a box when an argument is one, else a plain
    value."""
    op = opid(opname)
    if op < 0:
        raise no_op(opname)
    hs, owned, boxed = [], [], False
    try:
        for a in args:
            if isinstance(a, HandleBox):
                hs.append(a._h)
                boxed = True
            else:
                h = to_handle(a)
                owned.append(h)
                hs.append(h)
        h = _capi.apply(op, hs, encode_attrs(axes, axes2, shape, index, flags))
    finally:
        for o in owned:
            release_later(o)
    return _Box(h) if boxed else user_value(h)


def apply1(op, x):
    """Unary operation op (an id) on box x: one core call."""
    h = ag_apply1(op, x._h)
    if not h:
        raise last_error()
    return _Box(h)


def _apply2_general(op, box, other, left):
    """box (op) other, or other (op) box when left is true, for operands
    that are not a box or a Python float/int; NotImplemented for an
    operand that is no number or array."""
    if op < 0:
        raise NotImplementedError("autograd: the core has no such operation")
    if isinstance(other, HandleBox):
        a, b = (other, box) if left else (box, other)
        h = ag_apply2(op, a._h, b._h)
    elif isinstance(other, (complex, numpy.complexfloating)):
        c = complex(other)
        h = ag_apply2s(op, box._h, c.real, c.imag,
                       SCALAR_COMPLEX | (SCALAR_LEFT if left else 0))
    elif isinstance(other, (float, int, numpy.floating, numpy.integer, numpy.bool_)):
        h = ag_apply2s(op, box._h, float(other), 0.0, SCALAR_LEFT if left else 0)
    elif isinstance(other, (numpy.ndarray, list, tuple)):
        if isinstance(other, (list, tuple)):
            other = lift(other)
            if isinstance(other, HandleBox):
                return _apply2_general(op, box, other, left)
        t = to_handle(other)
        try:
            h = ag_apply2(op, t, box._h) if left else ag_apply2(op, box._h, t)
        finally:
            release_later(t)
    else:
        return NotImplemented
    if not h:
        raise last_error()
    return _Box(h)


def binary(op, a, b, numpy_fn):
    """Binary operation op (an id) on a and b, either of which may be (or
    hold) a box; numpy_fn(a, b) when neither does."""
    ta, tb = type(a), type(b)
    if ta is _Box:
        if tb is _Box:
            h = ag_apply2(op, a._h, b._h)
        elif (tb is float or tb is int) and op >= 0:
            h = ag_apply2s(op, a._h, b, 0.0, 0)
        else:
            r = _apply2_general(op, a, b, False)
            if r is NotImplemented:
                raise TypeError("unsupported operand type: {}".format(tb.__name__))
            return r
    elif tb is _Box:
        if (ta is float or ta is int) and op >= 0:
            h = ag_apply2s(op, b._h, a, 0.0, SCALAR_LEFT)
        else:
            r = _apply2_general(op, b, a, True)
            if r is NotImplemented:
                raise TypeError("unsupported operand type: {}".format(ta.__name__))
            return r
    else:
        a2, b2 = lift(a), lift(b)
        if not isinstance(a2, HandleBox) and not isinstance(b2, HandleBox):
            return numpy_fn(a, b)
        return binary(op, a2, b2, numpy_fn)
    if not h:
        raise last_error()
    return _Box(h)


# ------------------------------------------------------------ the hot path

def unary_method(op):
    """The box method applying unary operation op to its box (``__neg__``)."""
    def method(self):
        h = ag_apply1(op, self._h)
        if not h:
            raise last_error()
        return _Box(h)
    return method


def binary_methods(op):
    """(forward, reflected): the box's methods for binary operation op
    (``__add__`` and ``__radd__``); NotImplemented for operands that are no
    number or array."""
    def forward(self, other):
        t = type(other)
        if t is _Box:
            h = ag_apply2(op, self._h, other._h)
        elif (t is float or t is int) and op >= 0:
            h = ag_apply2s(op, self._h, other, 0.0, 0)
        else:
            return _apply2_general(op, self, other, False)
        if not h:
            raise last_error()
        return _Box(h)

    def reflected(self, other):
        if (type(other) is float or type(other) is int) and op >= 0:
            h = ag_apply2s(op, self._h, other, 0.0, SCALAR_LEFT)
            if not h:
                raise last_error()
            return _Box(h)
        return _apply2_general(op, self, other, True)
    return forward, reflected


def unary_fast_path(f, op, general):
    """The wrapper of numpy function f of one argument whose traced version
    is unary operation op: a call on one box is a single core call, a call
    on one float or ndarray is f's; anything else goes to general."""
    def wrapped(*args, **kwargs):
        if len(args) == 1 and not kwargs:
            x = args[0]
            t = type(x)
            if t is _Box:
                h = ag_apply1(op, x._h)
                if not h:
                    raise last_error()
                return _Box(h)
            if t is float or t is numpy.ndarray:
                return f(x)
        return general(*args, **kwargs)
    return wrapped
