"""The multivariate normal distribution (scipy.stats.multivariate_normal):
``logpdf``, ``pdf`` and ``entropy``, differentiable in x, mean and cov.

Traced calls follow scipy's argument handling (mean None is zeros; a
scalar cov is cov·I, a 1-d cov its diagonal; x has the components on its
last axis, a 1-d x is one point, or n points when the dimension is 1; the
result is squeezed as scipy squeezes it) and compute with the Cholesky
factor L of cov (read from its lower triangle, as scipy's eigh reads it):
log|cov| = 2 Σ log diag L and the Mahalanobis term |L⁻¹(x − mean)|².

scipy itself is first called on the values, so its errors (shapes, a
covariance that is not positive definite by scipy's eigenvalue test) are
raised as scipy raises them.  A covariance that scipy finds singular
(allowed with allow_singular=True, and always by entropy) is handled as
scipy handles it when it is a constant: pseudo-inverse and
pseudo-determinant from its eigendecomposition (scipy's cutoff), -inf off
the support; the derivative with respect to a singular cov itself raises
NotImplementedError, as do ``Covariance`` objects.
"""
import numpy as _np
import scipy.linalg as _sl
import scipy.stats as _st

from ... import numpy as anp
from ...numpy import _traced as _t
from ...numpy.numpy_wrapper import has_box
from .._util import traced_as, pass_through
from ..linalg import _trisolve

_mvn = _st.multivariate_normal
_LOG_2PI = _np.log(2 * _np.pi)


def _values(*args):
    return [_t.deep_getval(a) for a in args]


def _singular(name, mean, cov):
    """None when scipy finds cov nonsingular.  Otherwise, for a constant
    (untraced) cov, scipy's pseudo-inverse factorization of it, from its
    eigendecomposition with scipy's cutoff: (U with U Uᵀ = cov⁺, log of the
    pseudo-determinant, rank, the null-space basis V, the cutoff).  A
    traced singular cov raises NotImplementedError."""
    if isinstance(cov, _st.Covariance):
        raise NotImplementedError("autograd.scipy.stats.multivariate_normal.{}: Covariance "
                                  "objects are not supported on traced values".format(name))
    # a second scipy factorization of the plain cov, only to learn whether
    # scipy's eigenvalue test finds it singular (the traced Cholesky's
    # own test is not scipy's)
    try:
        _mvn(*_values(mean, cov), allow_singular=False)
        return None
    except _np.linalg.LinAlgError:
        pass
    if has_box((cov,)):
        raise NotImplementedError(
            "autograd.scipy.stats.multivariate_normal.{}: the derivative with respect to a "
            "singular covariance matrix is not supported".format(name)) from None
    _, _, covm = _parameters(mean, cov)
    s, u = _sl.eigh(_np.asarray(covm, dtype=float), lower=True)
    eps = 1e6 * _np.finfo(float).eps * _np.max(_np.abs(s))
    keep = s > eps
    return (u[:, keep] / _np.sqrt(s[keep]), _np.sum(_np.log(s[keep])), int(keep.sum()),
            u[:, ~keep], eps)


def _parameters(mean, cov):
    """scipy's (dim, mean, cov): a vector of length dim and a dim×dim matrix."""
    meanv = None if mean is None else _np.asarray(_t.deep_getval(mean), dtype=float)
    covv = _np.asarray(_t.deep_getval(cov), dtype=float)
    if meanv is not None:
        dim = meanv.size
    else:
        dim = 1 if covv.ndim < 2 else covv.shape[0]
    mean = anp.zeros(dim) if mean is None else _t.lift(mean)
    cov = _t.lift(cov)
    if dim == 1:
        mean = anp.reshape(mean, (1,))
        cov = anp.reshape(cov, (1, 1))
    if _t.ndim_of(cov) == 0:
        cov = anp.multiply(cov, _np.eye(dim))
    elif _t.ndim_of(cov) == 1:
        cov = anp.diag(cov)
    return dim, mean, cov


def _quantiles(x, dim):
    x = _t.lift(x)
    if _t.ndim_of(x) == 0:
        return anp.reshape(x, (1,))
    if _t.ndim_of(x) == 1:
        n = _t.shape_of(x)[0]
        return anp.reshape(x, (n, 1) if dim == 1 else (1, n))
    return x


def _half_logdet(L):
    return anp.sum(anp.log(anp.diagonal(L)))


def _logpdf(x, mean, cov, psd=None):
    dim, mean, cov = _parameters(mean, cov)
    dev = anp.subtract(_quantiles(x, dim), mean)
    shape = _t.shape_of(dev)
    if psd is None:
        L = anp.linalg.cholesky(cov)
        # all points as the columns of one (dim, N) matrix
        z = _trisolve(L, anp.transpose(anp.reshape(dev, (-1, shape[-1]))), 0, True)
        maha = anp.reshape(anp.sum(z * z, axis=0), shape[:-1])
        out = -0.5 * (dim * _LOG_2PI + maha) - _half_logdet(L)
    else:
        # scipy's singular case: pseudo-inverse and pseudo-determinant, and
        # -inf for points off the support (mean + the range of cov)
        U, log_pdet, rank, V, eps = psd
        z = anp.matmul(dev, U)
        out = -0.5 * (rank * _LOG_2PI + log_pdet + anp.sum(z * z, axis=-1))
        off = _np.linalg.norm(_np.asarray(_t.getval(dev)) @ V, axis=-1) >= eps
        if off.any():
            out = anp.where(off, -_np.inf, out)
    return anp.reshape(out, _np.empty(shape[:-1]).squeeze().shape)  # scipy's squeeze


@traced_as(_mvn.logpdf)
def logpdf(x, mean=None, cov=1, allow_singular=False):
    _mvn.logpdf(*_values(x, mean, cov), allow_singular=allow_singular)  # scipy's errors
    psd = _singular("logpdf", mean, cov) if allow_singular else None
    return _logpdf(x, mean, cov, psd)


@traced_as(_mvn.pdf)
def pdf(x, mean=None, cov=1, allow_singular=False):
    _mvn.pdf(*_values(x, mean, cov), allow_singular=allow_singular)  # scipy's errors
    psd = _singular("pdf", mean, cov) if allow_singular else None
    return anp.exp(_logpdf(x, mean, cov, psd))


@traced_as(_mvn.entropy)
def entropy(mean=None, cov=1):
    _mvn.entropy(*_values(mean, cov))  # scipy's errors
    psd = _singular("entropy", mean, cov)
    if psd is not None:  # a constant singular cov: the entropy is a constant
        return 0.5 * psd[2] * (_LOG_2PI + 1) + 0.5 * psd[1]
    dim, mean, cov = _parameters(mean, cov)
    return 0.5 * dim * (_LOG_2PI + 1) + _half_logdet(anp.linalg.cholesky(cov))


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.multivariate_normal, __name__)
