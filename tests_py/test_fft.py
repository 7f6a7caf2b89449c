"""autograd.numpy.fft: traced values against numpy.fft for every supported
function and argument combination (shapes, n / s shorter and longer than
the input, axes, each norm), derivatives by finite differences (forward
and reverse mode, second order, real and complex inputs), the irfft
conventions, and errors."""
import itertools
import warnings

import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd import grad
from autograd.core import make_vjp, make_jvp
from autograd.test_util import check_grads

NORMS = [None, "backward", "ortho", "forward"]


def traced_value(f, x):
    """f(x) computed under a reverse trace (the value of the box)."""
    return make_vjp(f, x)[1]


def forward_value(f, x):
    """f(x) computed under a forward trace."""
    return make_jvp(f, x)(numpy.zeros_like(x))[0]


def assert_matches_numpy(name, x, kwargs):
    """autograd.numpy.fft.name(x, **kwargs) traced (both modes) equals
    numpy.fft.name(x, **kwargs): same shape, dtype kind and values."""
    want = getattr(numpy.fft, name)(x, **kwargs)
    f = lambda v: getattr(np.fft, name)(v, **kwargs)  # noqa: E731
    for got in (traced_value(f, x), forward_value(f, x)):
        got = numpy.asarray(got)
        where = "{}(shape {}, {}, {})".format(name, x.shape, x.dtype, kwargs)
        assert got.shape == want.shape, where
        assert got.dtype.kind == want.dtype.kind, where
        assert numpy.allclose(got, want, rtol=1e-11, atol=1e-11), where


def real_input(*shape):
    return npr.randn(*shape)


def complex_input(*shape):
    return npr.randn(*shape) + 1j * npr.randn(*shape)


def check(f, x):
    check_grads(f, modes=["fwd", "rev"], order=2)(x)


def power(y):
    """A real, non-linear readout: second derivatives are not trivial."""
    return np.sum(np.abs(y) ** 2 * numpy.linspace(0.5, 1.5, numpy.size(y)).reshape(numpy.shape(y)))


# ------------------------------------------------------------ values

SHAPES_1D = [(1,), (2,), (7,), (8,), (3, 6), (5, 3), (2, 5, 4)]


def lengths_for(name, m):
    """n values: default, shorter, longer, and 1 (when valid)."""
    default = 2 * (m - 1) if name in ("irfft", "hfft") else m
    out = [None, default + 3, 1, 2 * default + 1]
    if default > 2:
        out.append(default - 2)
    return out


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"])
def test_values_1d(name):
    inputs = [real_input] if name in ("rfft", "ihfft") else [real_input, complex_input]
    count = 0
    for shape, make in itertools.product(SHAPES_1D, inputs):
        x = make(*shape)
        for axis in range(-len(shape), len(shape)):
            for n in lengths_for(name, shape[axis]):
                if n is None and name in ("irfft", "hfft") and shape[axis] == 1:
                    continue  # numpy's n would be 0
                for norm in NORMS:
                    kwargs = dict(axis=axis, norm=norm)
                    if n is not None:
                        kwargs["n"] = n
                    assert_matches_numpy(name, x, kwargs)
                    count += 1
    assert count > 100


def nd_cases(name):
    """(shape, kwargs) for an n-dimensional transform: default axes, axes
    subsets in any order, s shorter and longer than the input, -1 entries
    in s, repeated axes (complex transforms), every norm."""
    two = name.endswith("2")
    inv_real = name.startswith("irfft")
    cases = []
    for shape in [(4, 6), (3, 4, 5), (2, 3, 4, 2)]:
        nd = len(shape)
        specs = [dict()] if two else [dict(), dict(axes=(0,)), dict(axes=(-1, 0)),
                                      dict(axes=(nd - 1, 1))]
        pair = (-2, -1) if two else (0, nd - 1)
        specs += [dict(s=(3, 7), axes=pair), dict(s=(6, 2), axes=pair),
                  dict(s=(2, -1), axes=pair), dict(s=(1, 1), axes=pair)]
        if not two:
            specs.append(dict(s=(5,), axes=(1,)))
            if name in ("fftn", "ifftn"):
                specs += [dict(axes=()), dict(axes=(1, 1))]  # no transform; twice along axis 1
        if inv_real:
            specs.append(dict(s=(4, 9), axes=pair))  # odd output length on the last axis
        for spec, norm in itertools.product(specs, NORMS):
            cases.append((shape, dict(spec, norm=norm)))
    return cases


ND_NAMES = ["fftn", "ifftn", "fft2", "ifft2", "rfftn", "irfftn", "rfft2", "irfft2"]


@pytest.mark.parametrize("name", ND_NAMES)
def test_values_nd(name):
    inputs = [real_input] if name.startswith("rfft") else [real_input, complex_input]
    cases = nd_cases(name)
    assert len(cases) >= 40
    for (shape, kwargs), make in itertools.product(cases, inputs):
        assert_matches_numpy(name, make(*shape), kwargs)


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn"])
def test_deprecated_s_without_axes(name):
    """numpy 2 warns when s is given without axes (and uses the last
    len(s) axes); so do the traced versions, with numpy's values."""
    x = real_input(3, 4, 6) if name == "rfftn" else complex_input(3, 4, 6)
    f = lambda v: getattr(np.fft, name)(v, s=(5, 4))  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        want = getattr(numpy.fft, name)(x, s=(5, 4))
    with pytest.warns(DeprecationWarning):
        got = traced_value(f, x)
    assert numpy.allclose(got, want, rtol=1e-11, atol=1e-11)


@pytest.mark.parametrize("name", ["fftshift", "ifftshift"])
def test_values_shift(name):
    for shape, axes in [((5,), None), ((6,), 0), ((4, 5), None), ((4, 5), 1), ((4, 5), (0,)),
                        ((3, 4, 5), (0, -1)), ((3, 4, 5), -2), ((2, 3, 4), (2, 0, 1))]:
        for make in (real_input, complex_input):
            assert_matches_numpy(name, make(*shape), dict(axes=axes))


def test_values_untraced_are_numpy():
    """Calls without boxes are numpy's own (complex64 stays complex64)."""
    x = npr.randn(4, 6).astype(numpy.float32)
    assert np.fft.fft(x).dtype == numpy.fft.fft(x).dtype
    assert numpy.array_equal(np.fft.rfft2(x, norm="ortho"), numpy.fft.rfft2(x, norm="ortho"))
    assert numpy.array_equal(np.fft.fftfreq(8, 0.1), numpy.fft.fftfreq(8, 0.1))


# ------------------------------------------------------------ derivatives

GRAD_1D = [
    ("fft", dict()), ("fft", dict(n=3, norm="ortho")), ("fft", dict(n=9, axis=0, norm="forward")),
    ("ifft", dict()), ("ifft", dict(n=4, axis=0, norm="ortho")), ("ifft", dict(n=8, norm="forward")),
    ("rfft", dict()), ("rfft", dict(n=4, axis=0, norm="ortho")), ("rfft", dict(n=9, norm="forward")),
    ("irfft", dict()), ("irfft", dict(n=5, norm="ortho")), ("irfft", dict(n=11, axis=0)),
    ("irfft", dict(n=6, axis=0, norm="forward")), ("irfft", dict(n=2)), ("irfft", dict(n=1)),
    ("hfft", dict()), ("hfft", dict(n=7, norm="ortho")),
    ("ihfft", dict()), ("ihfft", dict(n=3, axis=0, norm="forward")),
]
REAL_ONLY = ("rfft", "ihfft", "rfftn", "rfft2")


def realify(name):
    """For the transforms of real input, a complex input is first mapped
    to its real part (numpy rejects complex input there)."""
    return np.real if name in REAL_ONLY else (lambda v: v)


@pytest.mark.parametrize("name,kwargs", GRAD_1D, ids=[n + str(k) for n, k in GRAD_1D])
@pytest.mark.parametrize("make", [real_input, complex_input], ids=["real", "complex"])
def test_grads_1d(name, kwargs, make):
    pre = realify(name)
    fn = getattr(np.fft, name)
    x = make(4, 5)
    check(lambda v: power(fn(pre(v), **kwargs)), x)  # a real readout
    check(lambda v: fn(pre(v) * 1.5, **kwargs), x)  # the transform's own (complex) output


GRAD_ND = [
    ("fftn", dict()), ("fftn", dict(s=(3, 6), axes=(0, 2), norm="ortho")),
    ("ifftn", dict(axes=(1, 0))), ("ifftn", dict(s=(2, 5), axes=(2, 1), norm="forward")),
    ("fft2", dict()), ("fft2", dict(s=(4, 2), norm="forward")),
    ("ifft2", dict(norm="ortho")), ("ifft2", dict(s=(1, 6))),
    ("rfftn", dict()), ("rfftn", dict(s=(2, 5), axes=(2, 0), norm="ortho")),
    ("rfft2", dict(s=(4, 4), norm="forward")),
    ("irfftn", dict()), ("irfftn", dict(s=(4, 5), axes=(0, 1), norm="ortho")),
    ("irfft2", dict(s=(2, 6), norm="forward")), ("irfft2", dict()),
    ("fftshift", dict()), ("fftshift", dict(axes=(1,))),
    ("ifftshift", dict()), ("ifftshift", dict(axes=(0, 2))),
]


@pytest.mark.parametrize("name,kwargs", GRAD_ND, ids=[n + str(k) for n, k in GRAD_ND])
@pytest.mark.parametrize("make", [real_input, complex_input], ids=["real", "complex"])
def test_grads_nd(name, kwargs, make):
    pre = realify(name)
    fn = getattr(np.fft, name)
    x = make(3, 4, 5)
    check(lambda v: power(fn(pre(v), **kwargs)), x)
    check(lambda v: fn(pre(v) * 1.5, **kwargs), x)


def test_grads_compositions():
    """A filter in the frequency domain and back, and a power spectrum,
    with norms that do not cancel."""
    x = real_input(16)
    k = numpy.exp(-numpy.arange(9) / 3.0)
    check(lambda v: np.fft.irfft(np.fft.rfft(v, norm="ortho") * k, n=16, norm="ortho"), x)
    check(lambda v: np.sum(np.abs(np.fft.fftshift(np.fft.fft(np.sin(v)))) ** 3), x)
    z = complex_input(3, 8)
    check(lambda v: np.fft.ifftn(np.fft.fftn(v, norm="forward") ** 2, norm="forward"), z)


# ------------------------------------------------------------ conventions

def test_irfft_ignores_imaginary_dc_and_nyquist():
    """numpy's irfft reads only the real part of the zero-frequency term
    and, for even n, of the Nyquist term: the traced values do too, and the
    derivative with respect to those imaginary parts is zero."""
    for n in (6, 7):
        h = complex_input(n // 2 + 1)
        w = npr.randn(n)
        assert_matches_numpy("irfft", h, dict(n=n))
        g = grad(lambda v: np.sum(np.fft.irfft(v, n=n) * w))(h)
        # zero up to the transforms' rounding; for odd n, entry n//2 is an
        # ordinary frequency whose imaginary part matters
        assert abs(numpy.imag(g[0])) < 1e-14
        assert (abs(numpy.imag(g[n // 2])) < 1e-14) == (n % 2 == 0)
        # away from those entries the gradient is numpy's adjoint: the value
        # is linear, so <g, dh> (autograd's convention) is the derivative
        dh = complex_input(n // 2 + 1)
        exact = numpy.sum(numpy.real(g) * numpy.real(dh) - numpy.imag(g) * numpy.imag(dh))
        numeric = numpy.sum(numpy.fft.irfft(dh, n=n) * w)
        assert numpy.isclose(exact, numeric, rtol=1e-10, atol=1e-12)


def test_fft_gradient_convention():
    """The VJP of fft is fft of the cotangent (the DFT matrix F is
    symmetric; no conjugation, as upstream autograd): Re(sum(w * fft(z)))
    = Re(c z) with c = F w, whose gradient under autograd's convention
    (d/dx - i d/dy) is c itself."""
    z, w = complex_input(6), complex_input(6)
    g = grad(lambda v: np.real(np.sum(w * np.fft.fft(v))))(z)
    assert numpy.allclose(g, numpy.fft.fft(w), rtol=1e-12, atol=1e-12)
    g = grad(lambda v: np.real(np.sum(w * np.fft.ifft(v))))(z)
    assert numpy.allclose(g, numpy.fft.ifft(w), rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------ errors

def traced_call(f, x):
    return make_vjp(f, x)


def test_errors():
    x = complex_input(4, 5)
    with pytest.raises(ValueError, match=r"Invalid number of FFT data points \(0\)"):
        traced_call(lambda v: np.fft.fft(v, n=0), x)
    with pytest.raises(ValueError, match=r"Invalid number of FFT data points \(0\)"):
        traced_call(lambda v: np.fft.irfft(v), complex_input(3, 1))
    with pytest.raises(ValueError, match="Invalid norm value"):
        traced_call(lambda v: np.fft.ifft2(v, norm="sideways"), x)
    with pytest.raises(ValueError, match="Shape and axes have different lengths"):
        traced_call(lambda v: np.fft.fftn(v, s=(2, 3), axes=(0,)), x)
    with pytest.raises(numpy.exceptions.AxisError):
        traced_call(lambda v: np.fft.fft(v, axis=2), x)
    with pytest.raises(TypeError, match="rfft"):
        traced_call(lambda v: np.fft.rfft(v), x)
    with pytest.raises(NotImplementedError, match="out="):
        traced_call(lambda v: np.fft.fft(v, out=numpy.empty((4, 5), complex)), x)
