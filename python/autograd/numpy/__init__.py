"""autograd.numpy: numpy, with every function traceable.

``import autograd.numpy as np`` gives every name numpy has.  Called on
plain values, functions return exactly numpy's results; called with a
traced (boxed) argument they record the operation for differentiation.
"""
import numpy as _np

from ..tracer import Box as _Box

from . import numpy_wrapper as _wrapper
# The traced implementations, one module per family of the Go core's rules
# (each registers its functions in numpy_wrapper's tables) ...
from . import (elementwise, array_shapes, array_indexing, array_combining,  # noqa: F401
               array_reductions, array_products)
# ... and the box and vector space of numpy values, which register
# themselves with the tracer and the core (the layers below use them
# without importing them).
from . import numpy_boxes, numpy_vspaces  # noqa: F401
from . import user_boxes as _user_boxes, interop as _interop

_TRACED = _wrapper.TRACED
_wrapper.wrap_namespace(_np, globals(), _TRACED, skip=("linalg", "fft", "random"))

if not hasattr(_np, "msort"):  # removed from numpy 2; kept for old code
    msort = _wrapper.wrap_function(lambda a: _np.sort(a, axis=0), "msort", _TRACED, "")

from ._index_tricks import r_, c_, make_diagonal  # noqa: E402,F401
from . import linalg, fft, random  # noqa: E402,F401

# boxes of user-defined traces call this namespace's functions (user_boxes.py),
# and numpy's functions called on boxes call their twins here (interop.py)
_user_boxes.install_methods(globals())
_interop.install({"numpy": globals(), "numpy.linalg": vars(linalg), "numpy.fft": vars(fft)})


def __getattr__(name):
    # names numpy creates lazily (or that appeared after import)
    return getattr(_np, name)


_wrapped_where = where  # noqa: F821 (made by wrap_namespace)


def _plain_python(x):
    """True when x holds no array, numpy scalar or box (lists and tuples
    are looked into)."""
    if isinstance(x, (_np.ndarray, _np.generic, _Box)):
        return False
    if isinstance(x, (list, tuple)):
        return all(_plain_python(e) for e in x)
    return True


def where(condition, *args, **kwargs):
    """numpy.where, which also takes x and y by keyword; as upstream
    autograd, when condition, x and y are all plain Python values (numbers,
    lists) the result is too (a number or a list)."""
    for k in kwargs:
        if k not in ("x", "y") or (k == "x" and args) or (k == "y" and len(args) > 1):
            raise TypeError("where() got an unexpected keyword argument {!r}".format(k))
    if len(args) > 2:
        raise TypeError("where() takes at most 3 arguments ({} given)".format(1 + len(args)))
    xy = list(args) + [kwargs[k] for k in ("x", "y") if k in kwargs]
    if not xy:
        return _wrapped_where(condition)
    if len(xy) != 2:
        raise ValueError("either both or neither of x and y should be given")
    x, y = xy
    res = _wrapped_where(condition, x, y)
    if _plain_python(condition) and _plain_python(x) and _plain_python(y) and isinstance(res, _np.ndarray):
        return res.tolist()
    return res


for _attr in ("__name__", "__qualname__", "__module__"):
    setattr(where, _attr, getattr(_wrapped_where, _attr))
