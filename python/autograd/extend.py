"""Extending autograd: define primitives with their own derivative rules.

    from autograd.extend import primitive, defvjp
    @primitive
    def logsumexp(x): ...
    defvjp(logsumexp, lambda ans, x: lambda g: g * np.exp(x - ans))
"""
from .tracer import Box, primitive, notrace_primitive, register_notrace, SparseObject
from .core import (VSpace, vspace, VJPNode, JVPNode, defvjp, defvjp_argnum,
                   defvjp_argnums, defjvp, defjvp_argnum, defjvp_argnums,
                   def_linear)

__all__ = ["Box", "primitive", "notrace_primitive", "register_notrace",
           "SparseObject", "VSpace", "vspace", "VJPNode", "JVPNode", "defvjp",
           "defvjp_argnum", "defvjp_argnums", "defjvp", "defjvp_argnum",
           "defjvp_argnums", "def_linear"]
