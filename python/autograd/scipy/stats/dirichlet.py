"""The Dirichlet distribution (scipy.stats.dirichlet), for one point x
(last axis) and concentrations alpha."""
import scipy.stats as _st

from ... import numpy as anp
from ...numpy._traced import deep_getval
from .._util import traced_as, pass_through, exp_of
from ..special import gammaln


@traced_as(_st.dirichlet.logpdf)
def logpdf(x, alpha):
    # scipy's argument checks (x on the simplex, alpha > 0, shapes), run on
    # the plain values, so wrong input raises scipy's ValueError: the
    # formula below would silently evaluate off the simplex
    _st.dirichlet.logpdf(deep_getval(x), deep_getval(alpha))
    return (anp.sum((alpha - 1.0) * anp.log(x), axis=-1)
            + gammaln(anp.sum(alpha, axis=-1)) - anp.sum(gammaln(alpha), axis=-1))


pdf = exp_of(logpdf, _st.dirichlet.pdf)


# scipy's other names (rvs, ppf, mean, ...), passed through
pass_through(globals(), _st.dirichlet, __name__)
