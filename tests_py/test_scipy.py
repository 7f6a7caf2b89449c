"""autograd.scipy: values equal scipy's, derivatives by finite differences."""
import numpy
import numpy.random as npr
import pytest

scipy = pytest.importorskip("scipy")
import scipy.special as sps  # noqa: E402
import scipy.stats as sst  # noqa: E402

import autograd.numpy as np  # noqa: E402
import autograd.scipy.special as special  # noqa: E402
import autograd.scipy.stats as stats  # noqa: E402
from autograd import grad, make_vjp  # noqa: E402
from autograd.test_util import check_grads  # noqa: E402


def U(lo, hi, *shape):
    return npr.uniform(lo, hi, shape)


def check(f, *args, order=2, argnums=None):
    argnums = tuple(range(len(args))) if argnums is None else argnums
    check_grads(f, argnums, modes=["fwd", "rev"], order=order)(*args)
    traced = make_vjp(lambda *a: f(*a), argnums)(*args)[1]
    assert numpy.allclose(traced, f(*args), rtol=1e-10, atol=1e-12)


UNARY = {
    "gamma": U(0.5, 3, 4), "gammaln": U(0.5, 3, 4), "rgamma": U(0.5, 3, 4),
    "digamma": U(0.5, 3, 4), "psi": U(0.5, 3, 4), "erf": U(-2, 2, 4), "erfc": U(-2, 2, 4),
    "erfinv": U(-0.9, 0.9, 4), "erfcinv": U(0.1, 1.9, 4), "expit": U(-3, 3, 4),
    "logit": U(0.1, 0.9, 4), "j0": U(0.5, 5, 4), "j1": U(0.5, 5, 4), "y0": U(0.5, 5, 4),
    "y1": U(0.5, 5, 4), "i0": U(-2, 2, 4), "i1": U(-2, 2, 4), "ndtr": U(-3, 3, 4),
    "log_ndtr": U(-3, 3, 4),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_special_unary(name):
    f = getattr(special, name)
    x = UNARY[name]
    assert numpy.array_equal(f(x), getattr(sps, name)(x))  # untraced: scipy's own
    check(f, x, order=3 if name in ("gammaln", "erf", "expit") else 2)


def test_special_with_order_argument():
    x = U(0.5, 4, 4)
    check(lambda x: special.polygamma(1, x), x)
    check(lambda x: special.jn(2, x), x)
    check(lambda x: special.yn(1, x), x)
    check(lambda x: special.iv(1.5, x), x)
    check(lambda x: special.ive(0.5, x), x)
    check(lambda x: special.gammainc(2.0, x), x)
    check(lambda x: special.gammaincc(2.0, x), x)
    check(lambda x: special.betainc(2.0, 3.0, x), U(0.1, 0.9, 4))
    check(lambda x: special.stdtr(3.0, x), U(-2, 2, 4))


def test_special_composites():
    a, b = U(0.5, 3, 4), U(0.5, 3, 4)
    check(special.betaln, a, b)
    check(special.beta, a, b)
    check(lambda a: special.multigammaln(a, 3), U(2, 4, 3))
    x = npr.randn(3, 4)
    for kw in [{}, {"axis": 0}, {"axis": 1, "keepdims": True}, {"b": U(0.5, 1, 3, 4)}]:
        check(lambda x: special.logsumexp(x, **kw), x)
        assert numpy.allclose(special.logsumexp(x, **kw), sps.logsumexp(x, **kw))
    g = grad(lambda x: special.logsumexp(x))(numpy.array([1000.0, 1000.0]))
    assert numpy.allclose(g, 0.5)  # stable for large inputs


def test_stats():
    x = npr.randn(5)
    for name in ["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"]:
        f = getattr(stats.norm, name)
        assert numpy.allclose(f(x, 0.3, 1.5), getattr(sst.norm, name)(x, 0.3, 1.5))
        check(lambda x, loc, scale: f(x, loc, scale), x, 0.3, 1.5)
    for name in ["pdf", "logpdf", "cdf", "logcdf"]:
        f = getattr(stats.t, name)
        assert numpy.allclose(f(x, 4.0, 0.1, 2.0), getattr(sst.t, name)(x, 4.0, 0.1, 2.0))
        check(lambda x, loc, scale: f(x, 4.0, loc, scale), x, 0.1, 2.0)
    check(lambda df: stats.t.logpdf(x, df), 3.5)
    y = U(0.5, 3, 5)
    for mod, args in [(stats.gamma, (2.5,)), (stats.chi2, (3.0,))]:
        for name in ["pdf", "logpdf", "cdf"]:
            f = getattr(mod, name)
            sf = getattr(getattr(sst, mod.__name__.split(".")[-1]), name)
            assert numpy.allclose(f(y, *args), sf(y, *args))
            check(lambda y: f(y, *args), y)
        check(lambda a: mod.logpdf(y, a), 2.5)
    z = U(0.1, 0.9, 5)
    for name in ["pdf", "logpdf", "cdf"]:
        assert numpy.allclose(getattr(stats.beta, name)(z, 2.0, 3.0),
                              getattr(sst.beta, name)(z, 2.0, 3.0))
        check(lambda z: getattr(stats.beta, name)(z, 2.0, 3.0), z)
    check(lambda a, b: stats.beta.logpdf(z, a, b), 2.0, 3.0)
    k = numpy.array([0.0, 1.0, 3.0, 7.0])
    for name in ["pmf", "logpmf", "cdf"]:
        assert numpy.allclose(getattr(stats.poisson, name)(k, 2.5), getattr(sst.poisson, name)(k, 2.5))
        check(lambda mu: getattr(stats.poisson, name)(k, mu), 2.5)
    alpha = U(0.5, 3, 4)
    p = U(0.1, 1, 4)
    p = p / p.sum()
    for name in ["pdf", "logpdf"]:
        assert numpy.allclose(getattr(stats.dirichlet, name)(p, alpha),
                              getattr(sst.dirichlet, name)(p, alpha))
        check(lambda alpha: getattr(stats.dirichlet, name)(p, alpha), alpha)


@pytest.mark.parametrize("mod", ["norm", "t", "gamma", "beta", "chi2", "poisson", "dirichlet",
                                 "multivariate_normal"])
def test_stats_modules_pass_scipys_other_names_through(mod):
    ours, theirs = getattr(stats, mod), getattr(sst, mod)
    names = {"multivariate_normal": ["rvs", "cdf"], "dirichlet": ["rvs", "var", "mean"]}.get(
        mod, ["rvs", "mean", "var", "ppf"])
    for name in names:
        assert callable(getattr(ours, name)), (mod, name)
    # untraced: scipy's own results, scipy's own random stream
    args = {"norm": (), "t": (4.0,), "gamma": (2.5,), "beta": (2.0, 3.0), "chi2": (3.0,),
            "poisson": (2.5,), "dirichlet": (numpy.array([1.5, 2.0, 3.0]),),
            "multivariate_normal": (numpy.zeros(2),)}[mod]
    numpy.random.seed(3)
    a = ours.rvs(*args, size=2)
    numpy.random.seed(3)
    assert numpy.array_equal(a, theirs.rvs(*args, size=2))
    if mod not in ("dirichlet", "multivariate_normal"):
        assert numpy.allclose(ours.ppf(0.3, *args), theirs.ppf(0.3, *args))
    # traced: no gradient rule, an error naming the function
    name = names[-1]
    x = numpy.array([0.2, 0.4]) if mod == "multivariate_normal" else 0.3
    if mod == "dirichlet":
        x = args[0]
    with pytest.raises(NotImplementedError, match=mod + r"\." + name):
        grad(lambda p: np.sum(getattr(ours, name)(p, *args[1:] if mod == "dirichlet" else args)))(x)


def test_dirichlet_traced_wrong_input_raises_scipys_error():
    alpha = numpy.ones(2)
    off_simplex = numpy.array([0.5, 0.6])
    for name in ["logpdf", "pdf"]:
        f = getattr(stats.dirichlet, name)
        with pytest.raises(ValueError, match="simplex"):
            grad(lambda a: f(off_simplex, a))(alpha)
        with pytest.raises(ValueError, match="simplex"):
            grad(lambda x: f(x, alpha))(off_simplex)
