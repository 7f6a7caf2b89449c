"""autograd.misc: flatten, optimizers, fixed points."""
import numpy
import numpy.random as npr

import autograd.numpy as np
from autograd import grad
from autograd.misc import flatten, flatten_func, const_graph
from autograd.misc.optimizers import sgd, rmsprop, adam
from autograd.misc.fixed_points import fixed_point
from autograd.test_util import check_grads


def test_flatten_round_trip():
    value = {"b": [numpy.ones((2, 2)), 3.0], "a": (numpy.arange(3.0),)}
    flat, unflatten = flatten(value)
    assert flat.shape == (8,)
    assert numpy.array_equal(flat, [0.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 3.0])  # keys sorted
    back = unflatten(flat)
    assert list(back) == ["b", "a"] and type(back["a"]) is tuple
    assert numpy.array_equal(back["b"][0], numpy.ones((2, 2))) and back["b"][1] == 3.0


def test_flatten_is_differentiable():
    value = {"w": numpy.ones(3), "s": 2.0}

    def f(v):
        flat, _ = flatten(v)
        return np.sum(flat ** 2)
    g = grad(f)(value)
    assert numpy.allclose(g["w"], 2.0) and numpy.allclose(g["s"], 4.0)
    flat, unflatten = flatten(value)
    g = grad(lambda x: np.sum(unflatten(x)["w"] * unflatten(x)["s"]))(flat)
    assert numpy.allclose(g, [3.0, 2.0, 2.0, 2.0])  # "s" sorts before "w"


def test_flatten_func():
    f = lambda p: {"y": p["x"] * 2}
    ff, unflatten, x0 = flatten_func(f, {"x": numpy.ones(2)})
    assert numpy.array_equal(ff(x0), [2.0, 2.0])


def test_optimizers_minimise_a_quadratic():
    target = {"a": numpy.array([1.0, -2.0]), "b": 0.5}

    def loss(p, i):
        return np.sum((p["a"] - target["a"]) ** 2) + (p["b"] - target["b"]) ** 2
    g = grad(loss)
    x0 = {"a": numpy.zeros(2), "b": 0.0}
    seen = []
    for opt, kw in [(sgd, dict(num_iters=500, step_size=0.1)),
                    (rmsprop, dict(num_iters=500, step_size=0.01)),
                    (adam, dict(num_iters=2000, step_size=0.01))]:
        res = opt(g, x0, callback=lambda x, i, gr: seen.append(i), **kw)
        assert set(res) == {"a", "b"}
        assert numpy.allclose(res["a"], target["a"], atol=2e-2), (opt, res)
        assert abs(res["b"] - target["b"]) < 2e-2
    assert len(seen) == 500 + 500 + 2000


def test_fixed_point_gradient():
    # x = a * cos(x); the fixed point's derivative by implicit differentiation
    def newton_sqrt(a):
        return fixed_point(lambda a: lambda x: 0.5 * (x + a / x), a, 1.0,
                           lambda x, y: abs(x - y), 1e-12)
    assert abs(newton_sqrt(2.0) - numpy.sqrt(2.0)) < 1e-12
    assert abs(grad(newton_sqrt)(2.0) - 0.5 / numpy.sqrt(2.0)) < 1e-8
    check_grads(newton_sqrt, modes=["rev"], order=1)(3.0)


def test_const_graph():
    f = const_graph(lambda x: np.sum(np.sin(x)))
    assert numpy.allclose(grad(f)(numpy.zeros(2)), 1.0)
