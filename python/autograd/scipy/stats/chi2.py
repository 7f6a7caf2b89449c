"""The chi-squared distribution (scipy.stats.chi2).  The CDF is
differentiable in x (not df)."""
import numpy as _np
import scipy.stats as _st

from ... import numpy as anp
from .._util import traced_as, pass_through, exp_of, standardize
from ..special import gammaln, gammainc


@traced_as(_st.chi2.logpdf)
def logpdf(x, df, loc=0.0, scale=1.0):
    z = standardize(x, loc, scale)
    k = anp.multiply(df, 0.5)
    return (k - 1.0) * anp.log(z) - z / 2.0 - gammaln(k) - k * _np.log(2.0) - anp.log(scale)


pdf = exp_of(logpdf, _st.chi2.pdf)


@traced_as(_st.chi2.cdf)
def cdf(x, df, loc=0.0, scale=1.0):
    return gammainc(anp.multiply(df, 0.5), standardize(x, loc, scale) / 2.0)


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.chi2, __name__)
