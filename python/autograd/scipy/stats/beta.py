"""The beta distribution (scipy.stats.beta).  The CDF is differentiable in
x (not a, b)."""
import scipy.stats as _st

from ... import numpy as anp
from .._util import traced_as, pass_through
from ..special import betaln, betainc


@traced_as(_st.beta.logpdf)
def logpdf(x, a, b, loc=0.0, scale=1.0):
    z = anp.divide(anp.subtract(x, loc), scale)
    return (a - 1.0) * anp.log(z) + (b - 1.0) * anp.log1p(-z) - betaln(a, b) - anp.log(scale)


@traced_as(_st.beta.pdf)
def pdf(x, a, b, loc=0.0, scale=1.0):
    return anp.exp(logpdf.composite(x, a, b, loc, scale))


@traced_as(_st.beta.cdf)
def cdf(x, a, b, loc=0.0, scale=1.0):
    return betainc(a, b, anp.divide(anp.subtract(x, loc), scale))


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.beta, __name__)
