"""Helpers for writing differential operators (upstream's names)."""
from .differential_operators import _nary as unary_to_nary
from .core import subval

__all__ = ["unary_to_nary", "subval"]
