"""autograd.scipy.signal.convolve: values against scipy.signal.convolve and
against a direct loop (axes / dot_axes), derivatives by finite differences
(both modes, second order, both arguments)."""
import itertools

import numpy
import numpy.random as npr
import pytest

scipy = pytest.importorskip("scipy")
import scipy.signal as ss  # noqa: E402

import autograd.numpy as np  # noqa: E402
from autograd import grad, make_vjp  # noqa: E402
from autograd.scipy.signal import convolve  # noqa: E402
from autograd.test_util import check_grads  # noqa: E402

MODES = ["full", "same", "valid"]


def traced_value(f, *args):
    return make_vjp(lambda *a: f(*a), tuple(range(len(args))))(*args)[1]


def loop_convolve(A, B, axes, dot_axes, mode):
    """The definition, by brute force: every product A[ia] * B[ib] with equal
    dot indices lands at (A's free indices, B's free indices, ia + ib along
    each convolved pair) of the full result, which is then cut to mode."""
    (ca, cb), (da, db) = axes, dot_axes
    fa = [d for d in range(A.ndim) if d not in ca and d not in da]
    fb = [d for d in range(B.ndim) if d not in cb and d not in db]
    la, lb = [A.shape[d] for d in ca], [B.shape[d] for d in cb]
    full = numpy.zeros([A.shape[d] for d in fa] + [B.shape[d] for d in fb]
                       + [a + b - 1 for a, b in zip(la, lb)], dtype=numpy.result_type(A, B))
    for ia in numpy.ndindex(*A.shape):
        for ib in numpy.ndindex(*B.shape):
            if any(ia[i] != ib[j] for i, j in zip(da, db)):
                continue
            at = ([ia[d] for d in fa] + [ib[d] for d in fb]
                  + [ia[i] + ib[j] for i, j in zip(ca, cb)])
            full[tuple(at)] += A[ia] * B[ib]
    cut = [slice(None)] * (len(fa) + len(fb))
    for a, b in zip(la, lb):
        if mode == "full":
            cut.append(slice(None))
        elif mode == "same":
            cut.append(slice((b - 1) // 2, (b - 1) // 2 + a))
        else:
            cut.append(slice(min(a, b) - 1, max(a, b)))
    return full[tuple(cut)]


SHAPES_1D = [((6,), (3,)), ((3,), (6,)), ((4,), (4,)), ((5,), (2,)), ((1,), (4,))]
SHAPES_2D = [((4, 5), (2, 3)), ((2, 3), (4, 5)), ((3, 3), (3, 3)), ((5, 2), (2, 4)),
             ((4, 6), (3, 1))]


def valid_ok(sa, sb):
    return all(a >= b for a, b in zip(sa, sb)) or all(a <= b for a, b in zip(sa, sb))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sa,sb", SHAPES_1D + SHAPES_2D)
def test_values_against_scipy(sa, sb, mode):
    A, B = npr.randn(*sa), npr.randn(*sb)
    if mode == "valid" and not valid_ok(sa, sb):
        with pytest.raises(ValueError):
            ss.convolve(A, B, mode)
        with pytest.raises(ValueError):
            convolve(A, B, mode=mode)
        return
    expected = ss.convolve(A, B, mode)
    got = convolve(A, B, mode=mode)
    assert got.shape == expected.shape
    assert numpy.allclose(got, expected, rtol=1e-12, atol=1e-12)
    traced = traced_value(lambda a, b: convolve(a, b, mode=mode), A, B)
    assert numpy.allclose(traced, expected, rtol=1e-12, atol=1e-12)
    assert numpy.allclose(loop_convolve(A, B, (list(range(len(sa))),) * 2, ([], []), mode),
                          expected, rtol=1e-12, atol=1e-12)


def test_complex_and_lists():
    A = npr.randn(5) + 1j * npr.randn(5)
    B = [1.0, -2.0, 0.5]
    for mode in MODES:
        assert numpy.allclose(convolve(A, B, mode=mode), ss.convolve(A, B, mode))


# (shape of A, shape of B, axes, dot_axes)
GENERAL = [
    ((3, 5), (3, 4), ([1], [0]), ([], [])),
    ((3, 5), (3, 4), ([], []), ([0], [0])),
    ((3, 5), (3, 4, 2), ([1], [2]), ([0], [0])),
    ((2, 5, 4, 3), (2, 4, 2, 3, 2), ([1, 2], [2, 4]), ([0, 3], [0, 3])),
    ((4, 3), (2, 3), ([0], [0]), ([1], [1])),
    ((2, 3), (5, 2, 3), ([0], [1]), ([1], [2])),
    ((3, 2, 4), (2, 5), ([2], [1]), ([1], [0])),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sa,sb,axes,dot_axes", GENERAL)
def test_axes_and_dot_axes_against_loop(sa, sb, axes, dot_axes, mode):
    A, B = npr.randn(*sa), npr.randn(*sb)
    la = [sa[d] for d in axes[0]]
    lb = [sb[d] for d in axes[1]]
    if mode == "valid" and not valid_ok(la, lb):
        with pytest.raises(ValueError):
            convolve(A, B, axes=axes, dot_axes=dot_axes, mode=mode)
        return
    expected = loop_convolve(A, B, axes, dot_axes, mode)
    got = convolve(A, B, axes=axes, dot_axes=dot_axes, mode=mode)
    assert got.shape == expected.shape
    assert numpy.allclose(got, expected, rtol=1e-12, atol=1e-12)
    traced = traced_value(lambda a, b: convolve(a, b, axes=axes, dot_axes=dot_axes, mode=mode),
                          A, B)
    assert numpy.allclose(traced, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode", MODES)
def test_generalisation_against_scipy(mode):
    """The generalisation agrees with sums of scipy's 1-d and 2-d convolutions."""
    A35, A34, A342 = npr.randn(3, 5), npr.randn(3, 4), npr.randn(3, 4, 2)
    got = convolve(A35, A34, axes=([1], [0]), mode=mode)
    for i, j in itertools.product(range(3), range(4)):
        assert numpy.allclose(got[i, j], ss.convolve(A35[i], A34[:, j], mode))
    assert numpy.allclose(convolve(A35, A34, axes=([], []), dot_axes=([0], [0]), mode=mode),
                          numpy.tensordot(A35, A34, axes=([0], [0])))
    got = convolve(A35, A342, axes=([1], [2]), dot_axes=([0], [0]), mode=mode)
    for j in range(4):
        assert numpy.allclose(got[j], sum(ss.convolve(A35[i], A342[i, j], mode) for i in range(3)))
    A2543, A24232 = npr.randn(2, 5, 4, 3), npr.randn(2, 4, 2, 3, 2)
    got = convolve(A2543, A24232, axes=([1, 2], [2, 4]), dot_axes=([0, 3], [0, 3]), mode=mode)
    for k in range(4):
        expected = sum(ss.convolve(A2543[i, :, :, j], A24232[i, k, :, j, :], mode)
                       for i in range(2) for j in range(3))
        assert numpy.allclose(got[k], expected)


def test_default_axes():
    """axes=None: A's axes outside dot_axes, paired with B's first ones."""
    A, B = npr.randn(3, 4), npr.randn(3, 2, 5)
    got = convolve(A, B, dot_axes=([0], [0]))
    assert numpy.allclose(got, convolve(A, B, axes=([1], [1]), dot_axes=([0], [0])))
    got = convolve(npr.randn(4), B)  # A's axis 0 with B's axis 0; B's others are free
    assert got.shape == (2, 5, 6)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sa,sb", [((5,), (3,)), ((2,), (4,)), ((4, 3), (2, 2)),
                                   ((2, 3), (3, 4))])
def test_grads(sa, sb, mode):
    if mode == "valid" and not valid_ok(sa, sb):
        return
    f = lambda a, b: convolve(a, b, mode=mode)  # noqa: E731
    check_grads(f, (0, 1), modes=["fwd", "rev"], order=2)(npr.randn(*sa), npr.randn(*sb))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sa,sb,axes,dot_axes", [GENERAL[2], GENERAL[5], GENERAL[6]])
def test_grads_dot_axes(sa, sb, axes, dot_axes, mode):
    f = lambda a, b: convolve(a, b, axes=axes, dot_axes=dot_axes, mode=mode)  # noqa: E731
    check_grads(f, (0, 1), modes=["fwd", "rev"], order=2)(npr.randn(*sa), npr.randn(*sb))


def test_grad_is_correlation():
    """d/dB of <G, conv(A, B, 'full')> is the valid correlation of G with A."""
    A, B = npr.randn(3), npr.randn(6)
    G = npr.randn(8)
    gB = grad(lambda b: np.sum(G * convolve(A, b)))(B)
    assert numpy.allclose(gB, ss.correlate(G, A, "valid"))


def test_errors():
    A, B = npr.randn(4, 2), npr.randn(2, 4)
    with pytest.raises(ValueError, match="Acceptable mode"):
        convolve(A, B, mode="circular")
    with pytest.raises(ValueError, match="at least as large"):
        convolve(A, B, mode="valid")
    with pytest.raises(ValueError):
        convolve(A, B, axes=([0], [0, 1]))
    with pytest.raises(ValueError):
        convolve(A, npr.randn(3, 4), axes=([0], [1]), dot_axes=([1], [0]))  # lengths 2, 3
    with pytest.raises(ValueError):
        convolve(A, B, axes=([0], [1]), dot_axes=([0], [0]))  # axis both convolved and dotted
    with pytest.raises(ValueError):
        convolve(A, B, axes=([2], [0]))
