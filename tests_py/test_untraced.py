"""autograd.numpy without traced arguments is exactly numpy."""
import types

import numpy
import pytest

import autograd.numpy as np
import autograd.numpy.random as npr_ag
import autograd.numpy.linalg as la_ag


def same(a, b):
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, numpy.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert numpy.array_equal(a, b, equal_nan=True)
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
    else:
        assert a == b or (a != a and b != b)


X = numpy.arange(12.0).reshape(3, 4) - 5.5
I = numpy.arange(6).reshape(2, 3)
F32 = numpy.ones(3, numpy.float32)

CALLS = [
    ("sin", (X,), {}), ("sin", (1.0,), {}), ("sin", (F32,), {}), ("exp", (2,), {}),
    ("add", (I, I), {}), ("add", (1, 2), {}), ("multiply", (X, 2), {}),
    ("divide", (I, 2), {}), ("sqrt", (-1.0,), {}), ("log", (X,), {}),
    ("sum", (X,), {}), ("sum", (I,), {"axis": 0}), ("sum", ([1, 2, 3],), {}),
    ("mean", (X,), {"axis": 1, "keepdims": True}), ("max", (X,), {}),
    ("dot", (X, X.T), {}), ("matmul", (X, X.T), {}), ("array", ([1, 2, 3],), {}),
    ("array", ([[1.0, 2.0]],), {"dtype": numpy.float32}), ("zeros", ((2, 3),), {}),
    ("ones_like", (I,), {}), ("arange", (5,), {}), ("linspace", (0, 1, 5), {}),
    ("where", (X > 0, X, 0), {}), ("reshape", (X, (4, 3)), {}), ("concatenate", ([X, X],), {}),
    ("stack", ([I, I],), {"axis": 1}), ("argmax", (X,), {}), ("round", (X / 3,), {}),
    ("floor_divide", (I, 4), {}), ("var", (X,), {"ddof": 1}), ("isnan", (X,), {}),
    ("clip", (X, -1, 1), {}), ("abs", (-3,), {}), ("power", (I, 2), {}),
    ("shape", (X,), {}), ("eye", (3,), {}), ("einsum", ("ij,kj->ik", X, X), {}),
    ("sort", (X[::-1],), {"axis": 0}), ("cumsum", (I,), {}), ("real", (1 + 2j,), {}),
]


@pytest.mark.parametrize("name,args,kwargs", CALLS, ids=[c[0] for c in CALLS])
def test_results_are_numpys(name, args, kwargs):
    with numpy.errstate(all="ignore"):
        expected = getattr(numpy, name)(*args, **kwargs)
        got = getattr(np, name)(*args, **kwargs)
    same(got, expected)


def test_namespace_is_complete():
    missing = [n for n in dir(numpy) if not n.startswith("__") and not hasattr(np, n)]
    assert not missing
    for const in ["pi", "e", "inf", "nan", "newaxis"]:
        v, w = getattr(np, const), getattr(numpy, const)
        assert v is w or (v != v and w != w)
    for cls in ["ndarray", "float64", "float32", "complex128", "int64", "dtype", "bool_",
                "errstate", "random"]:
        assert getattr(np, cls) is getattr(numpy, cls) or cls == "random"
    assert isinstance(np.linalg, types.ModuleType) and isinstance(np.fft, types.ModuleType)


def test_submodules_untraced():
    A = numpy.array([[2.0, 1.0], [1.0, 3.0]])
    same(la_ag.det(A), numpy.linalg.det(A))
    same(np.linalg.inv(A), numpy.linalg.inv(A))
    same(np.linalg.norm(A), numpy.linalg.norm(A))
    same(np.fft.fft(numpy.arange(4.0)), numpy.fft.fft(numpy.arange(4.0)))
    with pytest.raises(numpy.linalg.LinAlgError):
        np.linalg.inv(numpy.zeros((2, 2)))
    npr_ag.seed(3)
    a = npr_ag.randn(3)
    numpy.random.seed(3)
    same(a, numpy.random.randn(3))
    assert np.random.RandomState is numpy.random.RandomState


def test_ufunc_attributes_and_errors_pass_through():
    same(np.add.reduce(numpy.arange(4.0)), numpy.add.reduce(numpy.arange(4.0)))
    same(np.multiply.outer(numpy.arange(2.0), numpy.arange(3.0)),
         numpy.multiply.outer(numpy.arange(2.0), numpy.arange(3.0)))
    assert np.add.nin == 2
    with pytest.raises(ValueError, match="could not be broadcast"):
        np.add(numpy.ones((2, 3)), numpy.ones(4))
    assert np.sin.__name__ == "sin" and "sine" in np.sin.__doc__.lower()
