"""autograd.scipy.stats: log densities, densities and CDFs of some scipy
distributions, differentiable in their arguments."""
from . import norm, t, gamma, beta, chi2, poisson, dirichlet, multivariate_normal  # noqa: F401
