"""Handle hygiene (no leaks in the library's handle table) and concurrent
use from several Python threads."""
import gc
import threading
import time

import numpy
import numpy.random as npr
import pytest

import autograd.numpy as np
from autograd import _capi, grad, hessian, jacobian, deriv, elementwise_grad, make_jvp
from autograd.extend import primitive, defvjp, defjvp


@primitive
def cube(x):
    return x ** 3


defvjp(cube, lambda ans, x: lambda g: 3 * g * x ** 2)
defjvp(cube, lambda g, ans, x: 3 * g * x ** 2)


def live_after_cleanup(baseline=None, registry_size=None):
    """Live handles once Python garbage is collected, pending releases
    flushed, and the Go collector has reported freed custom nodes (their
    Python records may hold handles)."""
    n = None
    for i in range(60):
        gc.collect()
        n = _capi.live_handles()
        if (baseline is None or n <= baseline) and \
                (registry_size is None or len(_capi.registry) <= registry_size):
            if baseline is not None or registry_size is not None:
                return n
        _capi.collect()
        time.sleep(0.01 * (i > 10))
    return n


def workload():
    x = npr.randn(4)
    grad(lambda x: np.sum(np.tanh(x) ** 2))(x)
    hessian(lambda x: np.sum(cube(x) * np.sin(x)))(x)
    jacobian(lambda x: x[1:] * x[:-1])(x)
    deriv(lambda t: cube(np.sin(t)))(0.3)
    grad(grad(lambda t: cube(t) * np.exp(t)))(0.2)
    elementwise_grad(lambda x: np.where(x > 0, x, 0.0))(x)
    make_jvp(lambda x: np.dot(x, x))(x)(x)
    try:
        grad(lambda x: np.sum(x + numpy.ones(3)))(x)
    except ValueError:
        pass


def test_live_handles_return_to_baseline():
    workload()
    baseline = live_after_cleanup()
    for _ in range(30):
        workload()
    assert live_after_cleanup(baseline) <= baseline


def test_failed_user_vjp_does_not_leak():
    @primitive
    def bad(x):
        return x

    def maker(ans, x):
        def vjp(g):
            raise RuntimeError("nope")
        return vjp
    defvjp(bad, maker)
    baseline = live_after_cleanup()
    for _ in range(20):
        with pytest.raises(RuntimeError):
            grad(lambda x: np.sum(bad(x * 2.0) * x))(numpy.ones(3))
    assert live_after_cleanup(baseline) <= baseline


def test_registry_of_python_nodes_is_emptied():
    before = len(_capi.registry)
    for _ in range(20):
        grad(lambda x: cube(cube(x)))(1.1)
        grad(grad(lambda x: cube(cube(x))))(1.1)
    assert len(_capi.registry) >= 20
    live_after_cleanup(registry_size=before)
    assert len(_capi.registry) <= before


def test_threads_compute_correct_gradients():
    errors, results = [], {}
    A = npr.randn(30, 30)

    def work(k):
        try:
            x = numpy.linspace(-1, 1, 30) * (k + 1)
            for _ in range(20):
                g = grad(lambda x: np.sum(np.tanh(np.dot(A, x)) ** 2) + np.sum(cube(x)))(x)
                t = numpy.tanh(A.dot(x))
                expected = A.T.dot(2 * t * (1 - t ** 2)) + 3 * x ** 2
                if not numpy.allclose(g, expected, rtol=1e-10, atol=1e-10):
                    raise AssertionError("wrong gradient in thread %d" % k)
                h = grad(grad(lambda s: np.sin(s) * s))(0.1 * k)
                if abs(h - (2 * numpy.cos(0.1 * k) - 0.1 * k * numpy.sin(0.1 * k))) > 1e-10:
                    raise AssertionError("wrong second derivative in thread %d" % k)
            results[k] = True
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == 8


def test_errors_stay_on_their_thread():
    errors = []

    def failing():
        try:
            for _ in range(50):
                with pytest.raises(ValueError, match="broadcast"):
                    grad(lambda x: np.sum(x + numpy.ones(3)))(numpy.ones(2))
        except BaseException as e:
            errors.append(e)

    def succeeding():
        try:
            for _ in range(50):
                assert abs(grad(lambda x: np.sin(x * 2) / x)(1.0) + 1.7415910999199664) < 1e-12
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=f) for f in (failing, succeeding) * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_exception_in_vjp_callback_is_raised_on_its_own_thread():
    @primitive
    def sometimes_bad(x):
        return x * 1.0

    def maker(ans, x):
        def vjp(g):
            if threading.current_thread().name.startswith("bad"):
                raise KeyError("bad thread")
            return g
        return vjp
    defvjp(sometimes_bad, maker)
    outcomes = {}

    def run():
        name = threading.current_thread().name
        try:
            for _ in range(20):
                r = grad(lambda x: sometimes_bad(x) * 2.0)(1.0)
                assert r == 2.0
            outcomes[name] = "ok"
        except KeyError:
            outcomes[name] = "keyerror"

    threads = [threading.Thread(target=run, name=("bad%d" if i % 2 else "good%d") % i)
               for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name, outcome in outcomes.items():
        assert outcome == ("keyerror" if name.startswith("bad") else "ok"), outcomes
    assert len(outcomes) == 6


def test_threads_run_in_parallel_inside_the_library():
    # ctypes.CDLL releases the GIL: a long backward pass in one thread does
    # not stop other Python threads.
    x = npr.randn(300, 300)
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    start = time.perf_counter()
    f = lambda x: np.sum(np.tanh(np.dot(np.dot(x, x), x)))
    for _ in range(5):
        grad(f)(x)
    end = time.perf_counter()
    done.set()
    t.join()
    during = [s for s in ticks if start <= s <= end]
    assert len(during) >= 5
