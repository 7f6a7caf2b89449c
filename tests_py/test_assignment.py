"""No gradient is lost silently: conversions of traced values to plain
numbers raise, and item assignment on traced arrays is traced
(copy on write), in both modes and to any order."""
import warnings

import numpy
import numpy as onp
import pytest

import autograd.numpy as np
from autograd import grad, hessian, make_jvp, jacobian
from autograd.test_util import check_grads
from autograd.tracer import getval

R = numpy.random.RandomState(3).randn


# ------------------------------------------------------------ lost traces raise

def test_assigning_a_box_into_an_ndarray_raises_naming_the_fix():
    def f(x):
        A = np.zeros(6)
        A[:4] = x
        return np.sum(A * A)
    with pytest.raises(TypeError, match=r"silently drop its gradient.*zeros_like\(x, shape=a.shape\)"):
        grad(f)(R(4))
    with pytest.raises(TypeError, match="silently drop"):
        make_jvp(f)(R(4))(R(4))


@pytest.mark.parametrize("conv", [
    lambda x: onp.asarray(x), lambda x: onp.array(x), lambda x: onp.array([x[0], 1.0]),
    lambda x: float(x[0]), lambda x: complex(x[0]), lambda x: x[0].item(), lambda x: x.tolist(),
    lambda x: onp.float64(x[0]), lambda x: onp.zeros(2) + onp.asarray(x),
])
def test_conversions_to_plain_numbers_raise(conv):
    with pytest.raises(TypeError, match="getval"):
        grad(lambda x: np.sum(x * conv(x)))(R(2))


def test_integer_conversions_have_no_gradient_to_lose():
    def f(x):
        i = onp.int64(x[-1])
        return x[int(x[0])] * (i + 1)
    x = numpy.array([1.2, 3.0, 1.7])
    assert grad(f)(x)[1] == 2.0


# ------------------------------------------------------------ assignment is traced

def _pad_and_square(x):
    A = np.zeros_like(x, shape=6)
    A[:4] = x
    return np.sum(A * A)


def test_assignment_into_zeros_like_is_traced():
    x = R(4)
    assert _pad_and_square(x) == pytest.approx(numpy.sum(x * x))
    numpy.testing.assert_allclose(grad(_pad_and_square)(x), 2 * x)
    check_grads(_pad_and_square, modes=["fwd", "rev"], order=3)(x)


def test_building_an_array_from_pieces():
    def shift(x):
        a = np.zeros_like(x)
        a[1:] = x[:-1]
        a[0] = x[-1] ** 2
        return a

    x = R(5)
    expected = numpy.concatenate([[x[-1] ** 2], x[:-1]])
    numpy.testing.assert_allclose(shift(x), expected)
    J = jacobian(shift)(x)
    J_expected = numpy.zeros((5, 5))
    J_expected[numpy.arange(1, 5), numpy.arange(4)] = 1.0
    J_expected[0, -1] = 2 * x[-1]
    numpy.testing.assert_allclose(J, J_expected)
    check_grads(shift, modes=["fwd", "rev"], order=2)(x)


def test_gradient_reaches_the_old_value_and_the_new_one():
    def f(x, v):
        a = np.sin(x)
        a[1:3] = v * 2.0
        a[0] += v[0]
        a[-1] *= 3.0
        return np.sum(a ** 2)

    x, v = R(5), R(2)
    ref = numpy.sin(x)
    ref[1:3] = v * 2.0
    ref[0] += v[0]
    ref[-1] *= 3.0
    assert f(x, v) == pytest.approx(numpy.sum(ref ** 2))
    gx = grad(f, 0)(x, v)
    assert gx[1] == 0.0 and gx[2] == 0.0 and gx[3] != 0.0  # overwritten entries get nothing
    check_grads(f, argnum=(0, 1), modes=["fwd", "rev"], order=2)(x, v)


@pytest.mark.parametrize("key", [
    (slice(None), 1), numpy.array([True, False, True]), ([0, 2], [1, 1]), (Ellipsis, None, 0),
    1, (-1, slice(None, None, -1)),
])
def test_keys_follow_numpys_assignment(key):
    x = R(3, 2)
    shape = numpy.empty((3, 2))[key].shape
    v = R(*shape) if shape else 0.7

    def f(x, v):
        a = x * 1.0
        a[key] = v
        return a

    ref = x.copy()
    ref[key] = v
    numpy.testing.assert_array_equal(f(x, v), ref)
    check_grads(f, argnum=(0, 1), modes=["fwd", "rev"], order=2)(x, v)


def test_repeated_positions_last_write_wins():
    idx = numpy.array([0, 2, 0, 1, 2])

    def f(x, v):
        a = np.zeros_like(v, shape=x.shape) + x  # traced whenever v is
        a[idx] = v
        return a

    x, v = R(4), R(5)
    ref = x.copy()
    ref[idx] = v
    numpy.testing.assert_array_equal(f(x, v), ref)
    gv = grad(lambda v: np.sum(f(x, v) * numpy.arange(1.0, 5.0)))(v)
    numpy.testing.assert_array_equal(gv, [0.0, 0.0, 1.0, 2.0, 3.0])
    check_grads(f, argnum=(0, 1), modes=["fwd", "rev"], order=2)(x, v)


def test_broadcast_value_and_numpys_shape_errors():
    def f(x, s):
        a = x.copy()
        a[1] = s
        return a
    check_grads(f, argnum=(0, 1), modes=["fwd", "rev"], order=2)(R(3, 2), 0.4)
    with pytest.raises(ValueError, match="could not broadcast"):
        grad(lambda x: np.sum(f(x, np.ones(3))))(R(3, 2))
    with pytest.raises(IndexError):
        grad(lambda x: np.sum(f(x[:1], 1.0)))(R(3, 2))


def test_copy_on_write_leaves_earlier_slices_and_copies_alone():
    """Traced arrays are values: a slice taken before an assignment keeps
    the old entries (a numpy view would see the new ones); copies are
    separate arrays, asarray is the same one."""
    seen = {}

    def f(x):
        a = x * 1.0
        before, b, c, same = a[1:], a.copy(), np.array(a), np.asarray(a)
        a[1] = 100.0
        seen.update(a=a, before=before, b=b, c=c, same=same)
        return np.sum(before) + np.sum(b) + np.sum(c) + 2 * np.sum(a) + np.sum(same)

    x = R(3)
    g = grad(f)(x)
    vals = {k: getval(v) for k, v in seen.items()}
    assert vals["a"][1] == 100.0 and vals["same"][1] == 100.0
    for k in ("before", "b", "c"):
        assert 100.0 not in vals[k]
    numpy.testing.assert_allclose(g, [5.0, 3.0, 6.0])
    _, t = make_jvp(f)(x)(numpy.array([1.0, 10.0, 100.0]))
    assert t == pytest.approx(5.0 + 30.0 + 600.0)


def test_assignment_into_an_argument_being_differentiated_raises():
    def f(x):
        x[0] = 1.0
        return np.sum(x)
    with pytest.raises(TypeError, match="x = x.copy()"):
        grad(f)(R(3))
    with pytest.raises(TypeError, match="argument being differentiated"):
        make_jvp(f)(R(3))(R(3))


def test_complex_value_into_a_real_array_warns_as_numpy():
    def f(x):
        a = np.zeros_like(x)
        a[0] = x[1] * (1.0 + 2.0j)
        return np.sum(a)
    x = R(2)
    with pytest.warns(Warning, match="imaginary"):
        g = grad(f)(x)
    numpy.testing.assert_allclose(g, [0.0, 1.0])


def test_hessian_and_forward_mode_through_assignment():
    def f(x):
        a = np.ones_like(x)
        a[::2] = x[::2] ** 3
        return np.sum(a * x)

    x = R(4)
    H = hessian(f)(x)
    # f = sum_even x^4 + sum_odd x
    numpy.testing.assert_allclose(H, numpy.diag([12 * x[0] ** 2, 0, 12 * x[2] ** 2, 0]))
    v = R(4)
    _, t = make_jvp(f)(x)(v)
    assert t == pytest.approx(numpy.dot(grad(f)(x), v))


def test_zeros_like_of_plain_values_is_numpys():
    r = np.zeros_like(numpy.ones(3))
    assert type(r) is numpy.ndarray
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grad(lambda x: np.sum(np.zeros_like(x) + x))(1.0)
