"""Children made by os.fork get a working library (autograd/_process.py):
the Go runtime's threads do not survive fork, so the child loads a fresh
copy of the library.  Each test forks from a parent whose runtime is busy
(it has computed large, goroutine-parallel gradients), and the child
reports through its exit status; a hung child is killed after HANG
seconds and fails the test."""
import os
import signal
import time

import numpy
import pytest

import autograd.numpy as np
from autograd import grad, hessian, _capi, _process
from autograd.extend import primitive, defvjp

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

HANG = int(os.environ.get("AUTOGRAD_TEST_HANG", "120"))


@primitive
def twice(x):
    return 2.0 * x


defvjp(twice, lambda ans, x: lambda g: 2.0 * g)


def busy_parent():
    x = numpy.linspace(-1, 1, 300000)
    g = grad(lambda x: np.sum(np.tanh(x) ** 2))(x)
    assert numpy.isfinite(g).all()


def in_child(body):
    """Run body() in a forked child; return its exit status (0: body
    returned True)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = 0 if body() else 2
        except BaseException:
            import traceback
            traceback.print_exc()
            code = 3
        finally:
            os._exit(code)
    deadline = time.monotonic() + HANG
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "hung"
        time.sleep(0.02)


def big_grad_is_right():
    x = numpy.linspace(-2, 2, 250000)
    g = grad(lambda x: np.sum(np.sin(x) * x))(x)
    return numpy.allclose(g, numpy.cos(x) * x + numpy.sin(x))


def test_child_computes_large_gradients():
    busy_parent()
    assert in_child(big_grad_is_right) == 0


def test_child_runs_python_primitives_and_higher_orders():
    busy_parent()

    def body():
        ok = grad(lambda x: np.sum(twice(x) ** 2))(numpy.ones(3)).tolist() == [8.0] * 3
        h = hessian(lambda x: np.sum(np.sin(x)))(numpy.array([0.1, 0.2]))
        return ok and numpy.allclose(h, numpy.diag(-numpy.sin([0.1, 0.2]))) and _process.reloads >= 1
    assert in_child(body) == 0


@pytest.mark.skipif(os.environ.get("AUTOGRAD_TEST_FORK_GRANDCHILD") != "1",
                    reason="a fork of a forked child hangs now and then (a lock held at fork "
                           "time by a thread the child does not have); known, open: "
                           "AUTOGRAD_TEST_FORK_GRANDCHILD=1 runs it")
def test_grandchild_works_too():
    busy_parent()

    def child():
        busy_parent()
        return in_child(big_grad_is_right) == 0 and big_grad_is_right()
    assert in_child(child) == 0


def test_handles_inherited_from_the_parent_are_errors_not_other_values():
    busy_parent()
    h = _capi.to_handle(numpy.arange(5.0))

    def body():
        # make more handles than the parent had, so that a reused number
        # would name one of them
        mine = [_capi.to_handle(numpy.full(5, 7.0)) for _ in range(10)]
        fresh = _capi.to_handle(numpy.zeros(5))
        assert fresh > h and all(m > h for m in mine)
        try:
            _capi.info(h)
        except TypeError as e:
            return "invalid handle" in str(e)
        return False
    try:
        assert in_child(body) == 0
    finally:
        _capi.release_later(h)


def test_parent_is_unaffected_by_its_children():
    busy_parent()
    before = _process.reloads
    for _ in range(3):
        assert in_child(big_grad_is_right) == 0
    assert big_grad_is_right()
    assert _process.reloads == before  # only the children reloaded


def test_nothing_reaches_the_old_copy_between_fork_and_reload():
    # the release queue is emptied before fork (a full queue is released at
    # once, which in the child would call the old copy and hang), and the
    # garbage collector, off over fork, is on again in both processes
    busy_parent()
    for _ in range(_capi.FLUSH_AT - _capi.pending_count()):
        _capi.release_later(_capi.to_handle(numpy.ones(2)))
    import gc
    assert gc.isenabled()

    def body():
        return _capi.pending_count() == 0 and gc.isenabled() and big_grad_is_right()
    assert in_child(body) == 0
    assert gc.isenabled()
