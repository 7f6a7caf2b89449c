"""autograd.scipy.stats.multivariate_normal: logpdf, pdf and entropy
against scipy's, derivatives in x, mean and cov by finite differences
(both modes, second order), scipy's errors."""
import re

import numpy
import numpy.random as npr
import pytest

scipy = pytest.importorskip("scipy")
import scipy.stats as sst  # noqa: E402

import autograd.numpy as np  # noqa: E402
from autograd import grad, make_vjp  # noqa: E402
from autograd.scipy.stats import multivariate_normal as mvn  # noqa: E402
from autograd.test_util import check_grads  # noqa: E402


def traced_value(f, *args):
    return make_vjp(lambda *a: f(*a), tuple(range(len(args))))(*args)[1]


def check(f, *args, order=2):
    check_grads(f, tuple(range(len(args))), modes=["fwd", "rev"], order=order)(*args)
    expected = f(*args)
    got = traced_value(f, *args)
    assert numpy.shape(got) == numpy.shape(expected)
    assert numpy.allclose(got, expected, rtol=1e-10, atol=1e-14)


def spd(d):
    c = npr.randn(d, d)
    return c @ c.T / d + 0.5 * numpy.eye(d)


@pytest.fixture(autouse=True)
def _seed():
    npr.seed(0)


@pytest.mark.parametrize("name", ["logpdf", "pdf"])
@pytest.mark.parametrize("xshape", [(3,), (5, 3), (1, 3), (2, 4, 3), (1, 1, 3)])
def test_density_in_x_mean_cov(name, xshape):
    f = getattr(mvn, name)
    x, mean, cov = npr.randn(*xshape), npr.randn(3), spd(3)
    assert numpy.array_equal(f(x, mean, cov), getattr(sst.multivariate_normal, name)(x, mean, cov))
    check(f, x, mean, cov)
    check(lambda x, cov: f(x, cov=cov), x, cov)        # mean None
    check(lambda x, mean: f(x, mean), x, mean)         # cov 1 (identity)


@pytest.mark.parametrize("name", ["logpdf", "pdf"])
def test_covariance_forms(name):
    f = getattr(mvn, name)
    x, mean = npr.randn(4, 3), npr.randn(3)
    check(lambda x, s: f(x, mean, s), x, 1.7)                        # scalar: s·I
    check(lambda x, d: f(x, mean, d), x, npr.uniform(0.5, 2, 3))     # 1-d: its diagonal
    # scipy reads the lower triangle of cov: junk above changes nothing
    cov = spd(3) + numpy.triu(npr.randn(3, 3), 1)
    check(lambda x, cov: f(x, mean, cov), x, cov)
    check(lambda cov: f(x, mean, cov, allow_singular=True), cov)     # nonsingular: allowed


@pytest.mark.parametrize("name", ["logpdf", "pdf"])
def test_one_dimensional(name):
    f = getattr(mvn, name)
    check(lambda x, m, v: f(x, m, v), npr.randn(5), 0.3, 1.4)          # 5 points in 1-d
    check(lambda x, m, v: f(x, m, v), 0.7, numpy.array([0.3]), numpy.array([[1.4]]))
    check(lambda x, m, v: f(x, m, v), npr.randn(4, 1), numpy.array([0.3]), 2.0)


def test_cov_gradient_lies_in_the_lower_triangle():
    x, mean, cov = npr.randn(4, 3), npr.randn(3), spd(3)
    g = grad(lambda c: np.sum(mvn.logpdf(x, mean, c)))(cov)
    assert numpy.all(g[numpy.triu_indices(3, 1)] == 0)
    assert numpy.all(g[numpy.tril_indices(3)] != 0)


def test_entropy():
    mean, cov = npr.randn(3), spd(3)
    assert mvn.entropy(mean, cov) == sst.multivariate_normal.entropy(mean, cov)
    check(mvn.entropy, mean, cov)
    check(lambda cov: mvn.entropy(cov=cov), cov)
    check(lambda d: mvn.entropy(numpy.zeros(4), d), npr.uniform(0.5, 2, 4))
    check(lambda s: mvn.entropy(numpy.zeros(2), s), 0.8)


def test_maximum_likelihood_gradient_vanishes_at_the_estimate():
    """The gradient of the log likelihood is zero at the sample mean and
    the (biased) sample covariance."""
    x = npr.randn(50, 3) @ numpy.linalg.cholesky(spd(3)).T + 1.0
    mean, cov = x.mean(axis=0), numpy.cov(x.T, bias=True)
    gm, gc = grad(lambda m, c: np.sum(mvn.logpdf(x, m, c)), (0, 1))(mean, cov)
    assert numpy.allclose(gm, 0, atol=1e-9) and numpy.allclose(gc, 0, atol=1e-9)
    g_off = grad(lambda m: np.sum(mvn.logpdf(x, m, cov)))(mean + 0.1)
    assert not numpy.allclose(g_off, 0, atol=1e-3)


def scipy_error(f, *args, **kwargs):
    with pytest.raises(Exception) as e:
        f(*args, **kwargs)
    return type(e.value), str(e.value)


@pytest.mark.parametrize("mean,cov", [
    (numpy.zeros(2), numpy.array([[1.0, 2.0], [2.0, 1.0]])),   # indefinite: ValueError
    (numpy.zeros(2), numpy.array([[1.0, 1.0], [1.0, 1.0]])),   # singular: LinAlgError
    (numpy.zeros(3), numpy.eye(2)),                            # mismatched dimensions
    (numpy.zeros(2), numpy.ones((2, 3))),                      # not square
    (numpy.zeros((2, 2)), numpy.eye(2)),                       # mean not a vector
])
@pytest.mark.parametrize("name", ["logpdf", "pdf"])
def test_errors_match_scipy(name, mean, cov):
    x = numpy.zeros(2)
    kind, msg = scipy_error(getattr(sst.multivariate_normal, name), x, mean, cov)
    f = getattr(mvn, name)
    for argnum in [0, 1, 2]:
        with pytest.raises(kind) as e:
            grad(lambda *a: np.sum(f(*a)), argnum)(x, mean, cov)
        assert type(e.value) is kind and str(e.value) == msg


@pytest.mark.filterwarnings("ignore:Output seems independent of input")
@pytest.mark.parametrize("name", ["logpdf", "pdf"])
def test_constant_singular_covariance(name):
    # rank 2 in 3 dimensions: the support is mean + span(e0, e1 + e2)
    cov = numpy.array([[2.0, 0.3, 0.3], [0.3, 1.0, 1.0], [0.3, 1.0, 1.0]])
    f, sf = getattr(mvn, name), getattr(sst.multivariate_normal, name)
    mean = npr.randn(3)

    def on_support(p, mean):  # points mean + a e0 + b (e1 + e2), as functions of (a, b)
        return mean + np.stack([p[..., 0], p[..., 1], p[..., 1]], axis=-1)

    for p in [npr.randn(2), npr.randn(4, 2)]:
        def g(p, mean):
            return f(on_support(p, mean), mean, cov, allow_singular=True)
        check(g, p, mean)
        pts = on_support(p, mean)
        assert numpy.allclose(traced_value(lambda x: f(x, mean, cov, allow_singular=True), pts),
                              sf(pts, mean, cov, allow_singular=True), rtol=1e-10)
    # off the support: scipy's -inf (pdf 0), with a finite gradient in mean
    x = mean + numpy.array([0.0, 1.0, -1.0])
    v = traced_value(lambda m: f(x, m, cov, allow_singular=True), mean)
    assert v == sf(x, mean, cov, allow_singular=True)
    # a constant singular cov has a constant entropy
    assert numpy.isclose(traced_value(lambda m: mvn.entropy(m, cov), mean),
                         sst.multivariate_normal.entropy(mean, cov))


def test_singular_covariance_is_not_traced():
    x, cov = numpy.array([0.3, 0.3]), numpy.ones((2, 2))
    value = mvn.logpdf(x, cov=cov, allow_singular=True)
    assert value == sst.multivariate_normal.logpdf(x, cov=cov, allow_singular=True)
    with pytest.raises(NotImplementedError, match="singular"):
        grad(lambda c: mvn.logpdf(x, cov=c, allow_singular=True))(cov)
    with pytest.raises(NotImplementedError, match="singular"):
        grad(lambda c: mvn.entropy(cov=c))(cov)
    # without a mean, a 1-d cov is one-dimensional (scipy's error)
    kind, msg = scipy_error(sst.multivariate_normal.entropy, cov=numpy.ones(3))
    with pytest.raises(kind, match=re.escape(msg)):
        grad(lambda c: mvn.entropy(cov=c))(numpy.ones(3))
    kind, msg = scipy_error(sst.multivariate_normal.entropy, cov=-numpy.eye(2))
    with pytest.raises(kind, match=re.escape(msg)):
        grad(lambda c: mvn.entropy(cov=c))(-numpy.eye(2))
