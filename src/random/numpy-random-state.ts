/**
 * numpy's legacy `np.random.RandomState(seed)` for an integer seed, for the draws the reference code makes with it:
 * MT19937 seeded by `mt19937_seed` (Matsumoto & Nishimura's init_genrand; numpy `_legacy_seeding`), bounded
 * integers by mask rejection (numpy/random/src/distributions `random_interval`, used by `shuffle`/`permutation`),
 * and `randn` = `legacy_gauss` (numpy/random/src/legacy/legacy-distributions.c): the polar Box–Muller method on
 * 53-bit doubles (`random_standard_uniform` = ((a >>> 5)·2^26 + (b >>> 6)) / 2^53), returning f·x2 and caching
 * f·x1 for the next call. Checked against numpy by test/random/numpy-random-state.test.ts.
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

  /** Uniform double in [0, 1) from two draws (numpy `mt19937_next_double`). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/** `np.random.RandomState(seed)`: `randn` and `permutation`. */
export class NumpyRandomState {
  private readonly mt: Mt19937;
  private cachedGauss: number | null = null;

  constructor(seed: number) {
    this.mt = new Mt19937(seed);
  }

  /** One standard normal (`legacy_gauss`). */
  gauss(): number {
    if (this.cachedGauss !== null) {
      const cached = this.cachedGauss;
      this.cachedGauss = null;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.mt.nextDouble() - 1;
      x2 = 2 * this.mt.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.cachedGauss = f * x1;
    return f * x2;
  }

  /** `randn(count)` in float64, in numpy's C order (`randn(rows, cols)` is `randn(rows · cols)` reshaped). */
  randn(count: number): Float64Array {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = this.gauss();
    return out;
  }

  /** `permutation(n)`: Fisher–Yates from the end of arange(n) with j = `random_interval(i)` (numpy `_shuffle_raw`). */
  permutation(n: number): Int32Array {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.mt.interval(i);
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    return order;
  }
}
