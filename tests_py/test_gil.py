"""Calls into the library release the GIL: another Python thread runs
while one thread is inside a long Go call.

The long call is a backward pass that starts and ends with a Python-defined
primitive (Python callbacks, which take the GIL back): between the end of
the first callback and the start of the second, the pass thread runs only
Go code.  A counter thread keeps incrementing; the pass thread reads the
counter as the last thing in the first callback and the first thing in
the second.  Had the call kept the GIL, no bytecode of the counter thread
could run in between and the two readings would be equal."""
import ctypes
import threading

import numpy

import autograd.numpy as np
from autograd import _capi, grad, elementwise_grad
from autograd.extend import primitive, defvjp

readings = []
counter = [0]


@primitive
def read_counter(x):
    return x


def _read_counter_vjp(ans, x):
    def vjp(g):
        readings.append(counter[0])
        return g
    return vjp


defvjp(read_counter, _read_counter_vjp)


def run_with_counter(work):
    """Run work() on this thread while another thread counts; return
    work's result."""
    stop = threading.Event()

    def count():
        while not stop.is_set():
            counter[0] += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        return work()
    finally:
        stop.set()
        t.join()


def test_the_library_is_loaded_without_holding_the_gil():
    # ctypes.CDLL functions release the GIL; PyDLL's (FUNCFLAG_PYTHONAPI)
    # would keep it
    assert not isinstance(_capi.lib, ctypes.PyDLL)
    assert not _capi.lib._func_flags_ & ctypes._FUNCFLAG_PYTHONAPI
    for name in ("ag_backward", "ag_grad", "ag_apply", "ag_apply1", "ag_apply2"):
        assert not getattr(_capi.lib, name)._flags_ & ctypes._FUNCFLAG_PYTHONAPI, name


def _long_pass(x, n=1500):
    # read_counter at both ends of the pass (the VJP of the last op runs
    # first); n nodes of Go in between
    x = read_counter(x)
    for _ in range(n):
        x = np.sin(x)
    return np.sum(read_counter(x))


def test_another_thread_runs_during_a_long_backward_pass():
    del readings[:]
    x = numpy.linspace(-1, 1, 5000)
    g = run_with_counter(lambda: grad(_long_pass)(x))
    assert numpy.isfinite(g).all()
    assert len(readings) == 2
    assert readings[1] > readings[0], readings  # the counter ran inside the Go call


def test_another_thread_runs_during_a_large_elementwise_gradient():
    del readings[:]
    x = numpy.linspace(-1, 1, 2000000)
    f = lambda x: read_counter(np.tanh(read_counter(x)) * np.exp(-x ** 2))
    g = run_with_counter(lambda: elementwise_grad(f)(x))
    assert g.shape == x.shape
    assert readings[1] > readings[0], readings
