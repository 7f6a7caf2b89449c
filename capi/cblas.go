package main

/*
#include <stdint.h>

// The CBLAS dgemm of an ILP64 build (64-bit integers), e.g. OpenBLAS's
// cblas_dgemm as numpy's wheels ship it (scipy_cblas_dgemm64_).
typedef void (*ag_dgemm_fn)(int order, int ta, int tb, int64_t m, int64_t n, int64_t k, double alpha,
                            const double *a, int64_t lda, const double *b, int64_t ldb, double beta,
                            double *c, int64_t ldc);

static void ag_call_dgemm(void *fn, int ta, int tb, int64_t m, int64_t n, int64_t k, double alpha,
                          const double *a, int64_t lda, const double *b, int64_t ldb, double beta,
                          double *c, int64_t ldc) {
	((ag_dgemm_fn)fn)(101, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); // 101: CblasRowMajor
}
*/
import "C"

import (
	"sync"
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// cblasDgemm is gonum's BLAS with Dgemm handed to a caller-supplied CBLAS
// dgemm (ag_use_cblas_dgemm): every other routine, and every check of the
// arguments, stays gonum's. gonum's LAPACK calls Dgemm through blas64 too,
// so factorizations of large matrices speed up as well.
type cblasDgemm struct {
	gonum.Implementation
	fn unsafe.Pointer
}

// Dgemm computes C = alpha op(A) op(B) + beta C, row major, as gonum's.
func (c cblasDgemm) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int,
	b []float64, ldb int, beta float64, cm []float64, ldc int) {
	if m == 0 || n == 0 || k == 0 || len(a) == 0 || len(b) == 0 || len(cm) == 0 {
		// empty products (and beta scaling alone) are gonum's, which also
		// validates the arguments
		c.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cm, ldc)
		return
	}
	checkGemm(tA, tB, m, n, k, a, lda, b, ldb, cm, ldc)
	C.ag_call_dgemm(c.fn, C.int(cblasTrans(tA)), C.int(cblasTrans(tB)), C.int64_t(m), C.int64_t(n), C.int64_t(k),
		C.double(alpha), (*C.double)(unsafe.Pointer(&a[0])), C.int64_t(lda), (*C.double)(unsafe.Pointer(&b[0])),
		C.int64_t(ldb), C.double(beta), (*C.double)(unsafe.Pointer(&cm[0])), C.int64_t(ldc))
}

// checkGemm panics, as gonum does, unless every matrix fits its slice: a
// foreign dgemm must never read or write outside Go's memory.
func checkGemm(tA, tB blas.Transpose, m, n, k int, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	rowsA, colsA := m, k
	if tA != blas.NoTrans {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if tB != blas.NoTrans {
		rowsB, colsB = n, k
	}
	fits := func(rows, cols, ld, length int) bool {
		return ld >= max(1, cols) && (rows-1)*ld+cols <= length
	}
	if !fits(rowsA, colsA, lda, len(a)) || !fits(rowsB, colsB, ldb, len(b)) || !fits(m, n, ldc, len(c)) {
		panic("autograd: dgemm arguments do not fit their slices")
	}
}

func cblasTrans(t blas.Transpose) int {
	if t == blas.NoTrans {
		return 111 // CblasNoTrans
	}
	return 112 // CblasTrans (real matrices: ConjTrans is the same)
}

// useBLASMu serializes the calls of ag_use_cblas_dgemm.
var useBLASMu sync.Mutex

//export ag_use_cblas_dgemm
func ag_use_cblas_dgemm(fn unsafe.Pointer) C.int32_t {
	return guard(-1, func() C.int32_t {
		useBLASMu.Lock()
		defer useBLASMu.Unlock()
		if fn == nil {
			blas64.Use(gonum.Implementation{})
		} else {
			blas64.Use(cblasDgemm{fn: fn})
		}
		return 0
	})
}
