/**
 * The system's BLAS/LAPACK (OpenBLAS) for the float64 kernels of src/linalg, through the small N-API binding in
 * native/linalg (built by scripts/build-native-linalg.sh; docs/compute.md §8). The routines are the ones numpy and
 * scikit-learn call — `eigh` → LAPACK dsyevd, `@` → BLAS dgemm — so a 1200 × 1200 eigenproblem takes a few hundred
 * milliseconds instead of 6.6–8.7 s in JavaScript. When the binding is not built, or `PAM_LINALG=js`, the
 * JavaScript kernels run instead (same results to ~1e-12).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectRoot } from '../paths/project-paths.js';

export interface NativeLinalg {
  /** c (m × n) = op(a) · op(b), all row-major; op(x) = xᵀ when its flag is set. */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void;
  /** Eigen-decompose symmetric `a` (n × n, destroyed): values descending; vectors column j ↔ values[j], or null. */
  syevd(n: number, a: Float64Array, values: Float64Array, vectors: Float64Array | null): void;
  /** BLAS threads of this process. */
  setThreads(count: number): void;
}

export const NATIVE_LINALG_BINARY = join('native', 'linalg', 'build', 'Release', 'pam_linalg.node');

let binding: NativeLinalg | null | undefined;

/** The binding, or null when it is not built or `PAM_LINALG=js` asks for the JavaScript kernels (read per call). */
export function nativeLinalg(env: NodeJS.ProcessEnv = process.env): NativeLinalg | null {
  if (env['PAM_LINALG'] === 'js') return null;
  if (binding === undefined) {
    const file = join(projectRoot(), NATIVE_LINALG_BINARY);
    binding = existsSync(file) ? (createRequire(import.meta.url)(file) as NativeLinalg) : null;
  }
  return binding;
}

/** What the float64 kernels run on, for logs and manifests. */
export function linalgImplementation(): 'openblas' | 'javascript' {
  return nativeLinalg() ? 'openblas' : 'javascript';
}
