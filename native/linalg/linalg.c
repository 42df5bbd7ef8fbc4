/*
 * Float64 dense kernels of the fMRI preprocessing through the system's BLAS/LAPACK (OpenBLAS on Debian:
 * libopenblas-dev), for src/linalg/native-linalg.ts. Why: the same routines numpy and scikit-learn call
 * (numpy.linalg.eigh → LAPACK dsyevd, `@` → BLAS dgemm), so the JavaScript side runs at the reference's speed
 * and rounding. Arrays are taken from and written into JavaScript Float64Arrays in place (no copies), row-major.
 *
 *   gemm(transA, transB, m, n, k, a, b, c)  c (m×n) = op(a)·op(b); op(x) = xᵀ when trans is true
 *   syevd(n, a, values, vectors)            a (n×n symmetric, destroyed); values descending; vectors n×n with
 *                                           column j the eigenvector of values[j]; vectors null → values only
 *   setThreads(n)                           BLAS threads of this process
 */
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Fortran LAPACK and CBLAS entry points (declared here so only the library is needed, not its headers). */
extern void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
                    const int *lwork, int *iwork, const int *liwork, int *info);
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
extern void cblas_dgemm(int order, int trans_a, int trans_b, int m, int n, int k, double alpha, const double *a, int lda,
                        const double *b, int ldb, double beta, double *c, int ldc);
extern void openblas_set_num_threads(int n);

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static int get_int(napi_env env, napi_value value, int *out) { return napi_get_value_int32(env, value, out) == napi_ok; }

static int get_bool(napi_env env, napi_value value, int *out) {
  bool flag;
  if (napi_get_value_bool(env, value, &flag) != napi_ok) return 0;
  *out = flag;
  return 1;
}

/* The Float64Array's data and length, or 0 when `value` is not a Float64Array. */
static int get_doubles(napi_env env, napi_value value, double **data, size_t *length) {
  napi_typedarray_type type;
  void *raw;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, NULL, NULL) != napi_ok || type != napi_float64_array) return 0;
  *data = raw;
  return 1;
}

static napi_value gemm(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int trans_a, trans_b, m, n, k;
  double *a, *b, *c;
  size_t la, lb, lc;
  if (argc != 8 || !get_bool(env, argv[0], &trans_a) || !get_bool(env, argv[1], &trans_b) || !get_int(env, argv[2], &m) ||
      !get_int(env, argv[3], &n) || !get_int(env, argv[4], &k) || !get_doubles(env, argv[5], &a, &la) ||
      !get_doubles(env, argv[6], &b, &lb) || !get_doubles(env, argv[7], &c, &lc))
    return fail(env, "gemm(transA, transB, m, n, k, a, b, c): bad arguments");
  if (m < 0 || n < 0 || k < 0 || la != (size_t)m * k || lb != (size_t)k * n || lc != (size_t)m * n)
    return fail(env, "gemm: array lengths do not match m, n, k");
  if (m == 0 || n == 0) return NULL;
  if (k == 0) {
    memset(c, 0, lc * sizeof(double));
    return NULL;
  }
  cblas_dgemm(ROW_MAJOR, trans_a ? TRANS : NO_TRANS, trans_b ? TRANS : NO_TRANS, m, n, k, 1.0, a, trans_a ? m : k, b,
              trans_b ? k : n, 0.0, c, n);
  return NULL;
}

static napi_value syevd(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int n;
  double *a, *values, *vectors = NULL;
  size_t la, lv, lvec = 0;
  napi_valuetype last;
  if (argc != 4 || !get_int(env, argv[0], &n) || !get_doubles(env, argv[1], &a, &la) || !get_doubles(env, argv[2], &values, &lv) ||
      napi_typeof(env, argv[3], &last) != napi_ok || (last != napi_null && !get_doubles(env, argv[3], &vectors, &lvec)))
    return fail(env, "syevd(n, a, values, vectors | null): bad arguments");
  if (n < 0 || la != (size_t)n * n || lv != (size_t)n || (vectors && lvec != (size_t)n * n))
    return fail(env, "syevd: array lengths do not match n");
  if (n == 0) return NULL;
  /* Row-major symmetric = column-major symmetric: LAPACK sees the same matrix; its lower triangle is read. */
  const char jobz = vectors ? 'V' : 'N', uplo = 'L';
  int lwork = -1, liwork = -1, iwork_size, info_code;
  double work_size;
  double *ascending = malloc(sizeof(double) * n);
  if (!ascending) return fail(env, "syevd: out of memory");
  dsyevd_(&jobz, &uplo, &n, a, &n, ascending, &work_size, &lwork, &iwork_size, &liwork, &info_code);
  lwork = (int)work_size;
  liwork = iwork_size;
  double *work = malloc(sizeof(double) * (lwork > 1 ? lwork : 1));
  int *iwork = malloc(sizeof(int) * (liwork > 1 ? liwork : 1));
  if (!work || !iwork) {
    free(ascending), free(work), free(iwork);
    return fail(env, "syevd: out of memory");
  }
  dsyevd_(&jobz, &uplo, &n, a, &n, ascending, work, &lwork, iwork, &liwork, &info_code);
  free(work), free(iwork);
  if (info_code != 0) {
    free(ascending);
    return fail(env, info_code < 0 ? "syevd: illegal argument" : "syevd: the eigenvalue iteration did not converge");
  }
  /* LAPACK: ascending values, column j (contiguous in column-major a) = eigenvector j. Reorder to descending. */
  for (int j = 0; j < n; j++) values[j] = ascending[n - 1 - j];
  if (vectors) {
    for (int j = 0; j < n; j++) {
      const double *column = a + (size_t)(n - 1 - j) * n;
      for (int i = 0; i < n; i++) vectors[(size_t)i * n + j] = column[i];
    }
  }
  free(ascending);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int n;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != 1 || !get_int(env, argv[0], &n) || n < 1) return fail(env, "setThreads(n): n must be a positive integer");
  openblas_set_num_threads(n);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"gemm", NULL, gemm, NULL, NULL, NULL, napi_default, NULL},
      {"syevd", NULL, syevd, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}
