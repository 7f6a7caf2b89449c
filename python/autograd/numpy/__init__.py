"""autograd.numpy: numpy, with every function traceable.

``import autograd.numpy as np`` gives every name numpy has.  Called on
plain values, functions return exactly numpy's results; called with a
traced (boxed) argument they record the operation for differentiation.
"""
import numpy as _np

from . import numpy_wrapper as _wrapper
from ._traced import TRACED as _TRACED, getitem as _getitem, _astype  # noqa: F401

_wrapper.wrap_namespace(_np, globals(), _TRACED, skip=("linalg", "fft", "random"))

if not hasattr(_np, "msort"):  # removed from numpy 2; kept for old code
    msort = _wrapper.wrap_function(lambda a: _np.sort(a, axis=0), "msort", _TRACED, "")

from ._index_tricks import r_, c_, make_diagonal  # noqa: E402,F401
from . import linalg, fft, random  # noqa: E402,F401
from . import numpy_boxes, numpy_vspaces  # noqa: E402,F401


def __getattr__(name):
    # names numpy creates lazily (or that appeared after import)
    return getattr(_np, name)
