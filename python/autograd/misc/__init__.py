"""Helpers built on autograd: flattening of nested parameters, optimizers,
fixed points, const_graph."""
from .flatten import flatten, flatten_func
from .tracers import const_graph
from .fixed_points import fixed_point
from . import optimizers  # noqa: F401  (autograd.misc.optimizers.adam, ...)

__all__ = ["flatten", "flatten_func", "const_graph", "fixed_point", "optimizers"]
