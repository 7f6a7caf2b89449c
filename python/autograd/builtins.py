"""Container helpers that see through boxes.

In this implementation containers are never boxed: a tuple, list or dict
may simply hold traced values, and the differential operators walk such
containers.  ``tuple``, ``list`` and ``dict`` are therefore the builtin
types; ``isinstance`` and ``type`` look through boxes at the values they
trace.
"""
import builtins as _builtins

from .tracer import Box, getval

__all__ = ["tuple", "list", "dict", "isinstance", "type", "SequenceBox", "DictBox"]

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
