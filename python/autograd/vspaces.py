"""Vector spaces: the space a value lives in (VSpace, vspace).

Spaces are registered by value type (:meth:`VSpace.register`), looked up
along the type's MRO: the numpy layer registers ArrayVSpace for arrays,
numbers and boxes, ``autograd.builtins`` ContainerVSpace for lists, tuples
and dicts, and users their own (upstream's protocol: a space defines zeros,
randn, _add, _scalar_mul, _inner_prod, _covector).  The public operations
are primitives, so computing with values of a user-defined space inside
derivative rules is itself traced (their rules are in autograd.core).
"""
import numpy

from .tracer import Box, SparseObject, primitive

__all__ = ["VSpace", "vspace"]


class VSpace(object):
    """The vector space a value lives in: arrays of one shape and dtype, or
    a container of such spaces.  Used by the differential operators and by
    test_util.

    Which space a value lives in is registered by value type
    (:meth:`register`): the numpy layer registers ArrayVSpace for arrays,
    numbers and boxes (``autograd.numpy.numpy_vspaces``), and
    ``autograd.builtins`` ContainerVSpace for lists, tuples and dicts."""
    __slots__ = []
    iscomplex = False
    mappings = {}  # value type -> function of a value giving its space

    @classmethod
    def register(cls, value_type, vspace_maker=None):
        """Make vspace(x) = vspace_maker(x) (by default cls(x)) for values x
        of value_type or of a subclass of it."""
        VSpace.mappings[value_type] = vspace_maker or cls

    def zeros(self): raise NotImplementedError
    def ones(self): raise NotImplementedError
    def randn(self): raise NotImplementedError
    def standard_basis(self): raise NotImplementedError

    @property
    def _nentries(self):
        """How many entries flatten() gives (size counts complex ones twice)."""
        return self.size

    # upstream's protocol: the public operations call the underscored ones,
    # which a user-defined space overrides (_add, _scalar_mul, _inner_prod,
    # _covector); the spaces of arrays and containers work through _binary
    # and _map
    # primitives (rules at the end of this module), so that computing with
    # values of a user-defined space inside rules is itself traced
    @primitive
    def add(self, x, y):
        return self._add(x, y)

    def mut_add(self, x_prev, x_new):
        """x_prev + x_new (boxes are immutable, so never in place)."""
        if x_prev is None:
            return x_new
        return self.add(x_prev, x_new)

    @primitive
    def scalar_mul(self, x, a):
        return self._scalar_mul(x, a)

    @primitive
    def inner_prod(self, x, y):
        """The real inner product <x, y> (sum of Re(conj(x) * y))."""
        return self._inner_prod(x, y)

    @primitive
    def covector(self, x):
        """The covector of x: its complex conjugate (x itself when real)."""
        return self._covector(x)

    def _add(self, x, y):
        return self._binary(lambda a, b: a + b, x, y)

    def _scalar_mul(self, x, a):
        return self._map(lambda v: v * a, x)

    def _inner_prod(self, x, y):
        raise NotImplementedError("{} defines no inner product (_inner_prod)".format(type(self).__name__))

    def _covector(self, x):
        return x

    def _binary(self, f, x, y):
        return f(x, y)

    def _map(self, f, x):
        return f(x)

    def __dict_key__(self):
        # a user-defined space: its attributes, as upstream compares spaces
        d = getattr(self, "__dict__", {})
        return tuple(sorted((k, repr(v)) for k, v in d.items()))

    def examples(self):
        yield self.zeros()
        yield self.ones()
        yield self.randn()

    @property
    def ndim(self):
        return len(self.shape)

    def __eq__(self, other):
        return type(self) == type(other) and self.__dict_key__() == other.__dict_key__()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self), self.__dict_key__()))

    def __repr__(self):
        return "{}_{}".format(type(self).__name__, self.__dict_key__())


def _core_dtype(dtype):
    """The dtype the core computes values of dtype in, for vector spaces:
    integers and booleans are float64, others are themselves."""
    dtype = numpy.dtype(dtype)
    if dtype.kind in "iub":
        return numpy.dtype(numpy.float64)
    return dtype


def _vspace_maker(value_type):
    """The registered maker of vector spaces for value_type (or for its
    nearest registered base class), or None."""
    maker = VSpace.mappings.get(value_type)
    if maker is None:
        for base in value_type.__mro__[1:]:
            maker = VSpace.mappings.get(base)
            if maker is not None:
                break
    return maker


def vspace(value):
    """The VSpace of value (an array, a number, a box or a container)."""
    if isinstance(value, VSpace):
        return value
    maker = _vspace_maker(type(value))
    if maker is not None:
        return maker(value)
    if isinstance(value, Box):
        return vspace(value._value)
    if isinstance(value, SparseObject):
        return value.vs
    raise TypeError("Can't find vector space for type {}".format(type(value)))
