"""autograd.numpy.linalg's spectral decompositions (eigh, eigvalsh, svd,
svdvals) and what is built on them (norm with ord 2 / -2 / 'nuc', pinv):
traced values against numpy's, compared through sign-invariant quantities
(eigenvector signs are arbitrary), derivatives by finite differences
(forward and reverse mode, second order) of sign-invariant functions of
the factors, and errors; for real and complex (Hermitian, for eigh)
matrices."""
import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd import grad, make_vjp
from autograd.test_util import check_grads


def traced_value(f, *args):
    """f(*args) computed under a reverse trace (the value of the boxes)."""
    return make_vjp(lambda *a: f(*a), tuple(range(len(args))))(*args)[1]


def grads(f, *args):
    check_grads(f, tuple(range(len(args))), modes=["fwd", "rev"], order=2)(*args)


def orthonormal(m, k):
    q, _ = numpy.linalg.qr(npr.randn(m, k))
    return q


def separated(k, lo):
    """k values at least 0.6 apart from lo, in random order."""
    return lo + 0.75 * npr.permutation(k) + npr.uniform(-0.075, 0.075, k)


def symmetric(*shape):
    """A stack of symmetric matrices with eigenvalues of both signs, well
    separated (eigenvectors unique up to sign)."""
    n = shape[-1]
    out = numpy.empty(shape)
    for idx in numpy.ndindex(*shape[:-2]):
        q = orthonormal(n, n)
        out[idx] = (q * separated(n, -0.375 * (n - 1))) @ q.T
    return out


def well_separated(*shape):
    """A stack of matrices whose singular values are distinct and at
    least 0.45."""
    m, n = shape[-2:]
    k = min(m, n)
    out = numpy.empty(shape)
    for idx in numpy.ndindex(*shape[:-2]):
        out[idx] = (orthonormal(m, k) * separated(k, 0.5)) @ orthonormal(n, k).T
    return out


def sym_lower(a):
    """The symmetric matrices of a's lower triangles."""
    low = numpy.tril(a)
    return low + numpy.swapaxes(numpy.tril(a, -1), -1, -2)


@pytest.fixture(autouse=True)
def _seed():
    npr.seed(1)


# ------------------------------------------------------------ eigh values

@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (2, 3, 3), (2, 1, 5, 5)])
@pytest.mark.parametrize("UPLO", ["L", "U"])
def test_eigh_values(shape, UPLO):
    junk = npr.randn(*shape)
    mask = numpy.triu(numpy.ones(shape[-2:]), 1)
    if UPLO == "U":
        mask = mask.T
    a = symmetric(*shape) + junk * mask  # numpy reads only the UPLO triangle
    w, v = traced_value(lambda a: np.linalg.eigh(a, UPLO), a)
    nw, nv = numpy.linalg.eigh(a, UPLO)
    assert w.shape == nw.shape and v.shape == nv.shape
    assert numpy.allclose(w, nw, rtol=1e-12, atol=1e-12)
    # eigenvectors of distinct eigenvalues are unique up to sign
    assert numpy.allclose(numpy.abs(v), numpy.abs(nv), atol=1e-10)
    assert numpy.allclose(numpy.einsum("...ij,...ij->...j", v, nv) ** 2, 1, atol=1e-10)
    sym = sym_lower(a) if UPLO == "L" else numpy.swapaxes(sym_lower(numpy.swapaxes(a, -1, -2)), -1, -2)
    assert numpy.allclose((v * w[..., None, :]) @ numpy.swapaxes(v, -1, -2), sym, atol=1e-12)
    assert numpy.allclose(traced_value(lambda a: np.linalg.eigvalsh(a, UPLO=UPLO), a),
                          numpy.linalg.eigvalsh(a, UPLO=UPLO), rtol=1e-12, atol=1e-12)
    # the signs are numpy's: the traced value is numpy's value
    assert numpy.allclose(v, nv, atol=1e-10)


def test_eigh_result_type_and_untraced():
    a = symmetric(3, 3)
    res = traced_value(np.linalg.eigh, a)
    assert type(res) is type(numpy.linalg.eigh(a))
    assert numpy.allclose(res.eigenvalues, numpy.linalg.eigh(a).eigenvalues)
    # untraced calls are numpy's own
    for x, y in zip(np.linalg.eigh(a), numpy.linalg.eigh(a)):
        assert numpy.array_equal(x, y)


# ------------------------------------------------------------ eigh derivatives

def eig_readout(w, v):
    """A sign-invariant function of an eigendecomposition: a matrix
    function v f(w) vᵀ, and the squares of the eigenvectors' entries."""
    vt = np.swapaxes(v, -1, -2)
    return np.sum(np.sin(np.matmul(v * np.sin(w)[..., None, :], vt))) + np.sum(v * v * np.cos(w)[..., None, :])


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
def test_eigh_grads(shape):
    a = symmetric(*shape)
    grads(lambda a: eig_readout(*np.linalg.eigh(a)), a)
    grads(lambda a: eig_readout(*np.linalg.eigh(a, UPLO="U")), a)
    grads(lambda a: np.linalg.eigvalsh(a) ** 3, a)
    # only one triangle is read: a perturbation of the other one has no effect
    grads(lambda a: eig_readout(*np.linalg.eigh(a)), a + numpy.triu(npr.randn(*shape), 1))


def test_eigh_grads_through_symmetric_function():
    b = npr.randn(3, 3)
    grads(lambda b: eig_readout(*np.linalg.eigh(b + b.T)), b)


@pytest.mark.parametrize("UPLO", ["L", "U"])
def test_eigh_gradient_lies_in_the_triangle_read(UPLO):
    a = symmetric(4, 4)
    g = grad(lambda a: eig_readout(*np.linalg.eigh(a, UPLO)))(a)
    tri = numpy.tril(g) if UPLO == "L" else numpy.triu(g)
    assert numpy.array_equal(g, tri)
    assert numpy.abs(g).max() > 0


def test_eigvalsh_gradient_closed_form():
    """d Σ f(w) / dA = V diag(f'(w)) Vᵀ (symmetric part), restricted to the
    lower triangle as Φ(2·sym)."""
    a = symmetric(4, 4)
    g = grad(lambda a: np.sum(np.exp(np.linalg.eigvalsh(a))))(a)
    w, v = numpy.linalg.eigh(a)
    s = (v * numpy.exp(w)) @ v.T
    want = numpy.tril(2 * s) - numpy.diag(numpy.diag(s))
    assert numpy.allclose(g, want, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------ svd values

SVD_SHAPES = [(1, 1), (3, 3), (5, 3), (3, 5), (2, 4, 2), (2, 1, 2, 4), (1, 4), (4, 1)]


@pytest.mark.parametrize("shape", SVD_SHAPES)
def test_svd_values(shape):
    a = well_separated(*shape)
    u, s, vh = traced_value(lambda a: np.linalg.svd(a, full_matrices=False), a)
    nu, ns, nvh = numpy.linalg.svd(a, full_matrices=False)
    assert (u.shape, s.shape, vh.shape) == (nu.shape, ns.shape, nvh.shape)
    assert numpy.allclose(s, ns, rtol=1e-12, atol=1e-12)
    assert numpy.allclose((u * s[..., None, :]) @ vh, a, atol=1e-12)
    # distinct singular values: vectors unique up to a common sign per pair
    assert numpy.allclose(numpy.abs(u), numpy.abs(nu), atol=1e-10)
    assert numpy.allclose(numpy.abs(vh), numpy.abs(nvh), atol=1e-10)
    assert numpy.allclose(u[..., :, :, None] * vh[..., None, :, :],
                          nu[..., :, :, None] * nvh[..., None, :, :], atol=1e-10)
    # the signs are numpy's: the traced value is numpy's value
    assert numpy.allclose(u, nu, atol=1e-10) and numpy.allclose(vh, nvh, atol=1e-10)
    assert numpy.allclose(traced_value(lambda a: np.linalg.svd(a, compute_uv=False), a), ns,
                          rtol=1e-12, atol=1e-12)
    assert numpy.allclose(traced_value(np.linalg.svdvals, a), ns, rtol=1e-12, atol=1e-12)


def test_svd_full_matrices_square_and_result_type():
    a = well_separated(2, 3, 3)
    res = traced_value(np.linalg.svd, a)  # full_matrices=True: square, so the reduced one
    assert type(res) is type(numpy.linalg.svd(a))
    assert numpy.allclose((res.U * res.S[..., None, :]) @ res.Vh, a, atol=1e-12)
    # untraced calls are numpy's own, full matrices included
    for x, y in zip(np.linalg.svd(a[0, :2]), numpy.linalg.svd(a[0, :2])):
        assert numpy.array_equal(x, y)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_svd_hermitian(shape):
    a = symmetric(*shape) + numpy.triu(npr.randn(*shape), 1)
    u, s, vh = traced_value(lambda a: np.linalg.svd(a, hermitian=True), a)
    nu, ns, nvh = numpy.linalg.svd(a, hermitian=True)
    assert numpy.allclose(s, ns, rtol=1e-12, atol=1e-12)
    assert numpy.allclose((u * s[..., None, :]) @ vh, (nu * ns[..., None, :]) @ nvh, atol=1e-12)
    assert numpy.allclose(numpy.abs(u), numpy.abs(nu), atol=1e-10)
    assert numpy.allclose(traced_value(lambda a: np.linalg.svd(a, compute_uv=False, hermitian=True), a),
                          ns, rtol=1e-12, atol=1e-12)
    grads(lambda a: svd_readout(*np.linalg.svd(a, hermitian=True)), a)


# ------------------------------------------------------------ svd derivatives

def svd_readout(u, s, vh):
    """A sign-invariant function of an SVD: u g(s) vh, and the squares of
    the singular vectors' entries."""
    return (np.sum(np.sin(np.matmul(u * np.sqrt(s)[..., None, :], vh)))
            + np.sum(u * u * s[..., None, :]) + np.sum(vh * vh * np.cos(s)[..., :, None]))


@pytest.mark.parametrize("shape", SVD_SHAPES)
def test_svd_grads(shape):
    a = well_separated(*shape)
    grads(lambda a: svd_readout(*np.linalg.svd(a, full_matrices=False)), a)
    grads(lambda a: np.linalg.svd(a, compute_uv=False) ** 2, a)


def test_svd_nuclear_gradient_closed_form():
    a = well_separated(5, 3)
    g = grad(lambda a: np.sum(np.linalg.svdvals(a)))(a)
    u, _, vh = numpy.linalg.svd(a, full_matrices=False)
    assert numpy.allclose(g, u @ vh, rtol=1e-10, atol=1e-12)


def test_svd_full_matrices_non_square_is_not_traced():
    a = well_separated(4, 3)
    with pytest.raises(NotImplementedError, match="full_matrices"):
        grad(lambda a: np.sum(np.linalg.svd(a)[0]))(a)
    # the singular values alone do not need the extra vectors
    grads(lambda a: np.linalg.svd(a, full_matrices=True, compute_uv=False), a)


# ------------------------------------------------------------ norm

@pytest.mark.parametrize("ord", [2, -2, "nuc"])
@pytest.mark.parametrize("shape,axis", [((4, 3), None), ((3, 4), (1, 0)), ((2, 4, 3), (0, 2)),
                                        ((3, 2, 4), (-1, -3))])
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm_spectral(ord, shape, axis, keepdims):
    # distinct singular values in every matrix: well separated after moving the axes
    a = well_separated(*shape) if axis is None else numpy.moveaxis(
        well_separated(*[s for i, s in enumerate(shape) if i not in numpy.mod(axis, len(shape))],
                       *[shape[i] for i in axis]), (-2, -1), axis)
    f = lambda a: np.linalg.norm(a, ord=ord, axis=axis, keepdims=keepdims)
    want = numpy.linalg.norm(a, ord=ord, axis=axis, keepdims=keepdims)
    got = traced_value(f, a)
    assert numpy.shape(got) == want.shape
    assert numpy.allclose(got, want, rtol=1e-12, atol=1e-12)
    grads(f, a)


def test_norm_two_gradient_closed_form():
    a = well_separated(4, 3)
    g = grad(lambda a: np.linalg.norm(a, 2))(a)
    u, _, vh = numpy.linalg.svd(a)
    assert numpy.allclose(g, numpy.outer(u[:, 0], vh[0]), rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------ pinv

@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (3, 5), (2, 4, 2)])
def test_pinv_full_rank(shape):
    a = well_separated(*shape)
    assert numpy.allclose(traced_value(np.linalg.pinv, a), numpy.linalg.pinv(a), rtol=1e-10, atol=1e-12)
    grads(np.linalg.pinv, a)


def test_pinv_rank_deficient():
    u, v = orthonormal(5, 2), orthonormal(4, 2)
    a = (u * [3.0, 1.0]) @ v.T  # rank 2
    got = traced_value(np.linalg.pinv, a)
    assert numpy.allclose(got, numpy.linalg.pinv(a), rtol=1e-10, atol=1e-12)
    assert numpy.allclose(got, (v / [3.0, 1.0]) @ u.T, rtol=1e-10, atol=1e-12)
    # the cut-off: a singular value below rcond * max(s) is dropped, as numpy does
    b = (u * [3.0, 1e-3]) @ v.T
    for kw in [dict(rcond=1e-2), dict(rtol=1e-2), dict(rcond=1e-5), dict(rtol=None), {}]:
        assert numpy.allclose(traced_value(lambda b: np.linalg.pinv(b, **kw), b),
                              numpy.linalg.pinv(b, **kw), rtol=1e-8, atol=1e-10)
    # stacks with per-matrix rcond, one matrix rank-deficient
    c = numpy.stack([b, well_separated(5, 4)])
    rc = numpy.array([1e-2, 1e-6])
    assert numpy.allclose(traced_value(lambda c: np.linalg.pinv(c, rc), c),
                          numpy.linalg.pinv(c, rc), rtol=1e-8, atol=1e-10)


def test_pinv_gradient_through_function():
    b = npr.randn(3, 4)
    grads(lambda b: np.sum(np.linalg.pinv(b @ b.T + numpy.eye(3)) ** 2), b)


# ------------------------------------------------------------ errors

def numpy_error(f, *args):
    with pytest.raises(Exception) as e:
        f(*args)
    return type(e.value), str(e.value)


@pytest.mark.parametrize("f,a", [
    (lambda a: np.linalg.eigh(a), numpy.ones(3)),
    (lambda a: np.linalg.eigh(a), numpy.ones((2, 3))),
    (lambda a: np.linalg.eigvalsh(a), numpy.ones((2, 3, 2))),
    (lambda a: np.linalg.svd(a), numpy.ones(3)),
    (lambda a: np.linalg.svd(a, compute_uv=False), numpy.array([[1.0, numpy.nan]])),
    (lambda a: np.linalg.pinv(a), numpy.ones(3)),
])
def test_errors_match_numpy(f, a):
    kind, msg = numpy_error(lambda a: f(a), a)  # untraced: numpy's
    with pytest.raises(kind) as e:
        grad(lambda a: np.sum(f(a)[0] if isinstance(f(a), tuple) else f(a)))(a)
    assert type(e.value) is kind and str(e.value) == msg


def test_uplo_error():
    with pytest.raises(ValueError, match="UPLO"):
        grad(lambda a: np.sum(np.linalg.eigh(a, UPLO="X")[0]))(numpy.eye(2))


def test_nan_eigh_matches_numpy():
    a = numpy.array([[1.0, 0.0], [numpy.nan, 1.0]])
    w, v = traced_value(np.linalg.eigh, a)
    nw, nv = numpy.linalg.eigh(a)
    assert numpy.isnan(w).all() and numpy.isnan(v).all()
    assert numpy.isnan(nw).all()


# Raw vectors: a traced decomposition returns numpy's own vectors (signs
# included), so functions of them have the derivative of what numpy computes.

@pytest.mark.parametrize("shape", [(5, 5), (2, 4, 4)])
def test_eigh_vectors_are_numpys(shape):
    a = npr.randn(*shape)
    want_w, want_v = numpy.linalg.eigh(a)
    w, v = traced_value(lambda x: tuple(np.linalg.eigh(x)), a)
    numpy.testing.assert_allclose(w, want_w, atol=1e-12)
    numpy.testing.assert_allclose(v, want_v, atol=1e-10)
    grads(lambda x: np.linalg.eigh(x)[1], a)


@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5), (2, 4, 3)])
def test_svd_vectors_are_numpys(shape):
    a = npr.randn(*shape)
    want_u, _, want_vh = numpy.linalg.svd(a, full_matrices=False)
    u, _, vh = traced_value(lambda x: tuple(np.linalg.svd(x, full_matrices=False)), a)
    numpy.testing.assert_allclose(u, want_u, atol=1e-10)
    numpy.testing.assert_allclose(vh, want_vh, atol=1e-10)
    grads(lambda x: np.linalg.svd(x, full_matrices=False)[0], a)
    grads(lambda x: np.linalg.svd(x, full_matrices=False)[2], a)


# ------------------------------------------------------------ complex matrices
# A complex vector is unique only up to a phase: numpy's is its LAPACK's,
# and a traced call returns numpy's vectors (a constant phase turns ours).
# Their derivatives fix the phase freedom as upstream autograd does, so
# finite differences check phase-invariant functions of them: |v|, v f(w) vᴴ,
# or each vector turned to make one entry real and positive (phase_fixed).

def unitary(m, k):
    q, _ = numpy.linalg.qr(npr.randn(m, k) + 1j * npr.randn(m, k))
    return q


def hermitian(*shape):
    """A stack of Hermitian matrices with well-separated eigenvalues of
    both signs."""
    n = shape[-1]
    out = numpy.empty(shape, complex)
    for idx in numpy.ndindex(*shape[:-2]):
        q = unitary(n, n)
        out[idx] = (q * separated(n, -0.375 * (n - 1))) @ q.conj().T
    return out


def complex_separated(*shape):
    """A stack of complex matrices whose singular values are distinct and
    at least 0.45."""
    m, n = shape[-2:]
    k = min(m, n)
    out = numpy.empty(shape, complex)
    for idx in numpy.ndindex(*shape[:-2]):
        out[idx] = (unitary(m, k) * separated(k, 0.5)) @ unitary(n, k).conj().T
    return out


def junk_outside(shape, UPLO="L"):
    """Complex noise in what numpy's eigh / cholesky does not read: the
    other triangle and the imaginary part of the diagonal."""
    mask = numpy.triu(numpy.ones(shape[-2:]), 1)
    if UPLO == "U":
        mask = mask.T
    return (npr.randn(*shape) + 1j * npr.randn(*shape)) * mask + 1j * npr.randn(*shape) * numpy.eye(shape[-1])


def phase_fixed(v, row=0):
    """Each column of v turned to make its entry in the given row real and
    positive: a phase-invariant function of the vectors."""
    r = v[..., row:row + 1, :]
    return v * np.conj(r) / np.abs(r)


def complex_eig_readout(w, v):
    """A real-valued, phase-invariant function of an eigendecomposition."""
    vh = np.conj(np.swapaxes(v, -1, -2))
    f = np.matmul(v * np.sin(w)[..., None, :], vh)
    return np.sum(np.real(f) * np.imag(f)) + np.sum(np.abs(v) ** 2 * np.cos(w)[..., None, :])


def complex_svd_readout(u, s, vh):
    """A real-valued, phase-invariant function of an SVD."""
    f = np.matmul(u * np.sqrt(s)[..., None, :], vh)
    return (np.sum(np.real(np.sin(f))) + np.sum(np.abs(u) ** 2 * s[..., None, :])
            + np.sum(np.abs(vh) ** 2 * np.cos(s)[..., :, None]))


@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (2, 3, 3), (2, 1, 5, 5)])
@pytest.mark.parametrize("UPLO", ["L", "U"])
def test_complex_eigh_values_are_numpys(shape, UPLO):
    a = hermitian(*shape) + junk_outside(shape, UPLO)
    w, v = traced_value(lambda a: np.linalg.eigh(a, UPLO), a)
    nw, nv = numpy.linalg.eigh(a, UPLO)
    assert w.dtype == numpy.float64 and v.dtype == numpy.complex128
    assert w.shape == nw.shape and v.shape == nv.shape
    numpy.testing.assert_allclose(w, nw, atol=1e-12)
    numpy.testing.assert_allclose(v, nv, atol=1e-10)  # numpy's phases
    numpy.testing.assert_allclose(traced_value(lambda a: np.linalg.eigvalsh(a, UPLO), a), nw, atol=1e-12)
    # a general complex matrix: only the triangle is read
    g = npr.randn(*shape) + 1j * npr.randn(*shape)
    w, v = traced_value(lambda a: np.linalg.eigh(a, UPLO), g)
    nw, nv = numpy.linalg.eigh(g, UPLO)
    numpy.testing.assert_allclose(w, nw, atol=1e-12)
    numpy.testing.assert_allclose(v, nv, atol=1e-9)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
@pytest.mark.parametrize("UPLO", ["L", "U"])
def test_complex_eigh_grads(shape, UPLO):
    a = hermitian(*shape) + junk_outside(shape, UPLO)
    grads(lambda a: complex_eig_readout(*np.linalg.eigh(a, UPLO)), a)
    grads(lambda a: np.linalg.eigvalsh(a, UPLO) ** 3, a)
    # the raw outputs: w, and v with its phases fixed (or its moduli)
    grads(lambda a: (lambda w, v: (w, phase_fixed(v)))(*np.linalg.eigh(a, UPLO)), a)
    grads(lambda a: (lambda w, v: (w, np.abs(v)))(*np.linalg.eigh(a, UPLO)), a)


def test_complex_eigh_through_hermitian_function():
    b = npr.randn(3, 3) + 1j * npr.randn(3, 3)
    grads(lambda b: complex_eig_readout(*np.linalg.eigh(b + np.conj(b.T))), b)


def test_complex_eigvalsh_gradient_closed_form():
    """By autograd's convention (the gradient of a real f of z = x + iy is
    ∂f/∂x − i ∂f/∂y): for Σ f(w), with S = V diag(f'(w)) Vᴴ, the gradient
    with respect to the lower triangle read is 2 conj(S) below the
    diagonal and S_ii (real) on it."""
    a = hermitian(4, 4) + junk_outside((4, 4))
    g = grad(lambda a: np.sum(np.exp(np.linalg.eigvalsh(a))))(a)
    w, v = numpy.linalg.eigh(a)
    s = (v * numpy.exp(w)) @ v.conj().T
    want = numpy.tril(2 * s.conj(), -1) + numpy.diag(numpy.diag(s).real)
    assert numpy.allclose(g, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shape", SVD_SHAPES)
def test_complex_svd_values_are_numpys(shape):
    a = npr.randn(*shape) + 1j * npr.randn(*shape)
    u, s, vh = traced_value(lambda a: tuple(np.linalg.svd(a, full_matrices=False)), a)
    nu, ns, nvh = numpy.linalg.svd(a, full_matrices=False)
    assert s.dtype == numpy.float64 and u.dtype == vh.dtype == numpy.complex128
    assert u.shape == nu.shape and s.shape == ns.shape and vh.shape == nvh.shape
    numpy.testing.assert_allclose(s, ns, atol=1e-12)
    numpy.testing.assert_allclose(u, nu, atol=1e-10)  # numpy's phases
    numpy.testing.assert_allclose(vh, nvh, atol=1e-10)
    numpy.testing.assert_allclose(traced_value(np.linalg.svdvals, a), ns, atol=1e-12)
    if shape[-1] == shape[-2]:
        res = traced_value(lambda a: np.linalg.svd(a), a)  # full_matrices=True, square
        numpy.testing.assert_allclose(res.U, nu, atol=1e-10)


@pytest.mark.parametrize("shape", SVD_SHAPES)
def test_complex_svd_grads(shape):
    a = complex_separated(*shape)
    grads(lambda a: complex_svd_readout(*np.linalg.svd(a, full_matrices=False)), a)
    grads(lambda a: np.linalg.svd(a, compute_uv=False) ** 2, a)
    # the raw outputs: (|u|, s, |vh|), and u, vh with the pair's phase fixed
    grads(lambda a: (lambda u, s, vh: (np.abs(u), s, np.abs(vh)))(*np.linalg.svd(a, full_matrices=False)), a)

    def fixed(u, s, vh):
        ph = np.conj(u[..., :1, :]) / np.abs(u[..., :1, :])
        return u * ph, s, vh * np.swapaxes(np.conj(ph), -1, -2)
    grads(lambda a: fixed(*np.linalg.svd(a, full_matrices=False)), a)


def test_complex_svd_nuclear_gradient_closed_form():
    """The gradient of Σ s is conj(U Vᴴ) by autograd's convention."""
    a = complex_separated(5, 3)
    g = grad(lambda a: np.sum(np.linalg.svdvals(a)))(a)
    u, _, vh = numpy.linalg.svd(a, full_matrices=False)
    assert numpy.allclose(g, numpy.conj(u @ vh), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
@pytest.mark.parametrize("shape,axis", [((4, 3), None), ((3, 4), (1, 0)), ((2, 4, 3), (0, 2))])
def test_complex_norm_spectral(ord, shape, axis):
    a = complex_separated(*shape) if axis is None else npr.randn(*shape) + 1j * npr.randn(*shape)
    f = lambda a: np.linalg.norm(a, ord, axis)
    numpy.testing.assert_allclose(traced_value(f, a), numpy.linalg.norm(a, ord, axis), rtol=1e-12)
    grads(f, a)


@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (3, 5), (2, 4, 2)])
def test_complex_pinv(shape):
    a = complex_separated(*shape)
    numpy.testing.assert_allclose(traced_value(np.linalg.pinv, a), numpy.linalg.pinv(a), atol=1e-12)
    grads(np.linalg.pinv, a)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_complex_svd_hermitian(shape):
    a = hermitian(*shape)
    u, s, vh = traced_value(lambda a: tuple(np.linalg.svd(a, hermitian=True)), a)
    nu, ns, nvh = numpy.linalg.svd(a, hermitian=True)
    numpy.testing.assert_allclose(s, ns, atol=1e-12)
    numpy.testing.assert_allclose(u, nu, atol=1e-10)
    numpy.testing.assert_allclose(vh, nvh, atol=1e-10)
    numpy.testing.assert_allclose(traced_value(lambda a: np.linalg.pinv(a, hermitian=True), a),
                                  numpy.linalg.pinv(a, hermitian=True), atol=1e-12)
    grads(lambda a: complex_svd_readout(*np.linalg.svd(a, hermitian=True)), a)


def test_complex_rank_deficient_svd_is_orthonormal():
    a = numpy.array([[1 + 1j, 0, 2], [1 + 1j, 0, 2], [1j, 0, -1]])
    u, s, vh = traced_value(lambda a: tuple(np.linalg.svd(a)), a)
    numpy.testing.assert_allclose(s, numpy.linalg.svd(a, compute_uv=False), atol=1e-12)
    numpy.testing.assert_allclose(u.conj().T @ u, numpy.eye(3), atol=1e-12)
    numpy.testing.assert_allclose(vh @ vh.conj().T, numpy.eye(3), atol=1e-12)
    numpy.testing.assert_allclose((u * s) @ vh, a, atol=1e-12)
