"""Wrapping numpy's namespace.

Every numpy function is wrapped so that a call with no traced argument is
exactly numpy's call, and a call with a traced argument (also inside list
or tuple arguments, as in ``np.array([box, 1.0])``) goes to the traced
implementation registered for that name, or raises NotImplementedError
naming the function when there is none.
"""
import types

import numpy as _np

from .._capi import ag_apply1, last_error
from ..tracer import ArrayBox, Box

_SEQ = (list, tuple)


def has_box(seq):
    """True when the list / tuple seq holds a box, at any depth."""
    for e in seq:
        if isinstance(e, Box):
            return True
        t = type(e)
        if (t is list or t is tuple) and has_box(e):
            return True
    return False


_UFUNC_ATTRS = ("nin", "nout", "nargs", "ntypes", "types", "identity", "signature",
                "reduce", "accumulate", "reduceat", "outer", "at")


def _unary_fast_path(f, op, general):
    """wrapped f for a one-argument function: a call on one box is a single
    core call, a call on one float or ndarray is numpy's; anything else goes
    the general way."""
    def wrapped(*args, **kwargs):
        if len(args) == 1 and not kwargs:
            x = args[0]
            t = type(x)
            if t is ArrayBox:
                h = ag_apply1(op, x._h)
                if not h:
                    raise last_error()
                return ArrayBox(h)
            if t is float or t is _np.ndarray:
                return f(x)
        return general(*args, **kwargs)
    return wrapped


def wrap_function(f, name, table, prefix, module="autograd.numpy"):
    """The autograd version of callable f (module names the wrapping
    package, for __module__ and error messages)."""
    def wrapped(*args, **kwargs):
        if not has_box(args) and not (kwargs and has_box(kwargs.values())):
            return f(*args, **kwargs)
        impl = table.get(name)
        if impl is None:
            raise NotImplementedError(
                "{}.{}{} has no gradient rule yet (it was called "
                "with a traced argument)".format(module, prefix, name))
        return impl(*args, **kwargs)

    op = getattr(table.get(name), "unary_op", -1)
    if op >= 0:
        wrapped = _unary_fast_path(f, op, wrapped)
    wrapped.__name__ = name
    wrapped.__qualname__ = name
    wrapped.__doc__ = getattr(f, "__doc__", None)
    wrapped.__module__ = module + ("." + prefix.rstrip(".") if prefix else "")
    wrapped.__wrapped__ = f
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
