"""Signals behave as in plain Python with the library loaded (the Go
runtime inside it installs handlers of its own; see "Signals" in
capi/autograd.h and docs/architecture.md), and Ctrl-C stops a long
backward pass.

Every test runs its scenario in a child Python process, so that a signal
that kills or hangs cannot take the test run with it; the child prints
what happened and the test reads it.  A child that has not finished after
HANG seconds is killed and fails the test (the scenarios take about a
second)."""
import os
import signal
import subprocess
import sys
import textwrap

import pytest

import autograd

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="POSIX signals on Linux")

HANG = 120
_PKG_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(autograd.__file__)))

PRELUDE = '''
import os, signal, subprocess, sys, threading, time
import numpy
import autograd.numpy as np
from autograd import grad, _capi, _process
from autograd.extend import primitive, defvjp

def say(*words):
    sys.stdout.write(" ".join(map(str, words)) + "\\n")
    sys.stdout.flush()

@primitive
def mark(x):
    return x

in_backward = threading.Event()

def _mark_vjp(ans, x):
    def vjp(g):
        # the first node of the pass (a Python callback): the rest is in Go
        in_backward.set()
        say("backward")
        return g
    return vjp

defvjp(mark, _mark_vjp)

def long_graph(x, n=20000):
    # n traced sin calls: a backward pass of n nodes, one call into Go that
    # takes about a second
    for _ in range(n):
        x = np.sin(x)
    return np.sum(mark(x))

def interrupt_when_in_go(sig=signal.SIGINT):
    """Send sig to this process once the main thread's backward pass has
    left the callback of its first node and is in Go (a signal arriving
    while Python code runs is raised there, which is plain Python's
    behaviour and would not test the library)."""
    main = threading.main_thread().ident
    def watch():
        in_backward.wait()
        while sys._current_frames()[main].f_code.co_name in ("vjp", "say", "_vjp_callback"):
            time.sleep(0.001)
        os.kill(os.getpid(), sig)
    threading.Thread(target=watch, daemon=True).start()

def busy_library():
    x = numpy.linspace(-1, 1, 300000)
    assert numpy.isfinite(grad(lambda x: np.sum(np.tanh(x) ** 2))(x)).all()
'''


def child(body, with_autograd=True):
    """A child Python running PRELUDE then body, stdout piped."""
    code = (PRELUDE if with_autograd else "import os, signal, subprocess, sys, threading, time\n"
            "def say(*w):\n    sys.stdout.write(' '.join(map(str, w)) + '\\n'); sys.stdout.flush()\n")
    code += textwrap.dedent(body)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PKG_PARENT, env.get("PYTHONPATH")) if p)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def wait_for(p, word):
    """Read p's stdout up to a line starting with word; return the lines."""
    lines = []
    while True:
        line = p.stdout.readline()
        if not line:
            out, err = finish(p)
            raise AssertionError("child ended before %r: %r %r" % (word, lines, err))
        lines.append(line.strip())
        if line.startswith(word):
            return lines


def finish(p):
    try:
        out, err = p.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        raise AssertionError("child hung: %r %r" % (out, err))
    return out, err


# ------------------------------------------------------------------ SIGINT

def test_sigint_stops_a_long_backward_pass_and_the_library_stays_usable():
    p = child('''
        x = numpy.ones(2000)
        before = _capi.live_handles()
        interrupt_when_in_go()
        try:
            grad(long_graph)(x)
            say("completed")
        except KeyboardInterrupt:
            say("interrupted", _process.interrupted_passes())
        import gc; gc.collect()
        say("leaked", _capi.live_handles() - before)
        say("after", grad(np.sin)(0.0), grad(long_graph)(numpy.ones(3), 5).tolist())
    ''')
    out, err = finish(p)
    lines = out.split("\n")
    assert lines[0] == "backward"
    assert lines[1] == "interrupted 1", (out, err)  # the pass in Go was cut short
    assert lines[2] == "leaked 0", (out, err)
    assert lines[3] == "backward" and lines[4].startswith("after 1.0 [")  # (5-node graph)
    assert p.returncode == 0, err


def test_sigint_during_the_forward_pass_is_a_keyboard_interrupt():
    p = child('''
        try:
            say("ready")  # inside: the signal may arrive while say flushes
            while True:
                grad(lambda x: np.sum(np.sin(x) ** 2))(numpy.ones(100))
        except KeyboardInterrupt:
            say("interrupted")
        say("after", grad(np.sin)(0.0))
    ''')
    wait_for(p, "ready")
    p.send_signal(signal.SIGINT)
    out, err = finish(p)
    assert out.split("\n")[:2] == ["interrupted", "after 1.0"], (out, err)


def test_sigint_does_not_stop_passes_of_other_threads():
    # KeyboardInterrupt goes to the main thread; a worker's pass finishes
    p = child('''
        result = []
        done = threading.Event()
        def work():
            result.append(grad(long_graph)(numpy.ones(2000)))
            done.set()
        threading.Thread(target=work).start()
        try:
            # (an Event, not Thread.join: a KeyboardInterrupt inside join
            # can leave the thread looking finished)
            while not done.wait(0.01):
                pass
        except KeyboardInterrupt:
            say("main interrupted")
        done.wait()
        g = result[0]
        say("worker", len(g), bool(numpy.isfinite(g).all()), _process.interrupted_passes())
    ''')
    wait_for(p, "backward")
    p.send_signal(signal.SIGINT)
    out, err = finish(p)
    assert out.split("\n")[:2] == ["main interrupted", "worker 2000 True 0"], (out, err)


def test_a_python_sigint_handler_keeps_working():
    # with a handler of the user's, SIGINT is theirs: it runs, nothing is
    # stopped, the gradient is computed
    p = child('''
        seen = []
        signal.signal(signal.SIGINT, lambda s, f: seen.append(s))
        g = grad(long_graph)(numpy.ones(2000))
        say("done", len(g), seen == [signal.SIGINT], _process.interrupted_passes())
    ''')
    wait_for(p, "backward")
    p.send_signal(signal.SIGINT)
    out, err = finish(p)
    assert out.split("\n")[0] == "done 2000 True 0", (out, err)


# ------------------------------------------------------------------ SIGTERM

def test_sigterm_default_terminates_the_process_during_a_long_call():
    p = child('''
        grad(long_graph)(numpy.ones(2000))
        say("completed")
    ''')
    wait_for(p, "backward")
    p.send_signal(signal.SIGTERM)
    out, err = finish(p)
    assert p.returncode == -signal.SIGTERM, (out, err)
    assert "completed" not in out


def test_python_sigterm_handler_runs():
    p = child('''
        def on_term(sig, frame):
            say("handler", sig == signal.SIGTERM)
            raise SystemExit(7)
        signal.signal(signal.SIGTERM, on_term)
        grad(long_graph)(numpy.ones(2000))
        while True:
            time.sleep(0.01)
    ''')
    wait_for(p, "backward")
    p.send_signal(signal.SIGTERM)
    out, err = finish(p)
    assert "handler True" in out, (out, err)
    assert p.returncode == 7


# ------------------------------------------------------------------ SIGCHLD

def test_subprocess_run_inside_a_traced_function():
    # SIGCHLD arrives while Go threads run; subprocess's wait sees its child
    p = child('''
        busy_library()
        def f(x):
            r = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True,
                               text=True, check=True)
            return np.sum(np.sin(x)) * float(r.stdout)
        chld = []
        signal.signal(signal.SIGCHLD, lambda s, fr: chld.append(s))
        g = grad(f)(numpy.zeros(3))
        stop = threading.Event()
        def churn():
            while not stop.is_set():
                busy_library()
        t = threading.Thread(target=churn)
        t.start()
        codes = [subprocess.run([sys.executable, "-c", "import sys; sys.exit(%d)" % k]).returncode
                 for k in range(5)]
        stop.set()
        t.join()
        say("grad", g.tolist(), "codes", codes, "chld", len(chld) >= 6)
    ''')
    out, err = finish(p)
    assert out.split("\n")[0] == "grad [42.0, 42.0, 42.0] codes [0, 1, 2, 3, 4] chld True", (out, err)


# ------------------------------------------------------------------ SIGPIPE

PIPE_BODY = '''
    r, w = os.pipe()
    os.close(r)
    outcome = []
    def write():
        try:
            os.write(w, b"x")
            outcome.append("written")
        except BrokenPipeError:
            outcome.append("BrokenPipeError")
    write()
    t = threading.Thread(target=write)
    t.start()
    t.join()
    os.kill(os.getpid(), signal.SIGPIPE)   # a SIGPIPE sent by kill
    time.sleep(0.05)
    say(*outcome)
'''


def test_write_to_a_closed_pipe_is_broken_pipe_error_as_in_plain_python():
    plain = child(PIPE_BODY, with_autograd=False)
    plain_out, _ = finish(plain)
    body = textwrap.dedent(PIPE_BODY).replace("write()\nt =", "write()\nbusy_library()\nt =")
    assert body.count("busy_library()") == 1
    p = child("busy_library()\n" + body)
    out, err = finish(p)
    assert plain_out.strip() == "BrokenPipeError BrokenPipeError"
    assert out.strip() == plain_out.strip(), (out, err)
    assert p.returncode == plain.returncode == 0


def test_stdout_to_a_closed_pipe_ends_as_in_plain_python():
    body = '''
        say("first")
        for i in range(200000):
            print("line", i)
    '''
    codes = []
    for with_autograd in (False, True):
        p = child(("busy_library()\n" if with_autograd else "") + textwrap.dedent(body),
                  with_autograd=with_autograd)
        wait_for(p, "first")
        p.stdout.close()
        try:
            p.wait(timeout=HANG)
        except subprocess.TimeoutExpired:
            p.kill()
            raise AssertionError("child hung")
        err = p.stderr.read()
        codes.append((p.returncode, "BrokenPipeError" in err))
    assert codes[0] == codes[1], codes
    assert codes[0][1]
