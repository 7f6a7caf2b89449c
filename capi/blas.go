package main

/*
#include <stdint.h>

// CBLAS (row major, 64-bit integers) and LAPACKE (64-bit integers)
// routines, e.g. OpenBLAS's as numpy's wheels export them
// (scipy_cblas_dgemm64_, scipy_LAPACKE_dpotrf64_, ...). 101 is
// CblasRowMajor and LAPACK_ROW_MAJOR, 102 LAPACK_COL_MAJOR.
typedef void (*ag_dgemm_fn)(int, int, int, int64_t, int64_t, int64_t, double, const double *, int64_t,
                            const double *, int64_t, double, double *, int64_t);
typedef void (*ag_dgemv_fn)(int, int, int64_t, int64_t, double, const double *, int64_t, const double *, int64_t,
                            double, double *, int64_t);
typedef void (*ag_dtrsm_fn)(int, int, int, int, int, int64_t, int64_t, double, const double *, int64_t, double *,
                            int64_t);
typedef void (*ag_dsyrk_fn)(int, int, int, int64_t, int64_t, double, const double *, int64_t, double, double *,
                            int64_t);
typedef int64_t (*ag_dpotrf_fn)(int, char, int64_t, double *, int64_t);
typedef int64_t (*ag_dgetrf_fn)(int, int64_t, int64_t, double *, int64_t, int64_t *);
typedef int64_t (*ag_dgetrs_fn)(int, char, int64_t, int64_t, const double *, int64_t, const int64_t *, double *,
                                int64_t);
typedef int64_t (*ag_dgetri_fn)(int, int64_t, double *, int64_t, const int64_t *);

static void ag_call_dgemm(void *fn, int ta, int tb, int64_t m, int64_t n, int64_t k, double alpha, const double *a,
                          int64_t lda, const double *b, int64_t ldb, double beta, double *c, int64_t ldc) {
	((ag_dgemm_fn)fn)(101, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
static void ag_call_dgemv(void *fn, int ta, int64_t m, int64_t n, double alpha, const double *a, int64_t lda,
                          const double *x, double beta, double *y) {
	((ag_dgemv_fn)fn)(101, ta, m, n, alpha, a, lda, x, 1, beta, y, 1);
}
static void ag_call_dtrsm(void *fn, int side, int uplo, int ta, int diag, int64_t m, int64_t n, double alpha,
                          const double *a, int64_t lda, double *b, int64_t ldb) {
	((ag_dtrsm_fn)fn)(101, side, uplo, ta, diag, m, n, alpha, a, lda, b, ldb);
}
static void ag_call_dsyrk(void *fn, int uplo, int t, int64_t n, int64_t k, double alpha, const double *a,
                          int64_t lda, double beta, double *c, int64_t ldc) {
	((ag_dsyrk_fn)fn)(101, uplo, t, n, k, alpha, a, lda, beta, c, ldc);
}
static int64_t ag_call_dpotrf(void *fn, char uplo, int64_t n, double *a, int64_t lda) {
	return ((ag_dpotrf_fn)fn)(102, uplo, n, a, lda);
}
static int64_t ag_call_dgetrf(void *fn, int64_t m, int64_t n, double *a, int64_t lda, int64_t *ipiv) {
	return ((ag_dgetrf_fn)fn)(101, m, n, a, lda, ipiv);
}
static int64_t ag_call_dgetrs(void *fn, char trans, int64_t n, int64_t nrhs, const double *a, int64_t lda,
                              const int64_t *ipiv, double *b, int64_t ldb) {
	return ((ag_dgetrs_fn)fn)(101, trans, n, nrhs, a, lda, ipiv, b, ldb);
}
static int64_t ag_call_dgetri(void *fn, int64_t n, double *a, int64_t lda, const int64_t *ipiv) {
	return ((ag_dgetri_fn)fn)(101, n, a, lda, ipiv);
}
*/
import "C"

import (
	"sync"
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/lapack/lapack64"

	lapackgonum "gonum.org/v1/gonum/lapack/gonum"

	"autograd/core/nd"
)

// The routines a caller may supply (ag_use_blas), by name. Each replaces
// the same routine of gonum's BLAS or LAPACK for the whole library (the
// core calls blas64 and lapack64, which dispatch to what is installed, and
// gonum's own LAPACK calls BLAS through blas64 too). Every other routine,
// and every check of the arguments, stays gonum's: the arguments are
// checked against their slices before a foreign routine runs, so it never
// touches memory outside them.
var foreignRoutines = struct {
	sync.Mutex
	fn map[string]unsafe.Pointer
}{fn: map[string]unsafe.Pointer{}}

var routineNames = []string{"cblas_dgemm", "cblas_dgemv", "cblas_dtrsm", "cblas_dsyrk",
	"lapacke_dpotrf", "lapacke_dgetrf", "lapacke_dgetrs", "lapacke_dgetri"}

//export ag_use_blas
func ag_use_blas(name *C.char, fn unsafe.Pointer) C.int32_t {
	return guard(-1, func() C.int32_t {
		n := C.GoString(name)
		known := false
		for _, r := range routineNames {
			known = known || r == n
		}
		if !known {
			panic(nd.Errorf(nd.ValueError, "ag_use_blas: unknown routine %q", n))
		}
		foreignRoutines.Lock()
		defer foreignRoutines.Unlock()
		if fn == nil {
			delete(foreignRoutines.fn, n)
		} else {
			foreignRoutines.fn[n] = fn
		}
		f := foreignRoutines.fn
		blas64.Use(foreignBLAS{dgemm: f["cblas_dgemm"], dgemv: f["cblas_dgemv"], dtrsm: f["cblas_dtrsm"], dsyrk: f["cblas_dsyrk"]})
		lapack64.Use(foreignLAPACK{potrf: f["lapacke_dpotrf"], getrf: f["lapacke_dgetrf"], getrs: f["lapacke_dgetrs"],
			getri: f["lapacke_dgetri"]})
		return 0
	})
}

// foreignBLAS is gonum's BLAS with the routines whose pointer is set
// handed to the caller's CBLAS.
type foreignBLAS struct {
	gonum.Implementation
	dgemm, dgemv, dtrsm, dsyrk unsafe.Pointer
}

// fits reports whether a rows×cols matrix with leading dimension ld lies
// within a slice of length n.
func fits(rows, cols, ld, n int) bool {
	return rows >= 0 && cols >= 0 && ld >= max(1, cols) && (rows == 0 || cols == 0 || (rows-1)*ld+cols <= n)
}

func cTrans(t blas.Transpose) C.int {
	if t == blas.NoTrans {
		return 111 // CblasNoTrans
	}
	return 112 // CblasTrans (for real matrices ConjTrans is the same)
}

func cUplo(u blas.Uplo) C.int {
	if u == blas.Upper {
		return 121
	}
	return 122
}

func dptr(s []float64) *C.double { return (*C.double)(unsafe.Pointer(unsafe.SliceData(s))) }

func rowsCols(t blas.Transpose, r, c int) (int, int) {
	if t == blas.NoTrans {
		return r, c
	}
	return c, r
}

// Dgemm computes C = alpha op(A) op(B) + beta C, row major, as gonum's.
func (f foreignBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int,
	b []float64, ldb int, beta float64, c []float64, ldc int) {
	ra, ca := rowsCols(tA, m, k)
	rb, cb := rowsCols(tB, k, n)
	if f.dgemm == nil || m == 0 || n == 0 || k == 0 || !validTrans(tA) || !validTrans(tB) ||
		!fits(ra, ca, lda, len(a)) || !fits(rb, cb, ldb, len(b)) || !fits(m, n, ldc, len(c)) {
		// empty products, beta scaling alone and bad arguments are
		// gonum's, which validates them
		f.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	C.ag_call_dgemm(f.dgemm, cTrans(tA), cTrans(tB), C.int64_t(m), C.int64_t(n), C.int64_t(k), C.double(alpha),
		dptr(a), C.int64_t(lda), dptr(b), C.int64_t(ldb), C.double(beta), dptr(c), C.int64_t(ldc))
}

func validTrans(t blas.Transpose) bool {
	return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans
}

// Dgemv computes y = alpha op(A) x + beta y, as gonum's.
func (f foreignBLAS) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int,
	beta float64, y []float64, incY int) {
	lx, ly := rowsCols(tA, n, m)
	if f.dgemv == nil || m == 0 || n == 0 || incX != 1 || incY != 1 || !validTrans(tA) ||
		!fits(m, n, lda, len(a)) || len(x) < lx || len(y) < ly {
		f.Implementation.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	C.ag_call_dgemv(f.dgemv, cTrans(tA), C.int64_t(m), C.int64_t(n), C.double(alpha), dptr(a), C.int64_t(lda),
		dptr(x), C.double(beta), dptr(y))
}

// Dtrsm solves op(A) X = alpha B or X op(A) = alpha B for X, in B, as
// gonum's.
func (f foreignBLAS) Dtrsm(s blas.Side, ul blas.Uplo, tA blas.Transpose, d blas.Diag, m, n int, alpha float64,
	a []float64, lda int, b []float64, ldb int) {
	k := n
	if s == blas.Left {
		k = m
	}
	if f.dtrsm == nil || m == 0 || n == 0 || (s != blas.Left && s != blas.Right) || (ul != blas.Upper && ul != blas.Lower) ||
		!validTrans(tA) || (d != blas.Unit && d != blas.NonUnit) || !fits(k, k, lda, len(a)) || !fits(m, n, ldb, len(b)) {
		f.Implementation.Dtrsm(s, ul, tA, d, m, n, alpha, a, lda, b, ldb)
		return
	}
	side, diag := C.int(141), C.int(131) // CblasLeft, CblasNonUnit
	if s == blas.Right {
		side = 142
	}
	if d == blas.Unit {
		diag = 132
	}
	C.ag_call_dtrsm(f.dtrsm, side, cUplo(ul), cTrans(tA), diag, C.int64_t(m), C.int64_t(n), C.double(alpha),
		dptr(a), C.int64_t(lda), dptr(b), C.int64_t(ldb))
}

// Dsyrk computes C = alpha A Aᵀ + beta C (or Aᵀ A) on one triangle of C,
// as gonum's.
func (f foreignBLAS) Dsyrk(ul blas.Uplo, t blas.Transpose, n, k int, alpha float64, a []float64, lda int,
	beta float64, c []float64, ldc int) {
	ra, ca := rowsCols(t, n, k)
	if f.dsyrk == nil || n == 0 || k == 0 || (ul != blas.Upper && ul != blas.Lower) || !validTrans(t) ||
		!fits(ra, ca, lda, len(a)) || !fits(n, n, ldc, len(c)) {
		f.Implementation.Dsyrk(ul, t, n, k, alpha, a, lda, beta, c, ldc)
		return
	}
	C.ag_call_dsyrk(f.dsyrk, cUplo(ul), cTrans(t), C.int64_t(n), C.int64_t(k), C.double(alpha), dptr(a),
		C.int64_t(lda), C.double(beta), dptr(c), C.int64_t(ldc))
}

// foreignLAPACK is gonum's LAPACK with the factorizations whose pointer is
// set handed to the caller's LAPACKE.
type foreignLAPACK struct {
	lapackgonum.Implementation
	potrf, getrf, getrs, getri unsafe.Pointer
}

// Dpotrf computes the Cholesky factor of a symmetric positive definite
// matrix in one triangle of a, as gonum's. A row-major lower triangle is
// the column-major upper one, so no copy is made.
func (l foreignLAPACK) Dpotrf(ul blas.Uplo, n int, a []float64, lda int) bool {
	if l.potrf == nil || n == 0 || (ul != blas.Upper && ul != blas.Lower) || !fits(n, n, lda, len(a)) {
		return l.Implementation.Dpotrf(ul, n, a, lda)
	}
	uplo := C.char('U')
	if ul == blas.Upper {
		uplo = 'L'
	}
	return C.ag_call_dpotrf(l.potrf, uplo, C.int64_t(n), dptr(a), C.int64_t(lda)) == 0
}

// Dgetrf computes the LU factorization with partial pivoting of a, as
// gonum's (ipiv 0-based).
func (l foreignLAPACK) Dgetrf(m, n int, a []float64, lda int, ipiv []int) bool {
	k := min(m, n)
	if l.getrf == nil || k == 0 || !fits(m, n, lda, len(a)) || len(ipiv) < k {
		return l.Implementation.Dgetrf(m, n, a, lda, ipiv)
	}
	piv := make([]int64, k)
	info := C.ag_call_dgetrf(l.getrf, C.int64_t(m), C.int64_t(n), dptr(a), C.int64_t(lda), (*C.int64_t)(unsafe.Pointer(&piv[0])))
	if info < 0 {
		panic(nd.Errorf(nd.Internal, "dgetrf: argument %d is invalid", -int64(info)))
	}
	for i, p := range piv {
		ipiv[i] = int(p) - 1
	}
	return info == 0
}

// onePivots returns gonum's 0-based pivots as LAPACK's 1-based ones.
func onePivots(ipiv []int, n int) []int64 {
	piv := make([]int64, n)
	for i := range piv {
		piv[i] = int64(ipiv[i]) + 1
	}
	return piv
}

// Dgetrs solves op(A) X = B with the factorization of Dgetrf, as gonum's.
func (l foreignLAPACK) Dgetrs(t blas.Transpose, n, nrhs int, a []float64, lda int, ipiv []int, b []float64, ldb int) {
	if l.getrs == nil || n == 0 || nrhs == 0 || !validTrans(t) || !fits(n, n, lda, len(a)) || len(ipiv) < n ||
		!fits(n, nrhs, ldb, len(b)) {
		l.Implementation.Dgetrs(t, n, nrhs, a, lda, ipiv, b, ldb)
		return
	}
	trans := C.char('N')
	if t != blas.NoTrans {
		trans = 'T'
	}
	piv := onePivots(ipiv, n)
	if info := C.ag_call_dgetrs(l.getrs, trans, C.int64_t(n), C.int64_t(nrhs), dptr(a), C.int64_t(lda),
		(*C.int64_t)(unsafe.Pointer(&piv[0])), dptr(b), C.int64_t(ldb)); info != 0 {
		panic(nd.Errorf(nd.Internal, "dgetrs: info %d", int64(info)))
	}
}

// Dgetri computes the inverse from the factorization of Dgetrf, as
// gonum's (a workspace query, lwork = -1, is gonum's).
func (l foreignLAPACK) Dgetri(n int, a []float64, lda int, ipiv []int, work []float64, lwork int) bool {
	if l.getri == nil || n == 0 || lwork == -1 || !fits(n, n, lda, len(a)) || len(ipiv) < n {
		return l.Implementation.Dgetri(n, a, lda, ipiv, work, lwork)
	}
	piv := onePivots(ipiv, n)
	return C.ag_call_dgetri(l.getri, C.int64_t(n), dptr(a), C.int64_t(lda), (*C.int64_t)(unsafe.Pointer(&piv[0]))) == 0
}
