"""The gamma distribution (scipy.stats.gamma), shape a.  The CDF is
differentiable in x (not a)."""
import scipy.stats as _st

from ... import numpy as anp
from .._util import traced_as, pass_through
from ..special import gammaln, gammainc


@traced_as(_st.gamma.logpdf)
def logpdf(x, a, loc=0.0, scale=1.0):
    z = anp.divide(anp.subtract(x, loc), scale)
    return (a - 1.0) * anp.log(z) - z - gammaln(a) - anp.log(scale)


@traced_as(_st.gamma.pdf)
def pdf(x, a, loc=0.0, scale=1.0):
    return anp.exp(logpdf.composite(x, a, loc, scale))


@traced_as(_st.gamma.cdf)
def cdf(x, a, loc=0.0, scale=1.0):
    return gammainc(a, anp.divide(anp.subtract(x, loc), scale))


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.gamma, __name__)
