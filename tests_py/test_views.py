"""Basic indexing and numpy's view functions on traced arrays are the core's
strided ``view`` (no list of positions crosses the boundary): values equal
numpy's, gradients match finite differences in both modes to second order,
and fancy indexing still gathers."""
import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd import grad
from autograd.numpy import array_indexing
from autograd.test_util import check_grads

KEYS = [
    (slice(1, 3),), (slice(None, None, -1),), (Ellipsis, slice(None, None, 2)),
    (1,), (1, 2), (1, 2, 0), (-1, Ellipsis, None), (None, slice(1, None), 0),
    (slice(3, 0, -2), slice(None), slice(1, 2)), (Ellipsis,), (0, Ellipsis, -1),
]


@pytest.fixture
def ops_used(monkeypatch):
    seen = []
    real = array_indexing.apply

    def spy(name, *args, **kwargs):
        seen.append(name)
        return real(name, *args, **kwargs)
    monkeypatch.setattr(array_indexing, "apply", spy)
    return seen


@pytest.mark.parametrize("key", KEYS)
def test_basic_indexing_is_a_view(key, ops_used):
    x = npr.randn(4, 3, 2)
    f = lambda x: x[key]
    out = grad(lambda x: np.sum(np.sin(f(x))))(x)
    w = numpy.zeros_like(x)
    w[key] += numpy.cos(x[key])
    numpy.testing.assert_allclose(out, w, rtol=1e-14)
    identity = x[key].shape == x.shape and numpy.shares_memory(x[key], x) and x[key].strides == x.strides
    assert "gather" not in ops_used and ("view" in ops_used) != identity
    check_grads(f, modes=["fwd", "rev"], order=2)(x)


@pytest.mark.parametrize("key", KEYS)
def test_traced_values_equal_numpys(key):
    x = npr.randn(4, 3, 2)
    seen = []
    grad(lambda x: (seen.append(numpy.array(x[key]._full_value())), np.sum(x[key]))[1])(x)
    numpy.testing.assert_array_equal(seen[0], x[key])


@pytest.mark.parametrize("fn,args", [
    (np.flip, ()), (np.flip, (1,)), (np.fliplr, ()), (np.flipud, ()), (np.rot90, ()),
    (np.rot90, (3,)), (np.diagonal, ()), (np.diagonal, (1,)),
])
def test_view_functions(fn, args, ops_used):
    x = npr.randn(4, 5)
    shape = getattr(numpy, fn.__name__)(x, *args).shape
    w = numpy.arange(float(numpy.prod(shape))).reshape(shape)
    numpy.testing.assert_array_equal(grad(lambda x: np.sum(fn(x, *args) * w))(x), _transpose_weights(fn, args))
    assert "view" in ops_used and "gather" not in ops_used
    check_grads(lambda x: fn(x, *args), modes=["fwd", "rev"], order=2)(x)


def _transpose_weights(fn, args):
    # the gradient of sum(fn(x) * w) is w sent back through the view: compute
    # it with numpy on an index grid
    grid = numpy.arange(20.0).reshape(4, 5)
    picked = getattr(numpy, fn.__name__)(grid, *args)
    w = numpy.arange(picked.size).reshape(picked.shape)
    out = numpy.zeros(20)
    numpy.add.at(out, picked.astype(int).ravel(), w.ravel())
    return out.reshape(4, 5)


def test_split_gives_views():
    x = npr.randn(6, 4)
    parts = lambda x: np.split(x, [1, 4], axis=0)
    check_grads(lambda x: tuple(parts(x)), modes=["fwd", "rev"], order=2)(x)
    got = grad(lambda x: np.sum(parts(x)[1] * 2.0) + np.sum(parts(x)[2]))(x)
    want = numpy.zeros((6, 4))
    want[1:4] = 2.0
    want[4:] = 1.0
    numpy.testing.assert_array_equal(got, want)


def test_fancy_and_mask_indexing_still_gather(ops_used):
    x = npr.randn(5, 3)
    grad(lambda x: np.sum(x[[0, 2, 2]]))(x)
    grad(lambda x: np.sum(x[x > 0]))(x)
    assert ops_used.count("gather") == 2
    g = grad(lambda x: np.sum(x[[0, 2, 2]]))(x)
    numpy.testing.assert_array_equal(g[:, 0], [1, 0, 2, 0, 0])


def test_complex_views():
    z = npr.randn(3, 4) + 1j * npr.randn(3, 4)
    check_grads(lambda z: z[::-1, 1:3], modes=["fwd", "rev"], order=2)(z)


def test_index_errors_are_numpys():
    x = npr.randn(3, 4)
    for key in [(3,), (0, 4), (0, 0, 0)]:
        with pytest.raises(IndexError):
            x[key]
        with pytest.raises(IndexError):
            grad(lambda x: np.sum(x[key]))(x)
