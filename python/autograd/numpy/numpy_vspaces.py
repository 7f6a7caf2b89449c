"""ArrayVSpace: the vector space of numpy values (arrays, numbers, boxes).

Registered with ``VSpace.register`` for ndarrays, Python and numpy floats
and complex numbers, and ArrayBox, as upstream autograd registers its
ArrayVSpace: ``autograd.core.vspace`` finds it without importing this
module.  Integer and boolean arrays live in the float64 space (the dtype the
core computes in).  ContainerVSpace, the space of lists, tuples and dicts,
is ``autograd.builtins``'.
"""
import numpy

from ..builtins import ContainerVSpace  # noqa: F401  (importable from here, as before)
from ..core import VSpace, _core_dtype
from ..tracer import HandleBox
from .numpy_boxes import ArrayBox
from .numpy_wrapper import TRACED, wrap_function

__all__ = ["ArrayVSpace", "ContainerVSpace"]

# autograd.numpy's functions (numpy's own on plain values), for the
# operations of a space on plain or traced vectors
_sum, _real, _conj, _ravel, _reshape = (wrap_function(getattr(numpy, n), n, TRACED, "")
                                        for n in ["sum", "real", "conj", "ravel", "reshape"])


class ArrayVSpace(VSpace):
    """Arrays (or scalars) of a fixed shape and dtype."""
    __slots__ = ["shape", "dtype", "iscomplex"]

    def __init__(self, value):
        if isinstance(value, HandleBox):
            self.shape, self.dtype = value.shape, value.dtype
        else:
            a = numpy.asarray(value)
            self.shape, self.dtype = a.shape, _core_dtype(a.dtype)
        self.iscomplex = self.dtype.kind == "c"

    def __dict_key__(self):
        return (self.shape, self.dtype)

    @property
    def size(self):
        """The real dimension: a complex entry counts twice (upstream's
        convention; len(list(standard_basis())) == size)."""
        n = int(numpy.prod(self.shape))
        return 2 * n if self.iscomplex else n

    @property
    def _nentries(self):
        return int(numpy.prod(self.shape))

    def zeros(self):
        return numpy.zeros(self.shape, self.dtype)

    def ones(self):
        """The sum of the standard basis: 1 + 1j in every entry for a
        complex space (as upstream)."""
        if self.iscomplex:
            return numpy.full(self.shape, 1 + 1j, self.dtype)
        return numpy.ones(self.shape, self.dtype)

    def randn(self):
        v = numpy.random.randn(*self.shape)
        if self.iscomplex:
            v = v + 1j * numpy.random.randn(*self.shape)
        return numpy.asarray(v).astype(self.dtype)

    def standard_basis(self):
        units = [1.0, 1.0j] if self.iscomplex else [1.0]
        for idx in numpy.ndindex(*self.shape):
            for u in units:
                v = numpy.zeros(self.shape, self.dtype)
                v[idx] = u
                yield v

    def add(self, x, y):
        return x + y

    def scalar_mul(self, x, a):
        return x * a

    def inner_prod(self, x, y):
        if self.iscomplex:
            return _sum(_real(_conj(x) * y))
        return _sum(x * y)

    def covector(self, x):
        return _conj(x) if self.iscomplex else x

    def flatten(self, x):
        return _ravel(x)

    def unflatten(self, v):
        return _reshape(v, self.shape)


def _array_vspace(value):
    """The space of ndarray value; numeric dtypes only."""
    if value.dtype.kind not in "fciub":
        raise TypeError("Can't find vector space for type {}".format(type(value)))
    return ArrayVSpace(value)


VSpace.register(numpy.ndarray, _array_vspace)
for _t in (float, complex, numpy.floating, numpy.complexfloating, ArrayBox):
    ArrayVSpace.register(_t)
