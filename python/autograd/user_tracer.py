"""Traces of user-defined nodes, run in Python beside the Go tracer.

Differentiation is traced by the Go core (``VJPNode`` / ``JVPNode`` traces,
whose graphs live in the library).  A trace started with a node of any other
class, a subclass of :class:`autograd.tracer.Node` written by the user (graph
printers, upstream's ``const_graph``), is run here instead, with upstream
autograd's contract:

* ``trace(start_node, fun, x)`` boxes x in a :class:`UserBox` of a new trace
  and calls ``fun`` on it;
* every primitive called with a box of that trace on top (an
  ``autograd.numpy`` function, a box operator, an ``extend.primitive``, a
  differential operator) is evaluated on the values one level down and
  recorded by calling ``NodeType(value, fun, args, kwargs, parent_argnums,
  parents)``, where fun is the function object the user called, args are
  its arguments with the boxes replaced by their values, and parents the
  nodes of those boxes; the result is boxed again.

User traces and Go traces share one sequence of trace ids (a user trace
takes its id from ``ag_trace_new``), so nesting is ordered as in upstream:
a user box may hold a Go box (``print_trace(grad(f), x)`` inside another
grad), and the Go core's traces are unboxed first when they are newer.  A
differential operator called on a user box is one recorded call (its body
runs on the plain values); a user box that reaches a Go trace any other way
(captured by a closure inside ``grad``) raises TypeError, since the Go core
cannot hold Python values.

The classes of user boxes are registered per value type
(:func:`register_user_box`): the numpy layer registers its array box,
``autograd.builtins`` the boxes of lists, tuples and dicts; a class a user
registers with ``Box.register`` (upstream's API) boxes its values too.
"""
import warnings

from . import _capi
from . import tracer as _tracer
from .tracer import Box, HandleBox, ValueNode

__all__ = ["UserBox", "is_user_box", "register_user_box", "new_user_box", "user_trace",
           "top_user_trace", "call_user", "record", "user_dispatch", "make_sequence"]

# True once a user trace has started: only then do the dispatchers look for
# user boxes among the arguments of a traced call (the Go hot path pays one
# attribute read).
state = type("State", (), {"active": False})()

_box_classes = {}    # value type -> class of the user box of such values
_notrace = {}        # user node type -> set of functions its traces do not record


class UserBox(Box):
    """A value traced by a user-defined trace: the value (which may itself
    be a box of an older trace), the trace's id and the user's node."""
    __slots__ = ("_value", "_trace", "_node")

    def __init__(self, value, trace, node):
        self._value = value
        self._trace = trace
        self._node = node

    def __bool__(self):
        return bool(self._value)

    def __repr__(self):
        return "Autograd {} with value {}".format(type(self).__name__, self._value)

    __str__ = __repr__


def is_user_box(x):
    """True for a box of a user-defined trace (any Box with a trace and a
    node that is not a box of the Go core)."""
    return (isinstance(x, Box) and not isinstance(x, HandleBox) and hasattr(x, "_node")
            and not isinstance(x._node, ValueNode))


def register_user_box(value_type, cls):
    """Box values of value_type (and its subclasses) in cls in user traces."""
    _box_classes[value_type] = cls


def _box_class(t):
    if issubclass(t, UserBox):
        return t  # a box of an older user trace is boxed in its own class
    for base in t.__mro__:
        cls = _box_classes.get(base)
        if cls is not None:
            return cls
        cls = Box.type_mappings.get(base)
        if cls is not None and not issubclass(cls, HandleBox):
            return cls  # a user's Box.register(value_type)
    return None


def new_user_box(value, trace, node):
    """value boxed in user trace `trace` with node `node`."""
    cls = _box_class(type(value))
    if cls is None:
        raise TypeError("Can't differentiate w.r.t. type {}".format(type(value)))
    return cls(value, trace, node)


def new_trace_id():
    """A trace id from the Go core's sequence, so that user and Go traces
    are ordered by their start."""
    state.active = True
    return _capi.check(_capi.ag_trace_new(_capi.REVERSE))


def user_trace(start_node, fun, x):
    """upstream's trace(start_node, fun, x) for a user-defined node class:
    (end value, end node), or (output, None) with upstream's warning when
    the output does not depend on x."""
    t = new_trace_id()
    start_box = new_user_box(x, t, start_node)
    end_box = fun(start_box)
    if is_user_box(end_box) and end_box._trace == t:
        return end_box._value, end_box._node
    warnings.warn("Output seems independent of input.")
    return end_box, None


# ------------------------------------------------------------ dispatch

_MIXED = ("autograd: a value traced by a user-defined trace ({} node) reached a "
          "computation of a newer Go trace (grad, make_vjp, ...) other than as one "
          "of its arguments, e.g. through a closure; the Go core cannot record it. "
          "Pass the value to the differential operator as an argument.")


def _scan(seq, found):
    """Update found = [top user trace, its box, top Go trace] over seq."""
    for a in seq:
        if isinstance(a, HandleBox):
            t = a._info()[2]
            if t > found[2]:
                found[2] = t
        elif isinstance(a, Box):
            if isinstance(getattr(a, "_node", None), ValueNode):
                if a._trace > found[2]:  # a user-defined value in a Go trace
                    found[2] = a._trace
            elif hasattr(a, "_node"):
                if a._trace > found[0]:
                    found[0], found[1] = a._trace, a
        elif type(a) is list or type(a) is tuple:
            _scan(a, found)


def top_user_trace(args, kwargs=None):
    """The top user box among args (looking into lists and tuples) when its
    trace is the newest of the arguments', else None; TypeError when a user
    box sits below a Go trace there."""
    found = [0, None, 0]
    _scan(args, found)
    if kwargs:
        _scan(kwargs.values(), found)
    if found[1] is None:
        return None
    if found[2] > found[0]:
        raise TypeError(_MIXED.format(type(found[1]._node).__name__))
    return found[1]


def make_sequence(seq_type, *elements):
    """seq_type(elements): how a list or tuple holding boxes of a user trace
    is recorded before it is passed on (upstream's make_sequence)."""
    return seq_type(elements)


def _pack(seq, trace):
    """seq (a list / tuple holding boxes of user trace `trace`) as one box
    of that trace, recorded as make_sequence."""
    items = list(seq)
    for i, e in enumerate(items):
        if (type(e) is list or type(e) is tuple) and _holds(e, trace):
            items[i] = _pack(e, trace)
    return record(make_sequence, (type(seq),) + tuple(items), {}, trace)


def _holds(seq, trace):
    for e in seq:
        if is_user_box(e) and e._trace == trace:
            return True
        if (type(e) is list or type(e) is tuple) and _holds(e, trace):
            return True
    return False


def record(fun, args, kwargs, trace, notrace=False):
    """fun(*args, **kwargs) on the values of user trace `trace`, recorded by
    the node type of its boxes, and boxed in that trace."""
    new_args = list(args)
    argnums, parents, node_type = [], [], None
    for i, a in enumerate(args):
        if (type(a) is list or type(a) is tuple) and _holds(a, trace):
            a = _pack(a, trace)
        if is_user_box(a) and a._trace == trace:
            new_args[i] = a._value
            argnums.append(i)
            parents.append(a._node)
            node_type = type(a._node)
    if kwargs:
        for k, v in kwargs.items():
            if is_user_box(v) and v._trace == trace:
                raise TypeError("autograd: {}() got the traced value {!r} as keyword argument {!r}; "
                                "user-defined traces record positional arguments only: pass it "
                                "positionally".format(getattr(fun, "__name__", fun), v, k))
    if notrace or fun in _notrace.get(node_type, ()):
        return fun(*new_args, **kwargs)
    ans = fun(*new_args, **kwargs)
    node = node_type(ans, fun, tuple(new_args), kwargs, tuple(argnums), tuple(parents))
    return new_user_box(ans, trace, node)


def call_user(fun, args, kwargs, notrace=False):
    """(True, result) when a box of a user trace is on top of args: fun
    called on the values and recorded (or only called, when notrace);
    (False, None) otherwise."""
    top = top_user_trace(args, kwargs)
    if top is None:
        return False, None
    return True, record(fun, args, kwargs, top._trace, notrace)


def user_dispatch(fun, args, kwargs):
    """Shorthand of the dispatchers: call_user when user traces exist."""
    if not state.active:
        return False, None
    return call_user(fun, args, kwargs)


def register_notrace(node_type, fun):
    """Make traces of user node_type call fun on values without recording."""
    _notrace.setdefault(node_type, set()).add(fun)


def _new_box(value, trace, node):
    state.active = True
    return new_user_box(value, trace, node)


_tracer.set_user_hooks(user_trace, _new_box, user_dispatch, register_notrace)
