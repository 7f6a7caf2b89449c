"""Process safety: children made by fork get a working library, and
Ctrl-C stops a long backward pass.

fork copies only the calling thread.  The Go runtime inside libautograd
runs threads of its own (its scheduler, garbage collector and kernel
workers), so in the child of a process that has loaded the library that
copy of the runtime is missing its threads, and the first call needing them
would wait forever.  Every worker of ``multiprocessing``'s "fork" start
method (the default on Linux before Python 3.14) is such a child.

So, in the child (``os.register_at_fork``), this module loads a fresh copy
of the library (the file copied into an anonymous in-memory file, which
the dynamic loader has not seen, so it really loads it and starts a new
runtime), points every ctypes function of the binding at the copy's
function of the same name (in place: each ctypes function object holds its
target's address in a buffer, so every reference to it anywhere, including
closures and default arguments that captured it, follows), and redoes the
binding's one-time set-up (BLAS choice, vjp callback).  Handles the child
inherited name nothing in the copy; handle numbers stay apart (the copy
starts above the parent's last one), so using a stale one is an error, as
for any released handle, and never reaches another value.  Children that
exec (subprocess) are unaffected.  The old runtime's memory stays mapped,
untouched.

Signals: the Go runtime keeps its hands off every signal Python uses (see
"Signals" in capi/autograd.h), but a handler written in Python runs only
between bytecodes, so a SIGINT arriving during one long call into the
library (a backward pass over a large graph, all of it in Go) would wait
for the call to end.  While SIGINT has Python's default handler (the one
raising KeyboardInterrupt), the library puts a small C handler in front
of it that counts the signal and calls Python's; a backward pass on the
main thread stops at its next node when the count changes, the call fails
with KeyboardInterrupt, and the library stays usable.  Installing another
SIGINT handler (signal.signal) removes the library's; call
watch_interrupts() again after restoring the default one.
"""
import ctypes
import gc
import os
import signal
import threading

from . import _capi, tracer

__all__ = []

_lib = _capi.lib
_lib.ag_handle_mark.restype = ctypes.c_int64
_lib.ag_handle_mark.argtypes = []
_lib.ag_handle_floor.restype = None
_lib.ag_handle_floor.argtypes = [ctypes.c_int64]
_lib.ag_watch_interrupts.restype = ctypes.c_int32
_lib.ag_watch_interrupts.argtypes = [ctypes.c_int64]
_lib.ag_interrupts.restype = ctypes.c_int64
_lib.ag_interrupts.argtypes = []

# the parent's last handle at its most recent fork
_mark = [0]
# how many times this process (or its ancestors) reloaded the library
reloads = 0


def _fresh_copy(path):
    """A new ctypes.CDLL of a private copy of the library at path."""
    with open(path, "rb") as f:
        data = f.read()
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("libautograd-fork", os.MFD_CLOEXEC)
        try:
            os.write(fd, data)
            return ctypes.CDLL("/proc/self/fd/%d" % fd)
        finally:
            os.close(fd)
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".so") as tmp:
        tmp.write(data)
        tmp.flush()
        return ctypes.CDLL(tmp.name)


def _functions(lib):
    """{name: ctypes function object} looked up on lib so far (CDLL keeps
    each one it hands out as an attribute)."""
    return {k: v for k, v in vars(lib).items() if isinstance(v, ctypes._CFuncPtr)}


def watch_interrupts():
    """Let SIGINT stop backward passes of the main thread (see the module
    docstring).  Does nothing, and returns False, unless called from the
    main thread while SIGINT has Python's default handler."""
    if threading.current_thread() is not threading.main_thread():
        return False
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return False
    r = _lib.ag_watch_interrupts(threading.get_native_id())
    if r < 0:
        raise _capi.last_error()
    return r == 1


def interrupted_passes():
    """How many backward passes SIGINT has stopped in this process."""
    return _lib.ag_interrupts()


# Between fork and the rebinding in the child, nothing may call the old
# copy (it would wait forever): the garbage collector is off over fork (a
# box freed by it queues its handle, and a full queue is released at once),
# and the queue is emptied just before.
_gc_was_enabled = [False]


def _before_fork():
    _gc_was_enabled[0] = gc.isenabled()
    gc.disable()
    try:
        _capi.flush(blocking=False)
        _mark[0] = _lib.ag_handle_mark()
    except Exception:  # pragma: no cover - never fails; fork must not
        pass


def _after_fork_in_parent():
    if _gc_was_enabled[0]:
        gc.enable()


def _after_fork_in_child():
    try:
        _reload()
    finally:
        if _gc_was_enabled[0]:
            gc.enable()


def _reload():
    global reloads
    new = _fresh_copy(_capi.LIB_PATH)
    for name, fn in _functions(_lib).items():
        addr = ctypes.cast(getattr(new, name), ctypes.c_void_p).value
        ctypes.c_void_p.from_address(ctypes.addressof(fn)).value = addr
    _lib.ag_handle_floor(_mark[0])
    # queued releases and registry entries are the parent's; a lock may
    # have been held by a thread that does not exist here
    del _capi._pending[:]
    _capi._pending_lock = threading.Lock()
    _capi.heavy = False
    _capi.registry.clear()
    _capi._choose_blas()
    _lib.ag_set_vjp_callback(tracer._callback)
    watch_interrupts()
    reloads += 1


watch_interrupts()

if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent,
                        after_in_child=_after_fork_in_child)
