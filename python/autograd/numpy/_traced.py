"""The traced implementations in one namespace, for the modules composed
from many of them (numpy.linalg, numpy.fft, scipy.linalg,
scipy.stats.multivariate_normal use it as ``_t``).

Nothing is defined here.  Each name comes from the module of its family,
named after the Go core's rule file of the same primitives:

=====================  ===========================================
elementwise.py         core/ad/rules_elementwise.go
array_shapes.py        reshape, transpose, broadcast_to (rules_array.go)
array_indexing.py      gather, scatter_add (rules_array.go)
array_combining.py     stack (rules_array.go)
array_reductions.py    sum, max, min (rules_array.go)
array_products.py      tensordot, matmul (rules_array.go)
linalg.py              rules_linalg.go, rules_decomp.go, rules_eig.go
fft.py                 rules_fft.go
=====================  ===========================================

and the helpers from ``autograd.ops`` (applying the core's operations),
``autograd.tracer`` (values) and ``_args`` (numpy's axes and keywords).
"""
# flake8: noqa: F401
from ..ops import apply, lift, shape_of, ndim_of, iscomplex_of
from ..tracer import getval, deep_getval
from ._args import normalize_axes, normalize_axis
from .numpy_wrapper import TRACED, TRACED_LINALG, TRACED_FFT
from .elementwise import (add, subtract, multiply, divide, power, real, imag, conj, sqrt, exp,
                          log, where, astype)
from .array_shapes import (reshape, ravel, transpose, swapaxes, moveaxis, expand_dims, squeeze,
                           broadcast_to)
from .array_indexing import index_grid, gather, getitem, rearrange
from .array_combining import array, stack, concatenate
from .array_reductions import sum, mean
from .array_products import tensordot, dot, matmul, einsum
