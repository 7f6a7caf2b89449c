"""Boxes, primitives and traces: how Python values take part in the Go tracer.

A traced value is a box.  :class:`Box` is the base class of every traced
value; :class:`HandleBox` is the box of a value the Go core traces: a thin
Python object owning one handle of a box living in the core.  This module
knows nothing of numpy's namespace: the numpy layer subclasses HandleBox
with the ndarray behaviour (``autograd.numpy.numpy_boxes.ArrayBox``) and
registers it (``ArrayBox.register(numpy.ndarray)``, as upstream autograd
does), and from then on every new box of the core is wrapped in that class,
here and in :mod:`autograd.ops`.

:func:`primitive` turns a Python function into an operation the core can
record, with derivative rules supplied from Python (see
``autograd.extend``); :func:`trace` and :func:`new_box` start a trace.
"""
import itertools
import weakref

import numpy

from . import _capi
from ._capi import (ag_retain, ag_unbox, ag_tangent, ag_forward_box, ag_custom_box_,
                    last_error, check, info, read, take, to_handle, release_later, registry,
                    REVERSE, FORWARD, tls)

__all__ = ["Box", "HandleBox", "isbox", "getval", "has_box", "deep_getval", "primitive",
           "notrace_primitive", "new_box", "trace", "Node", "register_notrace",
           "from_handle", "user_value", "SparseObject", "follow_box_type"]


class Box(object):
    """Base class of traced values.  ``isinstance(x, Box)`` tells whether x
    is being traced; :class:`HandleBox` (in practice its numpy subclass,
    ArrayBox) is the box of every numeric value."""
    __slots__ = ()
    type_mappings = {}
    types = set()

    def __init__(self, value, trace, node):
        # upstream's constructor, for Box subclasses users register for their
        # own types (boxes of user-defined traces, autograd.user_tracer)
        self._value = value
        self._trace = trace
        self._node = node

    @classmethod
    def register(cls, value_type):
        """Record that values of value_type are boxed by cls."""
        Box.types.add(cls)
        Box.type_mappings[value_type] = cls
        Box.type_mappings[cls] = cls


def isbox(x):
    """True when x is a traced value (a box)."""
    return isinstance(x, Box)


def getval(x):
    """The plain value under every level of boxing of x (x itself if it is
    not a box): a numpy array, or a numpy scalar for 0-d values."""
    if isinstance(x, HandleBox):
        return x._full_value()
    if isinstance(x, Box):
        return getval(x._value)
    return x


def has_box(seq):
    """True when the list / tuple seq holds a box, at any depth."""
    for e in seq:
        if isinstance(e, Box):
            return True
        t = type(e)
        if (t is list or t is tuple) and has_box(e):
            return True
    return False


def deep_getval(x):
    """x with every box replaced by its value, inside lists and tuples."""
    if isinstance(x, Box):
        return getval(x)
    t = type(x)
    if (t is list or t is tuple) and has_box(x):
        return t(deep_getval(e) for e in x)
    return x


# ----------------------------------------------------------------- HandleBox

class HandleBox(Box):
    """A box of the Go core: owns one handle of it, and caches the value's
    description (dtype, shape, trace) and plain value once read.  The numpy
    layer's ArrayBox adds ndarray behaviour (operators, methods, shape)."""
    __slots__ = ("_h", "_i", "_v", "__weakref__")

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

    @classmethod
    def register(cls, value_type):
        """Record that values of value_type are boxed by cls, and wrap every
        new box of the Go core in cls from now on."""
        super().register(value_type)
        _set_box_type(cls)

    def _alias(self):
        """A new box object of the same Go box (what item assignment on one
        does not change in the other)."""
        b = type(self)(check(ag_retain(self._h)))
        b._i, b._v = self._i, self._v
        return b

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

    def __repr__(self):
        return "Autograd {} with value {}".format(type(self).__name__, self._full_value())


# The class every new box of the core is wrapped in: HandleBox until a
# subclass registers (HandleBox.register).  Modules that wrap boxes on their
# hot path keep it in a global of their own, told of changes by
# follow_box_type.
_box_type = HandleBox
_box_type_followers = []


def follow_box_type(callback):
    """Call callback(cls) with the class new boxes of the core are wrapped
    in, now and whenever another class registers."""
    _box_type_followers.append(callback)
    callback(_box_type)


def _set_box_type(cls):
    global _box_type
    _box_type = cls
    for f in _box_type_followers:
        f(cls)


# ----------------------------------------------------------------- handles

def from_handle(h):
    """Take ownership of new handle h: a plain value comes back as an
    ndarray (0-d for scalars) and the handle is released; a box becomes a
    box (of the registered class) that owns h."""
    v = user_value(h)
    if not isinstance(v, (numpy.ndarray, Box)):
        return numpy.asarray(v)
    return v


def user_value(h):
    """Like from_handle, but 0-d plain values become numpy scalars."""
    dt, shape, tr, v = take(h)
    if v is not None:
        return v
    if tr:
        b = _box_type(h)
        b._i = (dt, shape, tr)
        return b
    try:
        v = read(h, dt, shape)
    finally:
        release_later(h)
    if v.ndim == 0:
        return v[()]
    return v


def borrow_handle(x):
    """(handle, owned) for x: a box's own handle (borrowed), or a new
    handle holding a copy of the plain value (owned by the caller)."""
    if isinstance(x, HandleBox):
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
    if isinstance(x, HandleBox):
        return check(ag_retain(x._h))
    return to_handle(x)


def handles_array(hs):
    return (_capi._i64 * max(len(hs), 1))(*hs)


_BROADCAST_TO = _capi.op_id("broadcast_to")


def _broadcast_to(x, shape):
    """numpy.broadcast_to of a plain value or a box (the core's
    broadcast_to, after numpy's own check of the two shapes)."""
    if not isinstance(x, HandleBox):
        return numpy.broadcast_to(x, shape)
    old = x._info()[1]
    numpy.broadcast_to(numpy.lib.stride_tricks.as_strided(
        numpy.zeros(1), shape=old, strides=(0,) * len(old)), shape)  # numpy's error
    return from_handle(_capi.apply(_BROADCAST_TO, [x._h], _capi.encode_attrs(shape=shape)))


# ----------------------------------------------------------------- primitives

_ids = itertools.count(1)


class Node(object):
    """Base class of the graph nodes of a trace.  ``core.VJPNode`` and
    ``core.JVPNode`` name the Go core's two kinds of trace (whose graph
    lives in the library); any other subclass is a user-defined node,
    upstream's contract: ``NodeType.new_root(*a)`` calls
    ``initialize_root(*a)``, and ``trace`` builds one node per recorded
    primitive call with ``NodeType(value, fun, args, kwargs,
    parent_argnums, parents)`` (see autograd.user_tracer)."""
    mode = None

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        raise NotImplementedError("{} must define __init__(self, value, fun, args, kwargs, "
                                  "parent_argnums, parents)".format(type(self).__name__))

    def initialize_root(self, *args, **kwargs):
        raise NotImplementedError("{} must define initialize_root".format(type(self).__name__))

    @classmethod
    def new_root(cls, *args, **kwargs):
        root = cls.__new__(cls)
        root.initialize_root(*args, **kwargs)
        return root


class _UserHooks(object):
    """What autograd.user_tracer (which runs traces of user-defined nodes)
    registers here: trace, new_box, dispatch and register_notrace."""
    trace = new_box = register_notrace = None

    @staticmethod
    def dispatch(fun, args, kwargs):
        return False, None


_user = _UserHooks()


def set_user_hooks(trace_fn, new_box_fn, dispatch_fn, notrace_fn):
    _user.trace, _user.new_box = trace_fn, new_box_fn
    _user.dispatch, _user.register_notrace = dispatch_fn, notrace_fn


def primitive(f_raw):
    """Wrap f_raw (a function of arrays) so that autograd treats it as one
    operation whose derivatives are given by defvjp / defjvp rather than by
    tracing its body."""
    def f_wrapped(*args, **kwargs):
        done, r = _user.dispatch(f_wrapped, args, kwargs)
        if done:
            return r
        for a in args:
            if isinstance(a, HandleBox) or is_value_box(a):
                return _apply_primitive(f_wrapped, args, kwargs)
        if has_box(args):  # lists holding boxes: made arrays first (primitive_values)
            return _apply_primitive(f_wrapped, _values.lift_args(args), kwargs)
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


class ValueNode(object):
    """The node of a box of the Go core's traces holding a value of a
    user-defined vector space (autograd.value_boxes): such values live in
    Python, beside the trace's Go boxes."""
    __slots__ = ("trace", "prim", "value", "args", "kwargs", "argnums", "parents", "vjp_", "tangent",
                 "grad", "frontier_", "__weakref__")


def is_value_box(x):
    """True for a box of a Go trace holding a user-defined value."""
    return isinstance(x, Box) and isinstance(getattr(x, "_node", None), ValueNode)


class _ValueHooks(object):
    """What autograd.primitive_values registers: lift_args (lists holding
    boxes made arrays) and tuple_result (tuples returned by primitives);
    and autograd.value_boxes: apply (a primitive called with value boxes)
    and result (a primitive returning a user-defined value)."""
    lift_args = tuple_result = apply = result = None


_values = _ValueHooks()


def set_value_hooks(lift_args, tuple_result):
    _values.lift_args, _values.tuple_result = lift_args, tuple_result


def set_value_box_hooks(apply, result):
    _values.apply, _values.result = apply, result


def _apply_primitive(prim, args, kwargs):
    for a in args:
        if is_value_box(a):
            return _values.apply(prim, args, kwargs)
    boxed = [i for i, a in enumerate(args) if isinstance(a, HandleBox)]
    if not boxed:  # boxes only inside containers that are no lists of arrays
        return prim.fun(*args, **kwargs)
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
    if isinstance(ans, (tuple, list)):
        return _values.tuple_result(prim, ans, trace_id, mode, new_args, kwargs, argnums, parents)
    if not _is_numeric(ans):  # a value of a user-defined vector space
        return _values.result(prim, ans, trace_id, new_args, kwargs, argnums,
                              [args[i] for i in argnums])
    ah, owned = borrow_handle(ans)
    try:
        if mode == REVERSE:
            node_id = next(_ids)
            registry[node_id] = [prim, ans, tuple(new_args), kwargs, tuple(argnums), None]
            h = ag_custom_box_(trace_id, ah, len(parents), handles_array(parents), node_id)
            if not h:
                registry.pop(node_id, None)
                raise last_error()
            return _box_type(h)
        tangents = [user_value(check(ag_tangent(trace_id, ph))) for ph in parents]
        if prim._jvp is None:
            raise NotImplementedError("JVP of {} wrt argnum {} not defined"
                                      .format(_fname(prim), argnums[0]))
        t = prim._jvp(tuple(argnums), tangents, ans, tuple(new_args), kwargs)
        if t is None:
            t = numpy.zeros(numpy.shape(getval(ans)), numpy.result_type(getval(ans)))
        elif numpy.shape(t) != numpy.shape(ans):
            t = _broadcast_to(t, numpy.shape(ans))
        th, towned = borrow_handle(t)
        try:
            return _box_type(check(ag_forward_box(trace_id, ah, th)))
        finally:
            if towned:
                release_later(th)
    finally:
        if owned:
            release_later(ah)


def _is_numeric(ans):
    return isinstance(ans, (HandleBox, numpy.ndarray, float, int, complex, numpy.number, numpy.bool_))


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
    if mode is None and isinstance(trace_type, type) and issubclass(trace_type, Node):
        return _user.register_notrace(trace_type, primitive_fun)  # a user-defined node
    if mode not in (REVERSE, FORWARD):
        raise TypeError("register_notrace: trace_type must be VJPNode or JVPNode")
    if not hasattr(primitive_fun, "_notrace"):
        raise TypeError("register_notrace: {} is not a primitive".format(_fname(primitive_fun)))
    primitive_fun._notrace.add(mode)


# ----------------------------------------------------------------- traces

def root_box(trace_id, value, tangent=None):
    """value boxed as a root of trace trace_id (with the given tangent, for
    a forward trace)."""
    vh, vo = borrow_handle(value)
    th, to = (0, False) if tangent is None else borrow_handle(tangent)
    try:
        return _box_type(check(_capi.ag_trace_root(trace_id, vh, th)))
    finally:
        if vo:
            release_later(vh)
        if to:
            release_later(th)


_roots = {}  # id -> weak reference, of the boxes of differentiated arguments


def mark_root(box):
    """Record that box is an argument being differentiated (item
    assignment into it raises: see is_root)."""
    if isinstance(box, HandleBox):
        i = id(box)
        _roots[i] = weakref.ref(box, lambda _, i=i: _roots.pop(i, None))
    return box


def is_root(box):
    """True when box is the box of an argument being differentiated."""
    r = _roots.get(id(box))
    return r is not None and r() is box


def constant_box(like, value):
    """value (a plain array) boxed as a constant of the newest trace of box
    `like`: a root no gradient is asked of (tangent zero in forward mode)."""
    trace_id = like._info()[2]
    tangent = numpy.zeros_like(value) if trace_id & 1 else None  # lowest bit: forward
    return root_box(trace_id, value, tangent)


def new_box(value, trace_id, node):
    """Box value in trace trace_id: the start of differentiation.  node is
    the root node of that trace (VJPNode.new_root() for reverse mode, or
    JVPNode.new_root(tangent) for forward mode, or a user-defined node)."""
    if getattr(node, "mode", None) is None:
        return _user.new_box(value, trace_id, node)
    return root_box(trace_id, value, getattr(node, "tangent", None))


def trace(start_node, fun, x):
    """Evaluate fun(x) with x boxed in a new trace whose kind is given by
    start_node (see core.VJPNode / core.JVPNode).  Returns (end_value,
    end_node): the output one level unboxed, and a node from which the
    derivative can be obtained (core.backward_pass for reverse mode,
    ``end_node.g`` for forward mode), or None when the output does not
    depend on x.  A node of a user-defined class (a Node subclass) is
    traced in Python, as upstream does (autograd.user_tracer)."""
    if getattr(start_node, "mode", None) is None:
        return _user.trace(start_node, fun, x)
    trace_id = _capi.ag_trace_new(start_node.mode)
    start_box = new_box(x, trace_id, start_node)
    end_box = fun(mark_root(start_box))
    if isinstance(end_box, HandleBox) and end_box._info()[2] == trace_id:
        end_value = user_value(check(ag_unbox(trace_id, end_box._h)))
        return end_value, start_node._end(trace_id, start_box, end_box)
    return end_box, None
