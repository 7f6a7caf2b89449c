"""Errors are Python exceptions with numpy's wording, and never leave the
library in a bad state."""
import numpy
import pytest

import autograd.numpy as np
from autograd import grad, jacobian


def good_gradient_still_works():
    g = grad(lambda x: np.sin(x * 2) / x)(1.0)
    assert abs(g - -1.7415910999199664) < 1e-12
    g = grad(lambda x: np.sum(np.dot(x, x.T)))(numpy.ones((2, 3)))
    assert numpy.allclose(g, 4.0)


def test_non_broadcastable_shapes():
    a, b = numpy.ones((2, 3)), numpy.ones(4)
    with pytest.raises(ValueError) as plain:
        numpy.add(a, b)
    for op in [lambda x: x + b, lambda x: b * x, lambda x: np.subtract(x, b),
               lambda x: np.maximum(b, x), lambda x: x ** b]:
        with pytest.raises(ValueError) as traced:
            grad(lambda x: np.sum(op(x)))(a)
        assert "operands could not be broadcast together with shapes (2,3) (4,)" in str(traced.value) \
            or "operands could not be broadcast together with shapes (4,) (2,3)" in str(traced.value)
        good_gradient_still_works()
    with pytest.raises(ValueError) as traced:
        grad(lambda x: np.sum(x + b))(a)
    assert str(traced.value).startswith(str(plain.value).split(" ")[0])
    assert "operands could not be broadcast together with shapes (2,3) (4,)" in str(traced.value)


def test_grad_of_non_scalar_output():
    with pytest.raises(TypeError, match="Grad only applies to real scalar-output functions"):
        grad(lambda x: x * 2)(numpy.ones(3))
    with pytest.raises(TypeError, match="jacobian"):
        grad(lambda x: (x, x))(1.0)
    good_gradient_still_works()


def test_grad_with_respect_to_non_numbers():
    with pytest.raises(TypeError, match="str"):
        grad(lambda s: 1.0)("a string")
    with pytest.raises(TypeError, match="NoneType"):
        grad(lambda x, y: x)(None, 1.0)
    with pytest.raises(TypeError, match="int"):
        grad(lambda x: x * 2.0)(3)  # like upstream: no gradient w.r.t. a Python int
    with pytest.raises(TypeError, match="str"):
        grad(lambda d: d["a"])({"a": 1.0, "b": "text"})
    good_gradient_still_works()


def test_traced_call_without_rule():
    with pytest.raises(NotImplementedError, match="autograd.numpy.convolve"):
        grad(lambda x: np.sum(np.convolve(x, x)))(numpy.ones(3))
    with pytest.raises(NotImplementedError, match="interp"):
        grad(lambda x: np.sum(np.interp(numpy.ones(2), numpy.arange(3.0), x)))(numpy.ones(3))
    with pytest.raises(NotImplementedError, match="linalg.cond"):
        grad(lambda x: np.sum(np.linalg.cond(x)))(numpy.eye(2))
    with pytest.raises(NotImplementedError, match="fft.fftfreq"):
        grad(lambda d: np.sum(np.fft.fftfreq(4, d)))(1.0)
    good_gradient_still_works()


def test_shape_errors_match_numpy():
    x = numpy.ones((2, 3))

    def numpy_message(f):
        with pytest.raises(Exception) as e:
            f(x)
        return type(e.value), str(e.value)

    cases = [
        lambda x: np.reshape(x, (4, 2)),
        lambda x: np.reshape(x, (4, -1)),
        lambda x: np.dot(x, numpy.ones(4)),
        lambda x: np.sum(x, axis=2),
        lambda x: np.transpose(x, (0, 0)),
        lambda x: np.squeeze(x, axis=0),
        lambda x: np.broadcast_to(x, (3, 3)),
        lambda x: np.stack([x, numpy.ones(3)]),
        lambda x: x[2],
        lambda x: x[0, 5],
        lambda x: np.matmul(x, numpy.ones((2, 2))),
        lambda x: np.tensordot(x, numpy.ones((2, 2)), 1),
    ]
    for f in cases:
        kind, msg = numpy_message(f)
        with pytest.raises(Exception) as traced:
            grad(lambda x: np.sum(f(x)))(x)
        assert isinstance(traced.value, kind), (f, traced.value)
        assert str(traced.value) == msg, (str(traced.value), msg)
        good_gradient_still_works()


def test_axis_error_is_numpys():
    with pytest.raises(numpy.exceptions.AxisError):
        grad(lambda x: np.sum(np.max(x, axis=3)))(numpy.ones((2, 2)))
    good_gradient_still_works()


def test_errors_inside_higher_order():
    with pytest.raises(ValueError, match="broadcast"):
        inner = grad(lambda x: np.sum(x * numpy.ones(3)))
        grad(lambda y: np.sum(inner(y)))(numpy.ones(2))
    with pytest.raises(ValueError):
        jacobian(jacobian(lambda x: x + numpy.ones(3)))(numpy.ones(2))
    good_gradient_still_works()


def test_invalid_handle_reports_an_error_not_a_crash():
    from autograd import _capi
    assert _capi.ag_apply1(_capi.op_id("sin"), 987654321) == 0
    with pytest.raises(TypeError, match="handle"):
        _capi.fail()
    assert _capi.op_id("no such op") == -1
    assert _capi.lib.ag_trace_new(99) == 0
    _capi.lib.ag_last_error(None, 0)
    good_gradient_still_works()


def test_bool_of_traced_array_is_numpys_error():
    def f(x):
        if x > 0:  # x has 3 elements: ambiguous
            return np.sum(x)
        return 0.0
    with pytest.raises(ValueError, match="truth value"):
        grad(f)(numpy.ones(3))
    good_gradient_still_works()
