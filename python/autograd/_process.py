"""Process safety: children made by fork get a working library.

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
"""
import ctypes
import os
import threading

from . import _capi, tracer

__all__ = []

_lib = _capi.lib
_lib.ag_handle_mark.restype = ctypes.c_int64
_lib.ag_handle_mark.argtypes = []
_lib.ag_handle_floor.restype = None
_lib.ag_handle_floor.argtypes = [ctypes.c_int64]

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


def _before_fork():
    try:
        _mark[0] = _lib.ag_handle_mark()
    except Exception:  # pragma: no cover - never fails; fork must not
        pass


def _after_fork_in_child():
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
    reloads += 1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
