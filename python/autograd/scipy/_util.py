"""Helpers shared by the scipy wrappers."""
import functools

import numpy as _np

from ..numpy.numpy_wrapper import has_box, wrap_function
from .. import numpy as anp


def traced_as(untraced):
    """Decorate a composite implementation: without boxed arguments the
    call goes to `untraced` (scipy's own function), so untraced results are
    exactly scipy's.  The dispatch is numpy_wrapper.wrap_function's (same
    has_box test); unlike it, the result keeps scipy's name, signature and
    docstring (functools.wraps) and exposes the composite as `.composite`."""
    def deco(composite):
        @functools.wraps(untraced)
        def wrapped(*args, **kwargs):
            if has_box(args) or (kwargs and has_box(kwargs.values())):
                return composite(*args, **kwargs)
            return untraced(*args, **kwargs)
        wrapped.__wrapped__ = untraced
        wrapped.composite = composite
        return wrapped
    return deco


def unbroadcast(g, shape):
    """Sum g over the axes that broadcasting added to an argument of shape
    `shape` (the VJP of broadcasting)."""
    gshape = _np.shape(g)
    if gshape == tuple(shape):
        return g
    extra = len(gshape) - len(shape)
    if extra > 0:
        g = anp.sum(g, axis=tuple(range(extra)))
    axes = tuple(i for i, d in enumerate(shape) if d == 1 and _np.shape(g)[i] != 1)
    if axes:
        g = anp.sum(g, axis=axes, keepdims=True)
    return g


def pass_through(namespace, dist, module):
    """Add to the module dict `namespace` every public method of the scipy
    distribution object `dist` that the module does not define itself
    (rvs, mean, ppf, ...), as upstream autograd's stats modules expose them.
    Untraced calls are scipy's own; a traced argument raises
    NotImplementedError naming the function."""
    for name in dir(dist):
        if name.startswith("_") or name in namespace:
            continue
        obj = getattr(dist, name, None)
        if callable(obj) and not isinstance(obj, type):
            namespace[name] = wrap_function(obj, name, {}, "", module)


def standardize(x, loc, scale):
    """(x - loc) / scale, the standardized variable of a location-scale
    distribution."""
    return anp.divide(anp.subtract(x, loc), scale)


def exp_of(log_fun, untraced):
    """The density / mass function exp(log_fun) (log_fun made by traced_as),
    scipy's `untraced` when nothing is traced."""
    @traced_as(untraced)
    def composite(*args, **kwargs):
        return anp.exp(log_fun.composite(*args, **kwargs))
    return composite
