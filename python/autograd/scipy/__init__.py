"""autograd.scipy: differentiable versions of some scipy functions
(scipy is an optional dependency: importing this package needs it)."""
from . import special, stats, linalg, signal, integrate  # noqa: F401
