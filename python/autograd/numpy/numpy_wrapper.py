"""Wrapping numpy's namespace, and the tables of traced implementations.

Every numpy function is wrapped so that a call with no traced argument is
exactly numpy's call, and a call with a traced argument (also inside list
or tuple arguments, as in ``np.array([box, 1.0])``) goes to the traced
implementation registered for that name, or raises NotImplementedError
naming the function when there is none.

The traced implementations are registered by name in :data:`TRACED` (for
autograd.numpy), :data:`TRACED_LINALG` and :data:`TRACED_FFT` by the
modules of each family: ``elementwise.py`` (the Go core's
``rules_elementwise.go``), ``array_*.py`` (``rules_array.go``: shapes,
indexing, combining, reductions, products), ``linalg.py``
(``rules_linalg.go``, ``rules_decomp.go``, ``rules_eig.go``) and ``fft.py``
(``rules_fft.go``).  This module registers the functions whose result has no
derivative (shape, argmax, isnan, comparisons, ...): on traced arguments
they are called on the plain values.
"""
import types

import numpy as _np

from ..ops import unary_fast_path
from ..tracer import has_box, deep_getval  # noqa: F401  (has_box: used by importers)
from ..user_tracer import state as _user_state, top_user_trace, record

TRACED = {}         # name -> traced implementation, for autograd.numpy
TRACED_LINALG = {}  # for autograd.numpy.linalg
TRACED_FFT = {}     # for autograd.numpy.fft


def traced(*names, table=TRACED):
    """Register the decorated function as the traced implementation of
    numpy's `names`."""
    def deco(f):
        for n in names:
            table[n] = f
        return f
    return deco


_UFUNC_ATTRS = ("nin", "nout", "nargs", "ntypes", "types", "identity", "signature",
                "reduce", "accumulate", "reduceat", "outer", "at")


def wrap_function(f, name, table, prefix, module="autograd.numpy"):
    """The autograd version of callable f (module names the wrapping
    package, for __module__ and error messages)."""
    def wrapped(*args, **kwargs):
        if not has_box(args) and not (kwargs and has_box(kwargs.values())):
            return f(*args, **kwargs)
        impl = table.get(name)
        if _user_state.active:
            top = top_user_trace(args, kwargs)
            if top is not None:  # a user-defined trace records the call (user_tracer)
                return record(exported[0], args, kwargs, top._trace,
                              notrace=getattr(impl, "plain", False))
        if impl is None:
            raise NotImplementedError(
                "{}.{}{} has no gradient rule yet (it was called "
                "with a traced argument)".format(module, prefix, name))
        return impl(*args, **kwargs)

    op = getattr(table.get(name), "unary_op", -1)
    if op >= 0:
        # a one-argument function the core has as one operation: a call on
        # one box is a single core call (the hot path)
        wrapped = unary_fast_path(f, op, wrapped)
    exported = [wrapped]  # the function object user-defined traces record
    wrapped.__name__ = name
    wrapped.__qualname__ = name
    wrapped.__doc__ = getattr(f, "__doc__", None)
    wrapped.__module__ = module + ("." + prefix.rstrip(".") if prefix else "")
    wrapped.__wrapped__ = f
    wrapped.traced_table = table  # name in traced_table: traced (interop.py)
    if isinstance(f, _np.ufunc):
        for attr in _UFUNC_ATTRS:
            try:
                setattr(wrapped, attr, getattr(f, attr))
            except AttributeError:
                pass
    return wrapped


def wrap_namespace(src, dst, table, prefix="", skip=(), module="autograd.numpy"):
    """Fill dict dst with every public name of module src: callables are
    wrapped, classes, constants and submodules are passed through."""
    for name in dir(src):
        if name.startswith("__") or name in skip:
            continue
        try:
            obj = getattr(src, name)
        except AttributeError:
            continue
        if isinstance(obj, (type, types.ModuleType)) or not callable(obj):
            dst[name] = obj
        else:
            dst[name] = wrap_function(obj, name, table, prefix, module)
    return dst


# ------------------------------------------------------------ plain results

def _plain(name):
    f = getattr(_np, name)

    def impl(*args, **kwargs):
        return f(*[deep_getval(a) for a in args], **{k: deep_getval(v) for k, v in kwargs.items()})
    impl.__name__ = name
    impl.plain = True  # no derivative: user-defined traces do not record it
    return impl


# The family modules, imported after this one, replace an entry here with a
# traced implementation where there is one (sign has its own, which is also
# plain).
for _n in ["shape", "ndim", "size", "result_type", "iscomplexobj", "isrealobj", "iscomplex",
           "isreal", "argmax", "argmin", "argsort", "argpartition", "nonzero", "flatnonzero",
           "argwhere", "searchsorted", "round", "around", "rint", "floor", "ceil", "trunc",
           "fix", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "isclose",
           "allclose", "array_equal", "array_equiv", "all", "any", "logical_and", "logical_or",
           "logical_not", "logical_xor", "equal", "not_equal", "less", "less_equal",
           "greater", "greater_equal", "floor_divide", "count_nonzero", "zeros_like",
           "ones_like", "empty_like", "unique", "digitize", "histogram", "bincount",
           "heaviside", "isscalar", "shares_memory", "may_share_memory", "iinfo", "finfo",
           "can_cast", "min_scalar_type", "promote_types", "ndindex", "isin", "copysign",
           "nextafter", "spacing", "frexp", "modf", "sign"]:
    if hasattr(_np, _n):
        TRACED[_n] = _plain(_n)
