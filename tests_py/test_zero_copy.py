"""Arrays cross the boundary without copies: the library reads a
contiguous numpy argument in place (borrowing its buffer), and large
results reach numpy as views of the library's memory (exports).  These
tests check the addresses themselves, the ownership rules that make that
safe (a gradient is the caller's alone and writable, a traced value is
read-only), upstream's semantics for an argument changed after use, and
that memory stays flat over many large-array gradients."""
import ctypes
import gc
import os

import numpy
import pytest

import autograd.numpy as np
from autograd import _capi, grad, make_vjp, elementwise_grad
from autograd.core import make_jvp


def go_address(h):
    """The address of the library's data for handle h (a read-only export,
    which never copies)."""
    ptr = ctypes.c_void_p()
    t = _capi.ag_export_(h, 0, ctypes.byref(ptr))
    assert t, _capi.last_error()
    _capi.ag_release(t)
    return ptr.value


@pytest.fixture(params=[True, False], ids=["ndarray-fields", "by-pointer"])
def entry(request, monkeypatch):
    """Both ways Python hands arrays to the library: the library reading
    numpy's array object itself (ag_ndarray, ag_read_ndarray) or Python
    passing pointer, shape and strides (ag_array_borrow, ag_array,
    ag_read)."""
    if request.param and not _capi.ndarray_fields_hold():
        pytest.fail("the library misreads this numpy's array objects")
    monkeypatch.setattr(_capi, "NDARRAY_FIELDS", request.param)
    return request.param


def test_library_reads_numpy_array_objects():
    # the fast entry points are in use with this numpy (the check compares
    # the library's reading of several layouts with numpy's own view)
    assert _capi.ndarray_fields_hold()
    assert _capi.NDARRAY_FIELDS == (os.environ.get("AUTOGRAD_NDARRAY_FIELDS") != "0")


@pytest.mark.parametrize("shape,dtype", [((5,), numpy.float64), ((300, 40), numpy.float64),
                                         ((7, 3), numpy.complex128), ((1,), numpy.float64)])
def test_contiguous_argument_is_borrowed(shape, dtype, entry):
    a = numpy.ones(shape, dtype)
    h = _capi.to_handle(a)
    try:
        assert go_address(h) == a.ctypes.data
    finally:
        _capi.ag_release(h)


@pytest.mark.parametrize("make", [
    lambda: numpy.ones((40, 30))[:, ::2],          # strided
    lambda: numpy.ones((40, 30)).T,                # Fortran order
    lambda: numpy.ones((40, 30), numpy.float32),   # another dtype
    lambda: numpy.arange(600).reshape(20, 30),     # integers
])
def test_other_layouts_are_converted(make, entry):
    a = make()
    h = _capi.to_handle(a)
    try:
        assert go_address(h) != a.ctypes.data
        assert numpy.array_equal(_capi.read(h, numpy.dtype(numpy.float64), a.shape), a)
    finally:
        _capi.ag_release(h)


@pytest.mark.parametrize("make", [
    lambda: numpy.arange(12.0).reshape(3, 4)[:, ::-2],
    lambda: (numpy.arange(12.0) + 1j).reshape(4, 3).T,
    lambda: numpy.zeros((0, 3)),
    lambda: numpy.float64(2.5) + numpy.zeros(()),
])
def test_values_and_gradients_the_same_by_either_entry(make, entry):
    a = make()
    h = _capi.to_handle(a)
    try:
        assert numpy.array_equal(_capi.read(h, a.dtype, a.shape), a)
    finally:
        _capi.ag_release(h)
    # for complex x, autograd's gradient of Re h(x) (h holomorphic) is h'(x)
    f = lambda x: np.sum(np.real(np.sin(x) * x))
    assert numpy.allclose(grad(f)(a), numpy.cos(a) * a + numpy.sin(a))


def test_read_ndarray_checks_its_target():
    h = _capi.to_handle(numpy.ones(4))
    try:
        ro = numpy.empty(4)
        ro.flags.writeable = False
        for target, words in [(ro, "writeable"), (numpy.empty(8)[::2], "C-contiguous"),
                              (numpy.empty(5), "buffer of 40 bytes")]:
            assert _capi.ag_read_ndarray(h, id(target), 0) == -1
            err = _capi.last_error()
            assert isinstance(err, ValueError) and words in str(err)
    finally:
        _capi.ag_release(h)


def test_borrowed_buffer_is_kept_alive_and_then_released(entry):
    # the registry holds the array while the library uses it, and lets it
    # go once no array in the library refers to it
    a = numpy.random.randn(1000)
    h = _capi.to_handle(a)
    ids = [k for k, v in _capi.registry.items() if v is a]
    assert len(ids) == 1 and ids[0] < 0
    del a
    gc.collect()
    assert ids[0] in _capi.registry
    _capi.ag_release(h)
    for _ in range(50):
        gc.collect()
        _capi.flush()
        if ids[0] not in _capi.registry:
            break
        _collect_go()
    assert ids[0] not in _capi.registry


def _collect_go():
    # the library's collector runs when it allocates; make it allocate
    for _ in range(20):
        grad(lambda x: np.sum(np.sin(x)))(numpy.ones(10 ** 5))


def test_large_gradient_is_a_view_of_library_memory_and_writable():
    x = numpy.random.randn(10 ** 5)
    g = grad(lambda x: np.sum(np.sin(x) * 3.0))(x)
    assert isinstance(g.base, _capi._Export)
    assert g.flags.writeable and g.flags.c_contiguous
    numpy.testing.assert_allclose(g, 3 * numpy.cos(x), rtol=1e-14)
    g *= 2  # the caller's alone: writing into it changes nothing else
    numpy.testing.assert_allclose(grad(lambda x: np.sum(np.sin(x) * 3.0))(x), 3 * numpy.cos(x),
                                  rtol=1e-14)
    numpy.testing.assert_allclose(g, 6 * numpy.cos(x), rtol=1e-14)


def test_gradient_that_aliases_an_argument_is_copied():
    # f(x) = <x, c>: the gradient is c itself in the library; handing it
    # out writable must not expose the caller's own c
    c = numpy.random.randn(10 ** 4)
    g = grad(lambda x: np.sum(x * c))(numpy.zeros(10 ** 4))
    g[:] = 0
    assert numpy.all(c != 0)
    vjp, _ = make_vjp(lambda x: x)(c)
    cot = numpy.random.randn(10 ** 4)
    out = vjp(cot)
    out[:] = 1
    assert numpy.all(cot != 1)


def test_jacobian_style_repeated_vjps_keep_graph_intact():
    # writing into one vjp's result must not change the next one
    x = numpy.random.randn(5000)
    vjp, _ = make_vjp(lambda x: np.tanh(x) * 2.0)(x)
    g1 = vjp(numpy.ones(5000))
    g1[:] = numpy.nan
    g2 = vjp(numpy.ones(5000))
    numpy.testing.assert_allclose(g2, 2 * (1 - numpy.tanh(x) ** 2), rtol=1e-13)


def test_traced_values_are_read_only_views():
    x = numpy.random.randn(10 ** 5)
    seen = []

    def f(x):
        y = np.exp(x)
        seen.append(numpy.asarray(y._full_value()))
        return np.sum(y)
    grad(f)(x)
    v = seen[0]
    assert not v.flags.writeable
    numpy.testing.assert_allclose(v, numpy.exp(x), rtol=1e-15)


def test_gradient_passed_back_in_is_not_copied():
    x = numpy.random.randn(10 ** 5)
    g = grad(lambda x: np.sum(x * x))(x)
    h = _capi.to_handle(g)
    try:
        assert go_address(h) == g.ctypes.data
    finally:
        _capi.ag_release(h)
    numpy.testing.assert_allclose(grad(lambda x: np.sum(x * x))(g), 2 * g)


@pytest.mark.parametrize("n", [3, 10 ** 5])
def test_argument_changed_after_use_behaves_as_upstream(n):
    # upstream keeps references to the caller's arrays, so a backward pass
    # sees the array as it is when the pass runs; so does a borrowed one
    x = numpy.random.randn(n)
    c = numpy.random.randn(n)
    vjp, ans = make_vjp(lambda x: np.sum(x * c))(x)
    c[:] = 7.0
    numpy.testing.assert_allclose(vjp(1.0), numpy.full(n, 7.0))


def test_forward_mode_results_are_the_callers():
    x = numpy.random.randn(10 ** 5)
    v = numpy.random.randn(10 ** 5)
    _, t = make_jvp(lambda x: x, x)(v)   # the tangent is v itself in the library
    t[:] = 0
    assert numpy.all(v != 0)


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_memory_flat_over_many_large_gradients():
    # 2·10^4 float64s (160 KB): large enough for the library's buffer pool
    x = numpy.random.randn(2 * 10 ** 4)
    f = grad(lambda x: np.sum(np.tanh(x) * x + np.exp(-x * x)))
    tg = elementwise_grad(lambda x: (1.0 - np.exp(-2 * x)) / (1.0 + np.exp(-2 * x)))
    for _ in range(300):
        f(x), tg(x)
    gc.collect()
    base_rss, base_handles = _rss_bytes(), _capi.live_handles()
    for _ in range(5000):
        f(x), tg(x)
    gc.collect()
    grown = _rss_bytes() - base_rss
    # 10^4 gradients touch about 20 GB of arrays; what stays must be a
    # fraction of one percent of that
    assert grown < 64 * 2 ** 20, "RSS grew by {} MB".format(grown / 2 ** 20)
    assert _capi.live_handles() == base_handles
    assert len(_capi.registry) < 1000
