/** Assertion helpers shared by the fmri tests. */
import assert from 'node:assert/strict';
import { type DenseMatrix, fromValues } from '../../src/linalg/dense.js';

export function matrixOf(rows: number[][]): DenseMatrix {
  return fromValues(rows.length, rows[0]!.length, rows.flat());
}

/** Max |a − b| ≤ rtol·max|b| elementwise-scaled (relative to the reference's largest magnitude). */
export function assertMatrixClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (let k = 0; k < expected.length; k++) scale = Math.max(scale, Math.abs(expected[k]!));
  let worst = 0;
  let at = -1;
  for (let k = 0; k < expected.length; k++) {
    const d = Math.abs(actual[k]! - expected[k]!);
    if (d > worst) [worst, at] = [d, k];
  }
  assert.ok(worst <= rtol * scale, `${what}: max deviation ${worst} at ${at} exceeds ${rtol} × ${scale}`);
}
