"""ArrayBox: the box of numpy values, with ndarray behaviour.

A traced array (or scalar) is an ArrayBox, a :class:`autograd.tracer.HandleBox`
(one handle of a box in the Go core) that behaves like an ndarray:
arithmetic, comparisons, indexing, iteration and most ndarray methods work
and are recorded for differentiation.  The arithmetic operators are the
single dispatch of :mod:`autograd.ops`; the methods are autograd.numpy's
traced implementations.

Registering ArrayBox for numpy's value types (as upstream autograd does)
makes it the class the tracer and the core's operations wrap every new box
in: the layers below use it without importing this module.
"""
import numpy

from ..ops import binary_methods, opid, unary_method
from ..tracer import HandleBox, getval, is_root
from . import interop
from .array_indexing import getitem, setitem
from .array_products import matmul
from .array_shapes import reshape, transpose
from .elementwise import astype, imag, mod, real
from .numpy_wrapper import TRACED

__all__ = ["ArrayBox"]


class ArrayBox(interop.NumpyProtocols, HandleBox):
    """A traced array (or scalar).  It behaves like an ndarray: arithmetic,
    comparisons, indexing, iteration and most ndarray methods work and are
    recorded for differentiation."""
    __slots__ = ()
    __array_priority__ = 100.0

    # -- description
    @property
    def shape(self):
        return self._info()[1]

    @property
    def ndim(self):
        return len(self._info()[1])

    @property
    def size(self):
        n = 1
        for d in self._info()[1]:
            n *= d
        return n

    @property
    def dtype(self):
        return self._info()[0]

    @property
    def T(self):
        return transpose(self)

    @property
    def real(self):
        return real(self)

    @property
    def imag(self):
        return imag(self)

    def __len__(self):
        s = self._info()[1]
        if not s:
            raise TypeError("len() of unsized object")
        return s[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, key):
        return getitem(self, key)

    def __setitem__(self, key, value):
        """Copy on write: the box now stands for the updated array (a new
        value in the trace; the gradient reaches the kept entries of the old
        value and `value`).  Other boxes taken from it before (slices,
        views) keep the old values.  The box of an argument being
        differentiated is not assignable: in plain numpy the caller's array
        would change, which a traced call cannot do."""
        if is_root(self):
            raise TypeError("autograd: item assignment into an argument being differentiated "
                            "(in plain numpy it would change the caller's array, which a traced "
                            "call cannot do); assign into a copy: x = x.copy(), then x[i] = ...")
        new = setitem(self, key, value)
        if not isinstance(new, HandleBox):
            return
        self._h, new._h = new._h, self._h  # new releases the old handle
        self._i, self._v = None, None

    def __hash__(self):
        return id(self)

    def __bool__(self):
        return bool(self._full_value())

    def __float__(self):
        raise interop.lost_trace("float() of it")

    def __int__(self):
        return int(self._full_value())  # piecewise constant: no gradient to lose

    def __complex__(self):
        raise interop.lost_trace("complex() of it")

    def __round__(self, ndigits=None):
        v = self._full_value()
        return round(v) if ndigits is None else round(v, ndigits)

    def __format__(self, spec):
        return format(self._full_value(), spec)

    def item(self, *args):
        raise interop.lost_trace(".item() of it")

    def tolist(self):
        raise interop.lost_trace(".tolist() of it")

    # -- comparisons: computed on values, never traced
    def __lt__(self, other): return numpy.less(self._full_value(), getval(other))
    def __le__(self, other): return numpy.less_equal(self._full_value(), getval(other))
    def __gt__(self, other): return numpy.greater(self._full_value(), getval(other))
    def __ge__(self, other): return numpy.greater_equal(self._full_value(), getval(other))
    def __eq__(self, other): return numpy.equal(self._full_value(), getval(other))
    def __ne__(self, other): return numpy.not_equal(self._full_value(), getval(other))

    # -- operators (the core's own are set below)
    __neg__ = unary_method(opid("negative"))
    __abs__ = unary_method(opid("abs"))

    def __pos__(self):
        return self

    def __matmul__(self, other): return matmul(self, other)
    def __rmatmul__(self, other): return matmul(other, self)
    def __floordiv__(self, other): return _floor_divide(self, other)
    def __rfloordiv__(self, other): return _floor_divide(other, self)
    def __mod__(self, other): return mod(self, other)
    def __rmod__(self, other): return mod(other, self)
    def __divmod__(self, other): return (self // other, self % other)
    def __rdivmod__(self, other): return (other // self, other % self)

    # -- methods with an ndarray signature of their own
    def reshape(self, *shape, **kwargs):
        if len(shape) == 1 and not isinstance(shape[0], int):
            shape = shape[0]
        return reshape(self, shape, **kwargs)

    def transpose(self, *axes):
        if len(axes) == 1 and not isinstance(axes[0], int):
            axes = axes[0]
        return transpose(self, axes if axes else None)

    def astype(self, dtype, *args, **kwargs):
        return astype(self, dtype)

    def copy(self, *args, **kwargs):
        return self._alias()  # a new box object: assigning into it leaves self alone

    def compress(self, condition, axis=None):
        return TRACED["compress"](condition, self, axis)


_floor_divide = TRACED["floor_divide"]  # a plain result: no derivative

for _name, _opname in [("add", "add"), ("sub", "subtract"), ("mul", "multiply"),
                       ("truediv", "divide"), ("pow", "power")]:
    _forward, _reflected = binary_methods(opid(_opname))
    _forward.__name__ = "__%s__" % _name
    _reflected.__name__ = "__r%s__" % _name
    setattr(ArrayBox, _forward.__name__, _forward)
    setattr(ArrayBox, _reflected.__name__, _reflected)


def _define_method(name, impl_name=None):
    impl = TRACED[impl_name or name]

    def method(self, *args, **kwargs):
        return impl(self, *args, **kwargs)
    method.__name__ = name
    method.__doc__ = "Like ndarray.%s; traced through autograd.numpy.%s." % (name, impl_name or name)
    setattr(ArrayBox, name, method)


for _name in ["all", "any", "argmax", "argmin", "argpartition", "argsort",
              "nonzero", "searchsorted", "round", "clip",
              "cumprod", "cumsum", "diagonal", "max", "mean", "min", "prod",
              "ptp", "ravel", "repeat", "squeeze", "std", "sum", "swapaxes",
              "take", "trace", "var", "dot", "conj", "conjugate", "sort"]:
    _define_method(_name)
_define_method("flatten", "ravel")

for _t in (numpy.ndarray, float, complex, numpy.float64, numpy.float32,
           numpy.float16, numpy.complex64, numpy.complex128):
    ArrayBox.register(_t)
