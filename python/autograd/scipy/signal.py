"""autograd.scipy.signal: upstream autograd's generalised convolution.

``convolve(A, B, axes=None, dot_axes=[(), ()], mode='full')`` convolves A
with B along the axis pairs ``zip(axes[0], axes[1])`` and contracts (sums
the products) along the pairs ``zip(dot_axes[0], dot_axes[1])``.  The
result's axes are A's remaining axes (in order), then B's remaining axes,
then one axis per convolved pair.  ``axes=None`` pairs every axis of A not
in dot_axes[0] with the first as many axes of B not in dot_axes[1], so that
for two arrays of equal dimension and no dot_axes it is
``scipy.signal.convolve(A, B, mode)``.

Modes, per convolved pair of lengths a (in A) and b (in B), as scipy's:

* 'full': all a + b - 1 outputs;
* 'same': the a outputs centred in the full ones (starting at (b - 1) // 2),
  the size of A;
* 'valid': the |a - b| + 1 outputs where the arrays overlap completely; one
  array must be at least as large as the other along every convolved axis.

It is composed of traced operations: one gather builds the sliding windows
of one operand (indices computed with numpy; positions outside the array
read an appended zero, which is how 'full' and 'same' pad), the other is
reversed along the convolved axes, and one tensordot contracts them over
the window and dot axes.  Derivatives therefore exist to any order in both
modes, and an untraced call runs the same computation in numpy.  The
operand with fewer elements along the convolved axes is the one reversed,
so the windows are as small as they can be.
"""
import numpy as _np

from .. import numpy as anp
from ..tracer import Box, getval

__all__ = ["convolve"]

_MODES = ("full", "same", "valid")


def _axis_list(axes, ndim, what):
    if isinstance(axes, (int, _np.integer)):
        axes = [axes]
    out = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < ndim:
            raise ValueError("convolve: {} axis {} is out of bounds for an array of dimension {}"
                             .format(what, a, ndim))
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError("convolve: repeated {} axis in {}".format(what, list(axes)))
    return out


def _pair(axes, name):
    try:
        first, second = axes
    except (TypeError, ValueError):
        raise ValueError("convolve: {} must be a pair (axes of A, axes of B)".format(name))
    return first, second


def _window_index(x_shape, x_conv, k_len, starts, n_out):
    """Flat indices into x (x.size meaning 'zero') of the windows array
    W[..., j_i at axis x_conv[i], ..., k_0, ..., k_m] = x[..., j_i + k_i +
    starts[i] - (k_len[i] - 1), ...]: x's axes with each convolved axis
    replaced by a window of length k_len[i], then one output axis per pair."""
    nd, m = len(x_shape), len(x_conv)
    shape = list(x_shape)
    for i, d in enumerate(x_conv):
        shape[d] = k_len[i]
    shape += list(n_out)
    strides = [1] * nd
    for d in range(nd - 2, -1, -1):
        strides[d] = strides[d + 1] * x_shape[d + 1]

    def along(dim, values):
        s = [1] * (nd + m)
        s[dim] = len(values)
        return _np.asarray(values, dtype=_np.int64).reshape(s)

    flat = _np.zeros([1] * (nd + m), dtype=_np.int64)
    inside = _np.ones([1] * (nd + m), dtype=bool)
    for d in range(nd):
        if d in x_conv:
            i = x_conv.index(d)
            pos = (along(d, _np.arange(k_len[i]))
                   + along(nd + i, _np.arange(n_out[i]) + starts[i] - (k_len[i] - 1)))
            inside = inside & (pos >= 0) & (pos < x_shape[d])
        else:
            pos = along(d, _np.arange(x_shape[d]))
        flat = flat + pos * strides[d]
    flat = _np.broadcast_to(flat, shape)
    inside = _np.broadcast_to(inside, shape)
    if inside.all():
        return _np.array(flat), False
    return _np.where(inside, flat, int(_np.prod(x_shape))), True


def _conv(K, X, k_conv, x_conv, k_dot, x_dot, starts, n_out):
    """Result axes: K's free axes, X's free axes, one per convolved pair."""
    k_shape, x_shape = _np.shape(K), _np.shape(X)
    k_len = [k_shape[d] for d in k_conv]
    idx, padded = _window_index(x_shape, x_conv, k_len, starts, n_out)
    flat = anp.ravel(X)
    if padded:
        zero = _np.zeros(1, dtype=_np.result_type(getval(X)))
        flat = anp.concatenate([flat, zero])
    windows = flat[idx]
    flip = tuple(slice(None, None, -1) if d in k_conv else slice(None)
                 for d in range(len(k_shape)))
    K_rev = K[flip] if k_conv else K
    return anp.tensordot(K_rev, windows, axes=(list(k_conv) + list(k_dot),
                                               list(x_conv) + list(x_dot)))


def convolve(A, B, axes=None, dot_axes=[(), ()], mode="full"):
    """Convolve A and B along `axes` pairs, contracting `dot_axes` pairs
    (see the module documentation)."""
    if mode not in _MODES:
        raise ValueError("Acceptable mode flags are 'valid', 'same', or 'full'.")
    A = A if isinstance(A, Box) else _np.asarray(A)
    B = B if isinstance(B, Box) else _np.asarray(B)
    sa, sb = _np.shape(A), _np.shape(B)
    na, nb = len(sa), len(sb)
    dot_a, dot_b = _pair(dot_axes, "dot_axes")
    dot_a, dot_b = _axis_list(dot_a, na, "dot"), _axis_list(dot_b, nb, "dot")
    if len(dot_a) != len(dot_b):
        raise ValueError("convolve: dot_axes lists of different lengths: {} and {}"
                         .format(dot_a, dot_b))
    if axes is None:
        conv_a = [d for d in range(na) if d not in dot_a]
        rest_b = [d for d in range(nb) if d not in dot_b]
        if len(rest_b) < len(conv_a):
            raise ValueError("convolve: B has fewer axes ({}) than A ({}) to convolve; "
                             "pass axes".format(len(rest_b), len(conv_a)))
        conv_b = rest_b[:len(conv_a)]
    else:
        conv_a, conv_b = _pair(axes, "axes")
        conv_a, conv_b = _axis_list(conv_a, na, "convolution"), _axis_list(conv_b, nb, "convolution")
    if len(conv_a) != len(conv_b):
        raise ValueError("convolve: axes lists of different lengths: {} and {}"
                         .format(conv_a, conv_b))
    if set(conv_a) & set(dot_a) or set(conv_b) & set(dot_b):
        raise ValueError("convolve: an axis cannot be both convolved and contracted")
    for i, j in zip(dot_a, dot_b):
        if sa[i] != sb[j]:
            raise ValueError("convolve: dot axes of different lengths ({} in A, {} in B)"
                             .format(sa[i], sb[j]))
    la = [sa[d] for d in conv_a]
    lb = [sb[d] for d in conv_b]
    if any(n == 0 for n in la + lb):
        raise ValueError("convolve: the convolved axes must not be empty")
    if mode == "valid" and not (all(a >= b for a, b in zip(la, lb))
                                or all(a <= b for a, b in zip(la, lb))):
        raise ValueError("For 'valid' mode, one must be at least as large as the other "
                         "in every dimension")
    # output k of a pair is entry k + s of the full convolution
    if mode == "full":
        starts, n_out = [0] * len(la), [a + b - 1 for a, b in zip(la, lb)]
    elif mode == "same":
        starts, n_out = [(b - 1) // 2 for b in lb], list(la)
    else:
        starts, n_out = [min(a, b) - 1 for a, b in zip(la, lb)], [abs(a - b) + 1 for a, b in zip(la, lb)]

    if _np.prod(lb) >= _np.prod(la):
        return _conv(A, B, conv_a, conv_b, dot_a, dot_b, starts, n_out)
    # reverse B and take the windows of A; then put A's free axes first
    out = _conv(B, A, conv_b, conv_a, dot_b, dot_a, starts, n_out)
    free_b = nb - len(conv_b) - len(dot_b)
    free_a = na - len(conv_a) - len(dot_a)
    perm = (list(range(free_b, free_b + free_a)) + list(range(free_b))
            + list(range(free_a + free_b, free_a + free_b + len(la))))
    return anp.transpose(out, perm)
