"""Low-level binding of libautograd (the Go core) through ctypes.

Everything that talks to the C ABI lives here: loading the library,
declaring the signatures of capi/autograd.h, turning library errors into
Python exceptions, converting numpy values to handles and back, and
releasing handles in batches.

The library is loaded with ``ctypes.CDLL`` (not ``PyDLL``) so that the GIL
is released during every call: several Python threads really compute in
parallel inside the library.
"""
import ctypes
import itertools
import os
import threading

import numpy

__all__ = []

# --------------------------------------------------------------- loading


def _find_library():
    path = os.environ.get("AUTOGRAD_LIB")
    if path:
        return path
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "libautograd.so")
    if os.path.exists(here):
        return here
    raise ImportError(
        "autograd: cannot find libautograd.so; set AUTOGRAD_LIB to its path "
        "or install the package with `pip install .` (which builds it)")


LIB_PATH = _find_library()
lib = ctypes.CDLL(LIB_PATH)

_i32, _i64, _dbl, _vp, _cp = (ctypes.c_int32, ctypes.c_int64, ctypes.c_double,
                              ctypes.c_void_p, ctypes.c_char_p)
_pi32 = ctypes.POINTER(_i32)
_pi64 = ctypes.POINTER(_i64)

VJP_FN = ctypes.CFUNCTYPE(_i32, _i64, _i64, _i32, _pi64)

_SIGNATURES = {
    "ag_last_error": (_i32, [_cp, _i64]),
    "ag_array": (_i64, [_i32, _i32, _pi64, _pi64, _vp]),
    "ag_array_borrow": (_i64, [_i32, _i32, _pi64, _vp, _i64]),
    "ag_export": (_i64, [_i64, _i32, ctypes.POINTER(_vp)]),
    "ag_scalar": (_i64, [_dbl, _dbl, _i32]),
    "ag_info": (_i32, [_i64, _i64, _i64, _i64, _i64]),
    "ag_read": (_i32, [_i64, _vp, _i64]),
    # hot entry points take their out-pointers as addresses (int64): the
    # same registers on every 64-bit ABI, and far cheaper for ctypes to
    # convert than pointer objects
    "ag_take": (_i32, [_i64, _i64, _i64, _i64, _i64, _i64, _i64]),
    "ag_retain": (_i64, [_i64]),
    "ag_release": (_i32, [_i64]),
    "ag_release_many": (_i32, [_i64, _pi64]),
    "ag_live_handles": (_i64, []),
    "ag_collect": (None, []),
    "ag_op": (_i32, [_cp]),
    "ag_op_name": (_i32, [_i32, _cp, _i64]),
    "ag_apply1": (_i64, [_i32, _i64]),
    "ag_apply2": (_i64, [_i32, _i64, _i64]),
    "ag_apply2s": (_i64, [_i32, _i64, _dbl, _dbl, _i32]),
    "ag_apply": (_i64, [_i32, _i32, _pi64, _i64, _pi64]),
    "ag_trace_new": (_i64, [_i32]),
    "ag_trace_root": (_i64, [_i64, _i64, _i64]),
    "ag_start": (_i64, [_i32, _i64, _dbl, _dbl, _i32, _i64, _i64]),
    "ag_grad": (_i32, [_i64, _i64, _i32, _i64, _i64]),
    "ag_top_trace": (_i32, [_i32, _pi64, _pi64, _pi32]),
    "ag_unbox": (_i64, [_i64, _i64]),
    "ag_backward": (_i32, [_i64, _i64, _i64, _i32, _pi64, _pi64]),
    "ag_tangent": (_i64, [_i64, _i64]),
    "ag_set_vjp_callback": (None, [VJP_FN]),
    "ag_custom_box": (_i64, [_i64, _i64, _i32, _pi64, _i64]),
    "ag_forward_box": (_i64, [_i64, _i64, _i64]),
    "ag_dead_ids": (_i64, [_pi64, _i64]),
    "ag_use_blas": (_i32, [_cp, _vp]),
    "ag_vector_kernels": (_i32, [_i32]),
    # numpy array objects by address (id(a)): see ndarray_fields_hold
    "ag_ndarray_fields": (_i64, [_i64, _pi64, _i64]),
    "ag_ndarray": (_i64, [_i64, _i32, _i64]),
    "ag_read_ndarray": (_i32, [_i64, _i64, _i32]),
}

for _name, (_res, _args) in _SIGNATURES.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args

# Module-level aliases: attribute look-ups on the CDLL object are slow.
ag_array = lib.ag_array
ag_array_borrow = lib.ag_array_borrow
ag_export_ = lib.ag_export
ag_scalar = lib.ag_scalar
ag_info = lib.ag_info
ag_read = lib.ag_read
ag_ndarray = lib.ag_ndarray
ag_read_ndarray = lib.ag_read_ndarray
ag_take_ = lib.ag_take
ag_retain = lib.ag_retain
ag_release = lib.ag_release
ag_release_many = lib.ag_release_many
ag_live_handles = lib.ag_live_handles
ag_apply1 = lib.ag_apply1
ag_apply2 = lib.ag_apply2
ag_apply2s = lib.ag_apply2s
ag_apply_ = lib.ag_apply
ag_trace_new = lib.ag_trace_new
ag_trace_root = lib.ag_trace_root
ag_start_ = lib.ag_start
ag_grad_ = lib.ag_grad
ag_top_trace_ = lib.ag_top_trace
ag_unbox = lib.ag_unbox
ag_backward_ = lib.ag_backward
ag_tangent = lib.ag_tangent
ag_custom_box_ = lib.ag_custom_box
ag_forward_box = lib.ag_forward_box
ag_dead_ids_ = lib.ag_dead_ids



# The routines of numpy's bundled OpenBLAS the library takes over (see
# ag_use_blas in capi/autograd.h) and their names there.
_NUMPY_ROUTINES = {
    "cblas_dgemm": "scipy_cblas_dgemm64_",
    "cblas_dgemv": "scipy_cblas_dgemv64_",
    "cblas_dtrsm": "scipy_cblas_dtrsm64_",
    "cblas_dsyrk": "scipy_cblas_dsyrk64_",
    "lapacke_dpotrf": "scipy_LAPACKE_dpotrf64_",
    "lapacke_dgetrf": "scipy_LAPACKE_dgetrf64_",
    "lapacke_dgetrs": "scipy_LAPACKE_dgetrs64_",
    "lapacke_dgetri": "scipy_LAPACKE_dgetri64_",
}


def _numpys_openblas():
    """The ILP64 OpenBLAS bundled with numpy's wheels (already loaded by
    numpy), or None."""
    import glob
    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "libscipy_openblas64_*.so"))):
        try:
            so = ctypes.CDLL(path)
        except OSError:
            continue
        if all(hasattr(so, sym) for sym in _NUMPY_ROUTINES.values()):
            return so
    return None


def _numpys_dgemm():
    """The address of numpy's OpenBLAS dgemm, or None (for tests)."""
    so = _numpys_openblas()
    return None if so is None else ctypes.cast(so.scipy_cblas_dgemm64_, ctypes.c_void_p).value


def _choose_blas():
    """Matrix products, triangular solves and the LU and Cholesky
    factorizations use numpy's own OpenBLAS when numpy ships one with a
    known interface (gonum's pure-Go routines are several times slower);
    AUTOGRAD_BLAS=gonum keeps gonum's. Returns the choice."""
    so = None
    if os.environ.get("AUTOGRAD_BLAS", "").lower() != "gonum":
        so = _numpys_openblas()
    for name, sym in _NUMPY_ROUTINES.items():
        fn = None if so is None else ctypes.cast(getattr(so, sym), ctypes.c_void_p).value
        if lib.ag_use_blas(name.encode(), fn) != 0:
            raise last_error()
    return "gonum" if so is None else "numpy-openblas"


FLOAT64, COMPLEX128 = 0, 1
REVERSE, FORWARD = 1, 2
SCALAR_LEFT, SCALAR_COMPLEX = 1, 2
EVALUE, ETYPE, EINDEX, ELINALG, ENOTIMPL, ECALLBACK, EINTERNAL, EINTERRUPT, EMEMORY = range(1, 10)

_DTYPES = (numpy.dtype(numpy.float64), numpy.dtype(numpy.complex128))

# --------------------------------------------------------------- errors


# Results of at most this many bytes are read with the description of their
# handle and released in the same call (ag_take).
TAKE_BYTES = 512


class _ThreadState(threading.local):
    """Per-thread scratch buffers (ctypes calls release the GIL, so two
    threads must never share an out-buffer) and the pending callback error."""

    def __init__(self):
        self.errbuf = ctypes.create_string_buffer(4096)
        self.dtype = _i32()
        self.ndim = _i32()
        self.shape = (_i64 * 32)()
        self.trace = _i64()
        self.mode = _i32()
        addr = ctypes.addressof
        self.info_args = (addr(self.dtype), addr(self.ndim), addr(self.shape), addr(self.trace))
        self.small = (_dbl * (TAKE_BYTES // 8))()
        self.take_args = self.info_args + (addr(self.small), TAKE_BYTES)
        self.trace_ref = addr(self.trace)
        # the roots and gradients of a one-root ag_grad (the library reads
        # the roots before, and writes the gradients after, any callback
        # that might reuse them)
        self.root1 = (_i64 * 1)()
        self.grad1 = (_i64 * 1)()
        self.grad_args = (addr(self.root1), addr(self.grad1))
        self.exc = None  # exception raised inside a vjp callback
        self.dead = (_i64 * 1024)()
        self.ptr = _vp()
        self.ptr_ref = ctypes.byref(self.ptr)


tls = _ThreadState()


def last_error():
    """The exception for the error the library recorded on this thread."""
    st = tls
    kind = lib.ag_last_error(st.errbuf, len(st.errbuf))
    msg = st.errbuf.value.decode("utf-8", "replace")
    if kind == ECALLBACK:
        exc, st.exc = st.exc, None
        if exc is not None:
            return exc
        return RuntimeError("autograd: " + (msg or "a vjp callback failed"))
    cls = {EVALUE: ValueError, ETYPE: TypeError, EINDEX: IndexError,
           ELINALG: numpy.linalg.LinAlgError, ENOTIMPL: NotImplementedError,
           EINTERNAL: RuntimeError, EINTERRUPT: KeyboardInterrupt,
           EMEMORY: MemoryError}.get(kind)
    if cls is None:
        return RuntimeError("autograd: the library reported a failure but "
                            "recorded no error" + (": " + msg if msg else ""))
    return cls(msg)


def fail():
    """Raise the error recorded on this thread (call after a 0 / -1)."""
    raise last_error()


def check(h):
    """Return handle h, or raise the recorded error when it is 0."""
    if not h:
        raise last_error()
    return h


# --------------------------------------------------------------- operations


def op_id(name):
    """The id of Go operation `name`, or -1 when the library lacks it."""
    return lib.ag_op(name.encode())


def op_names():
    n = lib.ag_op_name(0, None, 0)
    buf = ctypes.create_string_buffer(256)
    out = []
    for i in range(n):
        lib.ag_op_name(i, buf, 256)
        out.append(buf.value.decode())
    return out


def i64_array(values):
    """A ctypes int64 array holding `values` (a sequence or int ndarray)."""
    if isinstance(values, numpy.ndarray):
        a = numpy.ascontiguousarray(values, dtype=numpy.int64)
        return a.ctypes.data_as(_pi64), a  # keep `a` alive with the pointer
    arr = (_i64 * len(values))(*values)
    return arr, arr


def encode_attrs(axes=None, axes2=None, shape=None, index=None, flags=None):
    """Encode the attribute lists of ag_apply (each preceded by its length)."""
    lists = [axes, axes2, shape, index, flags]
    while lists and lists[-1] is None:
        lists.pop()
    if index is not None and isinstance(index, numpy.ndarray):
        parts = []
        for l in lists:
            l = numpy.asarray(() if l is None else l, dtype=numpy.int64).ravel()
            parts.append(numpy.array([l.size], dtype=numpy.int64))
            parts.append(l)
        return numpy.concatenate(parts)
    words = []
    for l in lists:
        if l is None:
            words.append(0)
        else:
            words.append(len(l))
            words.extend(map(int, l))
    return words


def apply(op, handles, attrs=()):
    """ag_apply: op on a list of handles with attribute words; new handle.
    (Attribute-carrying operations may make large arrays from small ones:
    broadcasts, gathers.)"""
    global heavy
    heavy = True
    n = len(handles)
    hs = (_i64 * n)(*handles)
    if len(attrs):
        ap, keep = i64_array(attrs)
        h = ag_apply_(op, n, hs, len(attrs), ap)
    else:
        h = ag_apply_(op, n, hs, 0, None)
    if not h:
        raise last_error()
    return h


# --------------------------------------------------------------- handles

_pending = []
# set when a call may have made large arrays (see flush_if_heavy)
heavy = False
_pending_lock = threading.Lock()
FLUSH_AT = 256


def release_later(h):
    """Queue handle h for release (batched with ag_release_many)."""
    _pending.append(h)
    if len(_pending) > FLUSH_AT:
        flush(blocking=False)


def flush_if_heavy():
    """At the end of a differential operator: release the queued handles
    now if the call may have made large arrays (which would otherwise live
    until FLUSH_AT more handles are queued) or queued many."""
    global heavy
    if heavy or len(_pending) > 64:
        heavy = False
        flush(blocking=False)


def flush(blocking=True):
    """Release every queued handle now; also poll the ids of dead nodes."""
    if not _pending_lock.acquire(blocking):
        return
    try:
        # copy, then cut exactly what was copied: handles appended meanwhile
        # by other threads stay queued (the list object is never replaced)
        batch = _pending[:]
        del _pending[:len(batch)]
        if batch:
            arr = (_i64 * len(batch))(*batch)
            # -1 would mean an unknown handle (a bug).  Its error is not
            # cleared here: this may run from __del__ between a failing call
            # and the read of that call's error.
            ag_release_many(len(batch), arr)
        if registry:  # dead ids only ever name registry entries
            poll_dead()
    finally:
        _pending_lock.release()


def pending_count():
    return len(_pending)


# Registry of caller-defined nodes: id -> entry (see tracer.py).
registry = {}


def poll_dead():
    """Forget the registry entries whose Go nodes have been freed."""
    buf = tls.dead
    while True:
        n = ag_dead_ids_(buf, 1024)
        # copy first: dropping an entry may run __del__ code that polls again
        ids = buf[:n]
        for i in ids:
            registry.pop(i, None)
        if n < 1024:
            return


def live_handles():
    """Number of handles alive in the library (after flushing ours)."""
    flush()
    return ag_live_handles()


def collect():
    """Run the library's garbage collector now (see ag_collect), then flush
    our queued releases and poll the ids of freed nodes."""
    lib.ag_collect()
    flush()


# the levels of the core's elementwise kernels (ag_vector_kernels)
PURE, AVX2, AVX512 = 0, 1, 2
LEVEL_NAMES = {PURE: "pure", AVX2: "avx2", AVX512: "avx512"}


def vector_kernels(level=None):
    """The level of the core's elementwise kernels (exp, log, tanh, sin,
    ..., + - * /) in use: PURE (0, Go's math package), AVX2 (1) or AVX512
    (2).  level=None only asks; an int requests that level, or the highest
    one below it the library and CPU have; True requests the best level,
    False the pure-Go path.  Returns the level now in use (nonzero: a
    vector path).  For tests and comparisons; AUTOGRAD_SIMD=0 or
    AUTOGRAD_SIMD=avx2 in the environment starts with the pure-Go path or
    at most AVX2."""
    if level is None:
        mode = -1
    elif level is True or level is False:
        mode = AVX512 if level else PURE
    else:
        mode = max(int(level), 0)
    return int(lib.ag_vector_kernels(mode))


# --------------------------------------------------------------- conversion


def as_core_array(x):
    """x as a float64 or complex128 ndarray (the dtypes the core computes in)."""
    a = numpy.asarray(x)
    k = a.dtype.kind
    if k == "c":
        if a.dtype != numpy.complex128:
            a = a.astype(numpy.complex128)
    elif k in "fiub":
        if a.dtype != numpy.float64:
            a = a.astype(numpy.float64)
    else:
        raise TypeError("autograd: cannot use a value of type {} (dtype {}) "
                        "in a traced computation".format(type(x).__name__, a.dtype))
    if not a.dtype.isnative:
        a = a.astype(a.dtype.newbyteorder("="))
    return a


# Results of at least this many bytes reach numpy without a copy: numpy
# wraps the library's memory (an export).  Smaller ones are copied, which
# costs less than the bookkeeping.  (Arguments are never copied when they
# can be borrowed, whatever their size: see to_handle.)
ZERO_COPY_BYTES = 1 << 14

# Ids of borrowed buffers: negative, so that they never meet the ids of
# Python-defined nodes (positive) in `registry`, which keeps both alive
# for the library until ag_dead_ids reports them.
_borrow_ids = itertools.count(-1, -1)


class _Export(object):
    """The owner of an ndarray that views the library's memory: it holds
    the export handle, which keeps that memory pinned, and releases it
    when the ndarray (and every view of it) is gone."""
    __slots__ = ("h", "__array_interface__", "__weakref__")

    def __del__(self, _append=_pending.append):
        try:
            _append(self.h)
        except Exception:  # interpreter shutdown
            pass


def _exported_handle(a):
    """The export handle whose memory `a` views exactly (an array the
    library gave out, unchanged in layout), or 0."""
    base = a.base
    while base is not None and not isinstance(base, _Export):
        if not isinstance(base, numpy.ndarray):
            return 0
        base = base.base
    if base is None:
        return 0
    iface = base.__array_interface__
    if iface["data"][0] == a.ctypes.data and iface["shape"] == a.shape:
        return base.h
    return 0


def to_handle(x):
    """A new handle holding the numeric value x (not a box).  A
    C-contiguous float64/complex128 ndarray is borrowed, not copied: the
    library reads its buffer in place, and `registry` keeps the array alive
    until the library reports it unused; so, as with upstream autograd,
    the computation sees the array itself (a change made to it between
    the forward and the backward pass is seen by the backward pass).
    Other layouts and dtypes are converted (copied) once."""
    t = type(x)
    if t is float or t is int or t is bool:
        h = ag_scalar(x, 0.0, FLOAT64)
    elif t is complex:
        h = ag_scalar(x.real, x.imag, COMPLEX128)
    else:
        a = as_core_array(x)
        if a.ndim == 0:
            v = a[()]
            if a.dtype == _DTYPES[1]:
                h = ag_scalar(v.real, v.imag, COMPLEX128)
            else:
                h = ag_scalar(v, 0.0, FLOAT64)
        else:
            code = 1 if a.dtype == _DTYPES[1] else 0
            if a.nbytes >= ZERO_COPY_BYTES:
                global heavy
                heavy = True
            e = _exported_handle(a) if a.base is not None and a.flags.c_contiguous else 0
            if e:
                h = ag_retain(e)
            elif NDARRAY_FIELDS:
                # one call: the library borrows a C-contiguous buffer (and
                # reports i dead when done) or copies any other layout (and
                # reports i dead at once)
                i = next(_borrow_ids)
                registry[i] = a
                h = ag_ndarray(id(a), code, i)
                if not h:
                    registry.pop(i, None)
            else:
                h = _to_handle_by_pointer(a, code)
    if not h:
        raise last_error()
    return h


def _to_handle_by_pointer(a, code):
    """to_handle of a non-empty ndarray through ag_array_borrow or ag_array
    (when the library cannot read numpy's array objects itself)."""
    nd = a.ndim
    shape = (_i64 * nd)(*a.shape)
    flags = a.flags
    if flags.c_contiguous and flags.aligned and a.size:
        i = next(_borrow_ids)
        registry[i] = a
        h = ag_array_borrow(code, nd, shape, a.ctypes.data, i)
        if not h:
            registry.pop(i, None)
        return h
    if flags.c_contiguous:
        return ag_array(code, nd, shape, None, a.ctypes.data)
    strides = (_i64 * nd)(*a.strides)
    return ag_array(code, nd, shape, strides, a.ctypes.data)


def take(h):
    """(dtype, shape, trace, value) of new handle h.  A small plain value
    is read and h released at once: value is then a numpy scalar (0-d) or
    an ndarray of its own; otherwise value is None and h still owned."""
    st = tls
    r = ag_take_(h, *st.take_args)
    if r < 0:
        raise last_error()
    nd = st.ndim.value
    dt = _DTYPES[st.dtype.value]
    if r == 0:
        return dt, tuple(st.shape[:nd]), st.trace.value, None
    if nd == 0:
        if dt is _DTYPES[0]:
            return dt, (), 0, numpy.float64(st.small[0])
        return dt, (), 0, numpy.complex128(complex(st.small[0], st.small[1]))
    shape = tuple(st.shape[:nd])
    n = 1
    for d in shape:
        n *= d
    return dt, shape, 0, numpy.frombuffer(st.small, dt, n).reshape(shape).copy()


def start(mode, x):
    """(trace id, root handle): a new trace of mode with x (a number or a
    numeric value, not a box) as its root, in one call (reverse mode)."""
    st = tls
    t = type(x)
    if t is float or t is int or t is bool:
        h = ag_start_(mode, 0, x, 0.0, FLOAT64, 0, st.trace_ref)
    elif t is complex:
        h = ag_start_(mode, 0, x.real, x.imag, COMPLEX128, 0, st.trace_ref)
    else:
        v = to_handle(x)
        try:
            h = ag_start_(mode, v, 0.0, 0.0, 0, 0, st.trace_ref)
        finally:
            release_later(v)
    if not h:
        raise last_error()
    return st.trace.value, h


def info(h):
    """(dtype, shape, trace) of handle h."""
    st = tls
    if ag_info(h, *st.info_args) != 0:
        raise last_error()
    nd = st.ndim.value
    return (_DTYPES[st.dtype.value], tuple(st.shape[:nd]), st.trace.value)


def read(h, dtype, shape, writable=True):
    """The array under every level of boxing of h, as an ndarray of its
    own: a copy for small arrays; for large ones a view of the library's
    memory, kept for it alone while the ndarray lives (an export: when the
    memory may be read elsewhere in the library, which a backward pass's
    own gradients never are, the library copies it first).  A read-only
    result (writable false) may share the memory with the library."""
    itemsize = dtype.itemsize
    n = itemsize
    for d in shape:
        n *= d
    if n < ZERO_COPY_BYTES:
        a = numpy.empty(shape, dtype)
        if NDARRAY_FIELDS:
            r = ag_read_ndarray(h, id(a), 0 if dtype is _DTYPES[0] else 1)
        else:
            r = ag_read(h, a.ctypes.data, a.nbytes)
        if r != 0:
            raise last_error()
        return a
    global heavy
    heavy = True
    st = tls
    t = ag_export_(h, 1 if writable else 0, st.ptr_ref)
    if not t:
        raise last_error()
    owner = _Export()
    owner.h = t
    owner.__array_interface__ = {"data": (st.ptr.value, not writable), "shape": shape,
                                 "typestr": dtype.str, "version": 3}
    return numpy.asarray(owner)


def top_trace(hs):
    """(trace id, mode) of the innermost trace among handles hs."""
    st = tls
    arr = (_i64 * len(hs))(*hs)
    if ag_top_trace_(len(hs), arr, ctypes.byref(st.trace), ctypes.byref(st.mode)) != 0:
        raise last_error()
    return st.trace.value, st.mode.value


BLAS = _choose_blas()


def ndarray_fields_hold():
    """Whether the library reads numpy's array objects (data pointer,
    shape, strides, flags) as numpy itself sees them: checked once, on a
    few arrays of different layouts, before ag_ndarray and
    ag_read_ndarray are used instead of the slower ag_array_borrow,
    ag_array and ag_read (whose arguments Python must build).
    AUTOGRAD_NDARRAY_FIELDS=0 in the environment turns them off."""
    if os.environ.get("AUTOGRAD_NDARRAY_FIELDS") == "0":
        return False
    base = numpy.arange(24.0).reshape(2, 3, 4)
    ro = numpy.ones(5)
    ro.flags.writeable = False
    probes = [base, base[:, ::2, 1:], base.T, base[1], numpy.zeros(()),
              numpy.zeros((0, 3)), ro, numpy.ones((3, 2), complex)[::-1]]
    bits = {"C_CONTIGUOUS": 0x1, "ALIGNED": 0x100, "WRITEABLE": 0x400}
    buf = (_i64 * 70)()
    try:
        for a in probes:
            n = lib.ag_ndarray_fields(id(a), buf, 70)
            want = [a.ctypes.data, a.ndim, 0] + list(a.shape) + list(a.strides)
            got = list(buf[:n])
            if n != len(want) or got[:2] != want[:2] or got[3:] != want[3:]:
                return False
            if any(bool(got[2] & bit) != a.flags[name] for name, bit in bits.items()):
                return False
    except Exception:
        return False
    return True


NDARRAY_FIELDS = ndarray_fields_hold()
