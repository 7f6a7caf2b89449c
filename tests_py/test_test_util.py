"""test_util catches wrong derivatives (so the checks elsewhere mean
something) and accepts right ones."""
import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd.extend import primitive, defvjp, defjvp
from autograd.test_util import (check_grads, check_vjp, check_jvp, check_equivalent,
                                combo_check, scalar_close)


def make_sin(vjp_scale=1.0, jvp_scale=1.0, second_order_wrong=False):
    @primitive
    def s(x):
        return numpy.sin(x)

    @primitive
    def c(x):
        return numpy.cos(x)
    defvjp(s, lambda ans, x: lambda g: vjp_scale * g * c(x))
    defjvp(s, lambda g, ans, x: jvp_scale * g * c(x))
    wrong = 2.0 if second_order_wrong else 1.0
    defvjp(c, lambda ans, x: lambda g: -wrong * g * s(x))
    defjvp(c, lambda g, ans, x: -wrong * g * s(x))
    return s


def test_correct_rules_pass():
    check_grads(make_sin(), modes=["fwd", "rev"], order=3)(npr.randn(4))


def test_wrong_vjp_is_caught():
    with pytest.raises(AssertionError, match="VJP"):
        check_grads(make_sin(vjp_scale=1.01), modes=["rev"], order=1)(npr.randn(4))
    with pytest.raises(AssertionError):
        check_vjp(make_sin(vjp_scale=-1.0), npr.randn(3))


def test_wrong_jvp_is_caught():
    with pytest.raises(AssertionError, match="JVP"):
        check_grads(make_sin(jvp_scale=0.99), modes=["fwd"], order=1)(npr.randn(4))
    with pytest.raises(AssertionError):
        check_jvp(make_sin(jvp_scale=2.0), 0.3)


def test_wrong_second_derivative_is_caught_only_at_order_2():
    f = make_sin(second_order_wrong=True)
    x = npr.randn(3)
    check_grads(f, modes=["fwd", "rev"], order=1)(x)
    for mode in ["fwd", "rev"]:
        with pytest.raises(AssertionError):
            check_grads(f, modes=[mode], order=2)(x)


def test_complex_convention():
    # a vjp conjugating g (a common mistake) is caught for complex inputs
    @primitive
    def sq(z):
        return z * z
    defvjp(sq, lambda ans, z: lambda g: numpy.conj(2 * z) * g)
    defjvp(sq, lambda g, ans, z: 2 * z * g)
    z = npr.randn(3) + 1j * npr.randn(3)
    check_jvp(sq, z)
    with pytest.raises(AssertionError):
        check_vjp(sq, z)
    defvjp(sq, lambda ans, z: lambda g: 2 * z * g)
    check_grads(sq, modes=["fwd", "rev"], order=2)(z)


def test_direct_and_curried_forms():
    check_grads(np.sin, 0.4)
    check_grads(lambda x, y: x * np.cos(y), (0, 1), order=2)(0.3, 0.6)
    check_grads(lambda x, y: x * np.cos(y), 1)(0.3, 0.6)
    with pytest.raises(ValueError):
        check_grads(np.sin, 0.4, modes=["sideways"])


def test_check_equivalent_and_scalar_close_and_combo_check():
    check_equivalent(numpy.ones(3), numpy.ones(3) + 1e-12)
    with pytest.raises(AssertionError):
        check_equivalent(numpy.ones(3), numpy.ones(3) * 1.1)
    with pytest.raises(AssertionError):
        check_equivalent(numpy.ones(3), numpy.ones(4))
    assert scalar_close(1.0, 1.0 + 1e-9) and not scalar_close(1.0, 1.1)
    seen = []

    def f(x, y, scale=1.0):
        seen.append(scale)
        return np.sum(np.sin(x) * y) * scale
    combo_check(f, [0, 1], order=1)([npr.randn(2), 0.5], [1.5, npr.randn(2)], scale=[1.0, 2.0])
    assert set(seen) == {1.0, 2.0}
