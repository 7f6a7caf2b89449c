"""The box of numpy values (kept for code importing it from here)."""
from ..tracer import ArrayBox  # noqa: F401
