"""Behaviour that matches upstream autograd where a user can see it: found
by running upstream's test suite against this package (the tests here are
our own)."""
import warnings

import numpy
import pytest

import autograd.numpy as np
from autograd import (grad, value_and_grad, elementwise_grad, deriv, holomorphic_grad,
                      jacobian)
from autograd.core import vspace
from autograd.misc import flatten
from autograd.test_util import check_grads

GRAD_MSG = ("Grad only applies to real scalar-output functions. "
            "Try jacobian, elementwise_grad or holomorphic_grad.")


# ------------------------------------------------------- complex outputs

@pytest.mark.parametrize("x", [1.5, 1.5 + 0.5j, numpy.array(2.0), numpy.array([2.0])])
def test_grad_of_complex_output_is_a_type_error(x):
    with pytest.raises(TypeError) as e:
        grad(lambda x: x * (1.0 + 0.2j))(x)
    assert str(e.value) == GRAD_MSG
    with pytest.raises(TypeError, match="^" + GRAD_MSG.split(".")[0]):
        grad(lambda x: np.sum(x * (1.0 + 0.2j) + x))(numpy.ones(3))


def test_value_and_grad_and_elementwise_grad_of_complex_output():
    with pytest.raises(TypeError, match="^value_and_grad only applies to real scalar-output"):
        value_and_grad(lambda x: x * 1j)(1.0)
    with pytest.raises(TypeError, match="^value_and_grad only applies"):
        value_and_grad(lambda x: x * 2.0)(numpy.ones(2))
    with pytest.raises(TypeError, match="^Elementwise_grad only applies to real-output functions"):
        elementwise_grad(lambda x: x * 1j)(numpy.ones(3))


def test_real_part_of_complex_function_and_holomorphic_grad_still_work():
    assert grad(lambda x: np.real(x * (1.0 + 0.2j)))(1.5) == pytest.approx(1.0)
    assert grad(lambda x: np.abs(x * (3.0 + 4j)))(2.0) == pytest.approx(5.0)
    z = 1.0 + 2j
    assert holomorphic_grad(lambda z: z ** 2)(z) == pytest.approx(2 * z)
    # jacobian of a complex output: one row per output entry (not per
    # real dimension)
    J = jacobian(lambda z: z * (1 + 2j))(numpy.ones(2) + 0j)
    assert J.shape == (2, 2) and numpy.allclose(J, (1 + 2j) * numpy.eye(2))


# ------------------------------------------------------- complex vector spaces

def test_complex_vspace_counts_real_dimensions():
    z = 1j * numpy.zeros((2, 1))
    vs = vspace(z)
    basis = list(vs.standard_basis())
    assert vs.size == 4 == len(basis)
    # ones is the sum of the standard basis
    assert numpy.array_equal(vs.ones(), sum(basis))
    assert numpy.array_equal(vs.ones(), numpy.full((2, 1), 1 + 1j))
    assert vs.ones().dtype == numpy.complex128
    assert vspace(numpy.zeros((2, 1))).size == 2
    assert vspace([numpy.zeros(3), 1j * numpy.ones(2)]).size == 7


def test_deriv_of_complex_input_is_jvp_along_ones():
    z = 1.0 + 2j
    # d/dz z**2 = 2z, times the tangent ones = 1 + 1j
    assert deriv(lambda z: z ** 2)(z) == pytest.approx(2 * z * (1 + 1j))
    assert deriv(lambda x: x ** 2)(3.0) == pytest.approx(6.0)


def test_flatten_round_trips_complex_leaves():
    value = [numpy.array([1 + 2j, 3j]), {"a": numpy.arange(3.0)}, 2.0]
    v, unflatten = flatten(value)
    assert v.shape == (6,)
    back = unflatten(v)
    assert numpy.array_equal(back[0], value[0]) and numpy.array_equal(back[1]["a"], value[1]["a"])
    assert back[2] == 2.0


# ------------------------------------------------------- std of one element

@pytest.mark.parametrize("x", [3.5, numpy.array([-1.2]), 0.3 + 0.4j])
def test_std_of_one_element_has_zero_derivative(x):
    assert grad(np.std)(x) == 0.0
    assert deriv(np.std)(x) == 0.0
    check_grads(np.std, modes=["fwd", "rev"], order=2)(x)


def test_std_over_length_one_axis():
    X = numpy.random.randn(1, 3)
    g = elementwise_grad(lambda x: np.std(x, axis=0))(X)
    assert numpy.array_equal(g, numpy.zeros((1, 3)))
    for keepdims in (True, False):
        check_grads(lambda x: np.std(x, axis=0, keepdims=keepdims), modes=["fwd", "rev"])(X)
    # std with ddof=1 of one element is nan (numpy's value), derivative 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert numpy.isnan(np.std(np.array([2.0]) * 1.0, ddof=1))
        assert grad(lambda x: np.std(x, ddof=1))(numpy.array([2.0]))[0] == 0.0
    # over more than one element the derivative is still (x - mean) / (n std)
    Y = numpy.array([1.0, 2.0, 4.0])
    assert numpy.allclose(grad(np.std)(Y), (Y - Y.mean()) / (3 * Y.std()))


# ------------------------------------------------------- check_grads messages

def _bad_primitive():
    from autograd.extend import primitive, defvjp, defjvp

    @primitive
    def my_double(x):
        return x * 2.0
    defvjp(my_double, lambda ans, x: lambda g: g * 2.001)
    defjvp(my_double, lambda g, ans, x: g * 2.001)
    return my_double


@pytest.mark.parametrize("mode,tag", [("rev", "VJP"), ("fwd", "JVP")])
def test_check_grads_failure_names_the_users_function(mode, tag):
    f = _bad_primitive()
    with pytest.raises(AssertionError, match=r"^Derivative \({}\) check of my_double failed".format(tag)):
        check_grads(f, modes=[mode])(1.0)
    with pytest.raises(AssertionError, match=r"check of my_double failed"):
        check_grads(f, 1.0, modes=[mode])
    with pytest.raises(AssertionError, match=r"check of my_double failed"):
        check_grads(f, (0,), modes=[mode])(1.0)


def test_check_grads_second_order_failure_names_the_derivative():
    from autograd.extend import primitive, defvjp

    @primitive
    def ident(x):
        return x

    @primitive
    def my_double(x):
        return x * 2.0
    defvjp(ident, lambda ans, x: lambda g: g * 1.001)
    defvjp(my_double, lambda ans, x: lambda g: ident(g) * 2)
    check_grads(my_double, modes=["rev"], order=1)(1.0)  # first order is right
    with pytest.raises(AssertionError, match=r"\(VJP\) check of vjp_my_double failed"):
        check_grads(my_double, modes=["rev"])(1.0)


# ------------------------------------------------------- r_, c_, make_diagonal

def test_r_and_c_with_traced_values():
    x0 = numpy.array([0.3, -1.2])
    c = numpy.array([2.0, 5.0])

    def f_r(x):
        return np.r_[x, c, 1:4, 2 * x, 7.0]

    plain = numpy.r_[x0, c, 1:4, 2 * x0, 7.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from autograd import make_vjp
        vjp, ans = make_vjp(f_r)(x0)
    assert numpy.array_equal(ans, plain)
    g = vjp(numpy.arange(plain.size, dtype=float))
    assert numpy.allclose(g, [0 + 2 * 7, 1 + 2 * 8])
    check_grads(f_r, modes=["fwd", "rev"])(x0)

    def f_c(x):
        return np.c_[x, c, x ** 2]
    assert numpy.array_equal(f_c(x0), numpy.c_[x0, c, x0 ** 2])
    check_grads(f_c, modes=["fwd", "rev"])(x0)
    # directives and 2-d inputs are numpy's
    X = numpy.random.randn(2, 3)
    check_grads(lambda x: np.r_["0,2", x[0], x[1] * 3.0], modes=["rev"])(X)
    check_grads(lambda x: np.r_["1", x, X], modes=["rev"])(X)
    assert numpy.array_equal(np.r_["1", X, X], numpy.r_["1", X, X])
    # a traced scalar, and untraced calls are numpy's own
    assert grad(lambda s: np.sum(np.r_[s, 1.0, s] * numpy.array([1.0, 10.0, 100.0])))(0.5) == 101.0
    assert numpy.array_equal(np.r_[1:3, 5], numpy.r_[1:3, 5])
    assert numpy.array_equal(np.c_[numpy.ones(2), numpy.zeros(2)], numpy.c_[numpy.ones(2), numpy.zeros(2)])


def test_make_diagonal():
    D = numpy.random.randn(3, 4)
    A = np.make_diagonal(D, axis1=-1, axis2=-2)
    assert A.shape == (3, 4, 4)
    for i in range(3):
        assert numpy.array_equal(A[i], numpy.diag(D[i]))
    d = numpy.array([1.0, numpy.inf])
    assert numpy.array_equal(np.make_diagonal(d, axis1=-1, axis2=-2), [[1.0, 0.0], [0.0, numpy.inf]])
    check_grads(lambda d: np.make_diagonal(d, axis1=-1, axis2=-2), modes=["fwd", "rev"])(D)
    # diagonal and make_diagonal are each other's transposes
    G = numpy.random.randn(3, 4, 4)
    g = grad(lambda d: np.sum(np.make_diagonal(d, axis1=-1, axis2=-2) * G))(D)
    assert numpy.allclose(g, numpy.diagonal(G, axis1=-1, axis2=-2))
    with pytest.raises(NotImplementedError):
        np.make_diagonal(D)


# ------------------------------------------------------- where

def test_where_keywords_and_plain_python_results():
    x, y = numpy.array([1.0, 2.0, 3.0]), numpy.array([4.0, 5.0, 6.0])
    cond = [True, False, True]
    for r in (np.where(cond, x, y), np.where(condition=cond, x=x, y=y), np.where(cond, x, y=y)):
        assert type(r) is numpy.ndarray and numpy.array_equal(r, [1.0, 5.0, 3.0])
    assert numpy.array_equal(np.where(cond)[0], [0, 2])
    # only plain Python values in: plain Python out, as upstream
    assert np.where(True, 1, 2) == 1 and type(np.where(True, 1, 2)) is int
    assert type(np.where(False, 1, 2.0)) is float
    assert np.where(True, [1, 2], [3, 4]) == [1, 2]
    assert np.where([True, False], [1, 2], [3, 4]) == [1, 4]
    r = np.where(False, numpy.array([1.0]), numpy.array([2.0], numpy.float32))
    assert r.dtype == numpy.float64
    assert np.where(True, numpy.float32(1), numpy.float32(2)).dtype == numpy.float32
    with pytest.raises(ValueError, match="either both or neither"):
        np.where(cond, x)
    with pytest.raises(ValueError, match="either both or neither"):
        np.where(cond, y=y)
    with pytest.raises(TypeError):
        np.where(cond, x, z=y)
    # traced, by keyword
    g = grad(lambda a: np.sum(np.where(condition=cond, x=a * 2.0, y=y)))(x)
    assert numpy.array_equal(g, [2.0, 0.0, 2.0])
    check_grads(lambda a: np.where(cond, a ** 2, y=a), modes=["fwd", "rev"])(x)
    assert np.where.__name__ == "where"


# ------------------------------------------------------- names and docs

def test_differential_operator_names_and_docs():
    def foo(x):
        return x

    assert grad.__name__ == "grad" and "Returns a function which" in grad.__doc__
    g = grad(foo, 1)
    assert g.__name__ == "grad_of_foo_wrt_argnum_1"
    assert g.__doc__.startswith("    grad of function foo with respect to argument number 1")
    assert jacobian(foo).__name__ == "jacobian_of_foo_wrt_argnum_0"
    assert elementwise_grad(foo, (0, 1)).__name__ == "elementwise_grad_of_foo_wrt_argnum_(0, 1)"


# ------------------------------------------------------- deprecated API

def _deprecated(fn, *args, **kwargs):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = fn(*args, **kwargs)
    assert any("deprecated" in str(x.message) for x in w)
    return out


def test_deprecated_primitive_methods():
    import autograd
    import autograd.core
    import autograd.extend
    A, B = numpy.random.randn(2, 2), numpy.random.randn(2, 2)
    for prim in (autograd.primitive, autograd.core.primitive):
        @prim
        def mul1(x, y):
            return x * y
        _deprecated(mul1.defgrad, lambda ans, x, y: lambda g: y * g)
        _deprecated(mul1.defgrad, lambda ans, x, y: lambda g: x * g, argnum=1)
        check_grads(lambda x, y: mul1(x, y), argnum=(0, 1), modes=["rev"])(A, B)
        assert numpy.allclose(grad(lambda y: np.sum(mul1(A, y)))(B), A)

        @prim
        def mul2(x, y):
            return x * y
        seen = []
        _deprecated(mul2.defvjp, lambda g, ans, vs, gvs, x, y: seen.append(vs.shape) or y * g)
        _deprecated(mul2.defvjp, lambda g, ans, vs, gvs, x, y: x * g, argnum=1)
        check_grads(lambda x, y: mul2(x, y), argnum=(0, 1), modes=["rev"])(A, B)
        assert seen and seen[0] == (2, 2)

        @prim
        def zero(x, y):
            return 0 * x * y
        _deprecated(zero.defvjp_is_zero, [0, 1])
        gx, gy = grad(lambda x, y: np.sum(zero(x, y) + x), (0, 1))(A, B)
        assert numpy.array_equal(gx, numpy.ones((2, 2))) and numpy.array_equal(gy, numpy.zeros((2, 2)))
    # autograd.extend.primitive is the plain decorator
    @autograd.extend.primitive
    def plain(x):
        return x
    assert not hasattr(plain, "defgrad")


def test_deprecated_quick_grad_check():
    from autograd.util import quick_grad_check, subvals
    _deprecated(quick_grad_check, lambda x, y: x ** 2 + y, 1.0, (2.0,))
    from autograd.extend import primitive, defvjp

    @primitive
    def wrong(x):
        return 2.0 * x
    defvjp(wrong, lambda ans, x: lambda g: 3.0 * g)
    with pytest.raises(AssertionError):
        _deprecated(quick_grad_check, wrong, 1.0)
    assert subvals((1, 2, 3), [(0, "a"), (2, "c")]) == ("a", 2, "c")


# ------------------------------------------------------- linalg helpers

def test_linalg_T_and_dot_helpers():
    X = numpy.random.randn(2, 4, 3)
    Y = numpy.random.randn(2, 3, 5)
    assert numpy.array_equal(np.linalg.T(X), numpy.swapaxes(X, -1, -2))
    assert numpy.allclose(np.linalg._dot(X, Y), X @ Y)
    # pinv of a rank-deficient but fixed-rank product differentiates
    M = numpy.random.randn(5, 3)
    check_grads(lambda x: np.linalg.pinv(np.linalg._dot(np.linalg.T(x), x)),
                modes=["fwd", "rev"], order=1)(M)
    check_grads(lambda x: np.linalg._dot(np.linalg.T(x), x), modes=["fwd", "rev"])(X)
