"""numpy's own functions on traced values: ``__array_ufunc__``,
``__array_function__`` and ``__array__`` of the boxes.

``import numpy as onp; onp.sin(box)`` and ``onp.concatenate([box, a])``
reach the box's ``__array_ufunc__`` / ``__array_function__``, which call
the ``autograd.numpy`` twin of the function (found by module and name), so
they trace exactly as the twin does.  A numpy function that autograd does
not differentiate raises TypeError naming it.  Anything that makes numpy
read a box's numbers without a twin (``onp.asarray(box)``, assigning a box
into an ndarray, numpy reading a box as a sequence) goes through
``__array__``, which raises TypeError naming the fix: the gradient is never
dropped silently.

The namespaces are installed by autograd.numpy once they exist
(:func:`install`).
"""
import numpy as _np

from ..tracer import getval

__all__ = ["install", "array_ufunc", "array_function", "array_protocol", "lost_trace",
           "LOST_TRACE_FIX"]

_NAMESPACES = {}  # numpy module name -> dict of autograd's functions

LOST_TRACE_FIX = (
    "Compute with autograd.numpy (import autograd.numpy as np) instead.  To fill an array "
    "with traced values, make it traced first (a = np.zeros_like(x, shape=a.shape), then "
    "a[i] = ... is traced), or build it with np.concatenate / np.stack / np.where; use "
    "autograd.tracer.getval(x) where a constant is really meant.")

# ufunc methods with a traced twin: (ufunc name, method) -> autograd.numpy name
_UFUNC_METHODS = {("add", "reduce"): "sum", ("multiply", "reduce"): "prod",
                  ("maximum", "reduce"): "max", ("minimum", "reduce"): "min",
                  ("add", "accumulate"): "cumsum", ("multiply", "accumulate"): "cumprod",
                  ("fmax", "reduce"): "max", ("fmin", "reduce"): "min"}


def install(namespaces):
    """namespaces: {numpy module name: dict of autograd's functions}."""
    _NAMESPACES.update(namespaces)


def lost_trace(what):
    """The TypeError for numpy (or Python) reading a box's plain numbers."""
    return TypeError("autograd: {} would read the plain numbers of a traced value and silently "
                     "drop its gradient.  {}".format(what, LOST_TRACE_FIX))


def _not_differentiable(qualname):
    return TypeError("autograd: {} was called on a traced value, but autograd does not "
                     "differentiate it (autograd.numpy has no traced version); compute it "
                     "with differentiable autograd.numpy functions, or apply it to "
                     "autograd.tracer.getval(x) if a constant is meant".format(qualname))


def _twin(module, name):
    ns = _NAMESPACES.get(module)
    if ns is None and module.startswith("numpy."):
        ns = _NAMESPACES.get("numpy")  # numpy 1.x modules such as numpy.core.fromnumeric
    f = None if ns is None else ns.get(name)
    if f is None or not callable(f):
        return None
    table = getattr(f, "traced_table", None)
    if table is not None and name not in table:
        return None  # wrapped, but without a traced implementation
    return f


def array_ufunc(ufunc, method, inputs, kwargs):
    """numpy ufunc `ufunc` (its `method`) called on traced inputs."""
    name = ufunc.__name__
    if kwargs.get("out") is not None:
        raise TypeError("autograd: numpy.{}(..., out=...) would write a traced value into an "
                        "ndarray and drop its gradient; use the returned value instead".format(name))
    kwargs.pop("out", None)
    if method == "__call__":
        f = _twin("numpy", name)
        if f is None:
            raise _not_differentiable("numpy." + name)
        return f(*inputs, **kwargs)
    twin = _UFUNC_METHODS.get((name, method))
    f = None if twin is None else _twin("numpy", twin)
    if f is None:
        raise _not_differentiable("numpy.{}.{}".format(name, method))
    return f(*inputs, **kwargs)


def array_function(func, types, args, kwargs):
    """numpy function `func` (one with __array_function__ dispatch) called
    with traced arguments."""
    module = getattr(func, "__module__", None) or "numpy"
    name = func.__name__
    f = _twin(module, name)
    if f is None:
        raise _not_differentiable("{}.{}".format(module, name))
    return f(*args, **kwargs)


def array_protocol(box, dtype=None):
    """What ``box.__array__(dtype)`` does: the values for an integer or
    boolean dtype (whose derivative is zero: nothing is lost, as in
    ``numpy.int64(box)``), else raise."""
    if dtype is not None and _np.dtype(dtype).kind in "iub":
        return _np.asarray(getval(box)).astype(dtype)
    raise lost_trace("numpy converting it to an ndarray (numpy.asarray / numpy.array, "
                     "assignment into an ndarray, a numpy function reading it as a sequence)")



class NumpyProtocols(object):
    """The numpy protocols of the box classes of arrays (ArrayBox and
    UserArrayBox): numpy's ufuncs and functions on a box trace as their
    autograd.numpy twins, and numpy reading a box as plain numbers raises."""
    __slots__ = ()

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return array_function(func, types, args, kwargs)

    def __array__(self, dtype=None, copy=None):
        return array_protocol(self, dtype)
