"""Containers: helpers that see through boxes, and their vector space.

In this implementation containers are never boxed: a tuple, list or dict
may simply hold traced values, and the differential operators walk such
containers.  ``tuple``, ``list`` and ``dict`` are therefore the builtin
types; ``isinstance`` and ``type`` look through boxes at the values they
trace.  :class:`ContainerVSpace`, the vector space of a container of
values, is registered here for lists, tuples and dicts (and their
subclasses, such as namedtuples), as upstream autograd registers its
container spaces.
"""
import builtins as _builtins

import numpy

from . import ops
from .core import VSpace, vspace, flatten_tree, unflatten_tree
from .tracer import Box, getval, has_box
from .user_tracer import UserBox, record, register_user_box

__all__ = ["tuple", "list", "dict", "isinstance", "type", "SequenceBox", "DictBox",
           "ContainerVSpace"]

tuple = _builtins.tuple
list = _builtins.list
dict = _builtins.dict


def isinstance(obj, classinfo):
    """builtins.isinstance, but a box counts as an instance of the types
    of the value it traces."""
    if _builtins.isinstance(obj, classinfo):
        return True
    return _builtins.isinstance(obj, Box) and _builtins.isinstance(getval(obj), classinfo)


def type(obj, *args):
    """builtins.type, but the type of a box is that of the value it traces."""
    if args:
        return _builtins.type(obj, *args)
    if _builtins.isinstance(obj, Box):
        return _builtins.type(getval(obj))
    return _builtins.type(obj)


class SequenceBox(Box):
    """A box-like view of a tuple or list of (possibly traced) values."""
    __slots__ = ["_value"]

    def __init__(self, value):
        self._value = value

    def __getitem__(self, i):
        return self._value[i]

    def __len__(self):
        return len(self._value)

    def __iter__(self):
        return iter(self._value)

    def __add__(self, other):
        return SequenceBox(_builtins.type(self._value)(self._value) + _builtins.type(self._value)(other))

    def __radd__(self, other):
        return SequenceBox(_builtins.type(self._value)(other) + _builtins.type(self._value)(self._value))

    def index(self, elem):
        return self._value.index(elem)

    def __repr__(self):
        return "Autograd SequenceBox with value {}".format(self._value)


class DictBox(Box):
    """A box-like view of a dict of (possibly traced) values."""
    __slots__ = ["_value"]

    def __init__(self, value):
        self._value = value

    def __getitem__(self, k):
        return self._value[k]

    def __len__(self):
        return len(self._value)

    def __iter__(self):
        return iter(self._value)

    def __contains__(self, k):
        return k in self._value

    def items(self):
        return self._value.items()

    def keys(self):
        return self._value.keys()

    def values(self):
        return self._value.values()

    def get(self, k, default=None):
        return self._value.get(k, default)

    def __repr__(self):
        return "Autograd DictBox with value {}".format(self._value)


# ------------------------------------------ boxes of user-defined traces

def container_take(A, idx):
    """A[idx] of a list, tuple or dict: what user-defined traces record for
    indexing a traced container."""
    return A[idx]


class UserSequenceBox(UserBox):
    """A list or tuple traced by a user-defined trace (autograd.user_tracer):
    indexing and iteration are recorded as container_take."""
    __slots__ = ()

    def __getitem__(self, i):
        return record(container_take, (self, i), {}, self._trace)

    def __len__(self):
        return len(self._value)

    def __iter__(self):
        for i in range(len(self._value)):
            yield self[i]


class UserDictBox(UserBox):
    """A dict traced by a user-defined trace: lookups are recorded as
    container_take."""
    __slots__ = ()

    def __getitem__(self, k):
        return record(container_take, (self, k), {}, self._trace)

    def __len__(self):
        return len(self._value)

    def __iter__(self):
        return iter(self._value)

    def __contains__(self, k):
        return k in self._value

    def keys(self):
        return self._value.keys()

    def values(self):
        return [self[k] for k in self._value]

    def items(self):
        return [(k, self[k]) for k in self._value]

    def get(self, k, default=None):
        return self[k] if k in self._value else default


for _t in (_builtins.list, _builtins.tuple):
    register_user_box(_t, UserSequenceBox)
register_user_box(_builtins.dict, UserDictBox)


# ----------------------------------------------------------------- vector space

class ContainerVSpace(VSpace):
    """A list / tuple / dict of vector spaces."""
    __slots__ = ["spec", "spaces"]

    def __init__(self, value):
        leaves, self.spec = flatten_tree(value, check_leaves=False)
        self.spaces = [vspace(l) for l in leaves]

    def __dict_key__(self):
        return (repr(self.spec), tuple(self.spaces))

    @property
    def iscomplex(self):
        return any(s.iscomplex for s in self.spaces)

    @property
    def size(self):
        return sum(s.size for s in self.spaces)

    @property
    def _nentries(self):
        return sum(s._nentries for s in self.spaces)

    @property
    def shape(self):
        return unflatten_tree(self.spec, [s.shape for s in self.spaces])

    @property
    def dtype(self):
        return unflatten_tree(self.spec, [s.dtype for s in self.spaces])

    def _leaves(self, x):
        return flatten_tree(x, check_leaves=False)[0]

    def _build(self, leaves):
        return unflatten_tree(self.spec, leaves)

    def zeros(self): return self._build([s.zeros() for s in self.spaces])
    def ones(self): return self._build([s.ones() for s in self.spaces])
    def randn(self): return self._build([s.randn() for s in self.spaces])

    def standard_basis(self):
        for i, s in enumerate(self.spaces):
            for b in s.standard_basis():
                yield self._build([b if j == i else t.zeros() for j, t in enumerate(self.spaces)])

    def add(self, x, y):
        return self._build([s.add(a, b) for s, a, b in
                            zip(self.spaces, self._leaves(x), self._leaves(y))])

    def scalar_mul(self, x, c):
        return self._build([s.scalar_mul(a, c) for s, a in zip(self.spaces, self._leaves(x))])

    def inner_prod(self, x, y):
        total = 0.0
        for s, a, b in zip(self.spaces, self._leaves(x), self._leaves(y)):
            total = total + s.inner_prod(a, b)
        return total

    def covector(self, x):
        return self._build([s.covector(a) for s, a in zip(self.spaces, self._leaves(x))])

    def flatten(self, x):
        parts = [s.flatten(a) for s, a in zip(self.spaces, self._leaves(x))]
        return _concatenate(parts) if parts else numpy.zeros(0)

    def unflatten(self, v):
        out, start = [], 0
        for s in self.spaces:
            n = s._nentries
            out.append(s.unflatten(v[start:start + n]))
            start += n
        return self._build(out)


def _concatenate(parts):
    """numpy.concatenate of the 1-d arrays parts; traced (each box placed
    with the core's scatter_add) when one of them is a box."""
    if not has_box(parts):
        return numpy.concatenate(parts)
    if len(parts) == 1:
        return parts[0]
    total = sum(ops.shape_of(p)[0] for p in parts)
    out, start = None, 0
    for p in parts:
        n = ops.shape_of(p)[0]
        placed = ops.apply("scatter_add", [p], shape=(total,), index=numpy.arange(start, start + n))
        out = placed if out is None else ops.binary(_ADD, out, placed, numpy.add)
        start += n
    return out


_ADD = ops.opid("add")

for _t in (_builtins.list, _builtins.tuple, _builtins.dict):
    ContainerVSpace.register(_t)
