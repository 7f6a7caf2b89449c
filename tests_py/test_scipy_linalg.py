"""autograd.scipy.linalg: traced values against scipy's, derivatives by
finite differences (both modes, second order), scipy's errors, untraced
calls that are scipy's own."""
import re
import subprocess
import sys

import numpy
import numpy.random as npr
import pytest

scipy = pytest.importorskip("scipy")
import scipy.linalg as sl  # noqa: E402

import autograd.numpy as np  # noqa: E402
import autograd.scipy.linalg as L  # noqa: E402
from autograd import grad, make_vjp  # noqa: E402
from autograd.test_util import check_grads  # noqa: E402


def traced_value(f, *args):
    return make_vjp(lambda *a: f(*a), tuple(range(len(args))))(*args)[1]


def check(f, *args, order=2):
    """Derivatives of f in every argument, both modes, and its traced
    value against the untraced one (scipy's own)."""
    check_grads(f, tuple(range(len(args))), modes=["fwd", "rev"], order=order)(*args)
    expected = f(*args)
    got = traced_value(f, *args)
    assert numpy.shape(got) == numpy.shape(expected)
    assert numpy.allclose(got, expected, rtol=1e-10, atol=1e-12)


def well_conditioned(*shape, complex_=False):
    """Matrices with a dominant diagonal of both signs: each triangle is a
    well-conditioned triangular matrix (the other triangle is junk)."""
    n = shape[-1]
    diag = npr.choice([-1.0, 1.0], size=shape[:-1]) * npr.uniform(1.5, 2.5, shape[:-1])
    off = npr.uniform(-1, 1, shape) / n
    a = off * (1 - numpy.eye(n)) + diag[..., None] * numpy.eye(n)
    if complex_:
        a = a + 1j * npr.uniform(-1, 1, shape) / n
    return a


def spd(*shape):
    n = shape[-1]
    c = npr.randn(*shape)
    return c @ numpy.swapaxes(c, -1, -2) / n + 0.5 * numpy.eye(n)


def with_junk(s, lower):
    """s with random entries in the triangle that is not read."""
    junk = npr.randn(*s.shape)
    return s + (numpy.triu(junk, 1) if lower else numpy.tril(junk, -1))


@pytest.fixture(autouse=True)
def _seed():
    npr.seed(0)


# ------------------------------------------------------------ solve_triangular

@pytest.mark.parametrize("lower", [False, True])
@pytest.mark.parametrize("trans", [0, 1, 2, "N", "T", "C"])
@pytest.mark.parametrize("unit_diagonal", [False, True])
def test_solve_triangular(lower, trans, unit_diagonal):
    a = well_conditioned(3, 3)
    kw = dict(lower=lower, trans=trans, unit_diagonal=unit_diagonal)
    for b in [npr.randn(3), npr.randn(3, 2)]:
        check(lambda a, b: L.solve_triangular(a, b, **kw), a, b)


@pytest.mark.parametrize("lower", [False, True])
@pytest.mark.parametrize("trans", [0, 1, 2])
def test_solve_triangular_complex(lower, trans):
    a = well_conditioned(3, 3, complex_=True)
    b = npr.randn(3, 2) + 1j * npr.randn(3, 2)
    check(lambda a, b: L.solve_triangular(a, b, lower=lower, trans=trans), a, b)
    # a complex right-hand side with a real matrix, and the reverse
    check(lambda b: L.solve_triangular(a.real, b, lower=lower, trans=trans), b)
    check(lambda a: L.solve_triangular(a, b.real, lower=lower, trans=trans), a)


@pytest.mark.parametrize("ashape,bshape", [
    ((2, 3, 3), (3,)), ((2, 3, 3), (2, 3, 2)), ((3, 3), (2, 3, 2)),
    ((2, 1, 3, 3), (4, 3, 1)), ((2, 3, 3), (3, 3)),
])
def test_solve_triangular_stacked(ashape, bshape):
    a, b = well_conditioned(*ashape), npr.randn(*bshape)
    for kw in [dict(lower=True), dict(trans="T"), dict(lower=True, trans=1, unit_diagonal=True)]:
        check(lambda a, b: L.solve_triangular(a, b, **kw), a, b)


def test_solve_triangular_reads_one_triangle():
    a, b = well_conditioned(4, 4), npr.randn(4, 2)
    for lower in [False, True]:
        for unit in [False, True]:
            g = grad(lambda a: np.sum(np.sin(L.solve_triangular(a, b, lower=lower,
                                                                unit_diagonal=unit))))(a)
            keep = numpy.tril(numpy.ones((4, 4)), -1 if unit else 0)
            if not lower:
                keep = keep.T
            assert numpy.all(g[keep == 0] == 0)
            assert numpy.all(g[keep == 1] != 0)


# ------------------------------------------------------------ cholesky

@pytest.mark.parametrize("lower", [False, True])
def test_cholesky(lower):
    f = (lambda a: L.cholesky(a, lower=True)) if lower else L.cholesky
    check(f, spd(4, 4))
    check(f, spd(2, 3, 3))
    check(f, with_junk(spd(3, 3), lower))
    check(lambda c: f(c @ c.T + 3 * np.eye(3)), npr.randn(3, 3))


def test_cholesky_default_is_upper():
    a = spd(3, 3)
    u = traced_value(L.cholesky, a)
    assert numpy.allclose(u, numpy.triu(u)) and not numpy.allclose(u, numpy.tril(u))
    assert numpy.allclose(u.T @ u, a)


@pytest.mark.parametrize("lower", [False, True])
def test_cho_factor_and_cho_solve(lower):
    a = with_junk(spd(3, 3), lower)
    c, low = traced_value(lambda a: L.cho_factor(a, lower=lower), a)
    c_sp, low_sp = sl.cho_factor(a, lower=lower)
    assert low is low_sp
    assert numpy.allclose(c, c_sp, rtol=1e-12)  # the other triangle is a's, as scipy's
    check(lambda a: L.cho_factor(a, lower=lower)[0], a)
    for b in [npr.randn(3), npr.randn(3, 2), npr.randn(2, 3, 2)]:
        check(lambda c, b: L.cho_solve((c, lower), b), c_sp, b)
        check(lambda a, b: L.cho_solve(L.cho_factor(a, lower=lower), b), a, b)
    check(lambda c, b: L.cho_solve((c, lower), b), sl.cho_factor(spd(2, 3, 3), lower=lower)[0],
          npr.randn(3))


# ------------------------------------------------------------ solve, inv, det, norm

STRUCTURES = [None, "gen", "general", "sym", "symmetric", "her", "pos", "positive definite",
              "diagonal", "tridiagonal", "upper triangular", "lower triangular"]


@pytest.mark.parametrize("assume_a", STRUCTURES)
@pytest.mark.parametrize("lower", [False, True])
@pytest.mark.parametrize("transposed", [False, True])
def test_solve(assume_a, lower, transposed):
    a = spd(3, 3) + 0.3 * npr.randn(3, 3)  # not symmetric: each structure reads its part
    if assume_a in ("pos", "positive definite"):
        a = with_junk(spd(3, 3), lower)
    elif assume_a and ("triangular" in assume_a or assume_a == "diagonal"):
        a = well_conditioned(3, 3)
    kw = dict(assume_a=assume_a, lower=lower, transposed=transposed)
    for b in [npr.randn(3), npr.randn(3, 2)]:
        check(lambda a, b: L.solve(a, b, **kw), a, b)


def test_solve_stacked_and_scalar():
    check(L.solve, well_conditioned(2, 3, 3), npr.randn(3))
    check(L.solve, well_conditioned(2, 3, 3), npr.randn(2, 3, 2))
    check(L.solve, well_conditioned(3, 3), npr.randn(2, 3, 2))
    check(lambda a, b: L.solve(a, b, assume_a="pos"), spd(2, 3, 3), npr.randn(3, 1))
    check(L.solve, numpy.array([[2.0]]), npr.randn(4))  # scipy's scalar case
    check(L.solve, numpy.array([[2.0]]), npr.randn(4, 2))


@pytest.mark.parametrize("assume_a", [None, "gen", "general", "sym", "her", "pos",
                                      "upper triangular", "lower triangular"])
@pytest.mark.parametrize("lower", [False, True])
def test_inv(assume_a, lower):
    a = well_conditioned(3, 3)
    if assume_a == "pos":
        a = with_junk(spd(3, 3), lower)
    check(lambda a: L.inv(a, assume_a=assume_a, lower=lower), a)
    check(lambda a: L.inv(a, assume_a=assume_a, lower=lower),
          spd(2, 3, 3) if assume_a == "pos" else well_conditioned(2, 3, 3))


def test_det_and_norm():
    check(L.det, well_conditioned(3, 3))
    check(L.det, well_conditioned(2, 3, 3))
    x = npr.randn(3, 4)
    for kw in [{}, dict(ord=1), dict(ord="fro"), dict(ord=numpy.inf), dict(axis=0),
               dict(ord=3, axis=1, keepdims=True)]:
        check(lambda x: L.norm(x, **kw), x)


def test_gp_likelihood_with_scipy_functions():
    """A Gaussian-process negative log likelihood written with
    cho_factor / cho_solve / solve_triangular."""
    t = numpy.linspace(0, 3, 6)
    y = numpy.sin(t)

    def nll(theta):
        K = np.exp(theta[0]) * np.exp(-0.5 * (t[:, None] - t[None, :]) ** 2) \
            + np.exp(theta[1]) * np.eye(6)
        c = L.cho_factor(K, lower=True)
        alpha = L.cho_solve(c, y)
        Lk = L.cholesky(K, lower=True)
        z = L.solve_triangular(Lk, y, lower=True)
        return 0.5 * np.dot(y, alpha) + 0.25 * np.dot(z, z) + np.sum(np.log(np.diag(Lk)))
    check(nll, numpy.array([0.2, -1.0]))


# ------------------------------------------------------------ untraced calls, the namespace

def test_untraced_calls_are_scipys():
    a, s, b = well_conditioned(3, 3), spd(3, 3), npr.randn(3, 2)
    cases = [(L.solve_triangular, (a, b), dict(trans="T")), (L.cholesky, (s,), {}),
             (L.cholesky, (s,), dict(lower=True)), (L.solve, (a, b), {}),
             (L.solve, (s, b), dict(assume_a="pos")), (L.inv, (a,), {}), (L.det, (a,), {}),
             (L.norm, (a,), {}), (L.expm, (a,), {}), (L.cho_solve, ((s, False), b), {})]
    for f, args, kw in cases:
        got, expected = f(*args, **kw), getattr(sl, f.__name__)(*args, **kw)
        assert type(got) is type(expected)
        assert numpy.array_equal(got, expected)
    assert L.__dict__["LinAlgError"] is sl.LinAlgError


def test_namespace_and_unsupported_functions():
    public = [n for n in sl.__all__ if callable(getattr(sl, n))]
    assert public and all(hasattr(L, n) for n in public)
    assert L.expm.__module__ == "autograd.scipy.linalg"
    with pytest.raises(NotImplementedError, match="autograd.scipy.linalg.expm"):
        grad(lambda a: np.sum(L.expm(a)))(well_conditioned(2, 2))
    with pytest.raises(NotImplementedError, match="banded"):
        grad(lambda a: np.sum(L.solve(a, numpy.ones(2), assume_a="banded")))(numpy.eye(2))
    with pytest.raises(NotImplementedError, match="diagonal"):
        grad(lambda a: np.sum(L.inv(a, assume_a="diagonal")))(numpy.eye(2))


@pytest.mark.filterwarnings("ignore:Output seems independent of input")
def test_empty_input_is_scipys_result():
    a, b = numpy.eye(3), numpy.ones((3, 0))
    got = traced_value(lambda a, b: L.solve_triangular(a, b), a, b)
    assert got.shape == sl.solve_triangular(a, b).shape == (3, 0)
    assert grad(lambda a: np.sum(L.solve(a, b)))(a).shape == (3, 3)


def test_importing_autograd_does_not_need_scipy():
    code = ("import sys; sys.modules['scipy'] = None\n"
            "import autograd, autograd.numpy as np\n"
            "print(autograd.grad(lambda x: np.sum(np.linalg.solve(np.eye(2) * x, "
            "np.ones(2))))(2.0))\n"
            "try:\n    import autograd.scipy.linalg\nexcept ImportError:\n    print('no scipy')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    expected = grad(lambda x: np.sum(np.linalg.solve(np.eye(2) * x, np.ones(2))))(2.0)
    lines = out.stdout.split("\n")
    assert float(lines[0]) == expected and lines[1] == "no scipy"


# ------------------------------------------------------------ errors

def scipy_error(f, *args, **kwargs):
    with pytest.raises(Exception) as e:
        f(*args, **kwargs)
    return type(e.value), str(e.value)


SINGULAR = numpy.array([[1.0, 2.0], [2.0, 4.0]])
ZERO_DIAG = numpy.array([[1.0, 0.0], [3.0, 0.0]])


@pytest.mark.parametrize("name,args,kwargs", [
    ("solve_triangular", (ZERO_DIAG, numpy.ones(2)), dict(lower=True)),   # singular
    ("solve_triangular", (ZERO_DIAG.T, numpy.ones(2)), {}),
    ("solve_triangular", (numpy.ones((2, 3)), numpy.ones(2)), {}),        # not square
    ("solve_triangular", (numpy.eye(3), numpy.ones(2)), {}),              # shapes
    ("solve_triangular", (numpy.eye(3), numpy.ones((2, 3))), {}),
    ("solve_triangular", (numpy.eye(3) * numpy.nan, numpy.ones(3)), {}),  # check_finite
    ("cholesky", (numpy.array([[1.0, 2.0], [2.0, 1.0]]),), {}),           # indefinite
    ("cholesky", (numpy.array([[1.0, 2.0], [2.0, 1.0]]),), dict(lower=True)),
    ("cholesky", (numpy.ones((2, 3)),), {}),
    ("cholesky", (numpy.ones(3),), {}),
    ("cho_factor", (-numpy.eye(2),), {}),
    ("solve", (SINGULAR, numpy.ones(2)), {}),
    ("solve", (SINGULAR, numpy.ones(2)), dict(assume_a="sym")),
    ("solve", (-numpy.eye(2), numpy.ones(2)), dict(assume_a="pos")),
    ("solve", (numpy.eye(3), numpy.ones(4)), {}),
    ("solve", (numpy.eye(2), numpy.ones(2)), dict(assume_a="nonsense")),
    ("solve", (numpy.zeros((1, 1)), numpy.ones(2)), {}),
    ("inv", (SINGULAR,), {}),
    ("inv", (numpy.ones((2, 3)),), {}),
    ("inv", (numpy.eye(2),), dict(assume_a="nonsense")),
    ("det", (numpy.ones(3),), {}),
    ("det", (numpy.ones((2, 3)),), {}),
])
def test_errors_match_scipy(name, args, kwargs):
    kind, msg = scipy_error(getattr(sl, name), *args, **kwargs)
    f = getattr(L, name)
    with pytest.raises(kind) as e:
        grad(lambda a: np.sum(f(a, *args[1:], **kwargs)[0] if name == "cho_factor"
                              else f(a, *args[1:], **kwargs)))(args[0])
    assert type(e.value) is kind and str(e.value) == msg


def test_cho_solve_errors_match_scipy():
    b = numpy.ones(3)
    for c in [numpy.ones((2, 3)), numpy.eye(2)]:
        kind, msg = scipy_error(sl.cho_solve, (c, False), b)
        with pytest.raises(kind, match=re.escape(msg)):
            grad(lambda c: np.sum(L.cho_solve((c, False), b)))(c)


@pytest.mark.parametrize("lower", [False, True])
def test_complex_cholesky_factorizations(lower):
    """Hermitian positive definite complex matrices: scipy's cholesky,
    cho_factor/cho_solve and solve/inv with assume_a='pos', reading one
    triangle (junk in the other), values against scipy's and derivatives."""
    c = npr.randn(3, 3) + 1j * npr.randn(3, 3)
    mask = numpy.tril(numpy.ones((3, 3)), -1) if not lower else numpy.triu(numpy.ones((3, 3)), 1)
    a = c @ c.conj().T / 3 + 0.5 * numpy.eye(3) + (npr.randn(3, 3) + 1j * npr.randn(3, 3)) * mask
    b = npr.randn(3, 2) + 1j * npr.randn(3, 2)
    check(lambda a: L.cholesky(a, lower=lower), a)
    check(lambda a: L.cho_factor(a, lower=lower)[0], a)
    check(lambda a, b: L.cho_solve(L.cho_factor(a, lower=lower), b), a, b)
    check(lambda a, b: L.solve(a, b, assume_a="pos", lower=lower), a, b)
    check(lambda a: L.inv(a, assume_a="pos", lower=lower), a)


def test_solve_triangular_bad_trans():
    with pytest.raises(ValueError, match="trans"):
        make_vjp(lambda a: L.solve_triangular(a, numpy.ones(2), trans=3))(numpy.eye(2))


@pytest.mark.parametrize("assume_a", [None, "sym", "her", "tridiagonal"])
@pytest.mark.parametrize("lower", [False, True])
def test_complex_solve_and_inv(assume_a, lower):
    """Complex matrices (the core's complex LU): values against scipy's,
    'her' reading a Hermitian matrix and 'sym' a complex symmetric one from
    the chosen triangle, and derivatives to second order."""
    a = well_conditioned(3, 3, complex_=True)
    b = npr.randn(3, 2) + 1j * npr.randn(3, 2)
    check(lambda a, b: L.solve(a, b, assume_a=assume_a, lower=lower), a, b)
    check(lambda a: L.solve(a, b[:, 0].real, assume_a=assume_a, lower=lower), a)
    if assume_a in (None, "sym", "her"):
        check(lambda a: L.inv(a, assume_a=assume_a, lower=lower), a)
    check(L.det, a, order=1)


def test_solve_sylvester():
    a, b, q = npr.randn(3, 3), npr.randn(2, 2) + 3 * numpy.eye(2), npr.randn(3, 2)
    check(L.solve_sylvester, a, b, q)
    x = traced_value(L.solve_sylvester, a, b, q)
    assert numpy.allclose(a @ x + x @ b, q)
    c = well_conditioned(2, 2, complex_=True)
    check(L.solve_sylvester, c, b, npr.randn(2, 2) + 1j * npr.randn(2, 2), order=1)


@pytest.mark.parametrize("kind", ["spd", "symmetric", "general"])
def test_sqrtm(kind):
    if kind == "spd":
        a = spd(3, 3)
    elif kind == "symmetric":  # a negative eigenvalue: scipy's result is complex
        a = numpy.diag([2.0, -1.5, 1.0]) + 0.2 * (numpy.ones((3, 3)) - numpy.eye(3))
    else:
        a = spd(3, 3) + 0.3 * npr.randn(3, 3)
    assert numpy.iscomplexobj(L.sqrtm(a)) == (kind == "symmetric")
    check(L.sqrtm, a)
    if kind == "symmetric":
        check(lambda a: np.real(L.sqrtm(a)), a)
    with pytest.raises(NotImplementedError, match="sqrtm"):
        grad(lambda a: np.sum(L.sqrtm(a, disp=False)[0]))(a)


@pytest.mark.parametrize("l_and_u", [(1, 1), (0, 2), (2, 0), (1, 2), (0, 0)])
@pytest.mark.parametrize("bshape", [(5,), (5, 2)])
def test_solve_banded(l_and_u, bshape):
    nl, nu = l_and_u
    ab = npr.uniform(-0.3, 0.3, (nl + nu + 1, 5))
    ab[nu] = npr.choice([-1.0, 1.0], 5) * npr.uniform(1.5, 2.5, 5)  # dominant diagonal
    b = npr.randn(*bshape)
    check(lambda ab, b: L.solve_banded(l_and_u, ab, b), ab, b)
    # entries of ab outside the matrix are not read: zero gradient there
    g = grad(lambda ab: np.sum(L.solve_banded(l_and_u, ab, b)))(ab)
    for k in range(nl + nu + 1):
        off = nu - k  # diagonal k of ab is the matrix's diagonal at offset `off`
        outside = numpy.arange(5) < off if off > 0 else numpy.arange(5) >= 5 + off
        assert numpy.all(g[k][outside] == 0)


def test_solve_banded_scalar_and_errors():
    check(lambda ab, b: L.solve_banded((0, 0), ab, b), numpy.array([[2.0]]), numpy.array([3.0]))
    for ab in [numpy.zeros((3, 4)), numpy.ones((2, 4))]:  # singular; wrong l+u+1
        with pytest.raises(Exception) as ours:
            grad(lambda b: np.sum(L.solve_banded((1, 1), ab, b)))(numpy.ones(4))
        with pytest.raises(Exception) as theirs:
            sl.solve_banded((1, 1), ab, numpy.ones(4))
        assert type(ours.value) is type(theirs.value) and str(ours.value) == str(theirs.value)
