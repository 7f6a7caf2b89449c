"""The differential operators: closed forms, types and structures of the
results, argnum handling, higher orders and mixed modes."""
import warnings

import numpy
import numpy.random as npr
import pytest

import autograd
import autograd.extend
import autograd.numpy as np
from autograd import (grad, value_and_grad, grad_and_aux, elementwise_grad, deriv, jacobian,
                      hessian, holomorphic_grad, make_vjp, make_jvp, hessian_tensor_product,
                      hessian_vector_product, make_hvp, vector_jacobian_product,
                      tensor_jacobian_product, make_ggnvp, grad_named, multigrad_dict,
                      checkpoint)


def close(a, b, tol=1e-10):
    return numpy.allclose(a, b, rtol=tol, atol=tol)


# ------------------------------------------------------------ closed forms

def test_tanh_derivatives_closed_form():
    x = numpy.linspace(-2.5, 2.5, 11)
    t = numpy.tanh(x)
    d1 = elementwise_grad(np.tanh)
    d2 = elementwise_grad(d1)
    d3 = elementwise_grad(d2)
    d4 = elementwise_grad(d3)
    assert close(d1(x), 1 - t ** 2)
    assert close(d2(x), -2 * t * (1 - t ** 2))
    assert close(d3(x), (1 - t ** 2) * (6 * t ** 2 - 2))
    assert close(d4(x), 8 * t * (1 - t ** 2) * (2 - 3 * t ** 2), tol=1e-9)


def test_tanh_derivatives_forward_and_mixed():
    x = 0.3
    t = numpy.tanh(x)
    assert close(deriv(np.tanh)(x), 1 - t ** 2)
    assert close(deriv(deriv(np.tanh))(x), -2 * t * (1 - t ** 2))
    assert close(grad(deriv(np.tanh))(x), -2 * t * (1 - t ** 2))
    assert close(deriv(grad(np.tanh))(x), -2 * t * (1 - t ** 2))
    assert close(deriv(grad(deriv(np.tanh)))(x), (1 - t ** 2) * (6 * t ** 2 - 2))


def test_hessian_of_quadratic_form():
    A = npr.randn(4, 4)
    x = npr.randn(4)
    H = hessian(lambda x: np.dot(x, np.dot(A, x)))(x)
    assert H.shape == (4, 4)
    assert close(H, A + A.T, 1e-12)


def test_hessian_vector_products():
    A = npr.randn(4, 4)
    f = lambda x: np.dot(x, np.dot(A, x)) + np.sum(np.sin(x))
    x, v = npr.randn(4), npr.randn(4)
    H = (A + A.T) - numpy.diag(numpy.sin(x))
    assert close(hessian(f)(x), H)
    assert close(hessian_tensor_product(f)(x, v), H.dot(v))
    assert close(hessian_vector_product(f)(x, v), H.dot(v))
    hvp, g = make_hvp(f)(x)
    assert close(g, (A + A.T).dot(x) + numpy.cos(x))
    assert close(hvp(v), H.dot(v))
    M = npr.randn(4, 4)
    assert close(hessian_tensor_product(lambda x: np.sum(np.sin(x) * x))(x, v),
                 (2 * numpy.cos(x) - x * numpy.sin(x)) * v)
    assert M.shape == (4, 4)


def test_jacobian_shapes_and_values():
    W = npr.randn(3, 4)
    J = jacobian(lambda x: np.dot(W, x))(npr.randn(4))
    assert close(J, W)
    X = npr.randn(2, 3)
    J = jacobian(lambda X: np.sin(X))(X)
    assert J.shape == (2, 3, 2, 3)
    assert close(J.reshape(6, 6), numpy.diag(numpy.cos(X).ravel()))
    J = jacobian(lambda x: x ** 2)(3.0)
    assert close(J, 6.0)
    J = jacobian(lambda x: np.sum(x))(npr.randn(3))
    assert J.shape == (3,) and close(J, 1.0)


def test_vector_jacobian_products():
    W = npr.randn(3, 4)
    x, v = npr.randn(4), npr.randn(3)
    assert close(vector_jacobian_product(lambda x: np.dot(W, x))(x, v), W.T.dot(v))
    assert close(tensor_jacobian_product(lambda x: np.dot(W, x))(x, v), W.T.dot(v))


def test_make_vjp_and_make_jvp():
    x = npr.randn(3)
    vjp, ans = make_vjp(np.sin)(x)
    assert close(ans, numpy.sin(x))
    g = npr.randn(3)
    assert close(vjp(g), g * numpy.cos(x))
    assert close(vjp(2 * g), 2 * g * numpy.cos(x))  # the graph is reusable
    ans, t = make_jvp(np.sin)(x)(g)
    assert close(ans, numpy.sin(x)) and close(t, g * numpy.cos(x))


def test_value_and_grad_and_grad_and_aux():
    val, g = value_and_grad(lambda x: np.sum(x ** 3))(numpy.arange(3.0))
    assert close(val, 9.0) and close(g, [0.0, 3.0, 12.0])
    g, aux = grad_and_aux(lambda x: (np.sum(x ** 2), {"norm": np.sqrt(np.sum(x ** 2)),
                                                      "tag": "hello"}))(numpy.array([3.0, 4.0]))
    assert close(g, [6.0, 8.0])
    assert aux["tag"] == "hello" and close(aux["norm"], 5.0)
    assert not isinstance(aux["norm"], autograd.extend.Box)


def test_make_ggnvp():
    W = npr.randn(3, 4)
    x, v = npr.randn(4), npr.randn(4)
    f = lambda x: np.tanh(np.dot(W, x))
    J = jacobian(f)(x)
    expected = J.T.dot(J.dot(v))  # g = half sum of squares has identity Hessian
    assert close(make_ggnvp(f)(x)(v), expected)
    g = lambda y: np.sum(y ** 4)
    Hg = numpy.diag(12 * f(x) ** 2)
    assert close(make_ggnvp(f, g)(x)(v), J.T.dot(Hg.dot(J.dot(v))))


def test_holomorphic_grad_of_holomorphic_functions():
    z = 0.3 + 0.4j
    assert close(holomorphic_grad(np.sin)(z), numpy.cos(z))
    assert close(holomorphic_grad(lambda z: z ** 3)(z), 3 * z ** 2)
    assert close(holomorphic_grad(lambda z: np.exp(z) / z)(z), numpy.exp(z) * (z - 1) / z ** 2)
    with pytest.warns(UserWarning):
        holomorphic_grad(np.sin)(0.3)


def test_complex_convention_for_real_outputs():
    # autograd returns df/dx - i df/dy for real-valued f of z = x + iy
    z = 0.7 - 1.3j
    assert close(grad(lambda z: np.abs(z) ** 2)(z), 2 * numpy.conj(z))
    assert close(grad(lambda z: np.real(z * z))(z), 2 * z)  # Re(z^2) = x^2 - y^2
    assert close(grad(lambda z: np.imag(z))(z), -1j)
    g = grad(lambda x: np.abs(x * (1 + 2j)))(1.5)  # real input, complex middle
    assert isinstance(g, numpy.float64) and close(g, numpy.sqrt(5.0))


# ------------------------------------------------------------ argnum

def test_argnum_int_and_tuple():
    f = lambda a, b, c: a * np.sin(b) + c ** 2
    assert close(grad(f)(2.0, 0.5, 3.0), numpy.sin(0.5))
    assert close(grad(f, 1)(2.0, 0.5, 3.0), 2 * numpy.cos(0.5))
    assert close(grad(f, 2)(2.0, 0.5, 3.0), 6.0)
    g = grad(f, (0, 2))(2.0, 0.5, 3.0)
    assert isinstance(g, tuple) and len(g) == 2
    assert close(g[0], numpy.sin(0.5)) and close(g[1], 6.0)
    g = grad(f, (2, 1))(2.0, 0.5, 3.0)
    assert close(g[0], 6.0) and close(g[1], 2 * numpy.cos(0.5))
    J = jacobian(lambda a, b: a * b, 1)(numpy.ones(2) * 3, numpy.ones(2))
    assert close(J, 3 * numpy.eye(2))
    H = hessian(f, 1)(2.0, 0.5, 3.0)
    assert close(H, -2 * numpy.sin(0.5))


def test_kwargs_are_passed_through():
    f = lambda x, scale=1.0: scale * np.sum(x ** 2)
    assert close(grad(f)(numpy.ones(2), scale=3.0), [6.0, 6.0])


def test_grad_named_and_multigrad_dict():
    def f(x, y, z=2.0):
        return x * y ** 2 + z
    assert close(grad_named(f, "y")(2.0, 3.0), 12.0)
    d = multigrad_dict(f)(2.0, 3.0)
    assert list(d) == ["x", "y", "z"]
    assert close(d["x"], 9.0) and close(d["y"], 12.0) and close(d["z"], 1.0)


def test_checkpoint_is_transparent():
    f = checkpoint(lambda x: np.sum(np.sin(x) ** 2))
    x = npr.randn(3)
    assert close(grad(f)(x), 2 * numpy.sin(x) * numpy.cos(x))


# ------------------------------------------------------------ types

def test_gradient_types_follow_arguments():
    g = grad(lambda x: x ** 2)(3.0)
    assert type(g) is numpy.float64 and g == 6.0
    g = grad(lambda x: np.real(x * x))(1.0 + 2.0j)
    assert type(g) is numpy.complex128
    g = grad(lambda x: np.sum(x ** 2))(numpy.ones((2, 3)))
    assert type(g) is numpy.ndarray and g.shape == (2, 3) and g.dtype == numpy.float64
    g = grad(lambda x: np.sum(x ** 2))(numpy.array(2.0))
    assert type(g) is numpy.ndarray and g.shape == ()
    g = grad(lambda x: np.sum(x * 2.0))(numpy.array([1, 2, 3]))  # integer input
    assert g.dtype == numpy.float64 and close(g, 2.0)
    g = grad(lambda x: np.sum(x ** 2))(numpy.ones(3, numpy.float32))
    assert g.dtype == numpy.float32 and close(g, 2.0)
    v = value_and_grad(lambda x: x ** 2)(3.0)[0]
    assert type(v) is numpy.float64 and v == 9.0


def test_independent_output_gives_zeros():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert grad(lambda x: 3.0)(2.0) == 0.0
        g = grad(lambda x, y: np.sum(y ** 2))(numpy.ones(3), numpy.ones(2))
    assert g.shape == (3,) and not g.any()


def test_higher_order_many_levels():
    f = np.sin
    d = f
    for k in range(6):
        d = grad(d)
    # sin'''''' = -sin
    assert close(d(0.4), -numpy.sin(0.4))


def test_grad_inside_function_being_differentiated():
    # a function whose body uses grad of another function of the argument
    def f(x):
        inner = grad(lambda y: np.sin(x * y))(1.0)  # x cos(x)
        return inner * x  # x^2 cos(x)
    x = 0.8
    assert close(grad(f)(x), 2 * x * numpy.cos(x) - x ** 2 * numpy.sin(x))


def test_no_perturbation_confusion():
    # d/dx [x * d/dy (x + y)] = d/dx [x * 1] = 1 (a tracer that confuses the
    # two derivatives gives 2)
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(2.0) == 1.0
    assert deriv(lambda x: x * deriv(lambda y: x + y)(1.0))(2.0) == 1.0
    assert grad(lambda x: x * deriv(lambda y: x * y)(1.0))(3.0) == 6.0
    assert deriv(lambda x: x * grad(lambda y: x * y)(1.0))(3.0) == 6.0


def test_mixed_modes_third_order_on_arrays():
    A = npr.randn(3, 3)
    f = lambda x: np.sum(np.tanh(np.dot(A, x)) ** 2)
    x, v = npr.randn(3), npr.randn(3)
    H = hessian(f)(x)
    # forward-over-reverse Hessian-vector product
    hv = make_jvp(grad(f))(x)(v)[1]
    assert close(hv, H.dot(v))
    # reverse-over-forward
    hv2 = grad(lambda x: make_jvp(f)(x)(v)[1])(x)
    assert close(hv2, H.dot(v))
    # third order, two ways
    T1 = jacobian(hessian(f))(x)
    T2 = jacobian(jacobian(grad(f)))(x)
    assert T1.shape == (3, 3, 3) and close(T1, T2)
    assert close(T1, T1.transpose(1, 0, 2)) and close(T1, T1.transpose(2, 1, 0))


def test_unary_to_nary_for_user_operators():
    from autograd.wrap_util import unary_to_nary

    @unary_to_nary
    def my_second_derivative(fun, x):
        return grad(grad(fun))(x)
    assert close(my_second_derivative(lambda a, b: a * b ** 3, 1)(2.0, 0.5), 2.0 * 6 * 0.5)


def test_jacobian_with_several_arguments():
    W = npr.randn(3, 2)
    f = lambda x, y: np.dot(W, x) * y
    x, y = npr.randn(2), 1.5
    Jx, Jy = jacobian(f, (0, 1))(x, y)
    assert close(Jx, W * y) and Jx.shape == (3, 2)
    assert close(Jy, W.dot(x)) and Jy.shape == (3,)
    J = jacobian(lambda p: p["a"] * np.sum(p["b"]))({"a": numpy.ones(2), "b": numpy.ones(3)})
    assert J["a"].shape == (2, 2) and close(J["a"], 3 * numpy.eye(2))
    assert J["b"].shape == (2, 3) and close(J["b"], 1.0)
