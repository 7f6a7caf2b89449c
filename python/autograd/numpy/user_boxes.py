"""UserArrayBox: the box of numpy values in user-defined traces.

A trace of a user-defined Node class (``autograd.tracer.trace`` with a
node of the user's, see autograd.user_tracer) boxes numbers and arrays in
a UserArrayBox.  It behaves like an ndarray as ArrayBox does, but every
operator and method is the ``autograd.numpy`` function upstream's ArrayBox
calls (``x + y`` is ``autograd.numpy.add(x, y)``, ``x.sum()`` is
``autograd.numpy.sum(x)``), so the user's nodes see those functions.
The methods are installed by autograd.numpy once its namespace exists
(:func:`install_methods`).
"""
import numpy

from .. import ops
from ..tracer import HandleBox, getval
from ..user_tracer import UserBox, record, register_user_box
from . import interop

__all__ = ["UserArrayBox", "install_methods", "getitem"]


def getitem(A, idx):
    """A[idx]: the function user-defined traces record for indexing."""
    return A[idx]


getitem.__name__ = "__getitem__"


class UserArrayBox(interop.NumpyProtocols, UserBox):
    """A number or array traced by a user-defined trace."""
    __slots__ = ()
    __array_priority__ = 100.0
    __hash__ = UserBox.__hash__

    @property
    def shape(self):
        return ops.shape_of(self._value)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(numpy.prod(self.shape))

    @property
    def dtype(self):
        v = self._value
        return v.dtype if isinstance(v, (HandleBox, numpy.ndarray, numpy.generic)) else numpy.result_type(v)

    def __len__(self):
        s = self.shape
        if not s:
            raise TypeError("len() of unsized object")
        return s[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, idx):
        return record(getitem, (self, idx), {}, self._trace)

    def __float__(self):
        return float(getval(self))

    def __int__(self):
        return int(getval(self))

    def __complex__(self):
        return complex(getval(self))

    def __format__(self, spec):
        return format(getval(self), spec)

    def item(self, *args):
        return numpy.asarray(getval(self)).item(*args)

    def tolist(self):
        return numpy.asarray(getval(self)).tolist()

    def __pos__(self):
        return self


_BINARY = [("add", "add"), ("sub", "subtract"), ("mul", "multiply"), ("truediv", "true_divide"),
           ("floordiv", "floor_divide"), ("mod", "mod"), ("pow", "power"), ("matmul", "matmul")]
_COMPARE = [("lt", "less"), ("le", "less_equal"), ("gt", "greater"), ("ge", "greater_equal"),
            ("eq", "equal"), ("ne", "not_equal")]
_METHODS = ["all", "any", "argmax", "argmin", "argpartition", "argsort", "nonzero",
            "searchsorted", "round", "clip", "compress", "cumprod", "cumsum", "diagonal", "max",
            "mean", "min", "prod", "ptp", "ravel", "repeat", "reshape", "squeeze", "std", "sum",
            "swapaxes", "take", "trace", "transpose", "var", "dot", "conj", "conjugate", "sort"]


def install_methods(anp):
    """Give UserArrayBox its operators and methods: the functions of the
    namespace anp (autograd.numpy's globals)."""
    def forward(f):
        return lambda self, other: f(self, other)

    def reflected(f):
        return lambda self, other: f(other, self)

    def method(f):
        return lambda self, *a, **k: f(self, *a, **k)

    for short, name in _BINARY:
        setattr(UserArrayBox, "__%s__" % short, forward(anp[name]))
        setattr(UserArrayBox, "__r%s__" % short, reflected(anp[name]))
    for short, name in _COMPARE:
        setattr(UserArrayBox, "__%s__" % short, forward(anp[name]))
    UserArrayBox.__neg__ = method(anp["negative"])
    UserArrayBox.__abs__ = method(anp["absolute"])
    for name in _METHODS:
        setattr(UserArrayBox, name, method(anp[name]))
    UserArrayBox.flatten = method(anp["ravel"])
    UserArrayBox.astype = lambda self, dtype, *a, **k: anp["astype"](self, dtype)
    UserArrayBox.copy = method(anp["copy"])
    UserArrayBox.T = property(lambda self: anp["transpose"](self))
    UserArrayBox.real = property(lambda self: anp["real"](self))
    UserArrayBox.imag = property(lambda self: anp["imag"](self))
    UserArrayBox.reshape = lambda self, *shape, **k: anp["reshape"](
        self, shape[0] if len(shape) == 1 and not isinstance(shape[0], int) else shape, **k)
    UserArrayBox.transpose = lambda self, *axes: anp["transpose"](
        self, (axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes) or None)


for _t in (numpy.ndarray, float, complex, numpy.generic, HandleBox):
    register_user_box(_t, UserArrayBox)
