"""Bad input is rejected with numpy's exception type and a message that
names the argument and the problem: at the C ABI (called here through
ctypes, as any foreign caller would) and in traced numpy calls."""
import ctypes

import numpy
import pytest

import autograd.numpy as np
from autograd import grad, _capi

L = _capi.lib
i64 = ctypes.c_int64


def abi_error(result, failed):
    """The exception recorded by a failed ABI call (result is its return)."""
    assert result == failed, result
    return _capi.last_error()


BUF = (ctypes.c_double * 16)()
DATA = ctypes.addressof(BUF)
SHAPE23 = (i64 * 2)(2, 3)


@pytest.mark.parametrize("call,failed,exc,message", [
    (lambda: L.ag_array(7, 2, SHAPE23, None, DATA), 0, TypeError,
     "ag_array: dtype 7 is not AG_FLOAT64 (0) or AG_COMPLEX128 (1)"),
    (lambda: L.ag_array(0, -1, SHAPE23, None, DATA), 0, ValueError, "ag_array: ndim -1 is out of range"),
    (lambda: L.ag_array(0, 40, SHAPE23, None, DATA), 0, ValueError, "ag_array: ndim 40 is out of range"),
    (lambda: L.ag_array(0, 2, (i64 * 2)(2, -3), None, DATA), 0, ValueError,
     "negative dimensions are not allowed"),
    (lambda: L.ag_array(0, 2, SHAPE23, None, None), 0, ValueError, "ag_array: data is NULL"),
    (lambda: L.ag_array(0, 2, None, None, DATA), 0, ValueError, "ag_array: shape is NULL"),
    (lambda: L.ag_array(0, 2, (i64 * 2)(1 << 40, 1 << 40), None, DATA), 0, ValueError,
     "array is too big"),
    (lambda: L.ag_array(0, 2, SHAPE23, (i64 * 2)(12, 4), DATA), 0, ValueError,
     "ag_array: strides[0] = 12 is not a multiple of the item size 8"),
    (lambda: L.ag_array(0, 2, SHAPE23, (i64 * 2)(1 << 61, 1 << 61), DATA), 0, ValueError,
     "ag_array: the strides reach outside addressable memory"),
    (lambda: L.ag_array_borrow(9, 2, SHAPE23, DATA, -1), 0, TypeError, "ag_array_borrow: dtype 9"),
    (lambda: L.ag_array_borrow(0, 2, SHAPE23, DATA + 4, -1), 0, ValueError,
     "is not aligned to 8 bytes"),
    (lambda: L.ag_scalar(1.0, 0.0, 3), 0, TypeError, "ag_scalar: dtype 3"),
    (lambda: L.ag_apply1(100000, 1), 0, ValueError, "op: unknown operation id 100000"),
    (lambda: L.ag_apply(_capi.op_id("sin"), -1, None, 0, None), 0, ValueError,
     "ag_apply: nargs must not be negative (got -1)"),
    (lambda: L.ag_apply(_capi.op_id("sin"), 1, None, 0, None), 0, ValueError, "ag_apply: args is NULL"),
    (lambda: L.ag_trace_new(5), 0, ValueError, "mode: unknown trace mode 5"),
    (lambda: L.ag_backward(1, 1, 0, -1, None, None), -1, ValueError,
     "ag_backward: nroots must not be negative"),
    (lambda: L.ag_custom_box(1, 1, -2, None, 7), 0, ValueError,
     "ag_custom_box: nparents must not be negative"),
    (lambda: L.ag_release_many(-1, None), -1, ValueError, "ag_release_many: n must not be negative"),
    (lambda: L.ag_info(987654321, 0, 0, 0, 0), -1, TypeError, "invalid handle 987654321"),
])
def test_abi_rejects_bad_arguments_by_name(call, failed, exc, message):
    e = abi_error(call(), failed)
    assert type(e) is exc and message in str(e), (type(e), str(e))
    # the library still works
    assert numpy.allclose(grad(np.sin)(0.5), numpy.cos(0.5))


def test_read_checks_its_buffer():
    h = _capi.to_handle(numpy.ones((2, 3)))
    try:
        e = abi_error(L.ag_read(h, DATA, 8), -1)
        assert isinstance(e, ValueError) and "ag_read: buffer of 8 bytes for 48 bytes" in str(e)
        e = abi_error(L.ag_read(h, None, 48), -1)
        assert isinstance(e, ValueError) and "ag_read: dst is NULL" in str(e)
    finally:
        _capi.release_later(h)


def test_an_array_larger_than_memory_is_memory_error_not_a_crash():
    # the Go runtime cannot recover from a failed allocation; the library
    # refuses it first, as numpy does
    f = lambda x: np.sum(np.broadcast_to(x, (1 << 21, 1 << 21)))
    with pytest.raises(MemoryError, match=r"Unable to allocate 32.0 TiB"):
        grad(f)(1.5)
    with pytest.raises(MemoryError):
        grad(lambda x: np.sum(np.outer(np.broadcast_to(x, (1 << 19,)),
                                       np.broadcast_to(x, (1 << 19,)))))(1.0)
    with pytest.raises(ValueError, match="array is too big"):
        grad(lambda x: np.sum(x * np.zeros((1 << 40, 1 << 40))))(1.5)
    assert numpy.allclose(grad(np.sin)(0.5), numpy.cos(0.5))


X = numpy.arange(6.0).reshape(2, 3)


@pytest.mark.parametrize("f", [
    lambda a: np.sum(a, axis=5),
    lambda a: np.sum(a, axis=(0, 0)),
    lambda a: np.reshape(a, (7,)),
    lambda a: np.transpose(a, (0, 0)),
    lambda a: np.dot(a, a),
    lambda a: np.matmul(a, a),
    lambda a: np.concatenate([a, a[:, :2].T]),
    lambda a: a + numpy.ones(4),
    lambda a: a[5],
    lambda a: a[1.5],
    lambda a: np.swapaxes(a, 0, 9),
    lambda a: np.swapaxes(a, 7, 0),
    lambda a: np.moveaxis(a, 3, 0),
    lambda a: np.moveaxis(a, 0, -4),
    lambda a: np.expand_dims(a, 9),
    lambda a: np.squeeze(a, 0),
    lambda a: np.take(a, 10),
    lambda a: np.tensordot(a, a, axes=([0], [1])),
    lambda a: np.stack([a, a.T]),
    lambda a: np.broadcast_to(a, (3, 3)),
    lambda a: np.split(a, 4, axis=1),
    lambda a: np.linalg.inv(a),
    lambda a: np.cumsum(a, axis=4),
    lambda a: np.mean(a, axis=-3),
    lambda a: np.max(a[:0]),
])
def test_traced_calls_raise_numpys_exception_and_message(f):
    with pytest.raises(Exception) as plain:
        f(X)
    with pytest.raises(Exception) as traced:
        grad(lambda a: np.sum(f(a)))(X)
    assert type(traced.value) is type(plain.value)
    assert str(traced.value) == str(plain.value)
