"""const_graph: record a function's graph once, then replay it.

The first call traces fun twice over in one run: with a user-defined node
(autograd.tracer.Node, run by autograd.user_tracer) that keeps, for every
recorded call, the function and its constant arguments, as upstream
autograd does, and, underneath, with a reverse trace of the Go core whose
graph the library keeps (``ag_graph_record``).  Later calls evaluate the
Go graph on the new arguments inside the library (``ag_graph_replay``), in
one call and with no Python per operation; arguments that are boxes of Go
traces (``grad`` of a const_graph'd function) are traced there as usual.

The Python graph is replayed instead (the recorded calls evaluated on the
new arguments in topological order, without running fun's Python body)
when the Go graph cannot serve:

* fun called a primitive defined in Python (``extend.primitive``), or
  used a value of a user-defined vector space or of another trace through
  a closure: the library cannot evaluate those (ag_graph_record fails);
* fun read the numbers of a traced value while it was recorded (``float``,
  a comparison, ``np.maximum``'s mask, a branch): something was computed
  from them outside the graph, which the Go graph would freeze while the
  recorded Python calls compute it again (``ag_graph_watch``);
* an argument of a later call differs from the first call's in structure,
  shape or dtype, or is not a float64 / complex128 number or array (an
  integer, a user-defined trace's box).

In both cases, anything fun computes from constants only is frozen at its
first value, as in upstream autograd.
"""
import ctypes
import functools

import numpy

from .. import _capi
from ..core import flatten_tree, unflatten_tree, unbox_tree
from ..tracer import HandleBox, Node, trace, root_box, user_value
from ..util import subvals, toposort

__all__ = ["const_graph", "const_graph_unary"]

_i32, _i64 = ctypes.c_int32, ctypes.c_int64
_pi64 = ctypes.POINTER(_i64)
_lib = _capi.lib
for _name, _res, _args in (("ag_graph_watch", _i32, [_i64, _i32]),
                           ("ag_graph_record", _i64, [_i64, _i64, _i32, _pi64]),
                           ("ag_graph_replay", _i64, [_i64, _i32, _pi64])):
    getattr(_lib, _name).restype = _res
    getattr(_lib, _name).argtypes = _args
_watch, _record, _replay = _lib.ag_graph_watch, _lib.ag_graph_record, _lib.ag_graph_replay
_ag_scalar, _release_later, _last_error = _capi.ag_scalar, _capi.release_later, _capi.last_error
_F64, _C128 = numpy.dtype(numpy.float64), numpy.dtype(numpy.complex128)
_SCALAR = ((), _F64)  # the kind of a float


class ConstGraphNode(Node):
    """A recorded call: its parents and the call as a function of their
    values."""
    __slots__ = ["parents", "partial_fun"]

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        args = subvals(args, [(i, None) for i in parent_argnums])

        def partial_fun(parent_values):
            return fun(*subvals(args, zip(parent_argnums, parent_values)), **kwargs)
        self.parents = parents
        self.partial_fun = partial_fun

    def initialize_root(self):
        self.parents = []


def _leaf_kind(x):
    """(shape, dtype) of a leaf the Go graph can take, else None."""
    t = type(x)
    if t is float or t is numpy.float64:
        return (), _F64
    if t is complex or t is numpy.complex128:
        return (), _C128
    if t is numpy.ndarray:
        if x.dtype == _F64 or x.dtype == _C128:
            return x.shape, x.dtype
        return None
    if isinstance(x, HandleBox):
        dtype, shape, _ = x._info()
        return shape, dtype
    return None


class _GoGraph(object):
    """A graph recorded by the library: its handle (released with this
    object), the structure of the arguments and each leaf's (shape, dtype)."""
    __slots__ = ("h", "spec", "kinds", "scalar", "flat", "arr_t")

    def __init__(self, h, spec, kinds):
        self.h, self.spec, self.kinds = h, spec, kinds
        # the common case of one float argument, with its own fast path
        self.scalar = spec is None and kinds == [_SCALAR]
        # a tuple of leaves (const_graph's arguments): its own leaves
        self.flat = spec == (tuple, [None] * len(kinds))
        self.arr_t = _i64 * max(1, len(kinds))
        # the recorded kind of a float argument, compared by identity
        self.kinds = [_SCALAR if k == _SCALAR else k for k in kinds]

    def __del__(self, _append=_capi._pending.append):
        try:
            _append(self.h)
        except Exception:  # interpreter shutdown
            pass

    def replay(self, leaves):
        """fun at leaves (a sequence in the recorded order) computed by the
        library; None when a leaf differs from the recorded one."""
        kinds = self.kinds
        n = len(kinds)
        if len(leaves) != n:
            return None
        arr = self.arr_t()
        owned = []
        try:
            for i in range(n):
                leaf = leaves[i]
                if type(leaf) is float and kinds[i] is _SCALAR:
                    h = _ag_scalar(leaf, 0.0, 0)
                    if not h:
                        raise _last_error()
                    owned.append(h)
                elif _leaf_kind(leaf) != kinds[i]:
                    return None
                elif isinstance(leaf, HandleBox):
                    h = leaf._h
                else:
                    h = _capi.to_handle(leaf)
                    owned.append(h)
                arr[i] = h
            h = _replay(self.h, n, arr)
        finally:
            for h_ in owned:
                _release_later(h_)
        if not h:
            raise _last_error()
        return user_value(h)

    def replay_float(self, x):
        """replay of one float argument: two library calls."""
        a = _ag_scalar(x, 0.0, 0)
        if not a:
            raise _last_error()
        arr = self.arr_t(a)
        h = _replay(self.h, 1, arr)
        _release_later(a)
        if not h:
            raise _last_error()
        return user_value(h)


def _record_go(fun, x):
    """Trace fun at x with a ConstGraphNode trace running over a reverse Go
    trace.  Returns (end value, python graph, Go graph or None)."""
    leaves, spec = flatten_tree(x, check_leaves=False)
    kinds = [_leaf_kind(l) for l in leaves]
    if not leaves or None in kinds:
        end_value, end_node = trace(ConstGraphNode.new_root(), fun, x)
        return end_value, end_node, None
    trace_id = _capi.check(_capi.ag_trace_new(_capi.REVERSE))
    if _watch(trace_id, 1) < 0:
        raise _last_error()
    try:
        roots = [root_box(trace_id, l) for l in leaves]
        end_value, end_node = trace(ConstGraphNode.new_root(), fun, unflatten_tree(spec, roots))
    finally:
        read = _watch(trace_id, 0)
    go = None
    if read == 0 and end_node is not None and isinstance(end_value, HandleBox) and \
            end_value._info()[2] == trace_id:
        rs = (_i64 * len(roots))(*[r._h for r in roots])
        h = _record(trace_id, end_value._h, len(roots), rs)
        if h:
            go = _GoGraph(h, spec, kinds)
        else:
            _last_error()  # read and clear: the Python graph serves
    return unbox_tree(trace_id, end_value), end_node, go


def const_graph_unary(fun):
    """fun (of one argument) traced at its first call and replayed after."""
    graph = []  # the Python graph: its nodes in topological order
    go = []     # the Go graph, when the library can replay fun
    pending = [fun]  # dropped once traced: fun may hold large bound arguments

    def cached(x):
        if go:
            g = go[0]
            if g.scalar and type(x) is float:
                return g.replay_float(x)
            if g.flat and type(x) is tuple:
                r = g.replay(x)  # None for a leaf that is not the recorded kind
            else:
                leaves, spec = flatten_tree(x, check_leaves=False)
                r = g.replay(leaves) if spec == g.spec else None
            if r is not None:
                return r
        if graph:
            nodes = graph[0]
            vals = {nodes[0]: x}
            for node in nodes[1:]:
                vals[node] = node.partial_fun([vals[p] for p in node.parents])
            return vals[nodes[-1]]
        end_value, end_node, g = _record_go(pending[0], x)
        if end_node is None:
            raise ValueError("const_graph: the output of the function does not depend on its "
                             "arguments")
        pending.pop()
        graph.append(list(toposort(end_node))[::-1])
        if g is not None:
            go.append(g)
        return end_value
    cached.uses_go_graph = lambda: bool(go)
    return cached


def const_graph(fun, *args, **kwargs):
    """fun with args / kwargs bound; its graph is recorded at the first call
    and replayed on later calls' arguments."""
    bound = functools.partial(fun, *args, **kwargs)
    unary = const_graph_unary(lambda a: bound(*a))

    @functools.wraps(fun)
    def wrapped(*a):
        return unary(a)
    wrapped.uses_go_graph = unary.uses_go_graph
    return wrapped
