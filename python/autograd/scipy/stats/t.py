"""Student's t distribution (scipy.stats.t).  The CDF is differentiable in
x, loc and scale (not df)."""
import numpy as _np
import scipy.stats as _st

from ... import numpy as anp
from .._util import traced_as, pass_through, exp_of, standardize
from ..special import gammaln, stdtr


@traced_as(_st.t.logpdf)
def logpdf(x, df, loc=0.0, scale=1.0):
    z = standardize(x, loc, scale)
    return (gammaln((df + 1.0) / 2.0) - gammaln(anp.multiply(df, 0.5))
            - 0.5 * anp.log(anp.multiply(df, _np.pi)) - anp.log(scale)
            - (df + 1.0) / 2.0 * anp.log1p(z ** 2 / df))


pdf = exp_of(logpdf, _st.t.pdf)


@traced_as(_st.t.cdf)
def cdf(x, df, loc=0.0, scale=1.0):
    return stdtr(df, standardize(x, loc, scale))


@traced_as(_st.t.logcdf)
def logcdf(x, df, loc=0.0, scale=1.0):
    return anp.log(cdf.composite(x, df, loc, scale))


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.t, __name__)
