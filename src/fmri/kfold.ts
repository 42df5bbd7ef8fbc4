/**
 * scikit-learn `KFold(n_splits, shuffle=True, random_state=seed)` fold assignment, reproduced bit for bit so that
 * `seed` alone gives the authors' folds (docs/datasets.md §D.3: KFold(10, shuffle=True, random_state=7)).
 * sklearn shuffles `arange(n)` with `np.random.RandomState(seed).shuffle`; the legacy RandomState is MT19937
 * seeded by `mt19937_seed` (Matsumoto & Nishimura's init_genrand; numpy `_legacy_seeding` for an int seed), and
 * its 1-D shuffle is Fisher–Yates from the end with j = `random_interval(i)`: mask rejection sampling on 32-bit
 * draws (numpy/random/src/distributions `random_interval`, `_shuffle_raw`). Fold k then takes the next
 * ⌊n/k⌋ (+1 for the first n mod k folds) shuffled indices (sklearn `KFold._iter_test_indices`).
 */
const STATE_LENGTH = 624;
const PERIOD = 397;

/** MT19937 with numpy's legacy integer seeding. */
export class Mt19937 {
  private readonly key = new Uint32Array(STATE_LENGTH);
  private position = STATE_LENGTH;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32 − 1], got ${seed}`);
    }
    let s = seed >>> 0;
    for (let i = 0; i < STATE_LENGTH; i++) {
      this.key[i] = s;
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
  }

  private regenerate(): void {
    const key = this.key;
    for (let i = 0; i < STATE_LENGTH; i++) {
      const y = (key[i]! & 0x80000000) | (key[(i + 1) % STATE_LENGTH]! & 0x7fffffff);
      key[i] = key[(i + PERIOD) % STATE_LENGTH]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.position = 0;
  }

  nextUint32(): number {
    if (this.position >= STATE_LENGTH) this.regenerate();
    let y = this.key[this.position++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform integer in [0, max] by mask rejection (numpy `random_interval`, 32-bit branch). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }
}

/** `np.random.RandomState(seed).permutation(n)` (shuffle of arange(n)). */
export function numpyLegacyPermutation(n: number, seed: number): Int32Array {
  const rng = new Mt19937(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.interval(i);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

/** Fold index of every sample, as sklearn KFold(folds, shuffle=True, random_state=seed) assigns test folds. */
export function kFoldAssignment(n: number, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`KFold needs at least 2 folds, got ${folds}`);
  if (n < folds) throw new RangeError(`KFold: cannot split ${n} samples into ${folds} folds`);
  const order = numpyLegacyPermutation(n, seed);
  const foldOf = new Int32Array(n);
  let start = 0;
  for (let k = 0; k < folds; k++) {
    const size = Math.floor(n / folds) + (k < n % folds ? 1 : 0);
    for (let i = start; i < start + size; i++) foldOf[order[i]!] = k;
    start += size;
  }
  return foldOf;
}
