/**
 * The response model of one simulated visual area: a fixed, seeded, NONLINEAR encoder latent → units.
 *
 * Each unit j mixes `mixDims` randomly chosen latent dimensions with Gaussian weights (a sparse random projection,
 * like a tuning curve over a few latent features), normalised so its drive s_j has unit variance over latents
 * z ~ N(0, latentScale² I). One trial's response is
 *
 *     r_j = φ(g_j · (√ρ · s_j + √(1−ρ) · ε) + b_j),   ε ~ N(0, 1) fresh per trial,
 *
 * so the area's `informativeness` ρ is exactly the fraction of each unit's pre-nonlinearity drive variance that the
 * latent explains (the rest is trial noise). Gain g_j ~ U(0.5, 1.5) and offset b_j ~ N(0, 0.5²) make units
 * heterogeneous; φ is softplus (rectified firing rate; same threshold-20 shortcut as torch.nn.functional.softplus)
 * or tanh (saturating). A repeated test item's response is the mean over repetitions, like B2G's averaged test MUA
 * (docs/datasets.md §A.3).
 */
import type { Rng } from '../random/rng.js';
import type { AreaModel, Nonlinearity } from './b2g-config.js';

function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

const ACTIVATIONS: Record<Nonlinearity, (x: number) => number> = { softplus, tanh: Math.tanh };

export class AreaEncoder {
  /** Latent dimension indices read by each unit, row-major units × mixDims. */
  private readonly dims: Int32Array;
  /** Projection weights matching `dims`, scaled so the drive has unit variance. */
  private readonly weights: Float32Array;
  private readonly gains: Float32Array;
  private readonly offsets: Float32Array;

  constructor(
    readonly area: AreaModel,
    private readonly latentDim: number,
    private readonly mixDims: number,
    latentScale: number,
    rng: Rng,
  ) {
    const { units } = area;
    this.dims = new Int32Array(units * mixDims);
    this.weights = new Float32Array(units * mixDims);
    this.gains = new Float32Array(units);
    this.offsets = new Float32Array(units);
    const order = Int32Array.from({ length: latentDim }, (_, i) => i);
    for (let j = 0; j < units; j++) {
      let norm = 0;
      for (let m = 0; m < mixDims; m++) {
        // Partial Fisher–Yates: the first mixDims slots become a uniform draw of distinct latent dims.
        const pick = m + rng.int(latentDim - m);
        [order[m], order[pick]] = [order[pick]!, order[m]!];
        const w = rng.normal();
        this.dims[j * mixDims + m] = order[m]!;
        this.weights[j * mixDims + m] = w;
        norm += w * w;
      }
      const scale = 1 / (Math.sqrt(norm) * latentScale);
      for (let m = 0; m < mixDims; m++) this.weights[j * mixDims + m]! *= scale;
      this.gains[j] = 0.5 + rng.uniform();
      this.offsets[j] = 0.5 * rng.normal();
    }
  }

  /**
   * Responses (items × units, row-major) to `latents` (items × latentDim), each the mean over `repetitions` noisy
   * trials whose noise is drawn from `noiseRng` in item, repetition, unit order.
   */
  respond(latents: Float32Array, repetitions: number, noiseRng: Rng): Float32Array {
    const { units, informativeness } = this.area;
    const items = latents.length / this.latentDim;
    const signalWeight = Math.sqrt(informativeness);
    const noiseWeight = Math.sqrt(1 - informativeness);
    const activate = ACTIVATIONS[this.area.nonlinearity];
    const out = new Float32Array(items * units);
    const drive = new Float64Array(units);
    for (let i = 0; i < items; i++) {
      const latentRow = i * this.latentDim;
      for (let j = 0; j < units; j++) {
        let s = 0;
        for (let m = j * this.mixDims, end = m + this.mixDims; m < end; m++) s += this.weights[m]! * latents[latentRow + this.dims[m]!]!;
        drive[j] = signalWeight * s;
      }
      const row = i * units;
      for (let r = 0; r < repetitions; r++) {
        for (let j = 0; j < units; j++) {
          const noisy = drive[j]! + (noiseWeight > 0 ? noiseWeight * noiseRng.normal() : 0);
          out[row + j]! += activate(this.gains[j]! * noisy + this.offsets[j]!);
        }
      }
      if (repetitions > 1) for (let j = 0; j < units; j++) out[row + j]! /= repetitions;
    }
    return out;
  }
}
