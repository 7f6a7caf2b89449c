"""Boxes and primitives: how Python values take part in the Go tracer.

A traced value is an :class:`ArrayBox`, a thin Python object that owns one
handle of a box living in the Go core.  Operators on boxes call the core
directly; :func:`primitive` turns a Python function into an operation the
core can record, with derivative rules supplied from Python (see
``autograd.extend``).
"""
import itertools
import warnings

import numpy

from . import _capi
from ._capi import (ag_apply1, ag_apply2, ag_apply2s, ag_retain, ag_unbox,
                    ag_tangent, ag_forward_box, ag_custom_box_, last_error,
                    check, info, read, to_handle, release_later, registry,
                    REVERSE, FORWARD, SCALAR_LEFT, SCALAR_COMPLEX, tls)

__all__ = ["Box", "ArrayBox", "isbox", "getval", "primitive",
           "notrace_primitive", "new_box", "trace", "Node",
           "register_notrace", "from_handle", "user_value", "SparseObject"]


class Box(object):
    """Base class of traced values.  ``isinstance(x, Box)`` tells whether x
    is being traced; :class:`ArrayBox` is the box of every numeric value."""
    __slots__ = ()
    type_mappings = {}
    types = set()

    @classmethod
    def register(cls, value_type):
        """Record that values of value_type are boxed by cls."""
        Box.types.add(cls)
        Box.type_mappings[value_type] = cls


def isbox(x):
    """True when x is a traced value (a box)."""
    return isinstance(x, Box)


def getval(x):
    """The plain value under every level of boxing of x (x itself if it is
    not a box): a numpy array, or a numpy scalar for 0-d values."""
    if isinstance(x, ArrayBox):
        return x._full_value()
    if isinstance(x, Box):
        return getval(x._value)
    return x


# ----------------------------------------------------------------- ArrayBox

def _anp():
    from . import numpy as anp  # late: autograd.numpy imports this module
    return anp


def _op(name):
    return _capi.op_id(name)


class ArrayBox(Box):
    """A traced array (or scalar).  It behaves like an ndarray: arithmetic,
    comparisons, indexing, iteration and most ndarray methods work and are
    recorded for differentiation."""
    __slots__ = ("_h", "_i", "_v", "__weakref__")
    __array_priority__ = 100.0
    __array_ufunc__ = None  # numpy defers to our reflected operators

    def __init__(self, h):
        self._h = h     # owned handle of the Go box
        self._i = None  # cached (dtype, shape, trace)
        self._v = None  # cached plain value

    def __del__(self, _pending=_capi._pending, _append=_capi._pending.append):
        # release_later, inlined: this runs once for every traced value
        try:
            _append(self._h)
            if len(_pending) > _capi.FLUSH_AT:
                _capi.flush(blocking=False)
        except Exception:  # interpreter shutdown: nothing left to free
            pass

    # -- description
    def _info(self):
        i = self._i
        if i is None:
            i = self._i = info(self._h)
        return i

    def _full_value(self):
        v = self._v
        if v is None:
            dt, shape, _ = self._info()
            v = read(self._h, dt, shape, writable=False)
            v.flags.writeable = False
            if v.ndim == 0:
                v = v[()]
            self._v = v
        return v

    @property
    def _value(self):
        """The value this box wraps, one level of boxing down."""
        return user_value(check(ag_unbox(self._info()[2], self._h)))

    @property
    def _trace(self):
        return self._info()[2]

    @property
    def shape(self):
        return self._info()[1]

    @property
    def ndim(self):
        return len(self._info()[1])

    @property
    def size(self):
        n = 1
        for d in self._info()[1]:
            n *= d
        return n

    @property
    def dtype(self):
        return self._info()[0]

    @property
    def T(self):
        return _anp().transpose(self)

    @property
    def real(self):
        return _anp().real(self)

    @property
    def imag(self):
        return _anp().imag(self)

    def __len__(self):
        s = self._info()[1]
        if not s:
            raise TypeError("len() of unsized object")
        return s[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, key):
        return _anp()._getitem(self, key)

    def __repr__(self):
        return "Autograd ArrayBox with value " + str(self._full_value())

    __str__ = __repr__

    def __hash__(self):
        return id(self)

    def __bool__(self):
        return bool(self._full_value())

    def __float__(self):
        return float(self._full_value())

    def __int__(self):
        return int(self._full_value())

    def __complex__(self):
        return complex(self._full_value())

    def __round__(self, ndigits=None):
        v = self._full_value()
        return round(v) if ndigits is None else round(v, ndigits)

    def __format__(self, spec):
        return format(self._full_value(), spec)

    def item(self, *args):
        return numpy.asarray(self._full_value()).item(*args)

    def tolist(self):
        return numpy.asarray(self._full_value()).tolist()

    # -- comparisons: computed on values, never traced
    def __lt__(self, other): return numpy.less(self._full_value(), getval(other))
    def __le__(self, other): return numpy.less_equal(self._full_value(), getval(other))
    def __gt__(self, other): return numpy.greater(self._full_value(), getval(other))
    def __ge__(self, other): return numpy.greater_equal(self._full_value(), getval(other))
    def __eq__(self, other): return numpy.equal(self._full_value(), getval(other))
    def __ne__(self, other): return numpy.not_equal(self._full_value(), getval(other))

    # -- unary operators
    def __neg__(self):
        h = ag_apply1(_OP_NEG, self._h)
        if not h:
            raise last_error()
        return ArrayBox(h)

    def __pos__(self):
        return self

    def __abs__(self):
        h = ag_apply1(_OP_ABS, self._h)
        if not h:
            raise last_error()
        return ArrayBox(h)

    def __matmul__(self, other): return _anp().matmul(self, other)
    def __rmatmul__(self, other): return _anp().matmul(other, self)
    def __floordiv__(self, other): return _anp().floor_divide(self, other)
    def __rfloordiv__(self, other): return _anp().floor_divide(other, self)
    def __mod__(self, other): return _anp().mod(self, other)
    def __rmod__(self, other): return _anp().mod(other, self)
    def __divmod__(self, other): return (self // other, self % other)
    def __rdivmod__(self, other): return (other // self, other % self)


_OP_NEG = _op("negative")
_OP_ABS = _op("abs")


def _binop_general(op, box, other, left):
    """box (op) other, or other (op) box when left is true, for operands
    that are not an ArrayBox or a Python float/int."""
    if op < 0:
        raise NotImplementedError("autograd: the core has no such operation")
    if isinstance(other, ArrayBox):
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
            other = _anp().array(other)
            if isinstance(other, ArrayBox):
                return _binop_general(op, box, other, left)
        t = to_handle(other)
        try:
            h = ag_apply2(op, t, box._h) if left else ag_apply2(op, box._h, t)
        finally:
            release_later(t)
    else:
        return NotImplemented
    if not h:
        raise last_error()
    return ArrayBox(h)


def _define_binop(name, opname):
    op = _op(opname)

    def forward(self, other):
        t = type(other)
        if t is ArrayBox:
            h = ag_apply2(op, self._h, other._h)
        elif (t is float or t is int) and op >= 0:
            h = ag_apply2s(op, self._h, other, 0.0, 0)
        else:
            return _binop_general(op, self, other, False)
        if not h:
            raise last_error()
        return ArrayBox(h)

    def reflected(self, other):
        if (type(other) is float or type(other) is int) and op >= 0:
            h = ag_apply2s(op, self._h, other, 0.0, SCALAR_LEFT)
            if not h:
                raise last_error()
            return ArrayBox(h)
        return _binop_general(op, self, other, True)

    forward.__name__ = "__%s__" % name
    reflected.__name__ = "__r%s__" % name
    setattr(ArrayBox, forward.__name__, forward)
    setattr(ArrayBox, reflected.__name__, reflected)


for _name, _opname in [("add", "add"), ("sub", "subtract"), ("mul", "multiply"),
                       ("truediv", "divide"), ("pow", "power")]:
    _define_binop(_name, _opname)


def _define_method(name, impl=None):
    def method(self, *args, **kwargs):
        return getattr(_anp(), impl or name)(self, *args, **kwargs)
    method.__name__ = name
    method.__doc__ = "Like ndarray.%s; traced through autograd.numpy.%s." % (name, impl or name)
    setattr(ArrayBox, name, method)


for _name in ["all", "any", "argmax", "argmin", "argpartition", "argsort",
              "nonzero", "searchsorted", "round", "clip",
              "cumprod", "cumsum", "diagonal", "max", "mean", "min", "prod",
              "ptp", "ravel", "repeat", "squeeze", "std", "sum", "swapaxes",
              "take", "trace", "var", "dot", "conj", "conjugate", "sort"]:
    _define_method(_name)
_define_method("flatten", "ravel")


def _reshape_method(self, *shape, **kwargs):
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = shape[0]
    return _anp().reshape(self, shape, **kwargs)


def _transpose_method(self, *axes):
    if len(axes) == 1 and not isinstance(axes[0], int):
        axes = axes[0]
    return _anp().transpose(self, axes if axes else None)


def _astype_method(self, dtype, *args, **kwargs):
    return _anp()._astype(self, dtype)


def _copy_method(self, *args, **kwargs):
    return self


def _compress_method(self, condition, axis=None):
    return _anp().compress(condition, self, axis)


ArrayBox.reshape = _reshape_method
ArrayBox.transpose = _transpose_method
ArrayBox.astype = _astype_method
ArrayBox.copy = _copy_method
ArrayBox.compress = _compress_method

for _t in (numpy.ndarray, float, complex, numpy.float64, numpy.float32,
           numpy.float16, numpy.complex64, numpy.complex128):
    ArrayBox.register(_t)


# ----------------------------------------------------------------- handles

def from_handle(h):
    """Take ownership of new handle h: a plain value comes back as an
    ndarray (0-d for scalars) and the handle is released; a box becomes an
    ArrayBox that owns h."""
    dt, shape, tr = info(h)
    if tr:
        b = ArrayBox(h)
        b._i = (dt, shape, tr)
        return b
    try:
        return read(h, dt, shape)
    finally:
        release_later(h)


def user_value(h):
    """Like from_handle, but 0-d plain values become numpy scalars."""
    v = from_handle(h)
    if type(v) is numpy.ndarray and v.ndim == 0:
        return v[()]
    return v


def borrow_handle(x):
    """(handle, owned) for x: a box's own handle (borrowed), or a new
    handle holding a copy of the plain value (owned by the caller)."""
    if isinstance(x, ArrayBox):
        return x._h, False
    return to_handle(x), True


class SparseObject(object):
    """A gradient given implicitly: ``mut_add(x)`` returns x plus it.  A
    vjp may return one; it is made dense before reaching the core."""
    __slots__ = ["vs", "mut_add"]

    def __init__(self, vs, mut_add):
        self.vs = vs
        self.mut_add = mut_add

    def dense(self):
        return self.mut_add(self.vs.zeros())


def give_handle(x):
    """A new handle for x whose ownership passes to the library."""
    if isinstance(x, SparseObject):
        x = x.dense()
    if isinstance(x, ArrayBox):
        return check(ag_retain(x._h))
    return to_handle(x)


def handles_array(hs):
    return (_capi._i64 * max(len(hs), 1))(*hs)


# ----------------------------------------------------------------- primitives

_ids = itertools.count(1)


class Node(object):
    """Base class of the graph nodes of a trace.  The graph itself lives in
    the Go core; these classes name the two kinds of trace (reverse and
    forward) for the Python API (see :func:`trace`)."""
    mode = None


def primitive(f_raw):
    """Wrap f_raw (a function of arrays) so that autograd treats it as one
    operation whose derivatives are given by defvjp / defjvp rather than by
    tracing its body."""
    def f_wrapped(*args, **kwargs):
        for a in args:
            if isinstance(a, ArrayBox):
                return _apply_primitive(f_wrapped, args, kwargs)
        return f_raw(*args, **kwargs)
    f_wrapped.fun = f_raw
    f_wrapped._is_autograd_primitive = True
    f_wrapped._vjp = None
    f_wrapped._jvp = None
    f_wrapped._notrace = set()
    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(f_wrapped, attr, getattr(f_raw, attr))
        except (AttributeError, TypeError):
            pass
    f_wrapped.__wrapped__ = f_raw
    return f_wrapped


def _fname(f):
    return getattr(f, "__name__", repr(f))


def _apply_primitive(prim, args, kwargs):
    boxed = [i for i, a in enumerate(args) if isinstance(a, ArrayBox)]
    trace_id, mode = _capi.top_trace([args[i]._h for i in boxed])
    new_args = list(args)
    argnums, parents = [], []
    for i in boxed:
        b = args[i]
        if b._info()[2] == trace_id:
            new_args[i] = user_value(check(ag_unbox(trace_id, b._h)))
            argnums.append(i)
            parents.append(b._h)
    if mode in prim._notrace:
        return prim(*new_args, **kwargs)
    ans = prim(*new_args, **kwargs)
    _check_numeric(prim, ans)
    ah, owned = borrow_handle(ans)
    try:
        if mode == REVERSE:
            node_id = next(_ids)
            registry[node_id] = [prim, ans, tuple(new_args), kwargs, tuple(argnums), None]
            h = ag_custom_box_(trace_id, ah, len(parents), handles_array(parents), node_id)
            if not h:
                registry.pop(node_id, None)
                raise last_error()
            return ArrayBox(h)
        tangents = [user_value(check(ag_tangent(trace_id, ph))) for ph in parents]
        if prim._jvp is None:
            raise NotImplementedError("JVP of {} wrt argnum {} not defined"
                                      .format(_fname(prim), argnums[0]))
        t = prim._jvp(tuple(argnums), tangents, ans, tuple(new_args), kwargs)
        if t is None:
            t = numpy.zeros(numpy.shape(getval(ans)), numpy.result_type(getval(ans)))
        elif numpy.shape(t) != numpy.shape(ans):
            t = _anp().broadcast_to(t, numpy.shape(ans))
        th, towned = borrow_handle(t)
        try:
            return ArrayBox(check(ag_forward_box(trace_id, ah, th)))
        finally:
            if towned:
                release_later(th)
    finally:
        if owned:
            release_later(ah)


def _check_numeric(prim, ans):
    if isinstance(ans, (ArrayBox, numpy.ndarray, float, int, complex, numpy.number, numpy.bool_)):
        return
    raise TypeError("autograd: primitive {} returned a value of type {}; a traced "
                    "primitive must return a number or an array"
                    .format(_fname(prim), type(ans).__name__))


def _vjp_callback(node_id, g, nparents, grads):
    """Called by the Go backward pass for every node made by a Python
    primitive: writes the gradient of each parent into grads."""
    try:
        entry = registry[node_id]
        vjp = entry[5]
        if vjp is None:
            prim, ans, args, kwargs, argnums = entry[:5]
            if prim._vjp is None:
                raise NotImplementedError("VJP of {} wrt argnum {} not defined"
                                          .format(_fname(prim), argnums[0]))
            vjp = entry[5] = prim._vjp(argnums, ans, args, kwargs)
        gv = user_value(check(ag_retain(g)))
        outs = vjp(gv)
        for k in range(nparents):
            r = outs[k]
            grads[k] = 0 if r is None else give_handle(r)
        return 0
    except BaseException as e:  # re-raised by the Python caller of ag_backward
        tls.exc = e
        return 1


_callback = _capi.VJP_FN(_vjp_callback)
_capi.lib.ag_set_vjp_callback(_callback)


def notrace_primitive(f_raw):
    """Wrap f_raw so that it always runs on plain values: its result is
    never traced (use it for functions with no useful derivative)."""
    def f_wrapped(*args, **kwargs):
        return f_raw(*[getval(a) for a in args],
                     **{k: getval(v) for k, v in kwargs.items()})
    f_wrapped.fun = f_raw
    f_wrapped._is_primitive = True
    for attr in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(f_wrapped, attr, getattr(f_raw, attr))
        except (AttributeError, TypeError):
            pass
    return f_wrapped


def register_notrace(trace_type, primitive_fun):
    """Make primitive_fun untraced by traces of trace_type (VJPNode for
    reverse mode, JVPNode for forward mode): such a trace passes the
    unboxed values through and does not record the call."""
    mode = getattr(trace_type, "mode", None)
    if mode not in (REVERSE, FORWARD):
        raise TypeError("register_notrace: trace_type must be VJPNode or JVPNode")
    if not hasattr(primitive_fun, "_notrace"):
        raise TypeError("register_notrace: {} is not a primitive".format(_fname(primitive_fun)))
    primitive_fun._notrace.add(mode)


# ----------------------------------------------------------------- traces

def new_box(value, trace_id, node):
    """Box value in trace trace_id: the start of differentiation.  node is
    the root node of that trace (VJPNode.new_root() for reverse mode, or
    JVPNode.new_root(tangent) for forward mode)."""
    tangent = getattr(node, "tangent", None)
    vh, vo = borrow_handle(value)
    th, to = (0, False) if tangent is None else borrow_handle(tangent)
    try:
        return ArrayBox(check(_capi.ag_trace_root(trace_id, vh, th)))
    finally:
        if vo:
            release_later(vh)
        if to:
            release_later(th)


def trace(start_node, fun, x):
    """Evaluate fun(x) with x boxed in a new trace whose kind is given by
    start_node (see core.VJPNode / core.JVPNode).  Returns (end_value,
    end_node): the output one level unboxed, and a node from which the
    derivative can be obtained (core.backward_pass for reverse mode,
    ``end_node.g`` for forward mode), or None when the output does not
    depend on x."""
    trace_id = _capi.ag_trace_new(start_node.mode)
    start_box = new_box(x, trace_id, start_node)
    end_box = fun(start_box)
    if isinstance(end_box, ArrayBox) and end_box._info()[2] == trace_id:
        end_value = user_value(check(ag_unbox(trace_id, end_box._h)))
        return end_value, start_node._end(trace_id, start_box, end_box)
    return end_box, None
