"""Python primitives returning tuples (VJPs take a tuple cotangent), lists
holding boxes as primitive arguments, complex eig under grad through
numpy's own function, and rfftn with an odd last axis."""
import collections

import numpy
import numpy as onp
import pytest

import autograd.numpy as np
from autograd import grad, make_jvp, make_vjp
from autograd.extend import primitive, defvjp, defjvp, defjvp_argnums
from autograd.test_util import check_grads

R = numpy.random.RandomState(11).randn

seen_cotangents = []


@primitive
def sincos(x):
    return np.sin(x), np.cos(x)


def _sincos_vjp(ans, x):
    def vjp(g):
        seen_cotangents.append(g)
        return g[0] * np.cos(x) - g[1] * np.sin(x)
    return vjp


defvjp(sincos, _sincos_vjp)
defjvp_argnums(sincos, lambda argnums, gs, ans, args, kwargs:
               (gs[0] * np.cos(args[0]), -gs[0] * np.sin(args[0])))


def test_tuple_result_values_and_gradients():
    def f(x):
        s, c = sincos(x)
        return np.sum(s * 2.0 + c ** 2)

    x = R(3)
    s, c = sincos(x)
    numpy.testing.assert_allclose(s, numpy.sin(x))
    numpy.testing.assert_allclose(grad(f)(x), 2 * numpy.cos(x) - 2 * numpy.cos(x) * numpy.sin(x))
    check_grads(f, modes=["fwd", "rev"], order=3)(x)


def test_vjp_gets_a_tuple_cotangent_with_zeros_for_unused_elements():
    del seen_cotangents[:]
    x = R(2)
    g = grad(lambda x: np.sum(sincos(x)[1] * 3.0))(x)
    numpy.testing.assert_allclose(g, -3.0 * numpy.sin(x))
    (ct,) = seen_cotangents
    assert type(ct) is tuple and len(ct) == 2
    numpy.testing.assert_array_equal(ct[0], numpy.zeros(2))
    numpy.testing.assert_array_equal(ct[1], numpy.full(2, 3.0))


def test_vjp_of_a_tuple_output():
    x = R(2)
    vjp, ans = make_vjp(sincos)(x)
    g = vjp((numpy.ones(2), 2 * numpy.ones(2)))
    numpy.testing.assert_allclose(g, numpy.cos(x) - 2 * numpy.sin(x))


Split = collections.namedtuple("Split", ["scale", "unit"])


@primitive
def polar(v):
    r = onp.sqrt(onp.sum(v * v))
    return Split(r, v / r)


defvjp(polar, lambda ans, v: lambda g: g.scale * ans.unit + (g.unit - np.dot(g.unit, ans.unit) * ans.unit) / ans.scale)
defjvp(polar, lambda t, ans, v: Split(np.dot(t, ans.unit), (t - np.dot(t, ans.unit) * ans.unit) / ans.scale))


def test_namedtuple_results_of_mixed_shapes():
    def f(v):
        p = polar(v)
        assert isinstance(p, Split)
        return p.scale ** 2 + np.sum(p.unit * numpy.arange(3.0))

    v = R(3)
    check_grads(f, modes=["fwd", "rev"], order=2)(v)


@primitive
def with_phase(x):
    return x * 2.0, onp.exp(1j * x)


defvjp(with_phase, lambda ans, x: lambda g: 2.0 * g[0] + np.real(g[1] * 1j * ans[1]))
defjvp(with_phase, lambda t, ans, x: (2.0 * t, 1j * t * ans[1]))


def test_real_and_complex_elements():
    def f(x):
        a, b = with_phase(x)
        assert not np.iscomplexobj(a) and np.iscomplexobj(b)
        return np.sum(a * np.real(b) + np.imag(b) ** 2)

    check_grads(f, modes=["fwd", "rev"], order=2)(R(2))


def test_non_numeric_tuple_elements_raise():
    @primitive
    def bad(x):
        return x, "label"
    with pytest.raises(TypeError, match="tuple holding a value of type str"):
        grad(lambda x: bad(x)[0])(1.0)


def test_missing_vjp_is_reported():
    @primitive
    def pair(x):
        return x, x
    with pytest.raises(NotImplementedError, match="VJP of pair"):
        grad(lambda x: pair(x)[0])(1.0)


# ------------------------------------------------------------ list arguments

def test_lists_holding_boxes_are_arrays_for_primitives():
    sp = pytest.importorskip("scipy.special")
    from autograd.scipy.special import gammaln

    def f(x):
        return np.sum(gammaln([x, 2.0, x * x]))

    x = 2.5
    assert f(x) == pytest.approx(numpy.sum(sp.gammaln([x, 2.0, x * x])))
    assert grad(f)(x) == pytest.approx(sp.digamma(x) + 2 * x * sp.digamma(x * x))
    check_grads(f, modes=["fwd", "rev"], order=2)(x)


def test_list_argument_of_a_user_primitive():
    @primitive
    def weighted(xs):
        return numpy.asarray(xs) @ numpy.array([1.0, 2.0])

    defvjp(weighted, lambda ans, xs: lambda g: g * numpy.array([1.0, 2.0]))
    defjvp(weighted, lambda t, ans, xs: np.dot(t, numpy.array([1.0, 2.0])))
    f = lambda x: weighted([x, x ** 2])
    assert grad(f)(3.0) == pytest.approx(1.0 + 2 * 2 * 3.0)
    check_grads(f, modes=["fwd", "rev"], order=2)(3.0)


# ------------------------------------------------------------ complex eig

def test_complex_eig_under_grad_through_numpys_function():
    A = R(3, 3) + 1j * R(3, 3)

    def f(A):
        w, v = onp.linalg.eig(A)
        return np.sum(np.abs(w) ** 2) + np.sum(np.abs(v[:, 0]) ** 2 * numpy.arange(3.0))

    def g(A):
        w = np.linalg.eigvals(A)
        return np.real(np.sum(w ** 2))

    check_grads(f, modes=["fwd", "rev"], order=2)(A)
    # Re tr(A^2): autograd's gradient df/dx - i df/dy is the derivative 2 A^T
    numpy.testing.assert_allclose(grad(g)(A), 2 * A.T, rtol=1e-8)


# ------------------------------------------------------------ rfftn, odd last axis

def test_rfftn_odd_last_axis_computes_and_differentiates():
    """Upstream raises NotImplementedError here; this package computes it
    (docs/architecture.md, Fourier transforms)."""
    x = R(3, 4, 5)
    numpy.testing.assert_allclose(np.fft.rfftn(x), numpy.fft.rfftn(x), atol=1e-12)
    f = lambda x: np.sum(np.abs(np.fft.rfftn(x)) ** 2 * numpy.arange(3.0))
    check_grads(f, modes=["fwd", "rev"], order=2)(x)
    check_grads(lambda x: np.fft.rfftn(x, s=(3, 7), axes=(0, 1)), modes=["fwd", "rev"], order=1)(R(3, 7))
