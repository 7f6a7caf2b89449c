"""The vector spaces of numpy values (kept for code importing them from here)."""
from ..core import ArrayVSpace, ContainerVSpace  # noqa: F401
