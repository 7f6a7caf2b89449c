"""The normal distribution (scipy.stats.norm)."""
import numpy as _np
import scipy.stats as _st

from ... import numpy as anp
from .._util import traced_as, pass_through, exp_of, standardize
from ..special import ndtr, log_ndtr

_LOG_SQRT_2PI = 0.5 * _np.log(2 * _np.pi)


@traced_as(_st.norm.logpdf)
def logpdf(x, loc=0.0, scale=1.0):
    z = standardize(x, loc, scale)
    return -0.5 * z ** 2 - _LOG_SQRT_2PI - anp.log(scale)


pdf = exp_of(logpdf, _st.norm.pdf)


@traced_as(_st.norm.cdf)
def cdf(x, loc=0.0, scale=1.0):
    return ndtr(standardize(x, loc, scale))


@traced_as(_st.norm.logcdf)
def logcdf(x, loc=0.0, scale=1.0):
    return log_ndtr(standardize(x, loc, scale))


@traced_as(_st.norm.sf)
def sf(x, loc=0.0, scale=1.0):
    return ndtr(-standardize(x, loc, scale))


@traced_as(_st.norm.logsf)
def logsf(x, loc=0.0, scale=1.0):
    return log_ndtr(-standardize(x, loc, scale))


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.norm, __name__)
