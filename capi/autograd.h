/*
 * autograd.h - the C ABI of libautograd, an automatic-differentiation engine
 * written in Go (reverse and forward mode, derivatives of any order).
 *
 * Build:  go build -buildmode=c-shared -o libautograd.so ./capi
 * Link:   cc prog.c -L. -lautograd      (or dlopen("libautograd.so"))
 *
 * ---------------------------------------------------------------------------
 * Model
 * ---------------------------------------------------------------------------
 * Every value lives inside the library and is named by an opaque handle
 * (ag_handle, a positive int64; 0 is never a valid handle and signals an
 * error where a function returns a handle).  A value is either a plain
 * n-dimensional array (float64 or complex128, C order) or a *box*: a value
 * being traced by some trace, which wraps a value of an outer trace (or a
 * plain array) and a node of the trace's graph.  Boxes nest, which is what
 * gives derivatives of any order.
 *
 * Applying an operation (ag_apply*) to handles returns a new handle.  If any
 * argument is a box, the result is a box of the innermost trace among the
 * arguments (the highest trace id), recorded so that it can be
 * differentiated later.
 *
 * ---------------------------------------------------------------------------
 * Ownership
 * ---------------------------------------------------------------------------
 * - Every function that returns an ag_handle (or writes handles into an
 *   out-array) gives the caller one new reference.  The caller must release
 *   it with ag_release or ag_release_many exactly once.  ag_live_handles
 *   counts unreleased handles (useful to test for leaks).
 * - Handles passed as arguments are borrowed: the library never releases
 *   them.  Exception: handles that a vjp callback writes into its `grads`
 *   array are handed over to the library (see ag_vjp_fn).
 * - Buffers passed in (data, shape, strides, attrs, handle arrays) are
 *   owned by the caller and only read during the call; the library copies
 *   what it keeps, except the data of ag_array_borrow, which it reads in
 *   place until it reports the buffer's id dead.  Buffers passed out (dst,
 *   shape, buf) are caller-owned and written during the call; memory
 *   handed out by ag_export stays the library's, pinned until its handle
 *   is released.
 *
 * ---------------------------------------------------------------------------
 * Errors
 * ---------------------------------------------------------------------------
 * No call ever aborts the process: any failure inside the library
 * (including Go panics) is caught at the boundary.  A function that fails
 * returns 0 (handle-returning functions) or -1 (int32 status functions) and
 * records an error for the calling OS thread, read (and cleared) by
 * ag_last_error.  After an error the library stays fully usable.
 *
 * ---------------------------------------------------------------------------
 * Threads
 * ---------------------------------------------------------------------------
 * Every function may be called from several threads at once.  No global
 * lock is held while an operation or a backward pass runs; handles and
 * trace ids are process-wide.  Errors are recorded per calling thread.
 */
#ifndef AUTOGRAD_H
#define AUTOGRAD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t ag_handle;

/* dtypes */
#define AG_FLOAT64 0
#define AG_COMPLEX128 1

/* error kinds returned by ag_last_error; each maps to a Python exception */
#define AG_OK 0        /* no error recorded                                 */
#define AG_EVALUE 1    /* ValueError: shapes, axes, sizes                   */
#define AG_ETYPE 2     /* TypeError: wrong kind of argument                 */
#define AG_EINDEX 3    /* IndexError: index out of bounds                   */
#define AG_ELINALG 4   /* numpy.linalg.LinAlgError: singular matrix ...     */
#define AG_ENOTIMPL 5  /* NotImplementedError: no rule for this operation   */
#define AG_ECALLBACK 6 /* a vjp callback returned non-zero                  */
#define AG_EINTERNAL 7 /* a bug in the library (the message says where)     */
#define AG_EINTERRUPT 8 /* KeyboardInterrupt: stopped by SIGINT (see below) */
#define AG_EMEMORY 9   /* MemoryError: an array larger than memory + swap   */

/* trace modes */
#define AG_REVERSE 1
#define AG_FORWARD 2

/* flags of ag_apply2s */
#define AG_SCALAR_LEFT 1    /* the scalar is the first operand            */
#define AG_SCALAR_COMPLEX 2 /* the scalar is complex128 even if im == 0   */

/* ----------------------------------------------------------------- errors */

/* Returns the kind (AG_E*) of the last error recorded on the calling
 * thread, or AG_OK, and clears it.  If buf is not NULL, copies the message
 * into buf as a NUL-terminated string truncated to cap bytes. */
int32_t ag_last_error(char *buf, int64_t cap);

/* ----------------------------------------------------------------- arrays */

/* Copies an n-dimensional array into the library.  dtype is AG_FLOAT64 or
 * AG_COMPLEX128; shape has ndim entries (0 <= ndim <= 32; 0 is a scalar); strides has
 * ndim entries in bytes (may be negative), or is NULL for C order. */
ag_handle ag_array(int32_t dtype, int32_t ndim, const int64_t *shape,
                   const int64_t *strides, const void *data);

/* Wraps the caller's C-contiguous array without copying it: the library
 * reads data in place (never writes it) for as long as any value refers to
 * it, then reports id through ag_dead_ids; until then the caller must keep
 * the buffer valid.  data must be aligned to 8 bytes (NULL is allowed for
 * an empty array).  Changes the caller makes to the buffer meanwhile are
 * seen by later computations (as upstream autograd sees a mutated numpy
 * argument). */
ag_handle ag_array_borrow(int32_t dtype, int32_t ndim, const int64_t *shape,
                          const void *data, int64_t id);

/* numpy arrays, read in place.  obj is a numpy array object
 * (PyArrayObject *, e.g. id(a) in CPython) whose elements have dtype
 * (AG_FLOAT64 or AG_COMPLEX128, in native byte order); the library reads
 * its data pointer, shape, strides and flags at the offsets of numpy's
 * PyArrayObject_fields on 64-bit CPython.  Before using these, check once
 * that the offsets hold for the numpy at hand: ag_ndarray_fields writes
 * what the library reads of obj into buf (data address, ndim, flags, the
 * ndim dimensions, the ndim strides in bytes; at most cap words) and
 * returns the number of words, or -1; compare them with numpy's own view
 * of a few arrays, and use ag_array and ag_read if they differ.
 *
 * ag_ndarray is ag_array_borrow(dtype, ..., id) when obj is C-contiguous,
 * aligned and not empty (the caller keeps obj alive until id is reported
 * dead), and otherwise ag_array of its elements with its strides (id is
 * then reported dead at once).  ag_read_ndarray is ag_read into obj,
 * which must be C-contiguous and writeable, of the value's size. */
int64_t ag_ndarray_fields(const void *obj, int64_t *buf, int64_t cap);
ag_handle ag_ndarray(const void *obj, int32_t dtype, int64_t id);
int32_t ag_read_ndarray(ag_handle h, const void *obj, int32_t dtype);

/* Hands the caller the memory of the array under every level of boxing
 * of h: *data receives the address of its first element (C order; NULL
 * when it is empty).  The returned handle (an export; it also names the
 * same array in every other call) keeps that memory pinned at that address
 * until it is released.  With writable = 0 the caller may only read it.
 * With writable != 0 the memory is the caller's alone to read and write:
 * when the library may still use the array elsewhere (anything but a
 * gradient that ag_backward made for this root alone), it is copied
 * first.  Exports cannot be handed back as a vjp callback's results. */
ag_handle ag_export(ag_handle h, int32_t writable, void **data);

/* A 0-d array: re + im*1j.  dtype AG_FLOAT64 ignores im. */
ag_handle ag_scalar(double re, double im, int32_t dtype);

/* Describes a value.  shape must have room for 32 entries.  *trace is the
 * id of the outermost trace boxing the value (the box's own trace), or 0
 * for a plain array.  dtype and shape are those of the underlying array
 * (the same at every level of boxing).  Returns 0, or -1 on error. */
int32_t ag_info(ag_handle h, int32_t *dtype, int32_t *ndim, int64_t *shape,
                int64_t *trace);

/* Writes the array under every level of boxing, in C order, into dst.
 * nbytes must equal size * itemsize (8 or 16).  Returns 0 or -1. */
int32_t ag_read(ag_handle h, void *dst, int64_t nbytes);

/* ag_info and, when h is a plain array (not a box) whose data fits in cap
 * bytes, ag_read into buf followed by ag_release(h), in one call: returns
 * 1 when it read and released h, 0 when it only described it (h is
 * still the caller's), -1 on error.  For the many small results of a
 * computation (a scalar gradient), one call instead of three. */
int32_t ag_take(ag_handle h, int32_t *dtype, int32_t *ndim, int64_t *shape,
                int64_t *trace, void *buf, int64_t cap);

/* A new handle to the same value. */
ag_handle ag_retain(ag_handle h);

/* Releases handles.  Return 0, or -1 if a handle is unknown. */
int32_t ag_release(ag_handle h);
int32_t ag_release_many(int64_t n, const ag_handle *hs);

/* Number of handles currently alive. */
int64_t ag_live_handles(void);

/* Runs the library's garbage collector now (it otherwise runs as its heap
 * grows).  Values no longer referred to by any handle are then found, and
 * the ids of caller-defined nodes and borrowed arrays among them reach
 * ag_dead_ids soon after, not necessarily before this returns.  For tests
 * and memory diagnostics; never needed for correctness. */
void ag_collect(void);

/* ------------------------------------------------------------- operations */

/* The id of the operation called name (see the list below), or -1. */
int32_t ag_op(const char *name);

/* Writes the name of operation op into buf (NUL-terminated, truncated to
 * cap); returns the number of operations, so ag_op_name(0, NULL, 0) tells
 * how many there are. */
int32_t ag_op_name(int32_t op, char *buf, int64_t cap);

/* Apply an operation.  The fast entry points take no attributes. */
ag_handle ag_apply1(int32_t op, ag_handle a);
ag_handle ag_apply2(int32_t op, ag_handle a, ag_handle b);
/* Binary operation with a scalar operand re + im*1j: op(a, s), or op(s, a)
 * with AG_SCALAR_LEFT.  The scalar is float64 unless im != 0 or
 * AG_SCALAR_COMPLEX is set. */
ag_handle ag_apply2s(int32_t op, ag_handle a, double re, double im,
                     int32_t flags);
/* General form.  attrs is a sequence of integer lists, each preceded by its
 * length, in this fixed order (trailing lists may be left out, nattrs is
 * the total number of int64 words):
 *     axes, axes2, shape, index, flags
 * e.g. sum over axis 1 keeping dims: {1, 1,  0,  0,  0,  1, 1}. */
ag_handle ag_apply(int32_t op, int32_t nargs, const ag_handle *args,
                   int64_t nattrs, const int64_t *attrs);

/* Operations (name: arguments; attributes used).  All are differentiable
 * in both modes to any order unless marked "no derivative".  Binary and
 * ternary elementwise operations broadcast as numpy does and promote
 * float64 with complex128 to complex128.
 *
 *  unary elementwise: negative abs sign(no derivative) sin cos tan arcsin
 *      arccos arctan sinh cosh tanh arcsinh arccosh arctanh exp exp2 expm1
 *      log log2 log10 log1p sqrt square reciprocal real imag conj
 *  binary elementwise: add subtract multiply divide power maximum minimum
 *      arctan2 hypot logaddexp logaddexp2 (these four real only)
 *  where: (cond, x, y); cond's non-zero entries pick x; cond gets no gradient
 *  sum, max, min: (x); axes (normalised, negatives allowed), flags[0] = keepdims
 *  reshape, broadcast_to: (x); shape
 *  transpose: (x); axes = the permutation
 *  tensordot: (a, b); contracts a's axes with b's axes2, pairwise; the
 *      result's axes are a's free axes then b's free axes, in order
 *  matmul: (a, b); numpy.matmul, with 1-d promotion and batch broadcasting
 *  gather: (x); index = flat (C order) indices into x, shape = result shape;
 *      result.flat[i] = x.flat[index[i]]
 *  scatter_add: (x); shape = result shape, index as for gather;
 *      result = zeros(shape); result.flat[index[i]] += x.flat[i]
 *  stack: (x0, x1, ...); equal shapes; result has a new leading axis
 *  linear algebra, on stacks of square matrices (the last two axes; the
 *  leading axes are a batch, broadcast between the two operands of the
 *  solves); float64 or complex128 unless marked; LinAlgError (AG_ELINALG)
 *  for a singular or not positive definite matrix, as numpy.linalg:
 *      cholesky: (a); lower factor L, L·Lᴴ = a (Hermitian); reads a's
 *          lower triangle (and the real part of its diagonal)
 *      solve: (a, b); x with a·x = b, b a stack of (n, k) matrices
 *      solve_t: (a, b); x with aᵀ·x = b (from the LU factors solve
 *          made for the same a, when it did)
 *      inv, det: (a)
 *      logabsdet: (a); log|det a| (-inf when singular), a float64 result
 *      solve_triangular: (l, b); tril(l)⁻¹·b
 *      solve_triangular_t: (l, b); tril(l)ᵀ⁻¹·b
 *  fft: (x); axes = {axis}; complex DFT along one axis, unnormalised:
 *      y[k] = sum_j x[j] exp(-2 pi i jk/n); result complex128
 *  ifft: (x); axes = {axis}; inverse DFT with numpy's 1/n:
 *      y[k] = (1/n) sum_j x[j] exp(+2 pi i jk/n); result complex128;
 *      a zero-length axis is AG_EVALUE, as in numpy
 *  eigh: (a); Hermitian; result (..., n+1, n) of a's dtype: row 0 the
 *      eigenvalues (ascending, real), rows 1..n the eigenvectors (as
 *      columns; each one's largest-magnitude entry real and positive);
 *      reads a's lower triangle
 *  svd: (a); result (..., m+1+n, k) of a's dtype, k = min(m, n): rows
 *      0..m-1 U, row m the singular values (decreasing, real), rows m+1..
 *      V (numpy's vh is Vᴴ); U's columns' largest entry real and positive
 *  eig: (a); float64 or complex128; result complex128 (..., n+1, n):
 *      row 0 the eigenvalues (real a: LAPACK's order, conjugate pairs
 *      adjacent; complex a: the order of the kernel's Schur form), rows
 *      1..n the eigenvectors as columns (unit norm; each one's
 *      largest-modulus entry real and positive)
 *
 *  A wrong number of arguments is AG_ETYPE, as in numpy.
 */

/* ---------------------------------------------------------------- tracing */

/* A new trace id (> 0, increasing, process-wide).  mode is AG_REVERSE or
 * AG_FORWARD.  Returns 0 on a bad mode. */
int64_t ag_trace_new(int32_t mode);

/* Boxes value in trace: the starting point of differentiation.  In reverse
 * mode tangent must be 0; in forward mode it is the tangent (same shape)
 * carried along with value. */
ag_handle ag_trace_root(int64_t trace, ag_handle value, ag_handle tangent);

/* ag_trace_new and ag_trace_root in one call: starts a trace of mode and
 * returns its root, a box of value (or, when value is 0, of the scalar
 * re + im*1j of dtype) with tangent (0 in reverse mode); *trace receives
 * the trace's id. */
ag_handle ag_start(int32_t mode, ag_handle value, double re, double im,
                   int32_t dtype, ag_handle tangent, int64_t *trace);

/* ag_backward with cotangent ones for a real output of one element (the
 * gradient of a scalar function): AG_ETYPE when end has several elements
 * or is complex.  Returns 0, 1 when end is not a box of trace (the
 * gradients are then zeros: the output does not depend on the roots), or
 * -1. */
int32_t ag_grad(int64_t trace, ag_handle end, int32_t nroots,
                const ag_handle *roots, ag_handle *grads);

/* The innermost trace among the boxes in hs: *trace receives its id (0 if
 * no handle is a box) and *mode its mode.  Returns 0 or -1. */
int32_t ag_top_trace(int32_t n, const ag_handle *hs, int64_t *trace,
                     int32_t *mode);

/* If h is a box of trace, a handle of the value it wraps (one level down);
 * otherwise a new handle of h itself. */
ag_handle ag_unbox(int64_t trace, ag_handle h);

/* Reverse pass of a reverse trace.  end is the traced output; g the
 * cotangent (same shape as end), or 0 for ones.  For each i, grads[i]
 * receives a new handle: the gradient with respect to roots[i] (a box made
 * by ag_trace_root), or zeros shaped like the root when end does not depend
 * on it (or is not a box of trace at all).  The trace's graph is not
 * consumed: ag_backward may be called again with another g.
 * Returns 0 or -1. */
int32_t ag_backward(int64_t trace, ag_handle end, ag_handle g, int32_t nroots,
                    const ag_handle *roots, ag_handle *grads);

/* The tangent that forward trace `trace` carries for h, or zeros shaped
 * like h when h is not a box of that trace. */
ag_handle ag_tangent(int64_t trace, ag_handle h);

/* ------------------------------------------------ caller-defined primitives */

/* A vector-Jacobian product implemented by the caller (e.g. a Python
 * function).  Called by ag_backward, on the thread that called it, once
 * per node made by ag_custom_box, with the node's id and the cotangent g
 * (borrowed: valid during the call only; ag_retain it to keep it).  It
 * writes into grads[i] a new handle for the gradient of parent i, or 0
 * for "no gradient"; these handles pass to the library.  It returns 0, or
 * non-zero to abort the backward pass (which then fails with AG_ECALLBACK).
 * g and the results may be boxes of outer traces: that is how derivatives
 * of higher order flow through caller-defined primitives. */
typedef int32_t (*ag_vjp_fn)(int64_t id, ag_handle g, int32_t nparents,
                             ag_handle *grads);

/* Registers the (single, process-wide) vjp callback. */
void ag_set_vjp_callback(ag_vjp_fn fn);

/* A box of reverse trace `trace` holding ans, whose node has the given
 * parents (boxes of that trace) and whose vjp is the callback called with
 * id. */
ag_handle ag_custom_box(int64_t trace, ag_handle ans, int32_t nparents,
                        const ag_handle *parents, int64_t id);

/* A box of forward trace `trace` holding ans with the given tangent. */
ag_handle ag_forward_box(int64_t trace, ag_handle ans, ag_handle tangent);

/* Ids of custom nodes that the library has freed, and of borrowed buffers
 * (ag_array_borrow) it no longer uses, since the last call (up to cap of
 * them are written into buf; returns how many).  The caller may then free
 * whatever it kept for those ids. */
int64_t ag_dead_ids(int64_t *buf, int64_t cap);

/* -------------------------------------------------------- recorded graphs */

/* Record a reverse trace's graph once and evaluate it again on new inputs
 * with no caller code per operation (Python's const_graph).  The caller
 * starts a reverse trace, makes its inputs with ag_trace_root, calls
 * ag_graph_watch(trace, 1), runs its function, calls ag_graph_watch(trace,
 * 0) and, when that reports no read, ag_graph_record.  ag_graph_replay
 * then re-applies each recorded primitive, in the recorded order, to the
 * new inputs; every argument that did not come from the inputs keeps the
 * value it had (constants, and constant boxes of the trace). */

/* Watch reverse trace `trace` (on non-zero) or stop watching it (on 0).
 * While a trace is watched, reading the numbers under one of its boxes
 * (ag_read, ag_export, at any level of boxing) or taking a value out of
 * it (ag_unbox of that trace) marks it: the caller then computed
 * something from its values outside the graph (a mask, a branch), which a
 * replay would freeze.  Returns, when stopping, 1 if the trace was marked
 * and 0 if not; 0 when starting; -1 on failure (not a reverse trace). */
int32_t ag_graph_watch(int64_t trace, int32_t on);

/* A new handle of the graph of reverse trace `trace` from its roots roots
 * (the replay's inputs, in that order) to end (a box of the trace).  Fails
 * with AG_ENOTIMPL when the graph cannot be replayed by the library: it
 * holds a node made by ag_custom_box (a caller-defined primitive) or an
 * argument that is a box of another trace; with AG_EVALUE when end is not
 * a box of the trace or a root is not one of its roots.  The graph keeps
 * the constants it needs, not the trace's boxes; release it with
 * ag_release.  Returns 0 on failure. */
ag_handle ag_graph_record(int64_t trace, ag_handle end, int32_t nroots,
                          const ag_handle *roots);

/* The output of recorded graph `graph` evaluated on n new inputs (arrays
 * or boxes, borrowed), as a new handle.  Each input must have the shape
 * and dtype of the root it replaces: AG_ETYPE for a wrong count or dtype,
 * AG_EVALUE for a wrong shape; a primitive's own failure is reported as
 * by ag_apply.  Inputs that are boxes are traced as by ag_apply, so the
 * replayed calls are differentiated by the enclosing traces' ag_backward
 * and ag_tangent, to any order.  Returns 0 on failure. */
ag_handle ag_graph_replay(ag_handle graph, int32_t n, const ag_handle *inputs);

/* ------------------------------------------------------------ performance */

/* Optional.  Hands one BLAS or LAPACK routine of the library to the
 * caller's implementation with 64-bit integers (ILP64), e.g. OpenBLAS's as
 * numpy's wheels export them (scipy_cblas_dgemm64_, scipy_LAPACKE_
 * dpotrf64_, ...).  name and the routine's C signature (int is C int,
 * lapack_int int64_t):
 *   "cblas_dgemm"    void cblas_dgemm(int order, int transa, int transb,
 *                      int64_t m, int64_t n, int64_t k, double alpha,
 *                      const double *a, int64_t lda, const double *b,
 *                      int64_t ldb, double beta, double *c, int64_t ldc)
 *   "cblas_dgemv"    void cblas_dgemv(int order, int trans, int64_t m,
 *                      int64_t n, double alpha, const double *a,
 *                      int64_t lda, const double *x, int64_t incx,
 *                      double beta, double *y, int64_t incy)
 *   "cblas_dtrsm"    void cblas_dtrsm(int order, int side, int uplo,
 *                      int transa, int diag, int64_t m, int64_t n,
 *                      double alpha, const double *a, int64_t lda,
 *                      double *b, int64_t ldb)
 *   "cblas_dsyrk"    void cblas_dsyrk(int order, int uplo, int trans,
 *                      int64_t n, int64_t k, double alpha,
 *                      const double *a, int64_t lda, double beta,
 *                      double *c, int64_t ldc)
 *   "lapacke_dpotrf" lapack_int LAPACKE_dpotrf(int layout, char uplo,
 *                      lapack_int n, double *a, lapack_int lda)
 *   "lapacke_dgetrf" lapack_int LAPACKE_dgetrf(int layout, lapack_int m,
 *                      lapack_int n, double *a, lapack_int lda,
 *                      lapack_int *ipiv)
 *   "lapacke_dgetrs" lapack_int LAPACKE_dgetrs(int layout, char trans,
 *                      lapack_int n, lapack_int nrhs, const double *a,
 *                      lapack_int lda, const lapack_int *ipiv, double *b,
 *                      lapack_int ldb)
 *   "lapacke_dgetri" lapack_int LAPACKE_dgetri(int layout, lapack_int n,
 *                      double *a, lapack_int lda, const lapack_int *ipiv)
 * The library then uses it for its float64 products, solves and
 * factorizations (and gonum's LAPACK inside its other routines); its
 * arguments are checked against the library's buffers before each call.
 * Every routine not handed over stays gonum's pure-Go one.  fn NULL
 * restores gonum's.  Call it before any computation, from one thread.
 * Returns 0, or -1 for an unknown name (AG_EVALUE). */
int32_t ag_use_blas(const char *name, void *fn);

/* ---- Vector kernels ---------------------------------------------------
 * exp, expm1, log, log1p, tanh, sin, cos, sqrt and + - * / on float64 have
 * three paths, by level: 0 pure Go (the math package), 1 AVX2 with FMA
 * (four elements at a time), 2 AVX-512 with FMA (eight).  The vector
 * levels exist when the library was built with GOEXPERIMENT=simd on amd64
 * and the CPU has their instructions (AVX-512: F, CD, BW, DQ and VL); at
 * load time the library takes the highest level the CPU has, or 0 when
 * the environment says AUTOGRAD_SIMD=0, or at most 1 for
 * AUTOGRAD_SIMD=avx2.  All levels are within 2 ulp of numpy, except sin
 * and cos of |x| > 2^50 (within 1e-15), and the two vector levels compute
 * the same bits.  mode -1 (any negative mode) only asks; mode 0, 1 or 2
 * requests that level, or the highest the library and CPU have below it
 * (a mode above 2 thus chooses the best level).  Returns the level now in
 * use.  Call it between computations. */
int32_t ag_vector_kernels(int32_t mode);

/* ---------------------------------------------------------------------------
 * Processes (fork)
 * ---------------------------------------------------------------------------
 * fork copies only the calling thread, while the Go runtime inside the
 * library runs threads of its own: in the child of a process that has
 * loaded the library, the library's copy must not be called again (a call
 * that needs the runtime's other threads, such as a garbage collection,
 * waits for them forever).  A child that wants to compute loads a fresh
 * copy of the library (a copy of the file under another name, which the
 * dynamic loader does not know yet) and, so that a parent's handle still
 * named in the child's memory can never be taken for one of the copy's,
 * passes the parent's ag_handle_mark(), read just before fork, to the
 * copy's ag_handle_floor.  Exec'ing children need none of this. */

/* The last handle issued so far. */
int64_t ag_handle_mark(void);

/* Make every handle issued from now on greater than `last`. */
void ag_handle_floor(int64_t last);

/* ---------------------------------------------------------------------------
 * Signals
 * ---------------------------------------------------------------------------
 * The Go runtime inside the library handles only SIGSEGV, SIGBUS, SIGFPE
 * (forwarded to the previous handler when they arise outside Go code),
 * SIGPIPE (forwarded: a write to a closed pipe by the host fails with
 * EPIPE as before) and SIGURG (the runtime's goroutine preemption).  Every
 * other signal keeps the host's disposition.  A call into the library is
 * not interrupted by the host's handlers, which run when it returns; for
 * the one long call, a backward pass, ag_watch_interrupts offers more:
 *
 * ag_watch_interrupts(tid) puts a handler in front of the current SIGINT
 * handler (once; later calls only change tid) that counts the signal and
 * then calls the handler it replaced, so the host still sees every SIGINT.
 * A backward pass running on thread tid (a Linux thread id, gettid) stops
 * at its next node after a SIGINT that arrived since it began, failing
 * with AG_EINTERRUPT; the library stays usable.  Returns 1 when watching,
 * 0 when SIGINT has no handler to chain to (SIG_DFL or SIG_IGN: nothing is
 * installed), -1 on failure.  Installing another SIGINT handler later
 * (e.g. Python's signal.signal) removes the library's: passes then run to
 * completion. */
int32_t ag_watch_interrupts(int64_t tid);

/* The number of backward passes stopped by SIGINT so far. */
int64_t ag_interrupts(void);

#ifdef __cplusplus
}
#endif

#endif /* AUTOGRAD_H */
