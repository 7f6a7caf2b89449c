"""The examples the project starts from, with exact values."""
import numpy
import pytest

import autograd.numpy as np
from autograd import grad, jacobian, holomorphic_grad


def rel_err(a, b):
    a, b = numpy.asarray(a), numpy.asarray(b)
    return numpy.max(numpy.abs(a - b)) / max(numpy.max(numpy.abs(b)), 1e-300)


def test_sin_over_x():
    g = grad(lambda x: np.sin(x * 2) / x)(1.0)
    assert rel_err(g, -1.7415910999199664) < 1e-12
    # closed form: (2 cos(2x) x - sin(2x)) / x^2 at x = 1
    assert rel_err(g, 2 * numpy.cos(2.0) - numpy.sin(2.0)) < 1e-12


def _control_flow(x):
    if x < 0:
        return _control_flow(-x)
    while x > 10:
        x = x / 10
    return np.power(x, 1.5)


def test_control_flow():
    g = grad(_control_flow)(-10003.0)
    assert rel_err(g, -0.00015002249831275308) < 1e-12
    # closed form: f(x) = (-x / 10^4)^1.5 there, so f'(x) = -1.5 (-x / 10^4)^0.5 / 10^4
    assert rel_err(g, -1.5 * (10003.0 / 1e4) ** 0.5 / 1e4) < 1e-12


def test_jacobian_of_vector_function():
    f = lambda x: np.array([2 * x[0] ** 2 + 3 * x[1], np.cos(x[0]) + np.sin(x[1])])
    x = np.array([2.0, 3.0])
    J = jacobian(f)(x)
    assert isinstance(J, numpy.ndarray) and J.shape == (2, 2)
    expected = numpy.array([[4 * x[0], 3.0], [-numpy.sin(x[0]), numpy.cos(x[1])]])
    assert rel_err(J, expected) < 1e-12
    assert numpy.allclose(J, [[8, 3], [-0.90929743, -0.9899925]])


def test_holomorphic_grad():
    g = holomorphic_grad(lambda x: x[0] * 2 + x[1])(np.array([6.0j, 1.0j]))
    assert g.dtype == numpy.complex128
    assert numpy.array_equal(g, numpy.array([2.0 + 0.0j, 1.0 + 0.0j]))
