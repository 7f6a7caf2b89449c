"""User-defined vector spaces (VSpace.register, Box.register) as
intermediate values, arguments and gradients, beside the Go tracer."""
import numpy
import pytest

import autograd.numpy as np
from autograd import grad, make_jvp, make_vjp
from autograd.extend import primitive, defvjp, defjvp, VSpace, Box, vspace
from autograd.test_util import check_grads

R = numpy.random.RandomState(7).randn


class Pair(object):
    """Two arrays, added and scaled together: a user type with no numpy
    behaviour of its own."""

    def __init__(self, a, b):
        self.a, self.b = a, b


class PairSpace(VSpace):
    def __init__(self, p):
        self.shapes = (numpy.shape(p.a), numpy.shape(p.b))

    def zeros(self):
        return Pair(numpy.zeros(self.shapes[0]), numpy.zeros(self.shapes[1]))

    def randn(self):
        return Pair(numpy.random.randn(*self.shapes[0]), numpy.random.randn(*self.shapes[1]))

    def _add(self, p, q):
        return Pair(p.a + q.a, p.b + q.b)

    def _scalar_mul(self, p, c):
        return Pair(p.a * c, p.b * c)

    def _inner_prod(self, p, q):
        return np.sum(p.a * q.a) + np.sum(p.b * q.b)


VSpace.register(Pair, lambda p: PairSpace(p))


@primitive
def make_pair(x, y):
    return Pair(x, y)


@primitive
def first(p):
    return p.a


@primitive
def second(p):
    return p.b


class PairBox(Box):
    a = property(first)
    b = property(second)


PairBox.register(Pair)

defvjp(make_pair, lambda ans, x, y: lambda g: g.a, lambda ans, x, y: lambda g: g.b)
defjvp(make_pair, lambda t, ans, x, y: make_pair(t, np.zeros_like(y)),
       lambda t, ans, x, y: make_pair(np.zeros_like(x), t))
defvjp(first, lambda ans, p: lambda g: make_pair(g, np.zeros_like(p.b)))
defvjp(second, lambda ans, p: lambda g: make_pair(np.zeros_like(p.a), g))
defjvp(first, lambda t, ans, p: t.a)
defjvp(second, lambda t, ans, p: t.b)


@primitive
def dot(p):
    """a . b"""
    return np.sum(p.a * p.b)


defvjp(dot, lambda ans, p: lambda g: make_pair(g * p.b, g * p.a))
defjvp(dot, lambda t, ans, p: np.sum(t.a * p.b + p.a * t.b))


@primitive
def swap(p, c):
    """(c b, a)"""
    return Pair(p.b * c, p.a)


defvjp(swap, lambda ans, p, c: lambda g: make_pair(g.b, g.a * c),
       lambda ans, p, c: lambda g: np.sum(g.a * p.b))
defjvp(swap, lambda t, ans, p, c: make_pair(t.b * c, t.a),
       lambda t, ans, p, c: make_pair(p.b * t, np.zeros_like(p.a)))


def through_pairs(x):
    p = make_pair(np.sin(x), x * 2.0)
    q = swap(p, 3.0)
    return dot(p) + dot(q) * dot(p)


def test_user_values_between_array_functions():
    x = R(3)
    s = numpy.sin(x)
    d = numpy.sum(s * 2 * x)
    assert through_pairs(x) == pytest.approx(d + d * 3 * d)
    # f = d + 3 d^2 with d = sum(2 x sin x)
    dd = 2 * numpy.sin(x) + 2 * x * numpy.cos(x)
    numpy.testing.assert_allclose(grad(through_pairs)(x), dd * (1 + 6 * d))
    check_grads(through_pairs, modes=["fwd", "rev"], order=2)(x)


def test_user_values_reused_accumulate_with_the_users_space():
    calls = []
    add = PairSpace._add

    def counting_add(self, p, q):
        calls.append(1)
        return add(self, p, q)

    PairSpace._add = counting_add
    try:
        def f(x):
            p = make_pair(x, x ** 2)
            return dot(vspace(p).add(p, swap(p, 2.0)))  # p feeds two Python nodes
        x = R(2)
        g = grad(f)(x)
    finally:
        PairSpace._add = add
    assert len(calls) == 2  # the forward add, and the two cotangents of p summed
    # f = sum(2 x^4 + 3 x^3 + x^2)
    numpy.testing.assert_allclose(g, 8 * x ** 3 + 9 * x ** 2 + 2 * x)
    check_grads(f, modes=["fwd", "rev"], order=2)(x)


def test_gradient_with_respect_to_a_user_value():
    P = Pair(R(2), R(2))

    def h(p):
        return dot(swap(p, 2.0)) * dot(p)

    g = grad(h)(P)
    assert isinstance(g, Pair)
    d = numpy.sum(P.a * P.b)
    numpy.testing.assert_allclose(g.a, 2 * P.b * d + 2 * d * P.b)
    numpy.testing.assert_allclose(g.b, 2 * P.a * d + 2 * d * P.a)
    check_grads(h, modes=["fwd", "rev"], order=2)(P)


def test_vjp_and_jvp_of_user_values():
    P = Pair(R(2), R(2))
    vjp, ans = make_vjp(lambda p: dot(p) * 3.0)(P)
    g = vjp(2.0)
    numpy.testing.assert_allclose(g.a, 6 * P.b)
    T = Pair(R(2), R(2))
    val, t = make_jvp(dot)(P)(T)
    assert t == pytest.approx(numpy.sum(T.a * P.b + P.a * T.b))


def test_an_unregistered_box_class_still_gives_first_order_gradients():
    class Tag(object):
        def __init__(self, v):
            self.v = v

    class TagSpace(VSpace):
        def __init__(self, t):
            self.shape = numpy.shape(t.v)

        def zeros(self):
            return Tag(numpy.zeros(self.shape))

        def _add(self, s, t):
            return Tag(s.v + t.v)

    VSpace.register(Tag, TagSpace)
    tag = primitive(lambda x: Tag(x * 2.0))
    untag = primitive(lambda t: np.sum(t.v ** 2))
    defvjp(tag, lambda ans, x: lambda g: g.v * 2.0)
    defvjp(untag, lambda ans, t: lambda g: Tag(2.0 * g * t.v))
    x = R(3)
    numpy.testing.assert_allclose(grad(lambda x: untag(tag(x)))(x), 8 * x)


def test_vspace_protocol_delegates_to_underscored_methods():
    vs = vspace(Pair(numpy.ones(2), numpy.zeros(1)))
    s = vs.add(vs.scalar_mul(vs.zeros(), 3.0), Pair(numpy.ones(2), numpy.ones(1)))
    assert vs.inner_prod(s, s) == 3.0
    assert vs == vspace(Pair(numpy.ones(2), numpy.ones(1)))
    assert vs != vspace(Pair(numpy.ones(3), numpy.ones(1)))
    with pytest.raises(TypeError, match="Can't differentiate"):
        grad(lambda s: 1.0)("not a value of any space")
