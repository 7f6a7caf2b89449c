"""Nested containers of arrays to one flat vector and back."""
from .. import numpy as np
from ..core import _check_leaf

__all__ = ["flatten", "flatten_func"]


def _walk(value, leaves):
    """Collect the leaves of value (dict entries in sorted key order) and
    return a description to rebuild it."""
    if isinstance(value, dict):
        keys = list(value)
        return ("dict", type(value), keys, {k: _walk(value[k], leaves) for k in sorted(keys)})
    if isinstance(value, (list, tuple)):
        return ("seq", type(value), [_walk(v, leaves) for v in value])
    _check_leaf(value) if not isinstance(value, int) else None
    leaves.append(value)
    return ("leaf", np.shape(value))


def _build(spec, it):
    kind = spec[0]
    if kind == "leaf":
        return next(it)
    if kind == "dict":
        _, t, keys, children = spec
        built = {k: _build(children[k], it) for k in sorted(keys)}
        return t((k, built[k]) for k in keys)
    _, t, children = spec
    items = [_build(c, it) for c in children]
    return t._make(items) if hasattr(t, "_make") else t(items)


def _shapes(spec, out):
    if spec[0] == "leaf":
        out.append(spec[1])
    elif spec[0] == "dict":
        for k in sorted(spec[2]):
            _shapes(spec[3][k], out)
    else:
        for c in spec[2]:
            _shapes(c, out)
    return out


def flatten(value):
    """(vector, unflatten): the leaves of nested lists / tuples / dicts of
    arrays and numbers (dict entries in sorted key order) concatenated into
    one 1-d array, and the function mapping such a vector back to the
    structure.  Both are differentiable (value may hold traced arrays)."""
    leaves = []
    spec = _walk(value, leaves)
    shapes = _shapes(spec, [])
    flat = np.concatenate([np.ravel(l) for l in leaves]) if leaves else np.zeros(0)

    def unflatten(vector):
        pieces, start = [], 0
        for s in shapes:
            n = 1
            for d in s:
                n *= d
            pieces.append(np.reshape(vector[start:start + n], s))
            start += n
        return _build(spec, iter(pieces))
    return flat, unflatten


def flatten_func(func, example):
    """(flat_func, unflatten, flat_example): func of a structured argument
    (shaped like example) turned into a function of a flat vector."""
    flat_example, unflatten = flatten(example)

    def flat_func(x, *args, **kwargs):
        return flatten(func(unflatten(x), *args, **kwargs))[0]
    return flat_func, unflatten, flat_example
