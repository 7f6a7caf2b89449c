"""Python-defined primitives: rules from defvjp / defjvp, to high order, in
both modes and mixed, and errors raised inside user rules."""
import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd import grad, deriv, elementwise_grad, jacobian, make_jvp, make_vjp, hessian
from autograd.extend import (primitive, defvjp, defjvp, defvjp_argnum, defvjp_argnums,
                             defjvp_argnum, defjvp_argnums, def_linear, notrace_primitive,
                             register_notrace, vspace, VSpace, Box, SparseObject, VJPNode,
                             JVPNode)
from autograd.core import primitive_vjps, primitive_jvps
from autograd.test_util import check_grads


def close(a, b, tol=1e-10):
    return numpy.allclose(a, b, rtol=tol, atol=tol)


# a sin whose derivative rules are written in Python
calls = {"fwd": 0, "vjp": 0, "jvp": 0}


@primitive
def my_sin(x):
    calls["fwd"] += 1
    return numpy.sin(x)


@primitive
def my_cos(x):
    return numpy.cos(x)


def _sin_vjp(ans, x):
    calls["vjp"] += 1
    return lambda g: g * my_cos(x)


def _sin_jvp(g, ans, x):
    calls["jvp"] += 1
    return g * my_cos(x)


defvjp(my_sin, _sin_vjp)
defjvp(my_sin, _sin_jvp)
defvjp(my_cos, lambda ans, x: lambda g: -g * my_sin(x))
defjvp(my_cos, lambda g, ans, x: -g * my_sin(x))


@primitive
def logsumexp(x):
    m = numpy.max(x)
    return m + numpy.log(numpy.sum(numpy.exp(x - m)))


defvjp(logsumexp, lambda ans, x: lambda g: g * np.exp(x - ans))
defjvp(logsumexp, lambda g, ans, x: np.sum(g * np.exp(x - ans)))


def test_untraced_primitive_is_the_plain_function():
    assert my_sin(0.5) == numpy.sin(0.5)
    assert my_sin.__name__ == "my_sin"


def test_custom_sin_derivatives_to_third_order():
    x = 0.7
    s, c = numpy.sin(x), numpy.cos(x)
    assert close(grad(my_sin)(x), c)
    assert close(grad(grad(my_sin))(x), -s)
    assert close(grad(grad(grad(my_sin)))(x), -c)
    assert close(deriv(my_sin)(x), c)
    assert close(deriv(deriv(my_sin))(x), -s)
    assert close(deriv(deriv(deriv(my_sin)))(x), -c)
    # mixed
    assert close(grad(deriv(my_sin))(x), -s)
    assert close(deriv(grad(my_sin))(x), -s)
    assert close(grad(deriv(grad(my_sin)))(x), -c)
    assert close(deriv(grad(deriv(my_sin)))(x), -c)


def test_rules_are_actually_used():
    before = dict(calls)
    grad(my_sin)(0.3)
    assert calls["vjp"] == before["vjp"] + 1
    deriv(my_sin)(0.3)
    assert calls["jvp"] == before["jvp"] + 1


def test_custom_primitive_mixed_with_core_ops_check_grads():
    x = npr.randn(5)
    check_grads(lambda x: np.sum(my_sin(x) * np.exp(x)), modes=["fwd", "rev"], order=3)(x)
    check_grads(lambda x: my_sin(np.tanh(x) * my_cos(x)), modes=["fwd", "rev"], order=2)(x)


def test_custom_logsumexp():
    x = npr.randn(6)
    expected = numpy.exp(x) / numpy.sum(numpy.exp(x))
    assert close(grad(logsumexp)(x), expected)
    H = hessian(logsumexp)(x)
    assert close(H, numpy.diag(expected) - numpy.outer(expected, expected))
    check_grads(logsumexp, modes=["fwd", "rev"], order=3)(x)
    check_grads(lambda x: logsumexp(x * 2.0) ** 2, modes=["fwd", "rev"], order=2)(x)


def test_primitive_with_several_arguments_and_kwargs():
    @primitive
    def scaled_dot(a, b, scale=1.0):
        return scale * numpy.dot(a, b)
    defvjp(scaled_dot,
           lambda ans, a, b, scale=1.0: lambda g: scale * g * b,
           lambda ans, a, b, scale=1.0: lambda g: scale * g * a)
    defjvp(scaled_dot,
           lambda g, ans, a, b, scale=1.0: scale * np.dot(g, b),
           lambda g, ans, a, b, scale=1.0: scale * np.dot(a, g))
    a, b = npr.randn(3), npr.randn(3)
    ga, gb = grad(scaled_dot, (0, 1))(a, b, scale=2.0)
    assert close(ga, 2 * b) and close(gb, 2 * a)
    assert close(grad(scaled_dot, 1)(a, b), a)
    check_grads(lambda a, b: scaled_dot(a, b, scale=3.0), (0, 1), order=2)(a, b)
    # only one argument traced: the other is passed as a constant
    assert close(grad(lambda a: scaled_dot(a, b) ** 2)(a), 2 * numpy.dot(a, b) * b)


def test_none_means_not_differentiable():
    @primitive
    def f(x, y):
        return x * y
    defvjp(f, lambda ans, x, y: lambda g: g * y, None)
    assert close(grad(f)(2.0, 3.0), 3.0)
    assert close(grad(f, 1)(2.0, 3.0), 0.0)


def test_missing_rule_raises_not_implemented_then_works():
    @primitive
    def f(x):
        return x * 2
    with pytest.raises(NotImplementedError, match="VJP of f"):
        grad(f)(1.0)
    with pytest.raises(NotImplementedError, match="JVP of f"):
        deriv(f)(1.0)
    defvjp(f, lambda ans, x: lambda g: 2 * g)
    assert close(grad(f)(1.0), 2.0)


def test_exception_inside_user_vjp_is_raised_and_library_recovers():
    class MyError(Exception):
        pass

    @primitive
    def buggy(x):
        return x * 3.0

    def bad_vjp(ans, x):
        def vjp(g):
            raise MyError("boom in vjp")
        return vjp
    defvjp(buggy, bad_vjp)
    with pytest.raises(MyError, match="boom in vjp"):
        grad(lambda x: np.sin(buggy(x)))(1.0)
    # inside a higher-order computation too
    with pytest.raises(MyError):
        grad(grad(lambda x: buggy(x) ** 2))(1.0)
    # a bug in the vjp maker (not the vjp itself)
    defvjp(buggy, lambda ans, x: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        grad(buggy)(1.0)
    # a vjp returning something that is not an array
    defvjp(buggy, lambda ans, x: lambda g: "not a number")
    with pytest.raises(TypeError):
        grad(buggy)(1.0)
    # the library still works, including other user primitives
    defvjp(buggy, lambda ans, x: lambda g: 3.0 * g)
    assert close(grad(buggy)(1.0), 3.0)
    assert close(grad(lambda x: np.sin(x * 2) / x)(1.0), -1.7415910999199664, 1e-12)
    assert close(grad(grad(my_sin))(0.3), -numpy.sin(0.3))


def test_exception_inside_user_jvp():
    @primitive
    def buggy(x):
        return x

    defjvp(buggy, lambda g, ans, x: undefined_name)  # noqa: F821
    with pytest.raises(NameError):
        deriv(buggy)(1.0)
    assert close(deriv(my_sin)(0.2), numpy.cos(0.2))


def test_defvjp_argnum_and_argnums():
    @primitive
    def f(x, y):
        return x * numpy.exp(y)

    defvjp_argnum(f, lambda argnum, ans, args, kwargs:
                  (lambda g: g * numpy.exp(args[1])) if argnum == 0 else (lambda g: g * ans))
    defjvp_argnum(f, lambda argnum, g, ans, args, kwargs:
                  g * np.exp(args[1]) if argnum == 0 else g * ans)
    assert close(grad(f, (0, 1))(2.0, 0.5), (numpy.exp(0.5), 2 * numpy.exp(0.5)))
    assert close(make_jvp(f, 1)(2.0, 0.5)(1.0)[1], 2 * numpy.exp(0.5))

    @primitive
    def h(x, y):
        return x * y

    defvjp_argnums(h, lambda argnums, ans, args, kwargs:
                   lambda g: [g * args[1 - i] for i in argnums])
    defjvp_argnums(h, lambda argnums, gs, ans, args, kwargs:
                   sum(g * args[1 - i] for i, g in zip(argnums, gs)))
    assert close(grad(h, (0, 1))(2.0, 5.0), (5.0, 2.0))
    assert close(grad(h, 1)(2.0, 5.0), 2.0)
    assert close(make_jvp(lambda x: h(x, x))(3.0)(1.0)[1], 6.0)
    check_grads(lambda x, y: h(np.sin(x), y) ** 2, (0, 1), order=2)(0.3, 0.7)


def test_def_linear_and_same():
    @primitive
    def double(x):
        return 2.0 * x
    def_linear(double)
    assert close(deriv(double)(1.5), 2.0)

    @primitive
    def triple(x):
        return 3.0 * x
    defjvp(triple, "same")
    defvjp(triple, lambda ans, x: lambda g: triple(g))
    assert close(deriv(triple)(1.0), 3.0)
    check_grads(lambda x: triple(x) ** 2, order=2)(npr.randn(3))
    assert triple in primitive_jvps and triple in primitive_vjps


def test_notrace_primitive_and_register_notrace():
    @notrace_primitive
    def count_positive(x):
        assert not isinstance(x, Box)
        return numpy.sum(x > 0)

    def f(x):
        return np.sum(x ** 2) * count_positive(x)
    x = numpy.array([1.0, -2.0, 3.0])
    assert close(grad(f)(x), 2 * x * 2)

    @primitive
    def ident(x):
        return x
    defvjp(ident, lambda ans, x: lambda g: 5 * g)  # deliberately wrong: must not be used
    register_notrace(VJPNode, ident)
    assert close(grad(lambda x: ident(x) * x)(2.0), 2.0)


def test_sparse_object_gradient():
    @primitive
    def first(x):
        return x[0]

    def vjp_maker(ans, x):
        vs = vspace(x)

        def add_at_zero(prev):
            out = numpy.array(prev, dtype=float)
            out[0] += g_holder[0]
            return out
        g_holder = []

        def vjp(g):
            g_holder[:] = [g]
            return SparseObject(vs, add_at_zero)
        return vjp
    defvjp(first, vjp_maker)
    assert close(grad(lambda x: first(x) * 3.0)(numpy.ones(3)), [3.0, 0.0, 0.0])


def test_vspace():
    vs = vspace(numpy.ones((2, 3)))
    assert isinstance(vs, VSpace)
    assert vs.shape == (2, 3) and vs.size == 6 and vs.ndim == 2 and not vs.iscomplex
    assert vs.dtype == numpy.float64
    assert close(vs.zeros(), 0) and close(vs.ones(), 1) and vs.randn().shape == (2, 3)
    assert len(list(vs.standard_basis())) == 6
    x, y = vs.randn(), vs.randn()
    assert close(vs.inner_prod(x, y), numpy.sum(x * y))
    assert close(vs.add(x, y), x + y) and close(vs.scalar_mul(x, 2.0), 2 * x)
    assert close(vs.mut_add(x, y), x + y)
    cs = vspace(numpy.ones(2, complex))
    assert cs.iscomplex and len(list(cs.standard_basis())) == 4
    z = cs.randn()
    assert close(cs.covector(z), numpy.conj(z))
    assert close(cs.inner_prod(z, z), numpy.sum(numpy.abs(z) ** 2))
    assert vspace(1.0).shape == () and vspace(1.0) == vspace(numpy.float64(2.0))
    tv = vspace((1.0, [numpy.ones(2)]))
    assert tv.size == 3
    with pytest.raises(TypeError):
        vspace("a string")


def test_jvpnode_and_vjpnode_trace_api():
    from autograd.tracer import trace
    from autograd.core import backward_pass
    end_value, end_node = trace(VJPNode.new_root(), np.sin, 0.5)
    assert close(end_value, numpy.sin(0.5))
    assert close(backward_pass(1.0, end_node), numpy.cos(0.5))
    end_value, end_node = trace(JVPNode.new_root(2.0), np.sin, 0.5)
    assert close(end_node.g, 2 * numpy.cos(0.5))
