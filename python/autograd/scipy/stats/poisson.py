"""The Poisson distribution (scipy.stats.poisson), differentiable in mu."""
import numpy as _np
import scipy.stats as _st

from ... import numpy as anp
from ...tracer import getval
from .._util import traced_as, pass_through, exp_of
from ..special import gammaln, gammaincc


@traced_as(_st.poisson.logpmf)
def logpmf(k, mu, loc=0):
    k = _np.asarray(getval(k)) - loc
    valid = (k >= 0) & (k == _np.floor(k))
    kk = _np.where(valid, k, 0.0)
    lp = kk * anp.log(mu) - mu - gammaln(kk + 1.0)
    return anp.where(valid, lp, -_np.inf)


pmf = exp_of(logpmf, _st.poisson.pmf)


@traced_as(_st.poisson.cdf)
def cdf(k, mu, loc=0):
    k = _np.floor(_np.asarray(getval(k)) - loc)
    return anp.where(k >= 0, gammaincc(_np.maximum(k, 0.0) + 1.0, mu), 0.0)


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.poisson, __name__)
