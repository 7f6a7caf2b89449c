"""Core machinery: vector spaces, VJP / JVP construction and the rules of
Python-defined primitives.

``make_vjp(fun, x)`` and ``make_jvp(fun, x)`` are the two building blocks of
every differential operator.  x may be a number, an array, a box of an outer
trace, or a (nested) list / tuple / dict of those; derivatives come back in
x's structure.
"""
import ctypes
import warnings

import numpy

from . import _capi, ops
from . import primitive_values  # noqa: F401  (tuple results of primitives: registers with tracer)
from . import tracer as _tracer
from ._capi import REVERSE, FORWARD, ag_trace_new, ag_unbox, ag_tangent, check, last_error, release_later
from .tracer import (Box, HandleBox, Node, user_value, borrow_handle, root_box, mark_root,
                     primitive, _fname, SparseObject)
from .tracer import getval, notrace_primitive, trace  # noqa: F401  (autograd.core's names)
from .vspaces import VSpace, vspace, _core_dtype, _vspace_maker  # noqa: F401  (autograd.core's names)

__all__ = ["make_vjp", "make_jvp", "vspace", "VSpace", "primitive_vjps",
           "primitive_jvps", "defvjp", "defvjp_argnum", "defvjp_argnums",
           "defjvp", "defjvp_argnum", "defjvp_argnums", "def_linear",
           "VJPNode", "JVPNode", "SparseObject", "backward_pass"]

_ADD, _MULTIPLY = ops.opid("add"), ops.opid("multiply")


# ------------------------------------------------------------ containers

_LEAF = None  # the spec of a leaf


def _is_numeric_leaf(x):
    return isinstance(x, (HandleBox, float, complex, numpy.floating, numpy.complexfloating,
                          numpy.ndarray))


class _ValueRoots(object):
    """What autograd.value_boxes registers: root(trace, value[, tangent])
    -> (box, Go root) for a user-typed argument, grad(box) -> its gradient."""
    root = grad = None


_value_roots = _ValueRoots()


def set_value_roots(root, grad):
    _value_roots.root, _value_roots.grad = root, grad


def _check_leaf(x):
    if isinstance(x, (HandleBox, float, complex, numpy.floating, numpy.complexfloating)):
        return
    if isinstance(x, numpy.ndarray) and x.dtype.kind in "fciub":
        return
    if _tracer.is_value_box(x) or (not isinstance(x, (numpy.ndarray, int, bool, str)) and
                                   _vspace_maker(type(x)) is not None):
        return  # a value of a user-defined vector space (value_boxes.py)
    raise TypeError("Can't differentiate w.r.t. type {}".format(type(x)))


def flatten_tree(x, check_leaves=True):
    """(leaves, spec): the leaves of a nested list / tuple / dict, in order,
    and a description from which unflatten_tree rebuilds the structure."""
    if not isinstance(x, (list, tuple, dict)) or isinstance(x, Box):
        if check_leaves:
            _check_leaf(x)
        return [x], _LEAF
    leaves = []

    def walk(v):
        if isinstance(v, (list, tuple)) and not isinstance(v, Box):
            return (type(v), [walk(e) for e in v])
        if isinstance(v, dict):
            keys = list(v.keys())
            return (type(v), keys, [walk(v[k]) for k in keys])
        if check_leaves:
            _check_leaf(v)
        leaves.append(v)
        return _LEAF

    spec = walk(x)
    return leaves, spec


def unflatten_tree(spec, leaves):
    it = iter(leaves)

    def build(s):
        if s is _LEAF:
            return next(it)
        t = s[0]
        if len(s) == 3:
            return t(zip(s[1], [build(c) for c in s[2]]))
        items = [build(c) for c in s[1]]
        if t is list or t is tuple:
            return t(items)
        if hasattr(t, "_make"):  # namedtuple
            return t._make(items)
        return t(items)

    return build(spec)


def map_tree(f, x):
    leaves, spec = flatten_tree(x, check_leaves=False)
    return unflatten_tree(spec, [f(l) for l in leaves])


# ------------------------------------------------------------ reverse mode

def _like_leaf(leaf, g):
    """Give gradient g the type of the argument leaf it belongs to."""
    if isinstance(g, HandleBox) or isinstance(leaf, HandleBox):
        return g
    if isinstance(leaf, numpy.ndarray):
        g = numpy.asarray(g)
        if leaf.dtype.kind in "fc" and leaf.dtype.itemsize < 8 * (2 if leaf.dtype.kind == "c" else 1):
            if g.dtype.kind == leaf.dtype.kind:
                g = g.astype(leaf.dtype)
        return g
    if isinstance(leaf, (numpy.float32, numpy.float16, numpy.complex64)) and not isinstance(g, numpy.ndarray):
        if numpy.iscomplexobj(g) == numpy.iscomplexobj(leaf):
            return type(leaf)(g)
    if isinstance(g, numpy.ndarray) and g.ndim == 0:
        return g[()]
    return g


def unbox_tree(trace_id, x):
    """x with every box of trace_id replaced by the value it wraps."""
    def unbox(v):
        if isinstance(v, HandleBox) and v._info()[2] == trace_id:
            return user_value(check(ag_unbox(trace_id, v._h)))
        if _tracer.is_value_box(v) and v._trace == trace_id:
            return v._value
        return v
    return map_tree(unbox, x)


def grad_of_scalar(rt, out):
    """The gradient of rt's output out (a box of a real one-element value)
    with respect to rt's argument: one core call (ag_grad); TypeError for
    any other output, and upstream's warning when out does not depend on
    the argument."""
    if rt.value_roots:
        return rt.backward(out, None)
    roots = rt.roots
    n = len(roots)
    if n == 1:
        st = _capi.tls
        st.root1[0] = roots[0]._h
        r = _capi.ag_grad_(rt.trace_id, out._h, 1, *st.grad_args)
        res = st.grad1
    else:
        rs = (_capi._i64 * max(n, 1))(*[r._h for r in roots])
        res = (_capi._i64 * max(n, 1))()
        r = _capi.ag_grad_(rt.trace_id, out._h, n, ctypes.addressof(rs), ctypes.addressof(res))
    if r < 0:
        raise last_error()
    if r == 1:
        warnings.warn("Output seems independent of input.")
    if rt.spec is None:
        return _like_leaf(rt.leaves[0], user_value(res[0]))
    grads = [user_value(res[i]) for i in range(n)]
    return unflatten_tree(rt.spec, [_like_leaf(l, gr) for l, gr in zip(rt.leaves, grads)])


def _backward(trace_id, end_h, g_h, roots):
    n = len(roots)
    # fresh buffers: a vjp callback may run another backward pass meanwhile
    rs = (_capi._i64 * max(n, 1))(*[r._h for r in roots])
    out = (_capi._i64 * max(n, 1))()
    if _capi.ag_backward_(trace_id, end_h, g_h, n, rs, out) != 0:
        raise last_error()
    return [user_value(out[i]) for i in range(n)]


class ReverseTrace(object):
    """fun evaluated at x under a new reverse trace; ``backward`` gives
    vector-Jacobian products of any traced value it produced."""

    def __init__(self, fun, x):
        self.leaves, self.spec = flatten_tree(x)
        first = self.leaves[0] if self.leaves else None
        self.value_roots = []  # (index, box) of user-typed arguments (value_boxes.py)
        if first is not None and not isinstance(first, HandleBox) and _is_numeric_leaf(first):
            # the trace and its first root in one call (the common case)
            self.trace_id, h = _capi.start(REVERSE, first)
            self.roots = [_tracer._box_type(h)]
            self.roots += [self._root(k, l) for k, l in enumerate(self.leaves) if k]
        else:
            self.trace_id = ag_trace_new(REVERSE)
            self.roots = [self._root(k, l) for k, l in enumerate(self.leaves)]
        args = list(self.roots)
        for k, b in self.value_roots:
            args[k] = b
        for r in self.roots:
            mark_root(r)
        self.out = fun(args[0] if self.spec is None else unflatten_tree(self.spec, args))

    def _root(self, k, leaf):
        if _is_numeric_leaf(leaf):
            return root_box(self.trace_id, leaf)
        box, anchor = _value_roots.root(self.trace_id, leaf)
        self.value_roots.append((k, box))
        return anchor

    def _value_grads(self, grads):
        for k, b in self.value_roots:
            grads[k] = _value_roots.grad(b)
        return grads

    def depends(self, out):
        leaves = flatten_tree(out, check_leaves=False)[0]
        return any((isinstance(l, HandleBox) and l._info()[2] == self.trace_id) or
                   (_tracer.is_value_box(l) and l._trace == self.trace_id) for l in leaves)

    def backward(self, out, g=None):
        """The VJP of out (a traced value or container of them) with
        cotangent g (same structure; None means ones), shaped like x."""
        if isinstance(out, HandleBox):
            if g is None:
                grads = _backward(self.trace_id, out._h, 0, self.roots)
            else:
                gh, owned = borrow_handle(g)
                try:
                    grads = _backward(self.trace_id, out._h, gh, self.roots)
                finally:
                    if owned:
                        release_later(gh)
        else:
            total = None
            outs = flatten_tree(out, check_leaves=False)[0]
            gs = flatten_tree(g, check_leaves=False)[0] if g is not None else [None] * len(outs)
            if len(gs) != len(outs):
                raise ValueError("vjp: the cotangent does not have the structure of the output")
            for o, gi in zip(outs, gs):
                if isinstance(o, HandleBox):
                    term = _sum_all(o if gi is None else ops.binary(_MULTIPLY, o, gi, numpy.multiply))
                elif _tracer.is_value_box(o) and o._trace == self.trace_id and gi is not None:
                    term = vspace(o).inner_prod(o, gi)  # a user-defined value (value_boxes.py)
                else:
                    continue
                total = term if total is None else ops.binary(_ADD, total, term, numpy.add)
            if total is None:
                grads = [vspace(l).zeros() for l in self.leaves]
            else:
                grads = _backward(self.trace_id, total._h, 0, self.roots)
        if self.value_roots:
            grads = self._value_grads(grads)
        return unflatten_tree(self.spec, [_like_leaf(l, gr) for l, gr in zip(self.leaves, grads)])


def _sum_all(box):
    """The sum of every element of box (with the core's sum)."""
    nd = ops.ndim_of(box)
    return ops.apply("sum", [box], axes=list(range(nd)), flags=[0]) if nd else box


def make_vjp(fun, x):
    """(vjp, ans): ans = fun(x), and vjp(g) the vector-Jacobian product of
    fun at x with cotangent g (shaped like ans), shaped like x."""
    rt = ReverseTrace(fun, x)
    if not rt.depends(rt.out):
        warnings.warn("Output seems independent of input.")
    ans = unbox_tree(rt.trace_id, rt.out)

    def vjp(g):
        return rt.backward(rt.out, g)
    vjp.trace = rt
    return vjp, ans


# ------------------------------------------------------------ forward mode

def _zeros_like_value(v):
    if isinstance(v, HandleBox):
        dtype, shape, _ = v._info()
        return numpy.zeros(shape, dtype)
    if isinstance(v, (numpy.ndarray, numpy.number, float, int, complex)):
        a = numpy.zeros_like(numpy.asarray(v), dtype=_core_dtype(numpy.asarray(v).dtype))
        return a if isinstance(v, numpy.ndarray) else a[()]
    return None


def make_jvp(fun, x):
    """jvp(v) -> (fun(x), the Jacobian-vector product of fun at x with
    tangent v), in forward mode."""
    def jvp(v):
        trace_id = ag_trace_new(FORWARD)
        leaves, spec = flatten_tree(x)
        vleaves = flatten_tree(v, check_leaves=False)[0]
        if len(vleaves) != len(leaves):
            raise ValueError("jvp: the tangent does not have the structure of the argument")
        roots = [mark_root(root_box(trace_id, l, t)) if _is_numeric_leaf(l) else
                 _value_roots.root(trace_id, l, t)[0] for l, t in zip(leaves, vleaves)]
        out = fun(unflatten_tree(spec, roots))

        def tangent(o):
            if isinstance(o, HandleBox):
                if o._info()[2] == trace_id:
                    return user_value(check(ag_tangent(trace_id, o._h)))
            elif _tracer.is_value_box(o):
                if o._trace == trace_id:
                    return o._node.tangent
                return vspace(o).zeros()
            elif not _is_numeric_leaf(o) and _vspace_maker(type(o)) is not None:
                return vspace(o).zeros()
            return _zeros_like_value(o)
        return unbox_tree(trace_id, out), map_tree(tangent, out)
    return jvp


# ------------------------------------------------------------ upstream-style nodes

class VJPNode(Node):
    """Node kind of reverse-mode traces (the graph lives in the Go core)."""
    mode = REVERSE

    def __init__(self, *args):
        pass  # the graph lives in the Go core

    @classmethod
    def new_root(cls, *args, **kwargs):
        return cls()

    def _end(self, trace_id, start_box, end_box):
        n = VJPNode()
        n.trace_id, n.start, n.end = trace_id, start_box, end_box
        return n


class JVPNode(Node):
    """Node kind of forward-mode traces; ``new_root(g)`` carries tangent g,
    and the end node of a trace has the output tangent as ``.g``."""
    mode = FORWARD

    def __init__(self, *args):
        pass

    @classmethod
    def new_root(cls, g=None, *args):
        n = cls()
        n.tangent = g
        return n

    def _end(self, trace_id, start_box, end_box):
        n = JVPNode()
        n.g = user_value(check(ag_tangent(trace_id, end_box._h)))
        return n


def backward_pass(g, end_node):
    """The gradient with respect to the start of end_node's trace."""
    gh, owned = borrow_handle(g)
    try:
        return _backward(end_node.trace_id, end_node.end._h, gh, [end_node.start])[0]
    finally:
        if owned:
            release_later(gh)


# ------------------------------------------------------------ rules of Python primitives

primitive_vjps = {}  # primitive -> {argnum: vjpmaker}
primitive_jvps = {}  # primitive -> {argnum: jvp function, None or 'same'}


def _require_primitive(fun):
    if not getattr(fun, "_is_autograd_primitive", False):
        raise TypeError("{} is not an autograd primitive (wrap it with "
                        "autograd.extend.primitive)".format(_fname(fun)))


def subval(args, i, v):
    out = list(args)
    out[i] = v
    return tuple(out)


def defvjp_argnums(fun, vjpmaker):
    """vjpmaker(argnums, ans, args, kwargs) returns g -> the gradients for
    every argnum in argnums."""
    _require_primitive(fun)
    fun._vjp = vjpmaker


def defvjp_argnum(fun, vjpmaker):
    """vjpmaker(argnum, ans, args, kwargs) returns g -> gradient of argnum."""
    _require_primitive(fun)

    def build(argnums, ans, args, kwargs):
        vjps = [vjpmaker(a, ans, args, kwargs) for a in argnums]
        return lambda g: [v(g) for v in vjps]
    fun._vjp = build


def _record_rules(table, what, fun, rules, kwargs):
    """Record rules[i] in table[fun] as the rule (VJP maker or JVP) of
    argument argnums[i] (kwargs' argnums, by default 0, 1, ...); returns a
    lookup argnum -> rule that raises for an argument without one."""
    _require_primitive(fun)
    argnums = kwargs.pop("argnums", range(len(rules)))
    if kwargs:
        raise TypeError("def{}: unexpected keyword arguments {}".format(what.lower(), sorted(kwargs)))
    recorded = table.setdefault(fun, {})
    recorded.update(zip(argnums, rules))

    def rule(a):
        if a not in recorded:
            raise NotImplementedError("{} of {} wrt argnum {} not defined".format(what, _fname(fun), a))
        return recorded[a]
    return rule


def defvjp(fun, *vjpmakers, **kwargs):
    """Define the VJPs of primitive fun: vjpmakers[i](ans, *args, **kwargs)
    returns ``lambda g: ...``, the gradient of argument argnums[i] (by
    default argnums = 0, 1, ...).  None means "not differentiable"."""
    maker = _record_rules(primitive_vjps, "VJP", fun, vjpmakers, kwargs)

    def build(argnums, ans, args, kw):
        vjps = []
        for a in argnums:
            m = maker(a)
            vjps.append(None if m is None else m(ans, *args, **kw))
        return lambda g: [None if v is None else v(g) for v in vjps]
    fun._vjp = build


def _add_tangents(ts):
    total = None
    for t in ts:
        if t is None:
            continue
        if total is None:
            total = t
        elif _is_numeric_leaf(t) or isinstance(t, (int, numpy.number)):
            total = ops.binary(_ADD, total, t, numpy.add)
        else:  # tangents in a user-defined vector space
            total = vspace(t).add(total, t)
    return total


def defjvp_argnums(fun, jvpmaker):
    """jvpmaker(argnums, gs, ans, args, kwargs) returns the output tangent."""
    _require_primitive(fun)
    fun._jvp = jvpmaker


def defjvp_argnum(fun, jvpmaker):
    """jvpmaker(argnum, g, ans, args, kwargs) returns argnum's contribution
    to the output tangent."""
    _require_primitive(fun)
    fun._jvp = lambda argnums, gs, ans, args, kwargs: _add_tangents(
        [jvpmaker(a, g, ans, args, kwargs) for a, g in zip(argnums, gs)])


def defjvp(fun, *jvpfuns, **kwargs):
    """Define the JVPs of primitive fun: jvpfuns[i](g, ans, *args, **kwargs)
    is argument argnums[i]'s contribution to the output tangent.  None
    means no contribution; 'same' means fun itself (fun is linear in it)."""
    rule = _record_rules(primitive_jvps, "JVP", fun, jvpfuns, kwargs)

    def jvp(argnums, gs, ans, args, kw):
        ts = []
        for a, g in zip(argnums, gs):
            r = rule(a)
            if r is None:
                continue
            if isinstance(r, str) and r == "same":
                ts.append(fun(*subval(args, a, g), **kw))
            else:
                ts.append(r(g, ans, *args, **kw))
        return _add_tangents(ts)
    fun._jvp = jvp


def def_linear(fun):
    """Declare primitive fun linear in each argument: its JVP is fun
    itself applied to the tangent."""
    defjvp_argnum(fun, lambda argnum, g, ans, args, kwargs:
                  fun(*subval(args, argnum, g), **kwargs))


# ------------------------------------------------ upstream's deprecated API
# autograd.primitive and autograd.core.primitive give primitives three old
# methods (defgrad, defvjp, defvjp_is_zero) that warn and then call defvjp;
# autograd.extend.primitive is the plain one, as upstream.

_DEPRECATED_MSG = ("The {} method is deprecated: use autograd.extend.defvjp "
                   "(see upstream autograd's docs/updateguide.md).")


def _deprecated_defvjp(fun):
    def defvjp_method(vjpmaker, argnum=0):
        warnings.warn(_DEPRECATED_MSG.format("defvjp"))

        def maker(ans, *args, **kwargs):
            def vjp(g):
                return vjpmaker(g, ans, vspace(args[argnum]), vspace(g), *args, **kwargs)
            return vjp
        defvjp(fun, maker, argnums=[argnum])
    return defvjp_method


def _deprecated_defgrad(fun):
    def defgrad(gradfun, argnum=0):
        warnings.warn(_DEPRECATED_MSG.format("defgrad"))
        defvjp(fun, gradfun, argnums=[argnum])
    return defgrad


def _deprecated_defvjp_is_zero(fun):
    def defvjp_is_zero(argnums=(0,)):
        warnings.warn(_DEPRECATED_MSG.format("defvjp_is_zero"))
        defvjp(fun, *[None] * len(argnums), argnums=list(argnums))
    return defvjp_is_zero


_plain_primitive = primitive


def primitive_with_deprecation_warnings(f_raw):
    """primitive(f_raw), with upstream's deprecated methods defgrad, defvjp
    and defvjp_is_zero."""
    f = _plain_primitive(f_raw)
    f.defvjp = _deprecated_defvjp(f)
    f.defgrad = _deprecated_defgrad(f)
    f.defvjp_is_zero = _deprecated_defvjp_is_zero(f)
    return f


primitive = primitive_with_deprecation_warnings


# the rules of VSpace's primitive operations (spaces of arrays and
# containers override them with plain traced arithmetic)
defvjp(VSpace.add, lambda ans, vs, x, y: lambda g: g,
       lambda ans, vs, x, y: lambda g: g, argnums=[1, 2])
defjvp(VSpace.add, lambda t, ans, vs, x, y: t, lambda t, ans, vs, x, y: t, argnums=[1, 2])
defvjp(VSpace.scalar_mul, lambda ans, vs, x, a: lambda g: vs.scalar_mul(g, a),
       lambda ans, vs, x, a: lambda g: vs.inner_prod(g, vs.covector(x)), argnums=[1, 2])
defjvp(VSpace.scalar_mul, lambda t, ans, vs, x, a: vs.scalar_mul(t, a),
       lambda t, ans, vs, x, a: vs.scalar_mul(x, t), argnums=[1, 2])
defvjp(VSpace.inner_prod, lambda ans, vs, x, y: lambda g: vs.scalar_mul(y, g),
       lambda ans, vs, x, y: lambda g: vs.scalar_mul(x, g), argnums=[1, 2])
defjvp(VSpace.inner_prod, lambda t, ans, vs, x, y: vs.inner_prod(t, y),
       lambda t, ans, vs, x, y: vs.inner_prod(x, t), argnums=[1, 2])
defvjp(VSpace.covector, lambda ans, vs, x: lambda g: vs.covector(g), argnums=[1])
defjvp(VSpace.covector, lambda t, ans, vs, x: vs.covector(t), argnums=[1])
