"""Helpers built on autograd: flattening of nested parameters, optimizers,
fixed points, const_graph."""
from .flatten import flatten, flatten_func
from .tracers import const_graph

__all__ = ["flatten", "flatten_func", "const_graph"]
