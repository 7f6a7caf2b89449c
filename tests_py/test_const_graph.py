"""const_graph replayed by the Go core (ag_graph_record / ag_graph_replay),
and the Python replay it falls back to."""
import gc
import warnings

import numpy
import pytest

import autograd.numpy as np
from autograd import grad, hessian, jacobian, make_jvp, _capi
from autograd.extend import primitive, defvjp
from autograd.misc import const_graph
from autograd.misc.tracers import const_graph_unary, _lib
from test_handle_leaks import settled_live  # the count once earlier tests' garbage is gone


def central(f, x, h=1e-6):
    """Central differences of scalar f at the float array x."""
    x = numpy.asarray(x, dtype=float)
    g = numpy.zeros_like(x)
    for i in numpy.ndindex(x.shape):
        e = numpy.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def mlp(w, x):
    h = np.tanh(np.dot(x, w[:, :3]) + 0.1)
    return np.sum(np.exp(-h * h) + np.sin(w[:, 3:]).mean()) / x.shape[0]


X = numpy.random.RandomState(1).randn(5, 4)


def test_values_and_gradients_of_a_replay():
    g = const_graph(mlp, x=X)
    rs = numpy.random.RandomState(2)
    w0 = rs.randn(4, 4)
    assert g(w0) == pytest.approx(mlp(w0, X), rel=1e-13)
    assert g.uses_go_graph()
    for _ in range(4):
        w = rs.randn(4, 4)
        assert g(w) == pytest.approx(mlp(w, X), rel=1e-13)
        gw = grad(g)(w)
        numpy.testing.assert_allclose(gw, grad(mlp)(w, X), rtol=1e-12, atol=1e-14)
        numpy.testing.assert_allclose(gw, central(lambda v: mlp(v, X), w), rtol=1e-6, atol=1e-8)


def test_several_arguments_and_scalars():
    def f(x, y):
        for _ in range(20):
            x = np.sin(x) * y + 0.5
        return x

    g = const_graph(f)
    assert g(0.3, 1.2) == pytest.approx(f(0.3, 1.2), rel=1e-14)
    assert g.uses_go_graph()
    for x, y in [(0.1, 0.5), (2.0, -1.0), (-3.0, 0.25)]:
        assert g(x, y) == pytest.approx(f(x, y), rel=1e-13)
        dx = grad(g, 0)(x, y)
        dy = grad(g, 1)(x, y)
        assert dx == pytest.approx(grad(f, 0)(x, y), rel=1e-12)
        assert dy == pytest.approx(grad(f, 1)(x, y), rel=1e-12)
        assert dx == pytest.approx((f(x + 1e-6, y) - f(x - 1e-6, y)) / 2e-6, rel=1e-5, abs=1e-8)


def test_unary_with_a_tuple_argument_and_arrays():
    u = const_graph_unary(lambda p: np.sum(p[0] * np.cos(p[1])))
    a, b = numpy.arange(3.0), numpy.ones(3)
    assert u((a, b)) == pytest.approx(numpy.sum(a * numpy.cos(b)))
    assert u.uses_go_graph()
    assert u((a + 1, b * 2)) == pytest.approx(numpy.sum((a + 1) * numpy.cos(b * 2)))


def test_second_order_and_forward_mode_through_the_replay():
    def f(x):
        return np.sum(np.sin(x) * np.exp(x * x))

    g = const_graph(f)
    x0 = numpy.array([0.3, -0.2, 0.6])
    g(x0)
    assert g.uses_go_graph()
    x = numpy.array([0.1, 0.4, -0.5])
    numpy.testing.assert_allclose(hessian(g)(x), hessian(f)(x), rtol=1e-12)
    numpy.testing.assert_allclose(grad(lambda t: grad(g)(t)[1])(x), hessian(f)(x)[1], rtol=1e-12)
    v = numpy.array([1.0, -1.0, 2.0])
    y, t = make_jvp(g)(x)(v)
    y2, t2 = make_jvp(f)(x)(v)
    assert y == pytest.approx(y2) and t == pytest.approx(t2, rel=1e-12)
    numpy.testing.assert_allclose(jacobian(lambda t: np.sin(t) * g(t))(x),
                                  jacobian(lambda t: np.sin(t) * f(t))(x), rtol=1e-12)


def test_first_call_inside_grad():
    def f(x):
        return np.tanh(x) * x

    g = const_graph(f)
    assert grad(g)(0.7) == pytest.approx(grad(f)(0.7), rel=1e-13)
    assert g.uses_go_graph()
    assert g(0.2) == pytest.approx(f(0.2))
    assert grad(g)(-1.5) == pytest.approx(grad(f)(-1.5), rel=1e-13)


def test_constants_are_frozen_at_the_first_call():
    state = {"c": 2.0}

    def f(x):
        return x * state["c"]  # read at trace time only, as upstream

    g = const_graph(f)
    assert g(3.0) == 6.0
    state["c"] = 10.0
    assert g(4.0) == 8.0 and g.uses_go_graph()


def test_python_primitives_fall_back_to_the_python_replay():
    calls = []

    @primitive
    def cube(x):
        calls.append(1)
        return x ** 3

    defvjp(cube, lambda ans, x: lambda g: g * 3 * x ** 2)

    def f(x):
        return np.sin(cube(x)) + x

    g = const_graph(f)
    assert g(0.5) == pytest.approx(f(0.5))
    assert not g.uses_go_graph()
    n = len(calls)
    for x in (0.1, 0.9, -0.4):
        assert g(x) == pytest.approx(f(x), rel=1e-14)
        assert grad(g)(x) == pytest.approx(grad(f)(x), rel=1e-12)
    assert len(calls) > n  # the primitive itself is replayed


def test_values_read_while_recording_fall_back():
    def f(x):
        # np.maximum's mask and the branch are computed from x's numbers
        y = np.maximum(x, 0.5) * 2.0
        return y if x > 0 else -y

    g = const_graph(f)
    assert g(1.0) == 2.0
    assert not g.uses_go_graph()
    assert g(0.2) == pytest.approx(1.0)  # the mask is computed again
    assert g(3.0) == pytest.approx(6.0)


def test_other_shapes_and_types_take_the_python_replay():
    def f(x):
        return np.sum(np.sin(x) * 2.0)

    g = const_graph(f)
    g(numpy.ones(3))
    assert g.uses_go_graph()
    x5 = numpy.linspace(0, 1, 5)
    assert g(x5) == pytest.approx(f(x5))  # upstream replays on any shape
    assert g(numpy.arange(3)) == pytest.approx(f(numpy.arange(3.0)))  # integers
    z = numpy.array([1j, 2.0, 0.5])
    assert g(z) == pytest.approx(f(z))  # complex


def test_wrong_shapes_raise_numpys_errors():
    c = numpy.ones(3)
    g = const_graph(lambda x: np.dot(x, c) + np.sum(x * c))
    g(numpy.ones(3))
    with pytest.raises(ValueError, match="not aligned|broadcast"):
        g(numpy.ones(4))
    # the library's own check of a replay's inputs
    h = _capi.to_handle(numpy.ones(4))
    try:
        graph = _graph_of(g)
        arr = (_capi._i64 * 1)(h)
        assert _lib.ag_graph_replay(graph.h, 1, arr) == 0
        err = _capi.last_error()
        assert isinstance(err, ValueError) and "shape (4,)" in str(err) and "(3,)" in str(err)
        assert _lib.ag_graph_replay(graph.h, 2, (_capi._i64 * 2)(h, h)) == 0
        assert isinstance(_capi.last_error(), TypeError)
        assert _lib.ag_graph_replay(h, 1, arr) == 0  # not a graph
        assert isinstance(_capi.last_error(), TypeError)
    finally:
        _capi.ag_release(h)


def _graph_of(g):
    """The _GoGraph inside a const_graph'd function (from its closures)."""
    from autograd.misc.tracers import _GoGraph
    seen, todo = set(), [g]
    while todo:
        f = todo.pop()
        if id(f) in seen:
            continue
        seen.add(id(f))
        for cell in getattr(f, "__closure__", None) or ():
            v = cell.cell_contents
            if isinstance(v, list) and v and isinstance(v[0], _GoGraph):
                return v[0]
            if callable(v):
                todo.append(v)
    raise AssertionError("no Go graph")


def test_errors_of_the_replayed_computation():
    def f(a):
        return np.sum(np.linalg.cholesky(a))

    g = const_graph(f)
    g(numpy.eye(2) * 2.0)
    with pytest.raises(numpy.linalg.LinAlgError):
        g(numpy.array([[1.0, 2.0], [2.0, 1.0]]))
    assert g(numpy.eye(2) * 4.0) == pytest.approx(4.0)


def test_no_handle_leaks():
    def f(x, y):
        return np.sum(np.tanh(x) * y) + np.dot(x, x)

    x, y = numpy.linspace(-1, 1, 2000), numpy.linspace(0, 2, 2000)
    before = settled_live()
    g = const_graph(f)
    for s in (1.0, 0.5, 2.0):
        g(s * x, y)
        grad(g)(s * x, y)
        hessian(lambda t: g(t, y[:3]))(s * x[:3])  # another shape: the Python replay
    with pytest.raises(ValueError):
        g(x[:5], y)
    h = const_graph(lambda t: np.sin(t) * 2.0)
    h(0.5)
    h(0.25)
    del g, h
    assert settled_live() == before


def test_graph_handles_are_released_with_the_function():
    before = settled_live()
    g = const_graph(lambda t: np.exp(t) * t)
    g(0.5)
    assert g.uses_go_graph()
    assert settled_live() == before + 1  # the graph
    del g
    assert settled_live() == before


def test_constant_function_raises():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="does not depend"):
            const_graph(lambda x: 1.0)(2.0)


def test_identity_and_output_an_argument():
    g = const_graph(lambda x, y: y)
    assert g(1.0, 2.0) == 2.0
    assert g(3.0, 4.0) == 4.0
