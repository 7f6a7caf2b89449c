"""The differential operators users call: grad, jacobian, hessian, ...

Each operator takes a function and ``argnum`` (an int, or a tuple of ints
to differentiate with respect to several arguments at once, in which case
the derivative is a tuple) and returns a function of the same arguments.
"""
import functools
import inspect
import types
import warnings
from collections import OrderedDict

import numpy

from . import _capi, core, ops
from . import value_boxes  # noqa: F401  (user-defined vector spaces in Go traces: registers hooks)
from .core import (ReverseTrace, make_jvp as _make_jvp, make_vjp as _make_vjp, unbox_tree,
                   vspace, flatten_tree, unflatten_tree)
from .tracer import HandleBox, isbox
from .user_tracer import state as _user_state, top_user_trace, record as _record_user

__all__ = ["grad", "value_and_grad", "grad_and_aux", "elementwise_grad", "deriv",
           "jacobian", "hessian", "holomorphic_grad", "make_vjp", "make_jvp",
           "hessian_tensor_product", "hessian_vector_product", "make_hvp",
           "vector_jacobian_product", "tensor_jacobian_product", "make_ggnvp",
           "grad_named", "multigrad_dict", "checkpoint"]


def _name_of(f):
    return getattr(f, "__name__", "[unknown name]")


class _Derivative(object):
    """What op(fun, argnum, *op_args, **op_kwargs) returns for an operator
    made by _nary: a function of fun's arguments.

    A small object rather than a closure, so that it pickles whenever fun
    (and the operator's extra arguments) do: pickle stores the operator by
    its qualified name and fun as pickle stores it, so
    ``multiprocessing.Pool.map(grad(f), xs)`` works under every start
    method.  It behaves like the function upstream returns: it is named
    and documented after fun and the operator
    (grad(foo, 1).__name__ == 'grad_of_foo_wrt_argnum_1'), ``__wrapped__``
    is fun, and it binds as a method when stored on a class."""

    def __init__(self, operator, unary_operator, fun, argnum, op_args, op_kwargs):
        self._operator = operator
        self._unary = unary_operator
        self._fun = fun
        self._argnum = argnum
        self._op_args = op_args
        self._op_kwargs = op_kwargs
        name = "{}_of_{}_wrt_argnum_{}".format(_name_of(unary_operator), _name_of(fun), argnum)
        self.__name__ = self.__qualname__ = name
        self.__doc__ = ("    {op} of function {fun} with respect to argument number {argnum}. "
                        "It takes the\n    same arguments as {fun} and returns the {op}.\n"
                        .format(op=_name_of(unary_operator), fun=_name_of(fun), argnum=argnum))
        self.__wrapped__ = fun

    def __call__(self, *args, **kwargs):
        if _user_state.active:
            top = top_user_trace(args, kwargs)
            if top is not None:
                # a user-defined trace records the whole operator as one call
                return _record_user(self, args, kwargs, top._trace)
        fun, argnum = self._fun, self._argnum
        if isinstance(argnum, int):
            x = args[argnum]

            def unary_f(v):
                return fun(*core.subval(args, argnum, v), **kwargs)
        else:
            x = tuple(args[i] for i in argnum)

            def unary_f(vs):
                new = list(args)
                for i, v in zip(argnum, vs):
                    new[i] = v
                return fun(*new, **kwargs)
        try:
            return self._unary(unary_f, x, *self._op_args, **self._op_kwargs)
        finally:
            # the traced values of this call are dead now: free their
            # arrays at once rather than after FLUSH_AT more handles
            # (which, for large arrays, would be gigabytes)
            if _capi._pending:
                _capi.flush_if_heavy()

    def __get__(self, obj, objtype=None):
        # a function stored on a class becomes a method of its instances
        if obj is None:
            return self
        return types.MethodType(self, obj)

    def __reduce__(self):
        return (_rebuild, (self._operator, self._fun, self._argnum, self._op_args,
                           self._op_kwargs))

    def __repr__(self):
        return "<function {}>".format(self.__name__)


def _rebuild(operator, fun, argnum, op_args, op_kwargs):
    """Unpickle a _Derivative: call the operator again."""
    return operator(fun, argnum, *op_args, **op_kwargs)


def _nary(unary_operator):
    """Turn unary_operator(fun, x, *op_args, **op_kwargs), which
    differentiates a function of one argument, into an operator of
    (fun, argnum=0, *op_args, **op_kwargs) for functions of many.  The
    operator returns a picklable _Derivative; the operator itself pickles
    by name (it takes unary_operator's name and module)."""
    @functools.wraps(unary_operator)
    def nary_operator(fun, argnum=0, *op_args, **op_kwargs):
        return _Derivative(nary_operator, unary_operator, fun, argnum, op_args, op_kwargs)
    return nary_operator


_GRAD_MSG = ("Grad only applies to real scalar-output functions. "
             "Try jacobian, elementwise_grad or holomorphic_grad.")


_VALUE_AND_GRAD_MSG = ("value_and_grad only applies to real scalar-output functions. "
                       "Try jacobian, elementwise_grad or holomorphic_grad.")


def _scalar_output(ans, msg=_GRAD_MSG, real=True):
    """Raise TypeError(msg) unless ans is one number (real, if real)."""
    if isinstance(ans, (list, tuple, dict)):
        raise TypeError(msg)
    vs = vspace(ans)
    if vs._nentries != 1 or (real and vs.iscomplex):
        raise TypeError(msg)


def _ones_grad(rt, ans):
    """The VJP of rt's output with cotangent ones (1 + 0j for complex
    outputs)."""
    if isinstance(rt.out, HandleBox):
        return rt.backward(rt.out, None)
    vs = vspace(ans)
    return rt.backward(rt.out, numpy.ones(vs.shape, vs.dtype))


@_nary
def grad(fun, x):
    """
    Returns a function which computes the gradient of scalar-valued fun
    with respect to argument number argnum.  The returned function takes
    fun's arguments; the gradient has the type and structure of that
    argument."""
    rt = ReverseTrace(fun, x)
    out = rt.out
    if isinstance(out, HandleBox):  # the common case: no need to read the value
        return core.grad_of_scalar(rt, out)
    ans = unbox_tree(rt.trace_id, rt.out)
    _scalar_output(ans)
    if not rt.depends(rt.out):
        warnings.warn("Output seems independent of input.")
    return _ones_grad(rt, ans)


@_nary
def value_and_grad(fun, x):
    """(fun(*args), grad(fun)(*args)) in one pass."""
    rt = ReverseTrace(fun, x)
    ans = unbox_tree(rt.trace_id, rt.out)
    _scalar_output(ans, _VALUE_AND_GRAD_MSG)
    return ans, _ones_grad(rt, ans)


@_nary
def grad_and_aux(fun, x):
    """For fun returning (output, aux): (gradient of output, aux)."""
    rt = ReverseTrace(fun, x)
    out, aux = rt.out
    ans = unbox_tree(rt.trace_id, out)
    _scalar_output(ans)
    if isinstance(out, HandleBox):
        g = rt.backward(out, None)
    else:
        g = rt.backward(out, vspace(ans).ones())
    return g, unbox_tree(rt.trace_id, aux)


@_nary
def elementwise_grad(fun, x):
    """The VJP of fun with a cotangent of ones: for elementwise functions,
    the derivative at every point."""
    rt = ReverseTrace(fun, x)
    if vspace(rt.out).iscomplex:
        raise TypeError("Elementwise_grad only applies to real-output functions.")
    if isinstance(rt.out, HandleBox):
        return rt.backward(rt.out, None)
    return rt.backward(rt.out, vspace(unbox_tree(rt.trace_id, rt.out)).ones())


@_nary
def deriv(fun, x):
    """The forward-mode derivative of fun along a tangent of ones."""
    return _make_jvp(fun, x)(vspace(x).ones())[1]


@_nary
def holomorphic_grad(fun, x):
    """The complex derivative f'(z) of a holomorphic fun (VJP with
    cotangent 1)."""
    if not vspace(x).iscomplex:
        warnings.warn("Input to holomorphic_grad is not complex")
    rt = ReverseTrace(fun, x)
    ans = unbox_tree(rt.trace_id, rt.out)
    _scalar_output(ans, real=False)
    return _ones_grad(rt, ans)


@_nary
def jacobian(fun, x):
    """The Jacobian of fun: an array shaped out.shape + x.shape (for a
    container x, or a tuple argnum, the same structure holding one such
    array per leaf)."""
    rt = ReverseTrace(fun, x)
    ans = unbox_tree(rt.trace_id, rt.out)
    out_vs = vspace(ans)
    if isinstance(ans, (list, tuple, dict)):
        raise TypeError("jacobian: fun must return an array, not a {}".format(type(ans).__name__))
    leaves, spec = flatten_tree(x)
    rows = []
    n_out = out_vs._nentries
    for i in range(n_out):
        e = numpy.zeros(n_out, out_vs.dtype)
        e[i] = 1
        rows.append(flatten_tree(rt.backward(rt.out, e.reshape(out_vs.shape)),
                                 check_leaves=False)[0])
    out = []
    for k, leaf in enumerate(leaves):
        shape = tuple(out_vs.shape) + tuple(vspace(leaf).shape)
        if not rows:
            out.append(numpy.zeros(shape, numpy.result_type(out_vs.dtype, vspace(leaf).dtype)))
        else:
            out.append(_stack_reshaped([r[k] for r in rows], shape))
    return unflatten_tree(spec, out)


def _stack_reshaped(rows, shape):
    """numpy.stack(rows) reshaped to shape (rows of one shape); traced, with
    the core's stack and reshape, when a row is a box."""
    if not any(isbox(r) for r in rows):
        return numpy.reshape(numpy.stack(rows), shape)
    stacked = ops.apply("stack", rows)
    if ops.shape_of(stacked) == tuple(shape):
        return stacked
    return ops.apply("reshape", [stacked], shape=shape)


def hessian(fun, argnum=0):
    """The Hessian of scalar-valued fun: jacobian of jacobian."""
    return jacobian(jacobian(fun, argnum), argnum)


@_nary
def make_vjp(fun, x):
    """(vjp, ans) for fun at the given arguments."""
    return _make_vjp(fun, x)


@_nary
def make_jvp(fun, x):
    """jvp(v) -> (ans, tangent) for fun at the given arguments."""
    return _make_jvp(fun, x)


@_nary
def make_hvp(fun, x):
    """(hvp, grad): hvp(v) is the Hessian-vector product of scalar fun at
    x, the forward pass being shared by every call."""
    return _make_vjp(grad(fun), x)


class _VectorDot(object):
    """f(*args, v): fun(*args) contracted with v over v's axes (fun's
    value on the left when value_first, as hessian_tensor_product needs);
    a picklable object rather than a closure."""

    def __init__(self, fun, name, value_first):
        self._fun = fun
        self._value_first = value_first
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args, **kwargs):
        args, vector = args[:-1], args[-1]
        value = self._fun(*args, **kwargs)
        if self._value_first:
            return _tensordot(value, vector, numpy.ndim(vector))
        return _tensordot(vector, value, numpy.ndim(vector))

    def __reduce__(self):
        return (_VectorDot, (self._fun, self.__name__, self._value_first))


def hessian_tensor_product(fun, argnum=0):
    """A function of (*args, v) giving the Hessian of fun times tensor v."""
    return grad(_VectorDot(grad(fun, argnum), "vector_dot_grad", True), argnum)


hessian_vector_product = hessian_tensor_product


def tensor_jacobian_product(fun, argnum=0):
    """A function of (*args, v) giving v contracted with fun's Jacobian."""
    return jacobian(_VectorDot(fun, "vector_dot_fun", False), argnum)


vector_jacobian_product = tensor_jacobian_product


def _tensordot(a, b, n):
    """numpy.tensordot(a, b, n): the last n axes of a contracted with the
    first n of b; traced, with the core's tensordot, when a or b is a box."""
    if not (isbox(a) or isbox(b)):
        return numpy.tensordot(a, b, n)
    sa, sb = ops.shape_of(a), ops.shape_of(b)
    if n < 0 or n > len(sa) or n > len(sb) or sa[len(sa) - n:] != sb[:n]:
        raise ValueError("shape-mismatch for sum")
    if n == 0 and (not sa or not sb):
        return ops.binary(_MULTIPLY, a, b, numpy.multiply)
    return ops.apply("tensordot", [a, b], axes=range(len(sa) - n, len(sa)), axes2=range(n))


_MULTIPLY = ops.opid("multiply")


def _half_sum_squares(x):
    sq = x ** 2
    return 0.5 * (sq.sum(axis=-1) if isbox(sq) else numpy.sum(sq, axis=-1))


@_nary
def _make_ggnvp(f, x, g=_half_sum_squares):
    f_vjp, f_x = _make_vjp(f, x)
    g_hvp, grad_g_x = _make_vjp(grad(g), f_x)
    # the VJP of a VJP (a linear map of its cotangent) is the JVP
    f_jvp, _ = _make_vjp(f_vjp, vspace(grad_g_x).zeros())

    def ggnvp(v):
        return f_vjp(g_hvp(f_jvp(v)))
    return ggnvp


def make_ggnvp(f, g=_half_sum_squares, f_argnum=0):
    """A function of f's arguments returning ggnvp(v), the generalised
    Gauss-Newton product of g(f(x)) at x: J_f^T H_g J_f v."""
    return _make_ggnvp(f, f_argnum, g)


def grad_named(fun, argname):
    """grad with respect to the argument called argname."""
    names = list(inspect.signature(fun).parameters)
    return grad(fun, names.index(argname))


class _MultigradDict(object):
    """multigrad_dict(fun): the gradients with respect to every argument
    of fun, as an OrderedDict keyed by argument name (picklable)."""

    def __init__(self, fun):
        self._fun = fun
        self._sig = inspect.signature(fun)
        self.__name__ = self.__qualname__ = "gradfun"
        self.__wrapped__ = fun

    def _call(self, d):
        pos, kw = [], {}
        for name, p in self._sig.parameters.items():
            if p.kind == p.VAR_POSITIONAL:
                pos.extend(d[name])
            elif p.kind == p.VAR_KEYWORD:
                kw.update(d[name])
            elif p.kind == p.KEYWORD_ONLY:
                kw[name] = d[name]
            else:
                pos.append(d[name])
        return self._fun(*pos, **kw)

    def __call__(self, *args, **kwargs):
        bound = self._sig.bind(*args, **kwargs)
        bound.apply_defaults()
        argdict = OrderedDict(bound.arguments)
        g = grad(self._call)(argdict)
        return OrderedDict((name, g[name]) for name in argdict)

    def __reduce__(self):
        return (_MultigradDict, (self._fun,))


def multigrad_dict(fun):
    """A function returning the gradients with respect to every argument of
    fun, as a dict keyed by argument name."""
    return _MultigradDict(fun)


def checkpoint(fun):
    """Mark fun for recomputation in the backward pass.  The Go core keeps
    every intermediate value, so this is the identity (same results)."""
    return fun
