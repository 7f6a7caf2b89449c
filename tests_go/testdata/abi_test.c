/*
 * abi_test.c - exercises libautograd's C ABI from C, using nothing but
 * capi/autograd.h.  Built and run by TestCABI (tests_go/capi_test.go).
 *
 * Prints one line per check, "PASS <name>" or "FAIL <name>: <why>", then
 * "DONE <number of failures>", and exits with status 1 if a check failed.
 * Every expected value is computed here in C from a closed form.
 */
#define _GNU_SOURCE
#include <complex.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"

/* ------------------------------------------------------------ reporting */

static atomic_int failures;
static pthread_mutex_t print_mu = PTHREAD_MUTEX_INITIALIZER;

/* check prints PASS or FAIL for the named check; on failure it prints the
 * printf-style explanation too. */
static void check(const char *name, int ok, const char *fmt, ...)
{
	pthread_mutex_lock(&print_mu);
	if (ok) {
		printf("PASS %s\n", name);
	} else {
		atomic_fetch_add(&failures, 1);
		printf("FAIL %s: ", name);
		va_list ap;
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
	pthread_mutex_unlock(&print_mu);
}

/* near reports whether got and want agree to within tol relative to
 * max(1, |want|). */
static int near(double got, double want, double tol)
{
	return fabs(got - want) <= tol * fmax(1, fabs(want));
}

/* all_near compares n doubles; on a mismatch it describes it in why. */
static int all_near(const double *got, const double *want, int n, double tol, char *why, size_t cap)
{
	for (int i = 0; i < n; i++) {
		if (!near(got[i], want[i], tol) || isnan(got[i]) != isnan(want[i])) {
			snprintf(why, cap, "element %d is %.17g, want %.17g", i, got[i], want[i]);
			return 0;
		}
	}
	snprintf(why, cap, "ok");
	return 1;
}

/* ------------------------------------------------- handles and helpers */

/* arena collects the handles (and custom-node ids) made by one
 * computation, to be released together. */
typedef struct {
	ag_handle h[512];
	int n;
	int64_t ids[64];
	int nids;
} arena;

/* keep adds h to the arena and returns it. */
static ag_handle keep(arena *a, ag_handle h)
{
	if (h != 0 && a->n < 512)
		a->h[a->n++] = h;
	return h;
}

static void node_free(int64_t id);

/* arena_free releases every handle and custom node of the arena; it
 * returns the number of handles the library did not know. */
static int arena_free(arena *a)
{
	int bad = 0;
	for (int i = 0; i < a->n; i++)
		bad += ag_release(a->h[i]) != 0;
	for (int i = 0; i < a->nids; i++)
		node_free(a->ids[i]);
	a->n = a->nids = 0;
	return bad;
}

/* op returns the id of the named operation (the test fails if unknown). */
static int32_t op(const char *name)
{
	int32_t id = ag_op(name);
	if (id < 0)
		check("ops.lookup", 0, "no operation %s", name);
	return id;
}

static ag_handle un(arena *a, const char *name, ag_handle x) { return keep(a, ag_apply1(op(name), x)); }
static ag_handle bin(arena *a, const char *name, ag_handle x, ag_handle y) { return keep(a, ag_apply2(op(name), x, y)); }

/* vec returns a float64 array of shape (n,). */
static ag_handle vec(arena *a, int n, const double *data)
{
	int64_t shape[1] = {n};
	return keep(a, ag_array(AG_FLOAT64, 1, shape, NULL, data));
}

/* ndim_of returns the number of dimensions of h (-1 on error). */
static int ndim_of(ag_handle h)
{
	int32_t dt, nd;
	int64_t shape[32], tr;
	return ag_info(h, &dt, &nd, shape, &tr) == 0 ? nd : -1;
}

/* trace_of returns the id of h's own trace, 0 for a plain array. */
static int64_t trace_of(ag_handle h)
{
	int32_t dt, nd;
	int64_t shape[32], tr = -1;
	ag_info(h, &dt, &nd, shape, &tr);
	return tr;
}

/* sum_all sums h over all its axes. */
static ag_handle sum_all(arena *a, ag_handle h)
{
	int64_t attrs[33] = {0};
	int nd = ndim_of(h);
	if (nd < 0)
		return 0;
	attrs[0] = nd;
	for (int i = 0; i < nd; i++)
		attrs[1 + i] = i;
	return keep(a, ag_apply(op("sum"), 1, &h, 1 + nd, attrs));
}

/* read_doubles copies n float64 values of h into dst; 0 on success. */
static int read_doubles(ag_handle h, double *dst, int n) { return ag_read(h, dst, 8 * (int64_t)n); }

/* last_error returns the calling thread's error kind, message into msg. */
static int32_t last_error(char *msg, size_t cap) { return ag_last_error(msg, (int64_t)cap); }

/* ------------------------------------------------------- custom nodes */

/* Custom primitives: cube(x) = x³ with its VJP computed here in C, and a
 * node whose VJP fails.  The node table maps the id given to
 * ag_custom_box to what the callback needs. */
enum { CUBE = 1, FAILING = 2, BAD_HANDLE = 3 };
#define NODES 4096
static struct {
	int64_t id;
	int kind;
	ag_handle x; /* the argument one level down (retained) */
} nodes[NODES];
static pthread_mutex_t nodes_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_llong next_id = 1;

static int64_t node_new(int kind, ag_handle x)
{
	int64_t id = atomic_fetch_add(&next_id, 1);
	pthread_mutex_lock(&nodes_mu);
	nodes[id % NODES].id = id;
	nodes[id % NODES].kind = kind;
	nodes[id % NODES].x = x;
	pthread_mutex_unlock(&nodes_mu);
	return id;
}

static void node_free(int64_t id)
{
	pthread_mutex_lock(&nodes_mu);
	if (nodes[id % NODES].id == id) {
		ag_release(nodes[id % NODES].x);
		nodes[id % NODES].id = 0;
	}
	pthread_mutex_unlock(&nodes_mu);
}

static atomic_int callback_calls;

/* vjp is the callback: g * 3x² for a cube node; failure (after handing
 * over a gradient, which the library must release) for a failing node. */
static int32_t vjp(int64_t id, ag_handle g, int32_t nparents, ag_handle *grads)
{
	atomic_fetch_add(&callback_calls, 1);
	pthread_mutex_lock(&nodes_mu);
	int kind = nodes[id % NODES].id == id ? nodes[id % NODES].kind : 0;
	ag_handle x = nodes[id % NODES].x;
	pthread_mutex_unlock(&nodes_mu);
	if (kind == BAD_HANDLE && nparents == 2) {
		grads[0] = 123456789;                   /* never issued */
		grads[1] = ag_scalar(1, 0, AG_FLOAT64); /* valid: the library must release it */
		return 0;
	}
	if (kind == 0 || nparents != 1)
		return 2;
	if (kind == FAILING) {
		grads[0] = ag_scalar(1, 0, AG_FLOAT64);
		return 1;
	}
	arena a = {0};
	ag_handle x2 = bin(&a, "multiply", x, x);
	ag_handle d = keep(&a, ag_apply2s(op("multiply"), x2, 3, 0, 0));
	grads[0] = ag_apply2(op("multiply"), g, d); /* handed over to the library */
	arena_free(&a);
	return grads[0] != 0 ? 0 : 3;
}

/* custom applies a custom primitive of the given kind to X: the cube of
 * X's value, in a node of X's own trace whose VJP is the callback. */
static ag_handle custom(arena *a, int kind, ag_handle X)
{
	int64_t tr = trace_of(X);
	ag_handle xv = ag_unbox(tr, X); /* owned by the node table */
	ag_handle ans = bin(a, "multiply", bin(a, "multiply", xv, xv), xv);
	int64_t id = node_new(kind, xv);
	if (a->nids < 64)
		a->ids[a->nids++] = id;
	return keep(a, ag_custom_box(tr, ans, 1, &X, id));
}

/* --------------------------------------------------- test functions */

/* A scalar function of a value, with a parameter. */
typedef ag_handle (*scalar_fn)(arena *a, ag_handle x, const void *param);

/* sin_cx_x is sum(sin(c x) * x) with c = *(double *)param. */
static ag_handle sin_cx_x(arena *a, ag_handle x, const void *param)
{
	double c = *(const double *)param;
	ag_handle cx = keep(a, ag_apply2s(op("multiply"), x, c, 0, 0));
	return sum_all(a, bin(a, "multiply", un(a, "sin", cx), x));
}

/* sum_cube is sum(cube(x)) with the custom primitive. */
static ag_handle sum_cube(arena *a, ag_handle x, const void *param)
{
	(void)param;
	return sum_all(a, custom(a, CUBE, x));
}

/* grad returns the gradient of f at x by a reverse trace (0 on error);
 * x may be a box of outer traces. */
static ag_handle grad(arena *a, scalar_fn f, ag_handle x, const void *param)
{
	int64_t tr = ag_trace_new(AG_REVERSE);
	ag_handle X = keep(a, ag_trace_root(tr, x, 0));
	ag_handle y = f(a, X, param);
	ag_handle g = 0;
	if (y == 0 || ag_backward(tr, y, 0, 1, &X, &g) != 0)
		return 0;
	return keep(a, g);
}

/* A scalar function and its parameter, for sum_of_grad. */
typedef struct {
	scalar_fn f;
	const void *param;
} fn_param;

/* sum_of_grad is sum(grad f (x)): its gradient is f's second derivative
 * when f is a sum of functions of one element each. */
static ag_handle sum_of_grad(arena *a, ag_handle x, const void *param)
{
	const fn_param *fp = param;
	return sum_all(a, grad(a, fp->f, x, fp->param));
}

/* -------------------------------------------------------------- checks */

static void check_ops(void)
{
	int32_t n = ag_op_name(0, NULL, 0);
	int ok = n >= 40;
	char buf[64], why[128] = "ok";
	for (int32_t i = 0; ok && i < n; i++) {
		ag_op_name(i, buf, sizeof buf);
		if (ag_op(buf) != i) {
			ok = 0;
			snprintf(why, sizeof why, "ag_op(%s) = %d, want %d", buf, ag_op(buf), i);
		}
	}
	check("ops.roundtrip", ok, "%d operations; %s", n, why);
	check("ops.unknown", ag_op("no_such_op") == -1, "ag_op of an unknown name is %d", ag_op("no_such_op"));
	char small[4] = "xxx";
	ag_op_name(ag_op("arctan2"), small, sizeof small);
	check("ops.name_truncated", strcmp(small, "arc") == 0, "got \"%s\"", small);
	const char *want[] = {"sin", "matmul", "tensordot", "sum", "where", "scatter_add", "stack", "power"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		check("ops.listed", ag_op(want[i]) >= 0, "%s is missing", want[i]);
}

static void check_arrays(void)
{
	arena a = {0};
	char why[256];
	double d[6] = {1, 2, 3, 4, 5, 6};
	int64_t shape23[2] = {2, 3};
	ag_handle h = keep(&a, ag_array(AG_FLOAT64, 2, shape23, NULL, d));
	int32_t dt = -1, nd = -1;
	int64_t shape[32] = {0}, tr = -1;
	int rc = ag_info(h, &dt, &nd, shape, &tr);
	check("array.info", rc == 0 && dt == AG_FLOAT64 && nd == 2 && shape[0] == 2 && shape[1] == 3 && tr == 0,
	      "rc %d dtype %d ndim %d shape (%lld,%lld) trace %lld", rc, dt, nd, (long long)shape[0], (long long)shape[1], (long long)tr);
	double out[24];
	d[0] = 100; /* the library copied the data */
	double want_c[6] = {1, 2, 3, 4, 5, 6};
	rc = read_doubles(h, out, 6);
	check("array.c_order", rc == 0 && all_near(out, want_c, 6, 0, why, sizeof why), "rc %d: %s", rc, why);

	/* rows reversed and every other column: a non-contiguous view with a negative stride */
	double buf[4][6];
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 6; j++)
			buf[i][j] = 10 * i + j;
	int64_t vshape[2] = {4, 3}, vstrides[2] = {-6 * 8, 2 * 8};
	h = keep(&a, ag_array(AG_FLOAT64, 2, vshape, vstrides, &buf[3][0]));
	double want_v[12];
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 3; j++)
			want_v[3 * i + j] = buf[3 - i][2 * j];
	rc = read_doubles(h, out, 12);
	check("array.negative_strides", h != 0 && rc == 0 && all_near(out, want_v, 12, 0, why, sizeof why), "rc %d: %s", rc, why);

	/* Fortran order */
	int64_t fshape[2] = {3, 2}, fstrides[2] = {8, 3 * 8};
	double fd[6] = {1, 2, 3, 4, 5, 6}, want_f[6] = {1, 4, 2, 5, 3, 6};
	h = keep(&a, ag_array(AG_FLOAT64, 2, fshape, fstrides, fd));
	rc = read_doubles(h, out, 6);
	check("array.fortran_order", h != 0 && rc == 0 && all_near(out, want_f, 6, 0, why, sizeof why), "rc %d: %s", rc, why);

	/* a zero stride repeats a row */
	int64_t zstrides[2] = {0, 8};
	double want_z[6] = {1, 2, 3, 1, 2, 3};
	h = keep(&a, ag_array(AG_FLOAT64, 2, shape23, zstrides, fd));
	rc = read_doubles(h, out, 6);
	check("array.zero_stride", h != 0 && rc == 0 && all_near(out, want_z, 6, 0, why, sizeof why), "rc %d: %s", rc, why);

	/* complex, reversed */
	double complex z[4] = {1 + 2 * I, 3 - 1 * I, -2 + 0.5 * I, 4 * I}, zout[4];
	int64_t zshape[1] = {4}, zrev[1] = {-16};
	h = keep(&a, ag_array(AG_COMPLEX128, 1, zshape, zrev, &z[3]));
	rc = ag_read(h, zout, sizeof zout);
	int ok = h != 0 && rc == 0 && ag_info(h, &dt, &nd, shape, &tr) == 0 && dt == AG_COMPLEX128;
	for (int i = 0; i < 4; i++)
		ok = ok && zout[i] == z[3 - i];
	check("array.complex_reversed", ok, "rc %d dtype %d zout[0] = %g%+gi", rc, dt, creal(zout[0]), cimag(zout[0]));

	/* 0-d and empty arrays */
	double seven = 7;
	h = keep(&a, ag_array(AG_FLOAT64, 0, NULL, NULL, &seven));
	rc = read_doubles(h, out, 1);
	check("array.zero_d", h != 0 && rc == 0 && out[0] == 7 && ndim_of(h) == 0, "rc %d value %g ndim %d", rc, out[0], ndim_of(h));
	int64_t eshape[2] = {0, 3};
	h = keep(&a, ag_array(AG_FLOAT64, 2, eshape, NULL, NULL));
	rc = ag_info(h, &dt, &nd, shape, &tr);
	check("array.empty", h != 0 && rc == 0 && nd == 2 && shape[0] == 0 && shape[1] == 3 && ag_read(h, out, 0) == 0, "handle %lld rc %d", (long long)h, rc);

	/* scalars */
	h = keep(&a, ag_scalar(2.5, 9, AG_FLOAT64));
	rc = read_doubles(h, out, 1);
	check("scalar.real", rc == 0 && out[0] == 2.5 && ndim_of(h) == 0 && ag_info(h, &dt, &nd, shape, &tr) == 0 && dt == AG_FLOAT64,
	      "rc %d value %g dtype %d", rc, out[0], dt);
	h = keep(&a, ag_scalar(1, -2, AG_COMPLEX128));
	double complex zc = 0;
	rc = ag_read(h, &zc, sizeof zc);
	check("scalar.complex", rc == 0 && zc == 1 - 2 * I && ag_info(h, &dt, &nd, shape, &tr) == 0 && dt == AG_COMPLEX128,
	      "rc %d value %g%+gi dtype %d", rc, creal(zc), cimag(zc), dt);

	/* retain and release_many */
	int64_t live = ag_live_handles();
	ag_handle r[3] = {ag_retain(h), ag_retain(h), 987654321};
	check("handles.retain", r[0] != 0 && r[1] != 0 && r[0] != h && ag_live_handles() == live + 2, "retained %lld %lld, live %lld (was %lld)",
	      (long long)r[0], (long long)r[1], (long long)ag_live_handles(), (long long)live);
	rc = ag_release_many(3, r);
	int32_t kind = last_error(NULL, 0);
	check("handles.release_many", rc == -1 && kind == AG_ETYPE && ag_live_handles() == live, "rc %d kind %d live %lld, want %lld",
	      rc, kind, (long long)ag_live_handles(), (long long)live);
	check("handles.arena", arena_free(&a) == 0, "a handle was unknown at release");
}

static void check_apply(void)
{
	arena a = {0};
	char why[256];
	double d[6] = {0.5, -1, 2, 3, -0.25, 1.5}, out[6], want[6];
	int64_t shape23[2] = {2, 3};
	ag_handle x = keep(&a, ag_array(AG_FLOAT64, 2, shape23, NULL, d));
	double rd[3] = {10, 20, 30};
	ag_handle row = vec(&a, 3, rd);

	ag_handle s = un(&a, "sin", x);
	for (int i = 0; i < 6; i++)
		want[i] = sin(d[i]);
	check("apply1.sin", s != 0 && read_doubles(s, out, 6) == 0 && all_near(out, want, 6, 1e-15, why, sizeof why), "%s", why);

	ag_handle b = bin(&a, "add", x, row);
	for (int i = 0; i < 6; i++)
		want[i] = d[i] + rd[i % 3];
	check("apply2.broadcast_add", b != 0 && read_doubles(b, out, 6) == 0 && all_near(out, want, 6, 0, why, sizeof why), "%s", why);

	ag_handle right = keep(&a, ag_apply2s(op("subtract"), x, 10, 0, 0));
	ag_handle left = keep(&a, ag_apply2s(op("subtract"), x, 10, 0, AG_SCALAR_LEFT));
	double out2[6];
	int ok = right != 0 && left != 0 && read_doubles(right, out, 6) == 0 && read_doubles(left, out2, 6) == 0;
	for (int i = 0; ok && i < 6; i++)
		ok = out[i] == d[i] - 10 && out2[i] == 10 - d[i];
	check("apply2s.sides", ok, "x - 10 = %g, 10 - x = %g for x = %g", out[0], out2[0], d[0]);

	ag_handle zi = keep(&a, ag_apply2s(op("multiply"), x, 0, 2, 0));
	ag_handle zc = keep(&a, ag_apply2s(op("multiply"), x, 3, 0, AG_SCALAR_COMPLEX));
	double complex zo[6], zo2[6];
	int32_t dt1 = -1, dt2 = -1, nd;
	int64_t shape[32], tr;
	ok = zi != 0 && zc != 0 && ag_info(zi, &dt1, &nd, shape, &tr) == 0 && ag_info(zc, &dt2, &nd, shape, &tr) == 0 &&
	     dt1 == AG_COMPLEX128 && dt2 == AG_COMPLEX128 && ag_read(zi, zo, sizeof zo) == 0 && ag_read(zc, zo2, sizeof zo2) == 0;
	for (int i = 0; ok && i < 6; i++)
		ok = zo[i] == d[i] * 2 * I && zo2[i] == 3 * d[i];
	check("apply2s.complex_scalar", ok, "dtypes %d %d", dt1, dt2);

	/* sum over axis 1 keeping dims: axes {1}, axes2 {}, shape {}, index {}, flags {1} */
	int64_t keep1[] = {1, 1, 0, 0, 0, 1, 1};
	ag_handle r = keep(&a, ag_apply(op("sum"), 1, &x, 7, keep1));
	ok = r != 0 && ag_info(r, &dt1, &nd, shape, &tr) == 0 && nd == 2 && shape[0] == 2 && shape[1] == 1 && read_doubles(r, out, 2) == 0;
	double want_rows[2] = {d[0] + d[1] + d[2], d[3] + d[4] + d[5]};
	check("apply.sum_axis1_keepdims", ok && all_near(out, want_rows, 2, 1e-15, why, sizeof why), "ok %d ndim %d: %s", ok, nd, ok ? why : "");

	/* sum over axes {0, 1}: trailing attribute lists left out */
	int64_t all[] = {2, 0, 1};
	r = keep(&a, ag_apply(op("sum"), 1, &x, 3, all));
	double total = 0;
	for (int i = 0; i < 6; i++)
		total += d[i];
	check("apply.sum_all_axes", r != 0 && ndim_of(r) == 0 && read_doubles(r, out, 1) == 0 && near(out[0], total, 1e-15),
	      "ndim %d value %g, want %g", ndim_of(r), out[0], total);

	/* transpose, reshape, gather, tensordot, stack */
	int64_t perm[] = {2, 1, 0};
	r = keep(&a, ag_apply(op("transpose"), 1, &x, 3, perm));
	double want_t[6] = {d[0], d[3], d[1], d[4], d[2], d[5]};
	check("apply.transpose", r != 0 && read_doubles(r, out, 6) == 0 && all_near(out, want_t, 6, 0, why, sizeof why), "%s", why);
	int64_t resh[] = {0, 0, 2, 3, 2};
	r = keep(&a, ag_apply(op("reshape"), 1, &x, 5, resh));
	ok = r != 0 && ag_info(r, &dt1, &nd, shape, &tr) == 0 && nd == 2 && shape[0] == 3 && shape[1] == 2;
	check("apply.reshape", ok, "handle %lld ndim %d", (long long)r, nd);
	int64_t gat[] = {0, 0, 1, 3, 3, 5, 5, 0};
	r = keep(&a, ag_apply(op("gather"), 1, &x, 8, gat));
	double want_g[3] = {d[5], d[5], d[0]};
	check("apply.gather", r != 0 && read_doubles(r, out, 3) == 0 && all_near(out, want_g, 3, 0, why, sizeof why), "%s", why);
	ag_handle xt = keep(&a, ag_apply(op("transpose"), 1, &x, 3, perm));
	ag_handle pair[2] = {x, xt};
	int64_t td[] = {1, 1, 1, 0};
	r = keep(&a, ag_apply(op("tensordot"), 2, pair, 4, td));
	double want_td[4] = {0};
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			for (int k = 0; k < 3; k++)
				want_td[2 * i + j] += d[3 * i + k] * d[3 * j + k];
	check("apply.tensordot", r != 0 && read_doubles(r, out, 4) == 0 && all_near(out, want_td, 4, 1e-15, why, sizeof why), "%s", why);
	ag_handle three[3] = {row, row, row};
	r = keep(&a, ag_apply(op("stack"), 3, three, 0, NULL));
	ok = r != 0 && ag_info(r, &dt1, &nd, shape, &tr) == 0 && nd == 2 && shape[0] == 3 && shape[1] == 3;
	check("apply.stack", ok, "handle %lld ndim %d", (long long)r, nd);
	check("apply.released", arena_free(&a) == 0, "a handle was unknown at release");
}

static void check_traces(void)
{
	arena a = {0};
	char why[256];
	double d[3] = {0.5, -1.2, 2.0}, out[3], want[3], one = 1;
	ag_handle x = vec(&a, 3, d);

	/* reverse: d/dx sum(sin(x) x) = cos(x) x + sin(x) */
	int64_t tr = ag_trace_new(AG_REVERSE);
	ag_handle X = keep(&a, ag_trace_root(tr, x, 0));
	check("reverse.root_info", tr > 0 && trace_of(X) == tr && trace_of(x) == 0, "trace %lld, root's trace %lld", (long long)tr, (long long)trace_of(X));
	ag_handle y = sin_cx_x(&a, X, &one);
	ag_handle g = 0;
	int rc = ag_backward(tr, y, 0, 1, &X, &g);
	keep(&a, g);
	for (int i = 0; i < 3; i++)
		want[i] = cos(d[i]) * d[i] + sin(d[i]);
	check("reverse.gradient", rc == 0 && trace_of(g) == 0 && read_doubles(g, out, 3) == 0 && all_near(out, want, 3, 1e-15, why, sizeof why),
	      "rc %d: %s", rc, why);
	ag_handle two = keep(&a, ag_scalar(2, 0, AG_FLOAT64));
	rc = ag_backward(tr, y, two, 1, &X, &g);
	keep(&a, g);
	for (int i = 0; i < 3; i++)
		want[i] *= 2;
	check("reverse.again_with_cotangent", rc == 0 && read_doubles(g, out, 3) == 0 && all_near(out, want, 3, 1e-15, why, sizeof why),
	      "rc %d: %s", rc, why);
	ag_handle both[2] = {x, X};
	int64_t top = -1;
	int32_t mode = -1;
	rc = ag_top_trace(2, both, &top, &mode);
	check("reverse.top_trace", rc == 0 && top == tr && mode == AG_REVERSE, "trace %lld mode %d", (long long)top, mode);
	ag_handle xv = keep(&a, ag_unbox(tr, X));
	check("reverse.unbox", xv != 0 && trace_of(xv) == 0 && read_doubles(xv, out, 3) == 0 && out[1] == d[1], "handle %lld", (long long)xv);
	/* an output that does not depend on the root: zeros */
	rc = ag_backward(tr, x, 0, 1, &X, &g);
	keep(&a, g);
	double zeros[3] = {0};
	check("reverse.unreached_root", rc == 0 && read_doubles(g, out, 3) == 0 && all_near(out, zeros, 3, 0, why, sizeof why), "rc %d: %s", rc, why);

	/* complex: d/dz real(sum(z z)) = 2z, with no conjugation */
	double complex zd[2] = {1 + 2 * I, -0.5 + 0.25 * I}, zg[2];
	int64_t zshape[1] = {2};
	ag_handle z = keep(&a, ag_array(AG_COMPLEX128, 1, zshape, NULL, zd));
	tr = ag_trace_new(AG_REVERSE);
	ag_handle Z = keep(&a, ag_trace_root(tr, z, 0));
	ag_handle L = un(&a, "real", sum_all(&a, bin(&a, "multiply", Z, Z)));
	rc = ag_backward(tr, L, 0, 1, &Z, &g);
	keep(&a, g);
	int ok = rc == 0 && ag_read(g, zg, sizeof zg) == 0;
	for (int i = 0; ok && i < 2; i++)
		ok = cabs(zg[i] - 2 * zd[i]) < 1e-15;
	check("reverse.complex_convention", ok, "rc %d gradient[0] %g%+gi, want %g%+gi", rc, creal(zg[0]), cimag(zg[0]), creal(2 * zd[0]), cimag(2 * zd[0]));

	/* second order by nested traces: (sin(x) x)'' = 2cos(x) - x sin(x) */
	double x0 = 0.7, v;
	ag_handle s = keep(&a, ag_scalar(x0, 0, AG_FLOAT64));
	int64_t t1 = ag_trace_new(AG_REVERSE);
	ag_handle X1 = keep(&a, ag_trace_root(t1, s, 0));
	int64_t t2 = ag_trace_new(AG_REVERSE);
	ag_handle X2 = keep(&a, ag_trace_root(t2, X1, 0));
	ag_handle y2 = bin(&a, "multiply", un(&a, "sin", X2), X2);
	ag_handle g1 = 0, g2 = 0;
	int rc1 = ag_backward(t2, y2, 0, 1, &X2, &g1);
	keep(&a, g1);
	check("nested.inner_is_outer_box", rc1 == 0 && t2 > t1 && trace_of(g1) == t1, "rc %d, inner gradient's trace %lld, outer %lld", rc1,
	      (long long)trace_of(g1), (long long)t1);
	int rc2 = ag_backward(t1, g1, 0, 1, &X1, &g2);
	keep(&a, g2);
	double want2 = 2 * cos(x0) - x0 * sin(x0);
	check("nested.second_derivative", rc2 == 0 && read_doubles(g2, &v, 1) == 0 && near(v, want2, 1e-15), "rc %d value %.17g, want %.17g", rc2, v, want2);

	/* forward: tangent of exp(x) sin(x) along t is exp(x)(sin x + cos x) t */
	double td[3] = {1, -2, 0.5};
	ag_handle t = vec(&a, 3, td);
	int64_t tf = ag_trace_new(AG_FORWARD);
	ag_handle XF = keep(&a, ag_trace_root(tf, x, t));
	ag_handle yf = bin(&a, "multiply", un(&a, "exp", XF), un(&a, "sin", XF));
	ag_handle tan = keep(&a, ag_tangent(tf, yf));
	for (int i = 0; i < 3; i++)
		want[i] = exp(d[i]) * (sin(d[i]) + cos(d[i])) * td[i];
	check("forward.tangent", tan != 0 && read_doubles(tan, out, 3) == 0 && all_near(out, want, 3, 1e-14, why, sizeof why), "%s", why);
	rc = ag_top_trace(1, &XF, &top, &mode);
	check("forward.top_trace", rc == 0 && top == tf && mode == AG_FORWARD, "trace %lld mode %d", (long long)top, mode);
	ag_handle fb = keep(&a, ag_forward_box(tf, x, t));
	ag_handle fbt = keep(&a, ag_tangent(tf, fb));
	check("forward.forward_box", fbt != 0 && read_doubles(fbt, out, 3) == 0 && all_near(out, td, 3, 0, why, sizeof why), "%s", why);
	ag_handle notang = ag_trace_root(tf, x, 0);
	int32_t kind = last_error(NULL, 0);
	check("forward.root_needs_tangent", notang == 0 && kind == AG_EVALUE, "handle %lld kind %d", (long long)notang, kind);

	/* forward over reverse: a Hessian-vector product */
	ag_handle hv = keep(&a, ag_tangent(tf, grad(&a, sin_cx_x, XF, &one)));
	for (int i = 0; i < 3; i++)
		want[i] = (2 * cos(d[i]) - d[i] * sin(d[i])) * td[i];
	check("forward.over_reverse", hv != 0 && read_doubles(hv, out, 3) == 0 && all_near(out, want, 3, 1e-14, why, sizeof why), "%s", why);
	check("traces.released", arena_free(&a) == 0, "a handle was unknown at release");
}

static void check_custom(void)
{
	arena a = {0};
	char why[256], msg[256];
	double d[3] = {0.5, -1.2, 2.0}, out[3], want[3];
	ag_handle x = vec(&a, 3, d);
	int calls = atomic_load(&callback_calls);
	ag_handle g = grad(&a, sum_cube, x, NULL);
	for (int i = 0; i < 3; i++)
		want[i] = 3 * d[i] * d[i];
	check("custom.gradient", g != 0 && atomic_load(&callback_calls) == calls + 1 && read_doubles(g, out, 3) == 0 &&
	                             all_near(out, want, 3, 1e-15, why, sizeof why),
	      "handle %lld, %d callback calls: %s", (long long)g, atomic_load(&callback_calls) - calls, why);
	fn_param fp = {sum_cube, NULL};
	ag_handle h = grad(&a, sum_of_grad, x, &fp);
	for (int i = 0; i < 3; i++)
		want[i] = 6 * d[i];
	check("custom.second_derivative", h != 0 && read_doubles(h, out, 3) == 0 && all_near(out, want, 3, 1e-15, why, sizeof why),
	      "handle %lld: %s", (long long)h, why);

	/* a failing callback: AG_ECALLBACK, then everything still works */
	int64_t tr = ag_trace_new(AG_REVERSE);
	ag_handle X = keep(&a, ag_trace_root(tr, x, 0));
	ag_handle y = sum_all(&a, custom(&a, FAILING, X));
	ag_handle gf = 0;
	int rc = ag_backward(tr, y, 0, 1, &X, &gf);
	int32_t kind = last_error(msg, sizeof msg);
	check("custom.failing_callback", rc == -1 && gf == 0 && kind == AG_ECALLBACK && strstr(msg, "vjp callback failed") != NULL,
	      "rc %d kind %d message \"%s\"", rc, kind, msg);
	g = grad(&a, sum_cube, x, NULL);
	for (int i = 0; i < 3; i++)
		want[i] = 3 * d[i] * d[i];
	check("custom.after_failure", g != 0 && read_doubles(g, out, 3) == 0 && all_near(out, want, 3, 1e-15, why, sizeof why), "%s", why);

	/* a callback that writes an invalid handle: TypeError, and the valid
	 * handle it wrote beside it does not leak */
	int64_t live = ag_live_handles();
	tr = ag_trace_new(AG_REVERSE);
	X = keep(&a, ag_trace_root(tr, x, 0));
	ag_handle xv = ag_unbox(tr, X);
	ag_handle pair[2] = {X, X};
	int64_t bid = node_new(BAD_HANDLE, xv);
	a.ids[a.nids++] = bid;
	ag_handle B = keep(&a, ag_custom_box(tr, xv, 2, pair, bid));
	y = sum_all(&a, B);
	gf = 0;
	rc = ag_backward(tr, y, 0, 1, &X, &gf);
	kind = last_error(msg, sizeof msg);
	check("custom.invalid_handle_from_callback", rc == -1 && gf == 0 && kind == AG_ETYPE && strstr(msg, "invalid handle 123456789") != NULL,
	      "rc %d kind %d message \"%s\"", rc, kind, msg);
	check("custom.invalid_handle_no_leak", ag_live_handles() == live + 4, "%lld live handles, want %lld", (long long)ag_live_handles(),
	      (long long)live + 4);
	check("custom.released", arena_free(&a) == 0, "a handle was unknown at release");
}

/* expect_error checks that a failed call recorded an error of the given
 * kind whose message starts with prefix, and that reading cleared it. */
static void expect_error(const char *name, int failed, int32_t want_kind, const char *prefix)
{
	char msg[512];
	int32_t kind = last_error(msg, sizeof msg);
	int32_t again = last_error(NULL, 0);
	check(name, failed && kind == want_kind && strncmp(msg, prefix, strlen(prefix)) == 0 && again == AG_OK,
	      "failed %d, kind %d (want %d), message \"%s\" (want a prefix \"%s\"), kind on a second read %d", failed, kind, want_kind, msg,
	      prefix, again);
}

static void check_errors(void)
{
	arena a = {0};
	char why[256];
	double d[6] = {1, 2, 3, 4, 5, 6}, out[6], one = 1;
	int64_t shape23[2] = {2, 3};
	ag_handle x = keep(&a, ag_array(AG_FLOAT64, 2, shape23, NULL, d));
	ag_handle v4 = vec(&a, 4, d);

	check("errors.none_yet", last_error(NULL, 0) == AG_OK, "an error was pending");
	expect_error("errors.broadcast", bin(&a, "add", x, v4) == 0, AG_EVALUE, "operands could not be broadcast together with shapes (2,3) (4,) ");
	expect_error("errors.bad_handle", ag_apply1(op("sin"), 123456789) == 0, AG_ETYPE, "invalid handle 123456789");
	expect_error("errors.release_bad_handle", ag_release(123456789) == -1, AG_ETYPE, "invalid handle");
	ag_handle tmp = ag_retain(x);
	ag_release(tmp);
	expect_error("errors.use_after_release", read_doubles(tmp, out, 6) == -1, AG_ETYPE, "invalid handle");
	expect_error("errors.bad_op", ag_apply1(9999, x) == 0, AG_EVALUE, "op: unknown operation id 9999");
	expect_error("errors.bad_mode", ag_trace_new(7) == 0, AG_EVALUE, "");
	expect_error("errors.read_size", read_doubles(x, out, 5) == -1, AG_EVALUE, "");
	int64_t bad_strides[2] = {12, 4};
	expect_error("errors.stride_not_item_multiple", ag_array(AG_FLOAT64, 2, shape23, bad_strides, d) == 0, AG_EVALUE, "");
	expect_error("errors.bad_dtype", ag_array(9, 2, shape23, NULL, d) == 0, AG_ETYPE, "");
	int64_t malformed[2] = {5, 1};
	expect_error("errors.malformed_attrs", ag_apply(op("sum"), 1, &x, 2, malformed) == 0, AG_EVALUE, "attrs: malformed attributes");
	int64_t oob[] = {0, 0, 1, 1, 1, 6};
	expect_error("errors.index", ag_apply(op("gather"), 1, &x, 6, oob) == 0, AG_EINDEX, "index 6 is out of bounds");
	ag_handle zc = keep(&a, ag_scalar(0, 1, AG_COMPLEX128));
	expect_error("errors.real_only_op", ag_apply2(op("arctan2"), zc, zc) == 0, AG_ETYPE, "ufunc 'arctan2' not supported");
	int64_t bad_axis[] = {1, 2};
	expect_error("errors.axis", ag_apply(op("sum"), 1, &x, 2, bad_axis) == 0, AG_EVALUE, "axis 2 is out of bounds for array of dimension 2");
	int64_t t1 = ag_trace_new(AG_REVERSE), t2 = ag_trace_new(AG_REVERSE);
	ag_handle X1 = keep(&a, ag_trace_root(t1, x, 0));
	ag_handle y = sum_all(&a, un(&a, "sin", X1));
	ag_handle g = 0;
	expect_error("errors.root_of_other_trace", ag_backward(t2, y, 0, 1, &X1, &g) == -1, AG_EVALUE, "ag_backward: roots[0] is not a box of trace");
	ag_handle wrong = vec(&a, 4, d);
	expect_error("errors.cotangent_shape", ag_backward(t1, y, wrong, 1, &X1, &g) == -1, AG_EVALUE, "cotangent shape (4,) does not match");
	expect_error("errors.reverse_root_with_tangent", ag_trace_root(t1, x, x) == 0, AG_EVALUE, "");
	/* numpy raises TypeError for a missing argument; it is a caller's mistake, not an internal one */
	expect_error("errors.wrong_arity", ag_apply1(op("add"), x) == 0, AG_ETYPE, "add() takes 2 arguments (1 given)");
	expect_error("errors.unissued_trace", ag_trace_root(t2 + (1 << 20), x, 0) == 0, AG_EVALUE, "unknown trace");
	int64_t shape33[33];
	for (int i = 0; i < 33; i++)
		shape33[i] = 1;
	expect_error("errors.too_many_dims", ag_array(AG_FLOAT64, 33, shape33, NULL, d) == 0, AG_EVALUE, "ag_array: ndim 33 is out of range");

	/* bad arguments name the function and the argument */
	expect_error("errors.bad_dtype_named", ag_array(9, 2, shape23, NULL, d) == 0, AG_ETYPE, "ag_array: dtype 9 is not AG_FLOAT64");
	expect_error("errors.scalar_dtype", ag_scalar(1, 0, 5) == 0, AG_ETYPE, "ag_scalar: dtype 5");
	expect_error("errors.null_data", ag_array(AG_FLOAT64, 2, shape23, NULL, NULL) == 0, AG_EVALUE, "ag_array: data is NULL");
	expect_error("errors.null_shape", ag_array(AG_FLOAT64, 2, NULL, NULL, d) == 0, AG_EVALUE, "ag_array: shape is NULL");
	int64_t huge[2] = {(int64_t)1 << 40, (int64_t)1 << 40};
	expect_error("errors.too_big", ag_array(AG_FLOAT64, 2, huge, NULL, d) == 0, AG_EVALUE, "array is too big");
	int64_t far[2] = {(int64_t)1 << 61, (int64_t)1 << 61};
	expect_error("errors.strides_overflow", ag_array(AG_FLOAT64, 2, shape23, far, d) == 0, AG_EVALUE, "ag_array: the strides reach outside addressable memory");
	expect_error("errors.read_null", ag_read(x, NULL, 48) == -1, AG_EVALUE, "ag_read: dst is NULL");
	expect_error("errors.negative_nargs", ag_apply(op("sin"), -1, &x, 0, NULL) == 0, AG_EVALUE, "ag_apply: nargs must not be negative");
	expect_error("errors.negative_nattrs", ag_apply(op("sum"), 1, &x, -2, malformed) == 0, AG_EVALUE, "ag_apply: nattrs must not be negative");
	expect_error("errors.negative_nroots", ag_backward(t1, y, 0, -1, &X1, &g) == -1, AG_EVALUE, "ag_backward: nroots must not be negative");
	expect_error("errors.null_grads", ag_backward(t1, y, 0, 1, &X1, NULL) == -1, AG_EVALUE, "ag_backward: grads is NULL");
	expect_error("errors.negative_nparents", ag_custom_box(t1, x, -1, NULL, 1) == 0, AG_EVALUE, "ag_custom_box: nparents must not be negative");
	int64_t bcast_huge[] = {0, 0, 2, (int64_t)1 << 22, (int64_t)1 << 22};
	ag_handle one_h = keep(&a, ag_scalar(1, 0, AG_FLOAT64));
	expect_error("errors.memory", ag_apply(op("broadcast_to"), 1, &one_h, 5, bcast_huge) == 0, AG_EMEMORY, "Unable to allocate 128. TiB");

	char small[8];
	bin(&a, "add", x, v4);
	int32_t kind = last_error(small, sizeof small);
	check("errors.message_truncated", kind == AG_EVALUE && strcmp(small, "operand") == 0, "kind %d message \"%s\"", kind, small);

	/* after all that, a correct gradient */
	ag_handle gr = grad(&a, sin_cx_x, x, &one);
	double want[6];
	for (int i = 0; i < 6; i++)
		want[i] = cos(d[i]) * d[i] + sin(d[i]);
	check("errors.gradient_after_errors", gr != 0 && read_doubles(gr, out, 6) == 0 && all_near(out, want, 6, 1e-15, why, sizeof why), "%s", why);
	check("errors.released", arena_free(&a) == 0, "a handle was unknown at release");
}

/* one_round computes, for thread tid, a gradient, a second derivative, a
 * gradient through the custom primitive and an error of its own; it
 * returns the number of wrong results and describes the first in why. */
static int one_round(int tid, int round, char *why, size_t cap)
{
	arena a = {0};
	int bad = 0;
	double d[4], c = 1 + tid % 4, out[4], w1[4], w2[4], w3[4];
	for (int i = 0; i < 4; i++) {
		d[i] = 0.1 * (i + 1) + 0.01 * tid - 0.001 * (round % 10);
		w1[i] = c * d[i] * cos(c * d[i]) + sin(c * d[i]);
		w2[i] = 2 * c * cos(c * d[i]) - c * c * d[i] * sin(c * d[i]);
		w3[i] = 3 * d[i] * d[i];
	}
	ag_handle x = vec(&a, 4, d);
	ag_handle g = grad(&a, sin_cx_x, x, &c);
	if (g == 0 || read_doubles(g, out, 4) != 0 || !all_near(out, w1, 4, 1e-14, why, cap))
		bad++;
	fn_param fp = {sin_cx_x, &c};
	ag_handle h = grad(&a, sum_of_grad, x, &fp);
	if (h == 0 || read_doubles(h, out, 4) != 0 || !all_near(out, w2, 4, 1e-13, why, cap))
		bad++;
	ag_handle k = grad(&a, sum_cube, x, NULL);
	if (k == 0 || read_doubles(k, out, 4) != 0 || !all_near(out, w3, 4, 1e-14, why, cap))
		bad++;
	/* an error whose message names this thread's shapes */
	int64_t shape[2] = {2, 5 + tid};
	double zeros[64] = {0};
	ag_handle m = keep(&a, ag_array(AG_FLOAT64, 2, shape, NULL, zeros));
	char msg[256], want[256];
	snprintf(want, sizeof want, "operands could not be broadcast together with shapes (2,%d) (4,) ", 5 + tid);
	if (bin(&a, "add", m, x) != 0 || last_error(msg, sizeof msg) != AG_EVALUE || strcmp(msg, want) != 0) {
		snprintf(why, cap, "thread %d read the error \"%s\", want \"%s\"", tid, msg, want);
		bad++;
	}
	bad += arena_free(&a);
	return bad;
}

#define THREADS 8
#define ROUNDS 150

typedef struct {
	int tid, bad;
	char why[320];
} worker;

static void *work(void *p)
{
	worker *w = p;
	char why[256];
	for (int r = 0; r < ROUNDS; r++) {
		int bad = one_round(w->tid, r, why, sizeof why);
		if (bad && !w->bad)
			snprintf(w->why, sizeof w->why, "round %d: %s", r, why);
		w->bad += bad;
	}
	return NULL;
}

static void check_threads(void)
{
	int64_t live = ag_live_handles();
	pthread_t th[THREADS];
	worker ws[THREADS];
	for (int i = 0; i < THREADS; i++) {
		ws[i] = (worker){.tid = i};
		pthread_create(&th[i], NULL, work, &ws[i]);
	}
	int bad = 0;
	const char *why = "";
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		if (ws[i].bad && !bad)
			why = ws[i].why;
		bad += ws[i].bad;
	}
	check("threads.concurrent_gradients", bad == 0, "%d wrong results; first: %s", bad, why);
	check("threads.handles_back", ag_live_handles() == live, "%lld live handles, %lld before", (long long)ag_live_handles(), (long long)live);
}

static void *leave_error(void *p)
{
	(void)p;
	ag_apply1(op("sin"), 0); /* fails, and the error is never read */
	return NULL;
}

static void *read_error(void *p)
{
	*(int32_t *)p = ag_last_error(NULL, 0);
	return NULL;
}

/* A thread that never had an error must not see another thread's. */
static void check_fresh_thread(void)
{
	int32_t kind = -1;
	for (int i = 0; i < 4; i++) {
		pthread_t t;
		pthread_create(&t, NULL, leave_error, NULL);
		pthread_join(t, NULL);
		pthread_create(&t, NULL, read_error, &kind);
		pthread_join(t, NULL);
		if (kind != AG_OK)
			break;
	}
	check("threads.fresh_thread_has_no_error", kind == AG_OK, "a new thread's ag_last_error returned kind %d, left by a thread that exited", kind);
}

/* Repeated gradients leave no handle behind, and the library eventually
 * reports the custom nodes it freed. */
static void check_memory(void)
{
	char why[256];
	int64_t live = ag_live_handles();
	int bad = 0;
	for (int r = 0; r < 1000; r++)
		bad += one_round(r % THREADS, r, why, sizeof why);
	check("memory.rounds_correct", bad == 0, "%d wrong results; last: %s", bad, why);
	check("memory.live_handles_flat", ag_live_handles() == live, "%lld live handles after 1000 rounds, %lld before", (long long)ag_live_handles(),
	      (long long)live);

	/* garbage until the collector runs and the cleanups report dead nodes */
	int64_t dead[256], ndead = 0, issued;
	static double big[1 << 14];
	for (int r = 0; r < 4000 && ndead == 0; r++) {
		arena a = {0};
		ag_handle x = vec(&a, 1 << 14, big);
		grad(&a, sum_cube, x, NULL);
		arena_free(&a);
		ndead = ag_dead_ids(dead, 256);
	}
	issued = atomic_load(&next_id);
	int ok = ndead > 0;
	for (int i = 0; i < ndead; i++)
		ok = ok && dead[i] > 0 && dead[i] < issued;
	check("memory.dead_ids_reported", ok, "%lld dead ids (first %lld), %lld issued", (long long)ndead, ndead ? (long long)dead[0] : 0LL,
	      (long long)issued);
	check("memory.live_handles_end", ag_live_handles() == live, "%lld live handles, %lld before", (long long)ag_live_handles(), (long long)live);
}

/* ------------------------------------------------------- vector kernels */

/* ag_vector_kernels: -1 asks without changing the level, a request is
 * clamped to the levels the library and CPU have, and every level gives
 * exp, log and sin within a few ulp of libm's. */
static void check_vector_kernels(void)
{
	int32_t start = ag_vector_kernels(-1), top = ag_vector_kernels(99);
	check("vector.query", start >= 0 && start <= top && top <= 2 && ag_vector_kernels(-1) == top,
	      "started at %d, highest %d, now %d", start, top, ag_vector_kernels(-1));
	int32_t pure = ag_vector_kernels(0), avx2 = ag_vector_kernels(1), best = ag_vector_kernels(2);
	check("vector.levels", pure == 0 && avx2 == (top < 1 ? top : 1) && best == top, "requests 0, 1, 2 gave %d, %d, %d (highest %d)",
	      pure, avx2, best, top);

	enum { N = 1003 }; /* not a multiple of a vector's length */
	static double x[N], got[N], want[N];
	const char *names[] = {"exp", "log", "sin"};
	double (*ref[])(double) = {exp, log, sin};
	char why[256] = "ok";
	int ok = 1;
	for (int i = 0; i < N; i++)
		x[i] = 0.01 + 0.7 * i;
	for (int32_t l = 0; l <= top && ok; l++) {
		ag_vector_kernels(l);
		for (int f = 0; f < 3 && ok; f++) {
			arena a = {0};
			for (int i = 0; i < N; i++)
				want[i] = ref[f](x[i]);
			if (read_doubles(un(&a, names[f], vec(&a, N, x)), got, N) != 0) {
				ok = 0;
				snprintf(why, sizeof why, "no result");
			} else
				ok = all_near(got, want, N, 1e-15, why, sizeof why);
			if (!ok)
				snprintf(why + strlen(why), sizeof why - strlen(why), " (level %d, %s)", l, names[f]);
			arena_free(&a);
		}
	}
	check("vector.values", ok, "%s", why);
	ag_vector_kernels(start);
}

/* ------------------------------------------------------- a foreign dgemm */

/* naive_dgemm is an ILP64 CBLAS dgemm (row major only) that counts its
 * calls: ag_use_blas("cblas_dgemm", ...) must route float64 products through it. */
static atomic_int dgemm_calls;
static void naive_dgemm(int order, int ta, int tb, int64_t m, int64_t n, int64_t k, double alpha, const double *a, int64_t lda,
                        const double *b, int64_t ldb, double beta, double *c, int64_t ldc)
{
	atomic_fetch_add(&dgemm_calls, 1);
	if (order != 101)
		return; /* the library must ask for row major; the check below then fails */
	for (int64_t i = 0; i < m; i++)
		for (int64_t j = 0; j < n; j++) {
			double sum = 0;
			for (int64_t p = 0; p < k; p++) {
				double x = ta == 111 ? a[i * lda + p] : a[p * lda + i];
				double y = tb == 111 ? b[p * ldb + j] : b[j * ldb + p];
				sum += x * y;
			}
			c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j]);
		}
}

static void check_blas(void)
{
	arena a = {0};
	char why[256];
	double x[12], y[20], want[15], out[15];
	for (int i = 0; i < 12; i++)
		x[i] = 0.5 * i - 2;
	for (int i = 0; i < 20; i++)
		y[i] = 1.0 / (i + 1);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 5; j++) {
			want[i * 5 + j] = 0;
			for (int p = 0; p < 4; p++)
				want[i * 5 + j] += x[i * 4 + p] * y[p * 5 + j];
		}
	int64_t sx[2] = {3, 4}, sy[2] = {4, 5}, syt[2] = {5, 4};
	ag_handle X = keep(&a, ag_array(AG_FLOAT64, 2, sx, NULL, x));
	ag_handle Y = keep(&a, ag_array(AG_FLOAT64, 2, sy, NULL, y));
	check("blas.use", ag_use_blas("cblas_dgemm", (void *)naive_dgemm) == 0, "ag_use_blas failed");
	check("blas.unknown", ag_use_blas("cblas_nothing", (void *)naive_dgemm) == -1 && ag_last_error(NULL, 0) == AG_EVALUE,
	      "an unknown routine name was accepted");
	ag_handle P = bin(&a, "matmul", X, Y);
	check("blas.product", P != 0 && read_doubles(P, out, 15) == 0 && all_near(out, want, 15, 1e-14, why, sizeof why) &&
	                          atomic_load(&dgemm_calls) > 0, "%d dgemm calls: %s", atomic_load(&dgemm_calls), why);
	/* a transposed operand goes to the dgemm as a transpose flag */
	double yt[20];
	for (int p = 0; p < 4; p++)
		for (int j = 0; j < 5; j++)
			yt[j * 4 + p] = y[p * 5 + j];
	ag_handle YT = keep(&a, ag_array(AG_FLOAT64, 2, syt, NULL, yt));
	int64_t axes[] = {1, 1, 1, 1};
	ag_handle args[2] = {X, YT};
	ag_handle Q = keep(&a, ag_apply(op("tensordot"), 2, args, 4, axes));
	check("blas.transposed", Q != 0 && read_doubles(Q, out, 15) == 0 && all_near(out, want, 15, 1e-14, why, sizeof why), "%s", why);
	int calls = atomic_load(&dgemm_calls);
	check("blas.restore", ag_use_blas("cblas_dgemm", NULL) == 0, "ag_use_blas(NULL) failed");
	ag_handle R = bin(&a, "matmul", X, Y);
	check("blas.gonum_again", R != 0 && read_doubles(R, out, 15) == 0 && all_near(out, want, 15, 1e-14, why, sizeof why) &&
	                              atomic_load(&dgemm_calls) == calls, "%d more dgemm calls: %s", atomic_load(&dgemm_calls) - calls, why);
	check("blas.released", arena_free(&a) == 0, "a handle was unknown at release");
}

int main(void)
{
	int64_t live = ag_live_handles();
	ag_set_vjp_callback(vjp);
	check_ops();
	check_arrays();
	check_apply();
	check_blas();
	check_traces();
	check_custom();
	check_errors();
	check_threads();
	check_fresh_thread();
	check_memory();
	check_vector_kernels();
	check("handles.all_released", ag_live_handles() == live, "%lld live handles at the end, %lld at the start", (long long)ag_live_handles(),
	      (long long)live);
	printf("DONE %d\n", atomic_load(&failures));
	return atomic_load(&failures) != 0;
}
