"""Differentiating with respect to (nested) lists, tuples and dicts."""
from collections import OrderedDict, namedtuple

import numpy
import numpy.random as npr

import autograd.numpy as np
from autograd import grad, make_jvp, value_and_grad
from autograd import isinstance as ag_isinstance, type as ag_type
from autograd.test_util import check_grads


def close(a, b):
    return numpy.allclose(a, b, rtol=1e-12, atol=1e-12)


def test_grad_of_nested_structure_has_the_same_structure():
    params = {"w": [numpy.array([1.0, 2.0]), (3.0, numpy.eye(2))], "b": 0.5}

    def loss(p):
        w0, (s, M) = p["w"]
        return np.sum(np.dot(M, w0) * s) + p["b"] ** 2

    g = grad(loss)(params)
    assert type(g) is dict and set(g) == {"w", "b"}
    assert type(g["w"]) is list and len(g["w"]) == 2
    assert type(g["w"][1]) is tuple
    assert close(g["w"][0], [3.0, 3.0])
    assert type(g["w"][1][0]) is numpy.float64 and close(g["w"][1][0], 3.0)
    assert close(g["w"][1][1], 3.0 * numpy.outer([1.0, 1.0], [1.0, 2.0]))
    assert type(g["b"]) is numpy.float64 and close(g["b"], 1.0)


def test_ordered_dict_and_namedtuple():
    P = namedtuple("P", ["a", "b"])
    g = grad(lambda p: p.a * p.b ** 2)(P(2.0, 3.0))
    assert type(g) is P and close(g.a, 9.0) and close(g.b, 12.0)
    d = OrderedDict([("z", 1.0), ("a", 2.0)])
    g = grad(lambda d: d["z"] * d["a"])(d)
    assert type(g) is OrderedDict and list(g) == ["z", "a"]


def test_tuple_argnum_structure():
    g = grad(lambda x, ys: x * np.sum(ys[0]) + ys[1], (0, 1))(2.0, [numpy.ones(2), 4.0])
    assert isinstance(g, tuple) and close(g[0], 2.0)
    assert type(g[1]) is list and close(g[1][0], [2.0, 2.0]) and close(g[1][1], 1.0)


def test_check_grads_on_containers():
    x = [npr.randn(3), {"k": npr.randn(2, 2)}]
    check_grads(lambda p: np.sum(np.sin(p[0])) * np.sum(p[1]["k"] ** 2), x, modes=["fwd", "rev"],
                order=2)


def test_forward_mode_on_containers():
    x = (1.0, numpy.array([1.0, 2.0]))
    v = (0.5, numpy.array([1.0, -1.0]))
    ans, t = make_jvp(lambda p: p[0] * np.sum(p[1] ** 2))(x)(v)
    assert close(ans, 5.0)
    assert close(t, 0.5 * 5.0 + 1.0 * (2 * 1.0 - 2 * 2.0))


def test_functions_returning_containers():
    from autograd import make_vjp
    vjp, ans = make_vjp(lambda x: (np.sin(x), [x ** 2, 3.0]))(0.5)
    assert close(ans[0], numpy.sin(0.5)) and close(ans[1][0], 0.25) and ans[1][1] == 3.0
    g = vjp((1.0, [2.0, 0.0]))
    assert close(g, numpy.cos(0.5) + 2.0 * 2 * 0.5)


def test_builtins_see_through_boxes():
    def f(x):
        assert ag_isinstance(x, numpy.ndarray)
        assert not isinstance(x, numpy.ndarray)
        assert ag_type(x) is numpy.ndarray
        return np.sum(x)
    assert close(grad(f)(numpy.ones(2)), 1.0)

    def h(x):
        assert ag_isinstance(x, float)
        return x * 2
    assert close(grad(h)(1.0), 2.0)


def test_value_and_grad_with_dict():
    val, g = value_and_grad(lambda d: d["a"] * d["b"])({"a": 2.0, "b": 5.0})
    assert close(val, 10.0) and close(g["a"], 5.0) and close(g["b"], 2.0)
