"""autograd.numpy.fft: numpy.fft, wrapped like autograd.numpy.

Untraced calls are numpy's own.  Traced calls of ``fft ifft fft2 ifft2
fftn ifftn rfft irfft rfft2 irfft2 rfftn irfftn hfft ihfft fftshift
ifftshift`` take numpy's arguments (``n`` / ``s``, ``axis`` / ``axes``,
``norm`` = "backward", "ortho" or "forward") and are differentiable to any
order in both modes.  They are composed from two operations of the Go
core, the complex transform along one axis (``fft``) and its inverse
(``ifft``, with numpy's 1/n), and from gather / scatter_add / where and
elementwise operations:

* a multi-axis transform is one 1-axis transform per axis, in numpy's
  order;
* ``n`` / ``s`` truncate (a gather) or zero-pad (a scatter_add into a
  larger array) the input along the axis before transforming, as numpy;
* the norm modes scale the result by a constant;
* ``rfft`` is ``fft`` of the real input followed by keeping the first
  n//2+1 entries; ``irfft`` resizes its input to n//2+1 entries, rebuilds
  the Hermitian-symmetric spectrum of length n (entry k > n//2 is the
  conjugate of entry n-k) and takes the real part of ``ifft`` of it.
  That real part reads only the real part of the zero-frequency term (and,
  for even n, of the Nyquist term), so the values are numpy's, imaginary
  parts there are ignored as numpy ignores them, and the derivative is
  that of exactly this function (zero with respect to those imaginary
  parts);
* ``hfft`` / ``ihfft`` are ``irfft`` / ``rfft`` with conjugates and the
  swapped norm, as numpy defines them;
* ``fftshift`` / ``ifftshift`` are gathers by numpy's own shift of an index
  grid.

Traced results are complex128 / float64 (the core computes in double
precision; numpy keeps complex64 for float32 input).  ``out=`` is not
supported on traced values; ``rfft`` of a complex traced value raises
TypeError as numpy does.  ``fftfreq`` / ``rfftfreq`` take no arrays and are
numpy's.
"""
import math as _math
import warnings as _warnings

import numpy as _np

from .numpy_wrapper import wrap_namespace as _wrap
from . import _traced as _t
from ._traced import TRACED_FFT as _TABLE

_NORMS = (None, "backward", "ortho", "forward")


def _check_norm(norm):
    if norm not in _NORMS:
        raise ValueError('Invalid norm value {}; should be "backward",'
                         '"ortho" or "forward".'.format(norm))


def _scale(n, norm, inverse):
    """The factor that turns the core's transform (forward: 1, inverse:
    1/n) into numpy's under norm."""
    if norm is None or norm == "backward":
        return 1.0
    if norm == "ortho":
        return _math.sqrt(n) if inverse else 1.0 / _math.sqrt(n)
    return float(n) if inverse else 1.0 / n  # "forward"


def _scaled(x, n, norm, inverse):
    c = _scale(n, norm, inverse)
    return x if c == 1.0 else _t.multiply(x, c)


def _check_n(n):
    if n < 1:
        raise ValueError("Invalid number of FFT data points ({}) specified.".format(n))


def _check_out(name, out):
    if out is not None:
        raise NotImplementedError("autograd.numpy.fft.{}: argument out= is not supported "
                                  "on traced values".format(name))


def _resize(x, n, axis):
    """x truncated or zero-padded to length n along axis, as numpy's
    transforms do with their n argument."""
    shape = _t.shape_of(x)
    m = shape[axis]
    if n == m:
        return x
    if n < m:
        key = [slice(None)] * len(shape)
        key[axis] = slice(0, n)
        return _t.getitem(x, tuple(key))
    big = shape[:axis] + (n,) + shape[axis + 1:]
    key = [slice(None)] * len(shape)
    key[axis] = slice(0, m)
    where = _t.index_grid(big)[tuple(key)]  # x's element i goes to where.flat[i]
    return _t.apply("scatter_add", [x], shape=big, index=where.ravel())


def _one_axis(a, n, axis, norm, default_n=None):
    """The arguments of a 1-axis transform, checked as numpy checks them:
    a lifted, axis in [0, ndim), and n, by default default_n(length of the
    axis) or that length."""
    _check_norm(norm)
    a = _t.lift(a)
    axis = _t.normalize_axis(axis, _t.ndim_of(a))
    if n is None:
        m = _t.shape_of(a)[axis]
        n = m if default_n is None else default_n(m)
    n = int(n)
    _check_n(n)
    return a, axis, n


def _c2c(a, n, axis, norm, inverse):
    """fft / ifft of a along one axis, resized to n."""
    a, axis, n = _one_axis(a, n, axis, norm)
    y = _t.apply("ifft" if inverse else "fft", [_resize(a, n, axis)], axes=[axis])
    return _scaled(y, n, norm, inverse)


def _rfft(a, n, axis, norm, name="rfft"):
    _check_norm(norm)
    a = _t.lift(a)
    if _t.iscomplex_of(a):
        raise TypeError("autograd.numpy.fft.{}: complex input is not supported (numpy's "
                        "rfft takes real input only)".format(name))
    a, axis, n = _one_axis(a, n, axis, norm)
    y = _t.apply("fft", [_resize(a, n, axis)], axes=[axis])
    return _scaled(_resize(y, n // 2 + 1, axis), n, norm, False)


def _irfft(a, n, axis, norm):
    a, axis, n = _one_axis(a, n, axis, norm, default_n=lambda m: (m - 1) * 2)
    nd = _t.ndim_of(a)
    h = _resize(a, n // 2 + 1, axis)
    # the full spectrum: entry k is h[k] for k <= n//2, conj(h[n-k]) above
    k = _np.arange(n)
    src = _np.where(k <= n // 2, k, n - k)
    full = _np.take(_t.index_grid(_t.shape_of(h)), src, axis=axis)
    g = _t.gather(h, full)
    bshape = [1] * nd
    bshape[axis] = n
    upper = (k > n // 2).astype(_np.float64).reshape(bshape)
    spectrum = _t.where(upper, _t.conj(g), g) if n > 2 else g
    y = _t.real(_t.apply("ifft", [spectrum], axes=[axis]))
    return _scaled(y, n, norm, True)


def _swap(norm):
    _check_norm(norm)
    return {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}[norm]


def _cook(a, s, axes, invreal=False):
    """numpy's (s, axes) for the n-dimensional transforms: defaults, -1
    entries, the deprecated forms (with numpy's DeprecationWarning)."""
    shape = _t.shape_of(a)
    nd = len(shape)
    shapeless = s is None
    if axes is not None:
        axes = [_t.normalize_axis(ax, nd) for ax in
                (axes if isinstance(axes, (list, tuple, _np.ndarray)) else [axes])]
    if s is None:
        s = [shape[ax] for ax in axes] if axes is not None else list(shape)
    else:
        s = list(s) if isinstance(s, (list, tuple, _np.ndarray)) else [s]
    if axes is None:
        if not shapeless:
            _warnings.warn("`axes` should not be `None` if `s` is not `None` (Deprecated in "
                           "NumPy 2.0). To retain current behaviour, pass a sequence "
                           "[0, ..., k-1] to `axes` for an array of dimension k.",
                           DeprecationWarning, stacklevel=4)
        axes = [_t.normalize_axis(ax, nd) for ax in range(-len(s), 0)]
    if len(s) != len(axes):
        raise ValueError("Shape and axes have different lengths.")
    if invreal and shapeless and axes:
        s[-1] = (shape[axes[-1]] - 1) * 2
    if any(v is None for v in s):
        _warnings.warn("Passing an array containing `None` values to `s` is deprecated in "
                       "NumPy 2.0.", DeprecationWarning, stacklevel=4)
    s = [shape[ax] if v is not None and v == -1 else v for v, ax in zip(s, axes)]
    return s, axes


def _fft(a, n=None, axis=-1, norm=None, out=None):
    _check_out("fft", out)
    return _c2c(a, n, axis, norm, False)


def _ifft(a, n=None, axis=-1, norm=None, out=None):
    _check_out("ifft", out)
    return _c2c(a, n, axis, norm, True)


def _rfft_entry(a, n=None, axis=-1, norm=None, out=None):
    _check_out("rfft", out)
    return _rfft(a, n, axis, norm)


def _irfft_entry(a, n=None, axis=-1, norm=None, out=None):
    _check_out("irfft", out)
    return _irfft(a, n, axis, norm)


def _hfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.hfft: irfft of the conjugate with the swapped norm."""
    _check_out("hfft", out)
    a = _t.lift(a)
    return _irfft(_t.conj(a), n, axis, _swap(norm))


def _ihfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.ihfft: the conjugate of rfft with the swapped norm."""
    _check_out("ihfft", out)
    return _t.conj(_rfft(a, n, axis, _swap(norm), name="ihfft"))


def _nd(name, inverse, default_axes=None):
    def impl(a, s=None, axes=default_axes, norm=None, out=None):
        _check_out(name, out)
        _check_norm(norm)
        a = _t.lift(a)
        s, axes = _cook(a, s, axes)
        for ii in reversed(range(len(axes))):
            a = _c2c(a, s[ii], axes[ii], norm, inverse)
        return a
    impl.__name__ = name
    return impl


def _rnd(name, default_axes=None):
    def impl(a, s=None, axes=default_axes, norm=None, out=None):
        _check_out(name, out)
        _check_norm(norm)
        a = _t.lift(a)
        s, axes = _cook(a, s, axes)
        if not axes:
            raise IndexError("list index out of range")  # numpy's, for axes=()
        a = _rfft(a, s[-1], axes[-1], norm, name=name)
        for ii in range(len(axes) - 2, -1, -1):
            a = _c2c(a, s[ii], axes[ii], norm, False)
        return a
    impl.__name__ = name
    return impl


def _irnd(name, default_axes=None):
    def impl(a, s=None, axes=default_axes, norm=None, out=None):
        _check_out(name, out)
        _check_norm(norm)
        a = _t.lift(a)
        s, axes = _cook(a, s, axes, invreal=True)
        if not axes:
            raise IndexError("list index out of range")  # numpy's, for axes=()
        for ii in range(len(axes) - 1):
            a = _c2c(a, s[ii], axes[ii], norm, True)
        return _irfft(a, s[-1], axes[-1], norm)
    impl.__name__ = name
    return impl


_TABLE.update(
    fft=_fft, ifft=_ifft, rfft=_rfft_entry, irfft=_irfft_entry, hfft=_hfft, ihfft=_ihfft,
    fftn=_nd("fftn", False), ifftn=_nd("ifftn", True),
    fft2=_nd("fft2", False, (-2, -1)), ifft2=_nd("ifft2", True, (-2, -1)),
    rfftn=_rnd("rfftn"), rfft2=_rnd("rfft2", (-2, -1)),
    irfftn=_irnd("irfftn"), irfft2=_irnd("irfft2", (-2, -1)),
    fftshift=_t.rearrange(_np.fft.fftshift), ifftshift=_t.rearrange(_np.fft.ifftshift),
)

_wrap(_np.fft, globals(), _TABLE, prefix="fft.")
