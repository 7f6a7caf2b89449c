"""The beta distribution (scipy.stats.beta).  The CDF is differentiable in
x (not a, b)."""
import scipy.stats as _st

from ... import numpy as anp
from .._util import traced_as, pass_through, exp_of, standardize
from ..special import betaln, betainc


@traced_as(_st.beta.logpdf)
def logpdf(x, a, b, loc=0.0, scale=1.0):
    z = standardize(x, loc, scale)
    return (a - 1.0) * anp.log(z) + (b - 1.0) * anp.log1p(-z) - betaln(a, b) - anp.log(scale)


pdf = exp_of(logpdf, _st.beta.pdf)


@traced_as(_st.beta.cdf)
def cdf(x, a, b, loc=0.0, scale=1.0):
    return betainc(a, b, standardize(x, loc, scale))


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.beta, __name__)
