"""autograd.scipy.special: scipy.special functions with derivatives.

Elementwise functions are primitives whose VJP / JVP rules are written with
other primitives of this module (so derivatives of any order work); the
others (logsumexp, expit, logit, beta, ...) are composites of traced
functions.  Without traced arguments every function is scipy's own.
"""
import numpy as _np
import scipy.special as _sp

from .. import numpy as anp
from ..extend import primitive, defvjp, defjvp
from ..tracer import getval
from ._util import traced_as, unbroadcast

__all__ = ["gamma", "gammaln", "gammasgn", "rgamma", "digamma", "psi", "polygamma",
           "multigammaln", "beta", "betaln", "betainc", "gammainc", "gammaincc", "erf",
           "erfc", "erfinv", "erfcinv", "expit", "logit", "logsumexp", "j0", "j1", "jn",
           "y0", "y1", "yn", "i0", "i1", "iv", "ive"]

_SQRT_PI = _np.sqrt(_np.pi)


def _unary(fun, derivative):
    """Make primitive fun(x) with derivative(ans, x) (written in traced
    functions) in both modes."""
    defvjp(fun, lambda ans, x: lambda g: g * derivative(ans, x))
    defjvp(fun, lambda g, ans, x: g * derivative(ans, x))


def _order_and_x(fun, derivative):
    """Primitive fun(n, x), differentiable in x only."""
    defvjp(fun, None, lambda ans, n, x: lambda g: unbroadcast(g * derivative(ans, n, x), _np.shape(x)))
    defjvp(fun, None, lambda g, ans, n, x: g * derivative(ans, n, x))


gamma = primitive(_sp.gamma)
gammaln = primitive(_sp.gammaln)
rgamma = primitive(_sp.rgamma)
digamma = primitive(_sp.digamma)
psi = digamma
polygamma = primitive(_sp.polygamma)
erf = primitive(_sp.erf)
erfc = primitive(_sp.erfc)
erfinv = primitive(_sp.erfinv)
erfcinv = primitive(_sp.erfcinv)
j0, j1, y0, y1 = (primitive(f) for f in (_sp.j0, _sp.j1, _sp.y0, _sp.y1))
jn, yn = primitive(_sp.jn), primitive(_sp.yn)
i0, i1 = primitive(_sp.i0), primitive(_sp.i1)
iv, ive = primitive(_sp.iv), primitive(_sp.ive)
gammainc, gammaincc = primitive(_sp.gammainc), primitive(_sp.gammaincc)
betainc = primitive(_sp.betainc)


@primitive
def gammasgn(x):
    """The sign of gamma(x) (piecewise constant: zero derivative)."""
    return _sp.gammasgn(x)


defvjp(gammasgn, lambda ans, x: lambda g: anp.zeros_like(x) * g)
defjvp(gammasgn, lambda g, ans, x: anp.zeros_like(ans) * g)

_unary(gamma, lambda ans, x: ans * digamma(x))
_unary(gammaln, lambda ans, x: digamma(x))
_unary(rgamma, lambda ans, x: -ans * digamma(x))
_unary(digamma, lambda ans, x: polygamma(1, x))
_order_and_x(polygamma, lambda ans, n, x: polygamma(_np.add(n, 1), x))
_unary(erf, lambda ans, x: 2.0 / _SQRT_PI * anp.exp(-x ** 2))
_unary(erfc, lambda ans, x: -2.0 / _SQRT_PI * anp.exp(-x ** 2))
_unary(erfinv, lambda ans, x: _SQRT_PI / 2.0 * anp.exp(ans ** 2))
_unary(erfcinv, lambda ans, x: -_SQRT_PI / 2.0 * anp.exp(ans ** 2))
_unary(j0, lambda ans, x: -j1(x))
_unary(j1, lambda ans, x: (j0(x) - jn(2, x)) / 2.0)
_unary(y0, lambda ans, x: -y1(x))
_unary(y1, lambda ans, x: (y0(x) - yn(2, x)) / 2.0)
_unary(i0, lambda ans, x: i1(x))
_unary(i1, lambda ans, x: (i0(x) + iv(2, x)) / 2.0)
_order_and_x(jn, lambda ans, n, x: (jn(_np.subtract(n, 1), x) - jn(_np.add(n, 1), x)) / 2.0)
_order_and_x(yn, lambda ans, n, x: (yn(_np.subtract(n, 1), x) - yn(_np.add(n, 1), x)) / 2.0)
_order_and_x(iv, lambda ans, v, x: (iv(_np.subtract(v, 1), x) + iv(_np.add(v, 1), x)) / 2.0)
_order_and_x(ive, lambda ans, v, x: (ive(_np.subtract(v, 1), x) + ive(_np.add(v, 1), x)) / 2.0
             - anp.sign(x) * ans)
# regularised incomplete gamma: derivative in x only (as upstream autograd)
_order_and_x(gammainc, lambda ans, a, x: anp.exp(-x + (a - 1.0) * anp.log(x) - gammaln(a)))
_order_and_x(gammaincc, lambda ans, a, x: -anp.exp(-x + (a - 1.0) * anp.log(x) - gammaln(a)))


def _betainc_dx(ans, a, b, x):
    return anp.exp((a - 1.0) * anp.log(x) + (b - 1.0) * anp.log1p(-x) - betaln(a, b))


defvjp(betainc, None, None,
       lambda ans, a, b, x: lambda g: unbroadcast(g * _betainc_dx(ans, a, b, x), _np.shape(x)))
defjvp(betainc, None, None, lambda g, ans, a, b, x: g * _betainc_dx(ans, a, b, x))


@traced_as(_sp.betaln)
def betaln(a, b):
    return gammaln(a) + gammaln(b) - gammaln(anp.add(a, b))


@traced_as(_sp.beta)
def beta(a, b):
    return anp.exp(betaln(a, b))


@traced_as(_sp.multigammaln)
def multigammaln(a, d):
    terms = [gammaln(a + (1.0 - j) / 2.0) for j in range(1, d + 1)]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total + d * (d - 1) / 4.0 * _np.log(_np.pi)


@traced_as(_sp.expit)
def expit(x):
    return 0.5 * (anp.tanh(anp.multiply(x, 0.5)) + 1.0)


@traced_as(_sp.logit)
def logit(x):
    return anp.log(x) - anp.log1p(anp.negative(x))


@traced_as(_sp.logsumexp)
def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """log(sum(b * exp(a))) over axis, computed stably; with return_sign,
    (log|sum|, sign of the sum), the sign a plain array (no derivative)."""
    av = _np.asarray(getval(a))
    m = _np.max(av, axis=axis, keepdims=True) if av.size else _np.zeros([1] * av.ndim)
    m = _np.where(_np.isfinite(m), m, 0.0)
    e = anp.exp(anp.subtract(a, m))
    if b is not None:
        e = anp.multiply(b, e)
    s = anp.sum(e, axis=axis, keepdims=True)
    if return_sign:
        sign = _np.sign(getval(s))
        out = anp.add(anp.log(anp.multiply(s, _np.where(sign == 0, 1.0, sign))), m)
    else:
        out = anp.add(anp.log(s), m)

    def squeeze(v):
        if keepdims:
            return v
        if axis is None:
            return anp.reshape(v, ())
        return anp.squeeze(v, axis=axis)
    if return_sign:
        return squeeze(out), squeeze(sign)
    return squeeze(out)


ndtr = primitive(_sp.ndtr)
log_ndtr = primitive(_sp.log_ndtr)
_unary(ndtr, lambda ans, x: anp.exp(-0.5 * x ** 2) / _np.sqrt(2 * _np.pi))
_unary(log_ndtr, lambda ans, x: anp.exp(-0.5 * x ** 2 - ans) / _np.sqrt(2 * _np.pi))
stdtr = primitive(_sp.stdtr)
# Student t CDF: derivative in t only (as upstream autograd)
_order_and_x(stdtr, lambda ans, df, t: anp.exp(
    gammaln((df + 1.0) / 2.0) - gammaln(df / 2.0) - 0.5 * anp.log(df * _np.pi)
    - (df + 1.0) / 2.0 * anp.log1p(t ** 2 / df)))
__all__ += ["ndtr", "log_ndtr", "stdtr"]
