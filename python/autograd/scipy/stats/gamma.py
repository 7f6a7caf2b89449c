"""The gamma distribution (scipy.stats.gamma), shape a.  The CDF is
differentiable in x (not a)."""
import scipy.stats as _st

from ... import numpy as anp
from .._util import traced_as, pass_through, exp_of, standardize
from ..special import gammaln, gammainc


@traced_as(_st.gamma.logpdf)
def logpdf(x, a, loc=0.0, scale=1.0):
    z = standardize(x, loc, scale)
    return (a - 1.0) * anp.log(z) - z - gammaln(a) - anp.log(scale)


pdf = exp_of(logpdf, _st.gamma.pdf)


@traced_as(_st.gamma.cdf)
def cdf(x, a, loc=0.0, scale=1.0):
    return gammainc(a, standardize(x, loc, scale))


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.gamma, __name__)
