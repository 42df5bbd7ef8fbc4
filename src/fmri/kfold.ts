/**
 * scikit-learn `KFold(n_splits, shuffle=True, random_state=seed)` fold assignment, reproduced bit for bit so that
 * `seed` alone gives the authors' folds (docs/datasets.md §D.3: KFold(10, shuffle=True, random_state=7)).
 * sklearn shuffles `arange(n)` with `np.random.RandomState(seed).shuffle` (src/random/numpy-random-state.ts
 * `permutation`). Fold k then takes the next ⌊n/k⌋ (+1 for the first n mod k folds) shuffled indices (sklearn
 * `KFold._iter_test_indices`).
 */
import { NumpyRandomState } from '../random/numpy-random-state.js';

/** Fold index of every sample, as sklearn KFold(folds, shuffle=True, random_state=seed) assigns test folds. */
export function kFoldAssignment(n: number, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`KFold needs at least 2 folds, got ${folds}`);
  if (n < folds) throw new RangeError(`KFold: cannot split ${n} samples into ${folds} folds`);
  const order = new NumpyRandomState(seed).permutation(n);
  const foldOf = new Int32Array(n);
  let start = 0;
  for (let k = 0; k < folds; k++) {
    const size = Math.floor(n / folds) + (k < n % folds ? 1 : 0);
    for (let i = start; i < start + size; i++) foldOf[order[i]!] = k;
    start += size;
  }
  return foldOf;
}
