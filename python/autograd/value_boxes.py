"""Values of user-defined vector spaces in the Go core's traces.

A user type with a registered vector space (``VSpace.register(MyType,
maker)``, the space giving zeros / _add / _scalar_mul / _inner_prod) can be
an argument, an intermediate value or a gradient, as upstream allows.  The
Go core holds arrays only, so such a value stays in Python: its box (the
class the user registered with ``Box.register(MyType)``, else
:class:`ValueBox`) carries a :class:`autograd.tracer.ValueNode` recording
the primitive that made it, its arguments and its parents (Go boxes or
other value nodes).

When a primitive turns such values back into numbers, its result is one Go
node (``ag_custom_box``) whose parents are the Go boxes the Python values
came from (their *frontier*); its VJP runs a backward pass over the Python
nodes between them, accumulating cotangents with the user's space
(``vspace(v).add``), and hands the frontier's cotangents to the Go pass.
A user-typed argument being differentiated gets a Go *anchor* root (a 0.0
in the same trace) as its frontier, so the Go pass reaches the nodes that
depend on it; its gradient is accumulated in Python and read after the
pass.  Forward mode carries the tangents of user-typed values in Python
and hands the tangent of a numeric result to ``ag_forward_box``.
"""
from . import _capi, core
from . import tracer as _tracer
from ._capi import (ag_custom_box_, ag_forward_box, ag_tangent, ag_unbox, check, last_error,
                    registry, release_later, REVERSE)
from .core import vspace
from .tracer import Box, HandleBox, ValueNode, borrow_handle, handles_array, root_box, user_value

__all__ = ["ValueBox", "apply", "result", "value_root", "root_grad"]


class ValueBox(Box):
    """The box of a user-defined value whose type registered no Box class."""
    __slots__ = ("_value", "_trace", "_node")

    def __repr__(self):
        return "Autograd ValueBox with value {!r}".format(self._value)


def _box(value, trace, node):
    cls = None
    for base in type(value).__mro__:
        cls = Box.type_mappings.get(base)
        if cls is not None:
            break
    if cls is None or issubclass(cls, HandleBox):
        cls = ValueBox
    return cls(value, trace, node)


def _node(trace, prim, value, args, kwargs, argnums, parents):
    n = ValueNode()
    n.trace = trace
    n.prim, n.value, n.args, n.kwargs = prim, value, tuple(args), kwargs
    n.argnums, n.parents = tuple(argnums), list(parents)
    n.vjp_ = n.tangent = n.grad = n.frontier_ = None
    return n


def _is_value_box(a):
    return isinstance(a, Box) and isinstance(getattr(a, "_node", None), ValueNode)


def apply(prim, args, kwargs):
    """Primitive prim called with boxes among which user-defined values."""
    top = 0
    for a in args:
        if isinstance(a, HandleBox):
            top = max(top, a._info()[2])
        elif _is_value_box(a):
            top = max(top, a._trace)
    new_args, argnums, parents = list(args), [], []
    for i, a in enumerate(args):
        if isinstance(a, HandleBox) and a._info()[2] == top:
            new_args[i] = user_value(check(ag_unbox(top, a._h)))
        elif _is_value_box(a) and a._trace == top:
            new_args[i] = a._value
        else:
            continue
        argnums.append(i)
        parents.append(a._node if _is_value_box(a) else a)
    mode = _capi.FORWARD if top & 1 else REVERSE
    if mode in prim._notrace:
        return prim(*new_args, **kwargs)
    ans = prim(*new_args, **kwargs)
    if not _tracer._is_numeric(ans):
        return result(prim, ans, top, new_args, kwargs, argnums, parents)
    node = _node(top, prim, ans, new_args, kwargs, argnums, parents)
    if mode == REVERSE:
        return _numeric_reverse(node, ans, top)
    return _numeric_forward(node, ans, top)


def result(prim, ans, trace, args, kwargs, argnums, parents):
    """The box of user-defined value ans, made by prim from parents (Go
    boxes or value nodes of trace `trace`)."""
    node = _node(trace, prim, ans, args, kwargs, argnums, parents)
    if trace & 1:  # forward mode: the tangent now
        node.tangent = _jvp(node)
        if node.tangent is None:
            node.tangent = vspace(ans).zeros()
    return _box(ans, trace, node)


# ------------------------------------------------------------ forward mode

def _tangent_of(parent, trace):
    if isinstance(parent, ValueNode):
        return parent.tangent
    return user_value(check(ag_tangent(trace, parent._h)))


def _jvp(node):
    prim = node.prim
    if prim._jvp is None:
        raise NotImplementedError("JVP of {} wrt argnum {} not defined"
                                  .format(_tracer._fname(prim), node.argnums[0]))
    trace = node.trace
    tangents = [_tangent_of(p, trace) for p in node.parents]
    return prim._jvp(node.argnums, tangents, node.value, node.args, node.kwargs)


def _numeric_forward(node, ans, trace):
    t = _jvp(node)
    if t is None:
        t = vspace(ans).zeros()
    ah, aowned = borrow_handle(ans)
    th, towned = borrow_handle(t)
    try:
        return _tracer._box_type(check(ag_forward_box(trace, ah, th)))
    finally:
        if aowned:
            release_later(ah)
        if towned:
            release_later(th)


# ------------------------------------------------------------ reverse mode

def _frontier(node):
    """The Go boxes node's Python ancestors come from, in a fixed order."""
    if node.frontier_ is None:
        out, seen = [], set()
        for p in node.parents:
            for b in (_frontier(p) if isinstance(p, ValueNode) else [p]):
                if id(b) not in seen:
                    seen.add(id(b))
                    out.append(b)
        node.frontier_ = out
    return node.frontier_


def _order(node):
    """node and its Python ancestors, every node before its parents."""
    post, seen = [], set()

    def visit(n):
        seen.add(id(n))
        for p in n.parents:
            if isinstance(p, ValueNode) and id(p) not in seen:
                visit(p)
        post.append(n)
    visit(node)
    return post[::-1]


def _vjp_of(node):
    if node.vjp_ is None:
        prim = node.prim
        if prim._vjp is None:
            raise NotImplementedError("VJP of {} wrt argnum {} not defined"
                                      .format(_tracer._fname(prim), node.argnums[0]))
        node.vjp_ = prim._vjp(node.argnums, node.value, node.args, node.kwargs)
    return node.vjp_


def _add(value, a, b):
    return b if a is None else vspace(value).add(a, b)


def _backward(node, g):
    """The cotangents of node's frontier for cotangent g of node's value,
    through the Python nodes between them (roots accumulate theirs)."""
    frontier = _frontier(node)
    index = {id(b): k for k, b in enumerate(frontier)}
    out = [None] * len(frontier)
    cts = {id(node): g}
    for n in _order(node):
        ct = cts.pop(id(n), None)
        if ct is None:
            continue
        if n.prim is None:  # a user-typed argument being differentiated
            n.grad = _add(n.value, n.grad, ct)
            continue
        grads = _vjp_of(n)(ct)
        for p, gp in zip(n.parents, grads):
            if gp is None:
                continue
            if isinstance(p, ValueNode):
                cts[id(p)] = _add(p.value, cts.get(id(p)), gp)
            else:
                k = index[id(p)]
                out[k] = _add(p, out[k], gp)
    return out


def _numeric_reverse(node, ans, trace):
    frontier = _frontier(node)
    node_id = next(_tracer._ids)
    registry[node_id] = [node.prim, ans, node.args, node.kwargs, node.argnums,
                         lambda g: _backward(node, g)]
    ah, owned = borrow_handle(ans)
    try:
        h = ag_custom_box_(trace, ah, len(frontier), handles_array([b._h for b in frontier]),
                           node_id)
        if not h:
            registry.pop(node_id, None)
            raise last_error()
        return _tracer._box_type(h)
    finally:
        if owned:
            release_later(ah)


# ------------------------------------------------------------ arguments

def value_root(trace, value, tangent=None):
    """(box given to the function, Go root standing for it) for user-typed
    argument value: the Go root is an anchor 0.0 in reverse mode."""
    n = _node(trace, None, value, (), {}, (), [])
    if trace & 1:
        n.tangent = tangent
        anchor = None
    else:
        anchor = _tracer.mark_root(root_box(trace, 0.0))
        n.parents = [anchor]
    return _box(value, trace, n), anchor


def root_grad(box):
    """The gradient accumulated for user-typed argument box (zeros if none),
    which is reset for the next pass."""
    n = box._node
    g, n.grad = n.grad, None
    return vspace(n.value).zeros() if g is None else g


_tracer.set_value_box_hooks(apply, result)
core.set_value_roots(value_root, root_grad)
