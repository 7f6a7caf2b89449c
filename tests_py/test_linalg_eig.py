"""autograd.numpy.linalg.eig and eigvals on real matrices: traced values
equal numpy's (same eigenvalue order, same eigenvector phases, real when
numpy's are), derivatives by finite differences (forward and reverse mode,
second order) of real readouts, closed forms, and errors."""
import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd import grad, make_vjp
from autograd.test_util import check_grads


def traced_value(f, *args):
    return make_vjp(lambda *a: f(*a), tuple(range(len(args))))(*args)[1]


def grads(f, a):
    check_grads(f, modes=["fwd", "rev"], order=2)(a)


def _numpy_phases_steady(m):
    """Whether numpy's eigenvectors of m keep their phases under small
    perturbations.  LAPACK makes each vector's largest entry real but
    leaves its sign to the rounding of the reduction, so at some matrices
    (which ones depends on the CPU's BLAS kernels) numpy's function flips a
    vector's sign between m and m ± 1e-6 d: no finite difference means
    anything there."""
    w, v = numpy.linalg.eig(m)
    rs = numpy.random.RandomState(0)
    for _ in range(4):
        d = 1e-6 * rs.randn(*m.shape)
        for s in (1, -1):
            wp, vp = numpy.linalg.eig(m + s * d)
            order = [int(numpy.argmin(abs(wp - z))) for z in w]
            if not numpy.allclose(vp[:, order], v, atol=1e-4):
                return False
    return True


def separated(*shape, pair=True):
    """A stack of real matrices S D S⁻¹ with S well conditioned and D's
    eigenvalues at least 0.6 apart: the first two a complex-conjugate pair
    (when pair is set and n >= 2), the others real.  Each matrix is one at
    which numpy's eigenvector phases are locally constant (redrawn until
    it is)."""
    n = shape[-1]
    out = numpy.empty(shape)
    for idx in numpy.ndindex(*shape[:-2]):
        out[idx] = _separated_one(n, pair)
    return out


def _separated_one(n, pair):
    while True:
        d = numpy.diag(0.75 * npr.permutation(n) - 0.375 * (n - 1) + npr.uniform(-0.07, 0.07, n))
        if pair and n >= 2:
            re, im = npr.uniform(-0.3, 0.3), npr.uniform(0.6, 0.9)
            d[:2, :2] = [[re, im], [-im, re]]
        s = numpy.eye(n) + 0.3 * npr.randn(n, n) / numpy.sqrt(n)
        m = s @ d @ numpy.linalg.inv(s)
        if _numpy_phases_steady(m):
            return m


@pytest.fixture(autouse=True)
def _seed():
    npr.seed(2)


# ------------------------------------------------------------ values

@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (4, 4), (7, 7), (2, 3, 3), (2, 1, 5, 5)])
def test_eig_values_are_numpys(shape):
    a = npr.randn(*shape)
    w, v = traced_value(np.linalg.eig, a)
    nw, nv = numpy.linalg.eig(a)
    assert w.dtype == nw.dtype and v.dtype == nv.dtype
    assert w.shape == nw.shape and v.shape == nv.shape
    # same order and same phases: the values themselves agree
    numpy.testing.assert_allclose(w, nw, rtol=1e-12, atol=1e-12)
    numpy.testing.assert_allclose(v, nv, rtol=1e-10, atol=1e-10)
    res = traced_value(lambda a: np.linalg.eig(a), a)
    assert type(res) is type(numpy.linalg.eig(a))
    assert numpy.allclose(res.eigenvalues, nw) and numpy.allclose(res.eigenvectors, nv)


@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (2, 3, 3)])
def test_eigvals_values_are_numpys(shape):
    a = npr.randn(*shape)
    w = traced_value(np.linalg.eigvals, a)
    nw = numpy.linalg.eigvals(a)
    assert w.dtype == nw.dtype and w.shape == nw.shape
    numpy.testing.assert_allclose(w, nw, rtol=1e-12, atol=1e-12)


def test_real_spectrum_gives_real_result():
    # symmetric and triangular matrices: numpy returns real arrays, so do we
    s = npr.randn(4, 4)
    for a in (s + s.T, numpy.triu(s), separated(2, 4, 4, pair=False)):
        w, v = traced_value(np.linalg.eig, a)
        nw, nv = numpy.linalg.eig(a)
        assert w.dtype == numpy.float64 and v.dtype == numpy.float64 and nw.dtype == numpy.float64
        numpy.testing.assert_allclose(w, nw, atol=1e-12)
        numpy.testing.assert_allclose(v, nv, atol=1e-10)


def test_rotation():
    w, v = traced_value(np.linalg.eig, numpy.array([[0.0, -1.0], [1.0, 0.0]]))
    nw, nv = numpy.linalg.eig(numpy.array([[0.0, -1.0], [1.0, 0.0]]))
    numpy.testing.assert_allclose(w, [1j, -1j], atol=1e-15)
    numpy.testing.assert_allclose(v, nv, atol=1e-15)


def test_untraced_is_numpys():
    a = npr.randn(3, 3)
    w, v = np.linalg.eig(a)
    nw, nv = numpy.linalg.eig(a)
    assert numpy.array_equal(w, nw) and numpy.array_equal(v, nv)
    assert numpy.array_equal(np.linalg.eigvals(a), numpy.linalg.eigvals(a))


# ------------------------------------------------------------ derivatives

@pytest.mark.parametrize("shape", [(2, 2), (4, 4), (2, 3, 3)])
def test_eig_grads_abs(shape):
    a = separated(*shape)
    grads(lambda a: tuple(np.abs(x) for x in np.linalg.eig(a)), a)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_eig_grads_real_imag(shape):
    # numpy's phases (largest entry real) are locally constant, so Re v and
    # Im v are differentiable functions of the matrix too
    a = separated(*shape)

    def fun(a):
        w, v = np.linalg.eig(a)
        return np.real(w), np.imag(w), np.real(v), np.imag(v)
    grads(fun, a)


def test_eig_grads_real_spectrum():
    a = separated(4, 4, pair=False)
    grads(lambda a: tuple(np.linalg.eig(a)), a)


def test_eigvals_grads():
    a = separated(2, 4, 4)
    grads(lambda a: (np.real(np.linalg.eigvals(a)), np.imag(np.linalg.eigvals(a))), a)
    grads(lambda a: np.sum(np.abs(np.linalg.eigvals(a)) ** 2), a)


def test_eig_composite():
    # a scalar through eigenvectors and eigenvalues together
    a = separated(4, 4)

    def fun(a):
        w, v = np.linalg.eig(a)
        return np.real(np.sum(v * np.conj(v) * w[None, :] ** 2)) + np.sum(np.abs(v[0]))
    grads(fun, a)


def test_trace_gradient_closed_form():
    # sum(w) = trace(a): its gradient is the identity; d/da sum(w²) = 2aᵀ
    a = separated(4, 4)
    numpy.testing.assert_allclose(grad(lambda a: np.real(np.sum(np.linalg.eigvals(a))))(a),
                                  numpy.eye(4), atol=1e-12)
    numpy.testing.assert_allclose(grad(lambda a: np.real(np.sum(np.linalg.eig(a)[0] ** 2)))(a),
                                  2 * a.T, atol=1e-10)


# ------------------------------------------------------------ errors

def test_complex_matrix_raises_type_error():
    z = npr.randn(3, 3) + 1j * npr.randn(3, 3)
    with pytest.raises(TypeError, match="linalg.eig:"):
        grad(lambda x: np.sum(np.abs(np.linalg.eig(x * z)[0])))(1.0)
    with pytest.raises(TypeError, match="linalg.eigvals:"):
        grad(lambda x: np.sum(np.abs(np.linalg.eigvals(x * z))))(1.0)


@pytest.mark.parametrize("a", [
    numpy.array([[1.0, numpy.nan], [0.0, 1.0]]),
    numpy.array([[1.0, numpy.inf], [0.0, 1.0]]),
    numpy.ones((2, 3)),
    numpy.ones(3),
])
@pytest.mark.parametrize("f", [lambda a: np.linalg.eig(a)[0], np.linalg.eigvals])
def test_errors_match_numpy(f, a):
    with pytest.raises(Exception) as want:
        numpy.linalg.eig(a)
    with pytest.raises(type(want.value)) as got:
        grad(lambda a: np.sum(np.abs(f(a))))(a)
    assert type(got.value) is type(want.value) and str(got.value) == str(want.value)


def test_order_matching():
    # gonum's and numpy's LAPACK usually agree on the order; the matching
    # that makes them agree in any case is a permutation (nearest, each used
    # once)
    from autograd.numpy.linalg import _eig_match
    ours = numpy.array([[1 + 1j, 1 - 1j, -2, 3], [0.5, 0.25, 0.5001, 9]])
    theirs = numpy.array([[3, -2, 1 - 1j, 1 + 1j], [9, 0.5001, 0.5, 0.25]])
    assert _eig_match(ours, theirs).tolist() == [[3, 2, 1, 0], [3, 2, 0, 1]]
