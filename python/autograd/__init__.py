"""autograd: automatic differentiation of numpy code, with a Go core.

A drop-in replacement for the HIPS ``autograd`` package::

    import autograd.numpy as np
    from autograd import grad
    grad(lambda x: np.sin(x * 2) / x)(1.0)
"""
from .differential_operators import (
    grad, value_and_grad, grad_and_aux, elementwise_grad, deriv, jacobian,
    hessian, holomorphic_grad, make_vjp, make_jvp, hessian_tensor_product,
    hessian_vector_product, make_hvp, vector_jacobian_product,
    tensor_jacobian_product, make_ggnvp, grad_named, multigrad_dict,
    checkpoint)
from .core import primitive_with_deprecation_warnings as primitive
from .builtins import tuple, list, dict, isinstance, type
from . import numpy  # noqa: F401  (autograd.numpy is always importable)
from . import _process  # noqa: F401  (fork and signal safety)

__version__ = "0.1.0"
