"""numpy's own functions on traced values (__array_ufunc__ and
__array_function__) trace exactly as their autograd.numpy twins."""
import numpy
import numpy as onp
import pytest

import autograd.numpy as np
from autograd import grad, make_jvp
from autograd.test_util import check_grads
from autograd.tracer import Node, trace

R = numpy.random.RandomState(5).randn


def _both(f_numpy, f_autograd, *args, argnum=0):
    """f_numpy (written with plain numpy) has the values and derivatives of
    f_autograd, and passes check_grads in both modes."""
    numpy.testing.assert_allclose(f_numpy(*args), f_autograd(*args))
    g1, g2 = grad(f_numpy, argnum)(*args), grad(f_autograd, argnum)(*args)
    numpy.testing.assert_allclose(g1, g2, rtol=1e-12, atol=1e-14)
    check_grads(f_numpy, argnum=argnum, modes=["fwd", "rev"], order=2)(*args)


def test_ufuncs():
    x = R(3) ** 2 + 0.5
    _both(lambda x: onp.sum(onp.sin(x) * onp.exp(x) + onp.log(x) ** 2 / onp.sqrt(x)),
          lambda x: np.sum(np.sin(x) * np.exp(x) + np.log(x) ** 2 / np.sqrt(x)), x)
    _both(lambda x: onp.sum(onp.maximum(x, 0.9) + onp.arctan2(x, 2.0)),
          lambda x: np.sum(np.maximum(x, 0.9) + np.arctan2(x, 2.0)), x)


def test_ndarray_operators_with_a_box_on_the_right():
    a = numpy.abs(R(3)) + 0.5
    _both(lambda x: onp.sum(a * x + a / x - a ** x + (a @ x)),
          lambda x: np.sum(a * x + a / x - a ** x + np.dot(a, x)), numpy.abs(R(3)) + 1.0)


def test_ufunc_methods_with_twins():
    x = R(2, 3)
    _both(lambda x: onp.add.reduce(x, axis=1)[0] + onp.multiply.reduce(x.ravel()),
          lambda x: np.sum(x, axis=1)[0] + np.prod(x.ravel()), x)
    _both(lambda x: onp.sum(onp.add.accumulate(x, axis=0) ** 2),
          lambda x: np.sum(np.cumsum(x, axis=0) ** 2), x)


def test_array_functions():
    x = R(3, 3)
    _both(lambda x: onp.linalg.det(x) + onp.sum(onp.concatenate([x, x ** 2], axis=1)),
          lambda x: np.linalg.det(x) + np.sum(np.concatenate([x, x ** 2], axis=1)), x)
    _both(lambda x: onp.sum(onp.where(x > 0, x, 0.1 * x)) + onp.trace(onp.dot(x, x.T)),
          lambda x: np.sum(np.where(x > 0, x, 0.1 * x)) + np.trace(np.dot(x, x.T)), x)
    _both(lambda x: onp.mean(onp.stack([x, x.T])) + onp.linalg.norm(x) + onp.sum(onp.fft.fft(x).real),
          lambda x: np.mean(np.stack([x, x.T])) + np.linalg.norm(x) + np.sum(np.fft.fft(x).real), x)


def test_nondifferentiable_numpy_functions_give_plain_values():
    def f(x):
        i = onp.argmax(x)
        assert onp.shape(x) == (4,) and isinstance(i, (int, numpy.integer))
        return x[i] * 2.0
    x = numpy.array([0.1, 0.9, 0.3, 0.2])
    numpy.testing.assert_allclose(grad(f)(x), [0, 2.0, 0, 0])


@pytest.mark.parametrize("call,name", [
    (lambda x: onp.unwrap(x), "numpy.unwrap"),
    (lambda x: onp.cbrt(x), "numpy.cbrt"),
    (lambda x: onp.add.outer(x, x), "numpy.add.outer"),
])
def test_functions_without_a_traced_version_raise_type_error(call, name):
    with pytest.raises(TypeError, match=r"{}.*does not\s+differentiate".format(name.replace(".", r"\."))):
        grad(lambda x: onp.sum(call(x)))(R(3))
    with pytest.raises(TypeError, match="does not differentiate"):
        make_jvp(lambda x: onp.sum(call(x)))(R(3))(R(3))


def test_ufunc_out_argument_raises():
    out = numpy.zeros(3)
    with pytest.raises(TypeError, match="out="):
        grad(lambda x: onp.sum(onp.sin(x, out=out)))(R(3))
    assert not out.any()


def test_user_traces_record_the_autograd_twin():
    class Rec(Node):
        def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
            self.funs = parents[0].funs
            self.funs.append(fun)

        def initialize_root(self):
            self.funs = []

    root = Rec.new_root()
    value, _ = trace(root, lambda x: onp.sum(onp.cos(x) + onp.ones(2)), numpy.array([0.0, 1.0]))
    assert root.funs == [np.cos, np.add, np.sum]
    assert value == pytest.approx(3.0 + numpy.cos(1.0))
