"""autograd.numpy.linalg's LAPACK-backed functions (cholesky, solve, inv,
det, slogdet): derivatives by finite differences (forward and reverse
mode, second order), for real and complex matrices (solve, inv, det,
slogdet), traced values against numpy's, numpy's errors, and the
Gaussian-process likelihood of the benchmark."""
import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd import grad, make_vjp
from autograd.test_util import check_grads


def traced_value(f, *args):
    """f(*args) computed under a reverse trace (the value of the boxes)."""
    return make_vjp(lambda *a: f(*a), tuple(range(len(args))))(*args)[1]


def check(f, *args, order=2):
    """Derivatives of f with respect to every argument in both modes, and
    its traced value against the untraced one (numpy's)."""
    check_grads(f, tuple(range(len(args))), modes=["fwd", "rev"], order=order)(*args)
    expected = f(*args)
    got = traced_value(f, *args)
    assert numpy.shape(got) == numpy.shape(expected)
    assert numpy.allclose(got, expected, rtol=1e-12, atol=1e-12)


def spd(*shape):
    """A stack of symmetric positive definite matrices, eigenvalues >= 1/2."""
    n = shape[-1]
    c = npr.randn(*shape)
    return c @ numpy.swapaxes(c, -1, -2) / n + 0.5 * numpy.eye(n)


def invertible(*shape):
    """A stack of well-conditioned, non-symmetric matrices whose
    determinants have both signs."""
    n = shape[-1]
    diag = npr.choice([-1.0, 1.0], size=shape[:-1]) * npr.uniform(1.5, 2.5, shape[:-1])
    off = npr.uniform(-1, 1, shape) / n
    return off * (1 - numpy.eye(n)) + diag[..., None] * numpy.eye(n)


@pytest.fixture(autouse=True)
def _seed():
    npr.seed(0)


# ------------------------------------------------------------ derivatives

def test_cholesky():
    check(np.linalg.cholesky, spd(4, 4))
    check(np.linalg.cholesky, spd(2, 3, 3))
    check(lambda a: np.linalg.cholesky(a, upper=True), spd(3, 3))
    # numpy reads one triangle: the other may hold anything
    junk = numpy.triu(npr.randn(3, 3), 1)
    check(np.linalg.cholesky, spd(3, 3) + junk)
    check(lambda a: np.linalg.cholesky(a, upper=True), spd(3, 3) + junk.T)
    # through a function whose every argument gives a positive definite matrix
    check(lambda b: np.linalg.cholesky(b @ b.T + 3 * np.eye(3)), npr.randn(3, 3))


def hpd(*shape):
    """A stack of Hermitian positive definite complex matrices,
    eigenvalues >= 1/2."""
    n = shape[-1]
    c = npr.randn(*shape) + 1j * npr.randn(*shape)
    return c @ numpy.conj(numpy.swapaxes(c, -1, -2)) / n + 0.5 * numpy.eye(n)


def test_cholesky_complex():
    """Hermitian input: numpy reads the lower (upper=True: upper) triangle
    and the real part of the diagonal, so noise elsewhere changes nothing,
    the value or the derivative."""
    check(np.linalg.cholesky, hpd(4, 4))
    check(np.linalg.cholesky, hpd(2, 3, 3))
    check(np.linalg.cholesky, hpd(1, 1))
    check(lambda a: np.linalg.cholesky(a, upper=True), hpd(3, 3))
    junk = (npr.randn(3, 3) + 1j * npr.randn(3, 3)) * numpy.triu(numpy.ones((3, 3)), 1)
    imag_diag = 1j * numpy.diag(npr.randn(3))
    check(np.linalg.cholesky, hpd(3, 3) + junk + imag_diag)
    check(lambda a: np.linalg.cholesky(a, upper=True), hpd(3, 3) + junk.T + imag_diag)
    check(lambda b: np.linalg.cholesky(b @ np.conj(b.T) + 3 * np.eye(3)), npr.randn(3, 3) + 1j * npr.randn(3, 3))
    # a real-valued function: the log-determinant of a Hermitian matrix
    check(lambda a: 2 * np.sum(np.log(np.real(np.diagonal(np.linalg.cholesky(a))))), hpd(4, 4))
    got = traced_value(np.linalg.cholesky, hpd(3, 3))
    assert got.dtype == numpy.complex128


def test_cholesky_complex_gradient_closed_form():
    """log det A = 2 Σ log L_ii for Hermitian A: by autograd's convention
    its gradient with respect to the lower triangle read is 2 conj(A⁻¹)
    below the diagonal, and the real diagonal of A⁻¹ on it."""
    a = hpd(4, 4)
    g = grad(lambda a: 2 * np.sum(np.log(np.real(np.diagonal(np.linalg.cholesky(a))))))(a)
    inv = numpy.linalg.inv(a)
    want = numpy.tril(2 * inv.conj(), -1) + numpy.diag(numpy.diag(inv).real)
    assert numpy.allclose(g, want, rtol=1e-10, atol=1e-12)
    l = numpy.linalg.cholesky(a)
    with pytest.raises(numpy.linalg.LinAlgError):
        grad(lambda a: np.real(np.sum(np.linalg.cholesky(a))))(a - 10 * numpy.eye(4))
    assert l.dtype == numpy.complex128


def test_cholesky_gradient():
    """numpy's cholesky reads the lower triangle only, so the gradient is
    lower triangular; its symmetric part is upstream autograd's symmetric
    gradient sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹) (Murray 2016), computed here with numpy."""
    a = spd(4, 4)
    g = grad(lambda a: np.sum(np.sin(np.linalg.cholesky(a))))(a)
    assert numpy.array_equal(g, numpy.tril(g))
    L = numpy.linalg.cholesky(a)
    P = numpy.tril(L.T @ numpy.cos(L)) * (1 - 0.5 * numpy.eye(4))
    Linv = numpy.linalg.inv(L)
    G = Linv.T @ P @ Linv
    assert numpy.allclose((g + g.T) / 2, (G + G.T) / 2, rtol=1e-10, atol=1e-12)


def test_solve():
    a = invertible(3, 3)
    check(np.linalg.solve, a, npr.randn(3, 2))
    check(np.linalg.solve, a, npr.randn(3))
    check(np.linalg.solve, invertible(2, 3, 3), npr.randn(3))       # stack, one vector
    check(np.linalg.solve, invertible(2, 3, 3), npr.randn(3, 1))    # stack, b broadcast
    check(np.linalg.solve, a, npr.randn(2, 3, 2))                   # a broadcast
    check(np.linalg.solve, invertible(2, 1, 3, 3), npr.randn(3, 3, 2))


def test_solve_complex_right_hand_side():
    a, b = invertible(3, 3), npr.randn(3, 2) + 1j * npr.randn(3, 2)
    check(np.linalg.solve, a, b)
    check(lambda b: np.linalg.solve(a, b), b[:, 0])


def test_inv():
    check(np.linalg.inv, invertible(3, 3))
    check(np.linalg.inv, invertible(2, 3, 3))


def test_det():
    a = invertible(6, 3, 3)
    assert (numpy.linalg.det(a) > 0).any() and (numpy.linalg.det(a) < 0).any()
    check(np.linalg.det, a)
    check(np.linalg.det, invertible(4, 4))
    check(np.linalg.det, invertible(1, 1))


def test_slogdet():
    a = invertible(6, 3, 3)
    check(lambda a: np.linalg.slogdet(a)[1], a)
    check(lambda a: np.linalg.slogdet(a).logabsdet, invertible(4, 4))

    def f(a):
        sign, logabsdet = np.linalg.slogdet(a)
        return sign * np.exp(logabsdet)  # the determinant
    check(f, a)


def complex_general(*shape):
    """A stack of complex matrices with normal entries: not diagonally
    dominant, so their factorization pivots (almost surely invertible)."""
    return npr.randn(*shape) + 1j * npr.randn(*shape)


def complex_invertible(*shape):
    """A stack of well-conditioned complex matrices."""
    return invertible(*shape) + 0.5j * npr.uniform(-1, 1, shape)


def test_solve_complex():
    a = complex_invertible(3, 3)
    cb = npr.randn(3, 2) + 1j * npr.randn(3, 2)
    check(np.linalg.solve, a, cb)
    check(np.linalg.solve, a, npr.randn(3, 2))                       # complex a, real b
    check(np.linalg.solve, a, cb[:, 0])                               # vector b
    check(np.linalg.solve, complex_invertible(2, 3, 3), cb[:, 0])     # stack, one vector
    check(np.linalg.solve, complex_invertible(2, 3, 3), cb[:, :1])    # stack, b broadcast
    check(np.linalg.solve, a, npr.randn(2, 3, 2) + 1j * npr.randn(2, 3, 2))  # a broadcast
    check(np.linalg.solve, complex_invertible(2, 1, 3, 3), cb + npr.randn(3, 3, 2))


def test_inv_complex():
    check(np.linalg.inv, complex_invertible(3, 3))
    check(np.linalg.inv, complex_invertible(2, 3, 3))
    check(np.linalg.inv, complex_general(4, 4))


def test_det_complex():
    a = complex_invertible(3, 3, 3)
    check(np.linalg.det, a)
    check(lambda a: np.abs(np.linalg.det(a)), a)           # a real readout
    check(lambda a: np.real(np.linalg.det(a)), complex_general(4, 4))
    check(np.linalg.det, complex_invertible(1, 1))


def test_slogdet_complex():
    a = complex_invertible(4, 3, 3)
    check(lambda a: np.linalg.slogdet(a)[1], a)
    check(lambda a: np.linalg.slogdet(a).logabsdet, complex_general(4, 4))

    def f(a):
        sign, logabsdet = np.linalg.slogdet(a)
        return np.real(sign * np.exp(logabsdet))  # the determinant's real part
    # sign is a constant (no gradient): check values only
    assert numpy.allclose(traced_value(f, a), numpy.real(numpy.linalg.det(a)), rtol=1e-12)


def test_logabsdet_complex_gradient():
    """log|det A| is real and not holomorphic: by autograd's convention its
    gradient is ∂f/∂x − i ∂f/∂y, which is A⁻ᵀ; checked against central
    differences along the real and imaginary directions of each entry."""
    a = complex_general(3, 3)
    g = grad(lambda a: np.linalg.slogdet(a)[1])(a)
    assert numpy.allclose(g, numpy.linalg.inv(a).T, rtol=1e-10)
    f = lambda a: numpy.linalg.slogdet(a)[1]
    h = 1e-6
    fd = numpy.zeros_like(a)
    for i in range(3):
        for j in range(3):
            e = numpy.zeros((3, 3))
            e[i, j] = 1
            dx = (f(a + h * e) - f(a - h * e)) / (2 * h)
            dy = (f(a + 1j * h * e) - f(a - 1j * h * e)) / (2 * h)
            fd[i, j] = dx - 1j * dy
    assert numpy.allclose(g, fd, rtol=1e-6, atol=1e-8)


def test_complex_values_match_numpy():
    for a in [complex_general(4, 4), complex_invertible(2, 3, 3), complex_general(2, 1, 5, 5),
              numpy.array([[0, 1 + 1j, 2], [0, 3, -1j], [2 - 1j, 0.5, 1]])]:  # must pivot
        for name in ["inv", "det"]:
            got = traced_value(getattr(np.linalg, name), a)
            expected = getattr(numpy.linalg, name)(a)
            assert got.dtype == expected.dtype and got.shape == expected.shape
            assert numpy.allclose(got, expected, rtol=1e-12, atol=1e-12)
        res, expected = traced_value(lambda a: np.linalg.slogdet(a), a), numpy.linalg.slogdet(a)
        assert type(res) is type(expected)
        assert res.sign.dtype == expected.sign.dtype == numpy.complex128
        assert numpy.allclose(res.sign, expected.sign, rtol=1e-12)
        assert numpy.allclose(res.logabsdet, expected.logabsdet, rtol=1e-12)
        n = a.shape[-1]
        for b in [npr.randn(n), npr.randn(n) + 1j * npr.randn(n), npr.randn(n, 2),
                  npr.randn(2, n, 2) + 1j * npr.randn(2, n, 2)]:
            got, expected = traced_value(np.linalg.solve, a, b), numpy.linalg.solve(a, b)
            assert got.dtype == expected.dtype and got.shape == expected.shape
            assert numpy.allclose(got, expected, rtol=1e-11, atol=1e-12)
    # real matrix, complex right-hand side (gonum's LAPACK, as before)
    a, b = invertible(3, 3), npr.randn(3) + 1j * npr.randn(3)
    assert numpy.allclose(traced_value(np.linalg.solve, a, b), numpy.linalg.solve(a, b), rtol=1e-12)


# ------------------------------------------------------------ values

def test_values_and_types_match_numpy():
    a, s = invertible(2, 4, 4), spd(2, 4, 4)
    for f, x in [(np.linalg.cholesky, s), (np.linalg.inv, a), (np.linalg.det, a)]:
        expected = getattr(numpy.linalg, f.__name__)(x)
        assert numpy.allclose(traced_value(f, x), expected, rtol=1e-12, atol=1e-12)
    res = traced_value(lambda a: np.linalg.slogdet(a), a)
    expected = numpy.linalg.slogdet(a)
    assert type(res) is type(expected)
    assert numpy.array_equal(res.sign, expected.sign)
    assert numpy.allclose(res.logabsdet, expected.logabsdet, rtol=1e-12)
    b = npr.randn(4)
    assert numpy.allclose(traced_value(np.linalg.solve, a, b), numpy.linalg.solve(a, b), rtol=1e-12)


def test_untraced_calls_are_numpys():
    a, s = invertible(3, 3), spd(3, 3)
    for name, args in [("cholesky", (s,)), ("solve", (a, numpy.ones(3))), ("inv", (a,)),
                       ("det", (a,)), ("slogdet", (a,))]:
        got, expected = getattr(np.linalg, name)(*args), getattr(numpy.linalg, name)(*args)
        assert type(got) is type(expected)
        for g, e in zip(numpy.atleast_1d(got) if name != "slogdet" else got,
                        numpy.atleast_1d(expected) if name != "slogdet" else expected):
            assert numpy.array_equal(g, e)


# ------------------------------------------------------------ errors

def numpy_error(f, *args):
    with pytest.raises(Exception) as e:
        f(*args)
    return type(e.value), str(e.value)


@pytest.mark.parametrize("name,args", [
    ("cholesky", (numpy.array([[1.0, 2.0], [2.0, 1.0]]),)),         # indefinite
    ("solve", (numpy.array([[1.0, 2.0], [2.0, 4.0]]), numpy.ones(2))),  # singular
    ("solve", (numpy.array([[1.0, 2.0], [2.0, 4.0]]), numpy.ones((2, 2)))),
    ("inv", (numpy.array([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 4.0]]]),)),
    ("inv", (numpy.ones((2, 3)),)),                                    # not square
    ("det", (numpy.ones(3),)),                                         # 1-d
    ("solve", (numpy.eye(3), numpy.ones(4))),                          # mismatched b
    ("solve", (numpy.eye(3), numpy.ones((4, 2)))),
])
def test_errors_match_numpy(name, args):
    kind, msg = numpy_error(getattr(numpy.linalg, name), *args)
    f = getattr(np.linalg, name)
    with pytest.raises(kind) as e:
        grad(lambda a: np.sum(f(a, *args[1:])))(args[0])
    assert str(e.value) == msg
    if kind is numpy.linalg.LinAlgError:
        assert isinstance(e.value, numpy.linalg.LinAlgError)


@pytest.mark.parametrize("name,args", [
    ("solve", (numpy.array([[1, 1j, 2], [1, 2 + 1j, -1j], [2, 2 + 2j, 2 - 1j]]), numpy.ones(3))),
    ("solve", (numpy.array([[0, 1j], [0, 2]]), numpy.ones((2, 2)) + 1j)),
    ("inv", (numpy.array([[1, 1j, 2], [1, 2 + 1j, -1j], [2, 2 + 2j, 2 - 1j]]),)),
    ("inv", (numpy.array([[[2, 1j], [0, 2]], [[1j, 2], [-1, 2j]]]),)),   # one singular in a stack
])
def test_complex_singular_errors_match_numpy(name, args):
    kind, msg = numpy_error(getattr(numpy.linalg, name), *args)
    f = getattr(np.linalg, name)
    with pytest.raises(kind) as e:
        make_vjp(lambda a: f(a, *args[1:]))(args[0])
    assert isinstance(e.value, numpy.linalg.LinAlgError) and str(e.value) == msg


def test_complex_singular_det_and_slogdet():
    for s in [numpy.array([[1, 1j, 2], [1, 2 + 1j, -1j], [2, 2 + 2j, 2 - 1j]]),
              numpy.array([[0, 1j], [0, 2]])]:
        assert numpy.linalg.det(s) == 0  # numpy's, exactly
        d = traced_value(np.linalg.det, s)
        assert d == 0 and numpy.iscomplexobj(d)
        res = traced_value(lambda a: np.linalg.slogdet(a), s)
        assert res.sign == 0 and numpy.iscomplexobj(res.sign)
        assert res.logabsdet == -numpy.inf and not numpy.iscomplexobj(res.logabsdet)


def test_det_gradient_at_a_singular_matrix():
    # the value is numpy's 0; the derivative rule needs the inverse
    s = numpy.array([[1.0, 2.0], [2.0, 4.0]])
    assert traced_value(np.linalg.det, s) == 0
    with pytest.raises(numpy.linalg.LinAlgError):
        grad(np.linalg.det)(s)


# ------------------------------------------------------------ the benchmark's workload

def gp_nll(N=20, seed=1):
    rs = numpy.random.RandomState(seed)
    x = numpy.sort(rs.rand(N) * 10)
    y = numpy.sin(x) + 0.1 * rs.randn(N)

    def nll(theta):
        ls, sf, sn = np.exp(theta[0]), np.exp(theta[1]), np.exp(theta[2])
        d = (x[:, None] - x[None, :]) / ls
        K = sf * np.exp(-0.5 * d ** 2) + (sn + 1e-6) * np.eye(N)
        L = np.linalg.cholesky(K)
        alpha = np.linalg.solve(K, y)
        return 0.5 * np.dot(y, alpha) + np.sum(np.log(np.diag(L)))
    return nll


def test_gp_negative_log_likelihood():
    nll = gp_nll()
    theta = numpy.array([0.0, 0.0, -2.0])
    check(nll, theta)
    check(nll, numpy.array([0.3, -0.5, -1.0]))
    g = grad(nll)(theta)
    assert g.shape == (3,) and numpy.all(numpy.isfinite(g))


# ------------------------------------------------------------ matrix_power

@pytest.mark.filterwarnings("ignore:Output seems independent of input")  # n = 0
@pytest.mark.parametrize("n", [-5, -2, -1, 0, 1, 2, 3, 4, 7, numpy.int64(6)])
def test_matrix_power(n):
    check(lambda a: np.linalg.matrix_power(a, n), invertible(3, 3))
    check(lambda a: np.linalg.matrix_power(a, n), invertible(2, 3, 3))
    a = invertible(3, 3)
    expected = numpy.linalg.matrix_power(a, n)
    got = traced_value(lambda a: np.linalg.matrix_power(a, n), a)
    assert got.dtype == expected.dtype
    assert numpy.allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_matrix_power_untraced_is_numpys():
    a = npr.randint(-3, 3, size=(2, 3, 3))
    for n in [0, 1, 5]:
        got, expected = np.linalg.matrix_power(a, n), numpy.linalg.matrix_power(a, n)
        assert got.dtype == expected.dtype and numpy.array_equal(got, expected)


@pytest.mark.parametrize("a,n", [
    (numpy.eye(2), 1.5),                            # TypeError
    (numpy.ones(3), 2),                             # 1-d
    (numpy.ones((2, 3)), 2),                        # not square
    (numpy.array([[1.0, 2.0], [2.0, 4.0]]), -1),    # singular
])
def test_matrix_power_errors_match_numpy(a, n):
    kind, msg = numpy_error(numpy.linalg.matrix_power, a, n)
    with pytest.raises(kind) as e:
        grad(lambda a: np.sum(np.linalg.matrix_power(a, n)))(a)
    assert type(e.value) is kind and str(e.value) == msg
