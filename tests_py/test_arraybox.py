"""Traced arrays behave like ndarrays."""
import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd import grad, make_vjp
from autograd.numpy.numpy_boxes import ArrayBox
from autograd.tracer import getval, isbox
from autograd.test_util import check_grads


def inside(f, x):
    """f(box) evaluated with x boxed in a reverse trace."""
    out = []

    def g(b):
        assert isinstance(b, ArrayBox)
        out.append(f(b))
        return b
    make_vjp(g)(x)
    return out[0]


def test_arithmetic_operators_and_reflections():
    x, y = npr.randn(3), npr.randn(3) + 2.0
    for f in [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b,
              lambda a, b: np.abs(a) ** b, lambda a, b: b - np.multiply(a, 1.0), lambda a, b: abs(a * b)]:
        check_grads(f, (0, 1), order=2)(x, y)
        for c in [2.0, 3, numpy.float64(1.5), numpy.float32(0.5), numpy.int64(2), True,
                  numpy.array([1.0, 2.0, 3.0]), [1.0, 2.0, 3.0]]:
            check_grads(lambda a: f(a, c), order=1)(x)
            check_grads(lambda b: f(c, b), order=1)(y)
    check_grads(lambda a: -a + (+a) * 2 - abs(a), order=2)(x)
    check_grads(lambda a: a * 1j + 2j * a - (1 + 1j) / (a + 3), order=2)(x)
    check_grads(lambda a: a @ numpy.ones((3, 2)) + numpy.ones((2, 3)) @ a, order=2)(x)


def test_values_of_operators():
    x = numpy.array([1.5, -2.0, 3.0])
    for f in [lambda a: a + 1, lambda a: 1 - a, lambda a: 2 * a, lambda a: a / 4, lambda a: 3 / a,
              lambda a: a ** 2, lambda a: 2 ** a, lambda a: -a, lambda a: abs(a), lambda a: a % 1.5,
              lambda a: 7.0 % a, lambda a: a // 2, lambda a: a * 1j, lambda a: a @ a,
              lambda a: numpy.float64(2.0) * a, lambda a: numpy.array([1.0, 2, 3]) - a,
              lambda a: a.T, lambda a: a.real, lambda a: a.imag, lambda a: a.conj()]:
        got = getval(inside(f, x))
        assert numpy.allclose(got, f(x), equal_nan=True)


def test_mod_and_floordiv_gradients():
    x = numpy.array([2.3, -1.1, 5.7])
    assert numpy.allclose(grad(lambda a: np.sum(a % 2.0))(x), 1.0)
    assert numpy.allclose(grad(lambda b: np.sum(7.3 % b))(x), -numpy.floor(7.3 / x))
    assert numpy.allclose(grad(lambda a: np.sum(a // 2.0 + a))(x), 1.0)


def test_comparisons_are_plain():
    x = numpy.array([1.0, -1.0, 2.0])
    for f, expected in [(lambda a: a > 0, x > 0), (lambda a: a <= 1.0, x <= 1.0),
                        (lambda a: a == x, x == x), (lambda a: a != 2.0, x != 2.0),
                        (lambda a: 0 < a, 0 < x), (lambda a: a >= a, x >= x)]:
        r = inside(f, x)
        assert not isbox(r) and isinstance(r, numpy.ndarray)
        assert numpy.array_equal(r, expected)
    assert inside(lambda a: a[0] > 0, x) is numpy.True_ or inside(lambda a: a[0] > 0, x) == True


def test_attributes_and_conversions():
    x = numpy.arange(6.0).reshape(2, 3)
    assert inside(lambda a: a.shape, x) == (2, 3)
    assert inside(lambda a: a.ndim, x) == 2
    assert inside(lambda a: a.size, x) == 6
    assert inside(lambda a: a.dtype, x) == numpy.float64
    assert inside(lambda a: a.dtype, x * 1j) == numpy.complex128
    assert inside(lambda a: len(a), x) == 2
    assert inside(lambda a: int(a[1, 2]), x) == 5  # piecewise constant: nothing lost
    assert inside(lambda a: bool(a[0, 0]), x) is False
    # conversions to plain numbers would drop the gradient: TypeError naming the fix
    for conv in (lambda a: float(a[1, 2]), lambda a: complex(a[0, 1]), lambda a: a.item(4),
                 lambda a: a.tolist()):
        with pytest.raises(TypeError, match="silently drop its gradient.*getval"):
            inside(conv, x)
    assert inside(lambda a: repr(a[0]), x) == "Autograd ArrayBox with value [0. 1. 2.]"
    assert inside(lambda a: hash(a) == id(a), x)
    assert inside(lambda a: {a: 1}[a], x) == 1
    assert inside(lambda a: "{:.2f}".format(a[1, 1]), x) == "4.00"
    assert inside(lambda a: f"{a.sum():.1f}", x) == "15.0"
    assert inside(lambda a: round(a[1, 1] + 0.4), x) == 4
    with pytest.raises(TypeError, match="len"):
        inside(lambda a: len(a[0, 0]), x)


def test_methods_delegate_to_autograd_numpy():
    x = npr.randn(3, 4)
    methods = [
        lambda a: a.sum(), lambda a: a.sum(axis=0), lambda a: a.mean(1), lambda a: a.max(),
        lambda a: a.min(axis=1), lambda a: a.prod(), lambda a: a.var(), lambda a: a.std(0),
        lambda a: a.reshape((4, 3)), lambda a: a.reshape(2, 6), lambda a: a.ravel(),
        lambda a: a.flatten(), lambda a: a.transpose(), lambda a: a.transpose(1, 0),
        lambda a: a.swapaxes(0, 1), lambda a: a.squeeze(), lambda a: a.dot(a.T),
        lambda a: a.astype(complex), lambda a: a.astype(numpy.float64), lambda a: a.cumsum(1),
        lambda a: a.diagonal(), lambda a: a.trace(), lambda a: a.take([0, 2]),
        lambda a: a.repeat(2, axis=0), lambda a: a.clip(-0.5, 0.5),
        lambda a: a.compress([True, False, True], axis=0), lambda a: a.conjugate(),
        lambda a: a.copy(),
    ]
    for m in methods:
        check_grads(m, order=1)(x)
        assert numpy.allclose(getval(inside(m, x)), m(x))
    plain = [lambda a: a.argmax(), lambda a: a.argmin(axis=0), lambda a: a.argsort(),
             lambda a: a.all(), lambda a: a.any(), lambda a: a.nonzero(), lambda a: a.round(1),
             lambda a: a.astype(int), lambda a: a.ravel().searchsorted(0.0),
             lambda a: a.argpartition(1, axis=None)]
    for m in plain:
        r = inside(m, x)
        assert not isbox(r)
        e = m(x)
        if isinstance(e, tuple):
            assert all(numpy.array_equal(p, q) for p, q in zip(r, e))
        else:
            assert numpy.array_equal(r, e)


def test_ptp_method():
    x = npr.randn(3, 4)
    g = grad(lambda a: a.ptp())(x)
    expected = numpy.zeros_like(x)
    expected.flat[numpy.argmax(x)] = 1.0
    expected.flat[numpy.argmin(x)] = -1.0
    assert numpy.allclose(g, expected)
    assert numpy.allclose(getval(inside(lambda a: a.ptp(axis=1), x)), numpy.ptp(x, axis=1))


def test_cumprod_method():
    x = npr.uniform(0.5, 1.5, 4)
    check_grads(lambda a: a.cumprod(), order=2)(x)


def test_numpy_defers_to_boxes():
    x = npr.randn(3)
    a = numpy.arange(3.0)
    assert numpy.allclose(grad(lambda b: numpy.sum(a * b))(x), a)   # ndarray * box
    assert numpy.allclose(grad(lambda b: numpy.float64(2) * np.sum(b))(x), 2.0)
    r = inside(lambda b: a + b, x)
    assert isinstance(r, ArrayBox)


def test_getval():
    x = numpy.array([1.0, 2.0])
    v = inside(lambda b: getval(b * 2), x)
    assert type(v) is numpy.ndarray and numpy.array_equal(v, [2.0, 4.0])
    s = inside(lambda b: getval(b[0]), x)
    assert type(s) is numpy.float64 and s == 1.0
    assert getval(3.0) == 3.0
