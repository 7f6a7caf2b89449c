"""autograd.numpy.linalg.eig and eigvals on real and complex matrices:
traced values equal numpy's (same eigenvalue order, same eigenvector
phases, real when numpy's are), derivatives by finite differences (forward
and reverse mode, second order) of real readouts and, for complex
matrices, of the raw factors and phase-invariant functions of them, closed
forms, and errors."""
import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd import grad, holomorphic_grad, make_vjp
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
        if numpy.iscomplexobj(m):
            d = d + 1e-6j * rs.randn(*m.shape)
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


# ------------------------------------------------------------ complex matrices
#
# numpy's zgeev makes each eigenvector's entry of largest modulus real and
# positive, the core's own convention: its phases are locally constant
# (away from ties of the moduli), so the raw factors w and v are
# differentiable functions that finite differences of numpy check.

def crandn(*shape):
    return npr.randn(*shape) + 1j * npr.randn(*shape)


def cseparated(*shape):
    """A stack of complex matrices S D S⁻¹ with S well conditioned and D's
    eigenvalues complex, their real parts at least 0.6 apart."""
    n = shape[-1]
    out = numpy.empty(shape, dtype=complex)
    for idx in numpy.ndindex(*shape[:-2]):
        while True:
            d = numpy.diag(0.75 * npr.permutation(n) - 0.375 * (n - 1) + npr.uniform(-0.07, 0.07, n)
                           + 1j * npr.uniform(-0.5, 0.5, n))
            s = numpy.eye(n) + 0.3 * crandn(n, n) / numpy.sqrt(2 * n)
            m = s @ d @ numpy.linalg.inv(s)
            if _numpy_phases_steady(m):
                break
        out[idx] = m
    return out


@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (4, 4), (7, 7), (16, 16), (2, 3, 3), (2, 1, 5, 5)])
def test_complex_eig_values_are_numpys(shape):
    a = crandn(*shape)
    w, v = traced_value(np.linalg.eig, a)
    nw, nv = numpy.linalg.eig(a)
    assert w.dtype == nw.dtype == numpy.complex128 and v.dtype == nv.dtype == numpy.complex128
    assert w.shape == nw.shape and v.shape == nv.shape
    numpy.testing.assert_allclose(w, nw, rtol=1e-12, atol=1e-12)
    numpy.testing.assert_allclose(v, nv, rtol=1e-10, atol=1e-10)
    res = traced_value(lambda a: np.linalg.eig(a), a)
    assert type(res) is type(numpy.linalg.eig(a))
    # the residual of the traced factors, relative to the matrix
    r = numpy.abs(a @ v - v * w[..., None, :]).max() / numpy.abs(a).max()
    assert r < 1e-13


@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (2, 3, 3)])
def test_complex_eigvals_values_are_numpys(shape):
    a = crandn(*shape)
    w = traced_value(np.linalg.eigvals, a)
    nw = numpy.linalg.eigvals(a)
    assert w.dtype == nw.dtype == numpy.complex128 and w.shape == nw.shape
    numpy.testing.assert_allclose(w, nw, rtol=1e-12, atol=1e-12)


def test_complex_special_matrices_are_numpys():
    # Hermitian, triangular, a real matrix given as complex, a cyclic
    # permutation (roots of unity): numpy's complex results, ours equal
    s = crandn(5, 5)
    cyc = numpy.roll(numpy.eye(5), 1, axis=0).astype(complex)
    for a in (s + s.conj().T, numpy.triu(s), numpy.tril(s), npr.randn(5, 5).astype(complex), cyc):
        w, v = traced_value(np.linalg.eig, a)
        nw, nv = numpy.linalg.eig(a)
        assert w.dtype == numpy.complex128 and v.dtype == numpy.complex128
        numpy.testing.assert_allclose(w, nw, atol=1e-12)
        # the cyclic permutation's vectors tie in modulus: phases may differ
        if a is cyc:
            numpy.testing.assert_allclose(numpy.abs(v), numpy.abs(nv), atol=1e-12)
        else:
            numpy.testing.assert_allclose(v, nv, atol=1e-10)


def test_complex_empty_is_numpys():
    for shape in [(0, 0), (2, 0, 0)]:
        a = numpy.zeros(shape, dtype=complex)
        w, v = traced_value(np.linalg.eig, a)
        nw, nv = numpy.linalg.eig(a)
        assert w.shape == nw.shape and v.shape == nv.shape and w.dtype == nw.dtype


@pytest.mark.parametrize("shape", [(2, 2), (4, 4), (2, 3, 3)])
def test_complex_eig_grads_raw(shape):
    a = cseparated(*shape)
    grads(lambda a: tuple(np.linalg.eig(a)), a)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_complex_eig_grads_phase_invariant(shape):
    # readouts that do not depend on the eigenvectors' phases
    a = cseparated(*shape)

    def fun(a):
        w, v = np.linalg.eig(a)
        f = np.matmul(v * np.exp(w)[..., None, :], np.linalg.inv(v))  # expm(a)
        return np.abs(v), w, f, np.sum(np.abs(w) ** 2)
    grads(fun, a)


def test_complex_eig_grads_real_imag():
    a = cseparated(4, 4)

    def fun(a):
        w, v = np.linalg.eig(a)
        return np.real(w), np.imag(w), np.real(v), np.imag(v)
    grads(fun, a)


def test_complex_eigvals_grads():
    a = cseparated(2, 4, 4)
    grads(np.linalg.eigvals, a)
    grads(lambda a: np.sum(np.abs(np.linalg.eigvals(a)) ** 2), a)


def test_complex_matrix_works():
    # formerly a TypeError: a real parameter scaling a complex matrix
    z = cseparated(3, 3)

    def f(x):
        return np.sum(np.abs(np.linalg.eig(x * z)[0])) + np.sum(np.abs(np.linalg.eig(x * z)[1][0]))
    g = grad(f)(1.3)
    h = 1e-6
    numpy.testing.assert_allclose(g, (f(1.3 + h) - f(1.3 - h)) / (2 * h), rtol=1e-6)
    assert numpy.isclose(grad(lambda x: np.sum(np.abs(np.linalg.eigvals(x * z))))(1.0),
                         numpy.sum(numpy.abs(numpy.linalg.eigvals(z))))


def _fd_gradient(f, a, h=1e-6):
    """autograd's gradient of a real f at complex a by central differences:
    ∂f/∂x − i ∂f/∂y, entry by entry."""
    g = numpy.zeros_like(a)
    for idx in numpy.ndindex(*a.shape):
        e = numpy.zeros_like(a)
        e[idx] = h
        dx = (f(a + e) - f(a - e)) / (2 * h)
        dy = (f(a + 1j * e) - f(a - 1j * e)) / (2 * h)
        g[idx] = dx - 1j * dy
    return g


def test_complex_closed_forms():
    # Σ w = tr a and Σ w² = tr a² are holomorphic: their derivatives are I
    # and 2aᵀ (no conjugation, autograd's convention for holomorphic
    # functions); the real functions Re Σ w and Re Σ w² have the same
    # gradients under the convention ∂f/∂x − i ∂f/∂y, which finite
    # differences of numpy confirm
    a = cseparated(4, 4)
    numpy.testing.assert_allclose(holomorphic_grad(lambda a: np.sum(np.linalg.eigvals(a)))(a),
                                  numpy.eye(4), atol=1e-12)
    numpy.testing.assert_allclose(holomorphic_grad(lambda a: np.sum(np.linalg.eig(a)[0] ** 2))(a),
                                  2 * a.T, atol=1e-10)
    re_sq = lambda a: np.real(np.sum(np.linalg.eigvals(a) ** 2))
    g = grad(re_sq)(a)
    numpy.testing.assert_allclose(g, 2 * a.T, atol=1e-10)
    numpy.testing.assert_allclose(_fd_gradient(re_sq, a), g, atol=1e-6)
    numpy.testing.assert_allclose(grad(lambda a: np.real(np.sum(np.linalg.eigvals(a))))(a),
                                  numpy.eye(4), atol=1e-12)
    # and a non-holomorphic one through the vectors: Σ |v|⁴
    fv = lambda a: np.sum(np.abs(np.linalg.eig(a)[1]) ** 4)
    numpy.testing.assert_allclose(_fd_gradient(fv, a), grad(fv)(a), atol=1e-6)


@pytest.mark.parametrize("a", [
    numpy.array([[1j, numpy.nan], [0.0, 1.0]]),
    numpy.array([[1.0, 0.0], [complex(0, numpy.inf), 1.0]]),
    numpy.ones((2, 3), dtype=complex),
])
@pytest.mark.parametrize("f", [lambda a: np.linalg.eig(a)[0], np.linalg.eigvals])
def test_complex_errors_match_numpy(f, a):
    with pytest.raises(Exception) as want:
        numpy.linalg.eig(a)
    with pytest.raises(type(want.value)) as got:
        grad(lambda a: np.sum(np.abs(f(a))))(a)
    assert type(got.value) is type(want.value) and str(got.value) == str(want.value)
