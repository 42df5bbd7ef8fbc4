/**
 * Multiply-accumulates of one image through StyleGAN-XL's synthesis network, counted from an architecture record
 * (src/models/stylegan-xl/architecture.ts), for the GPU estimate of bench/stylegan-xl.ts and docs/stylegan-xl.md.
 *
 * Per layer (src/models/stylegan-xl/synthesis-layer.ts, which follows the official SynthesisLayer):
 * - the affine w → styles (wDim × inChannels) and the modulated conv, O × I × k² per output pixel of the
 *   (inSize + k − 1)² output (padding k − 1);
 * - filtered_lrelu's two separable FIR filters per output channel, as the official reference path
 *   (torch_utils/ops/upfirdn2d.py `_upfirdn2d_ref`) runs them: the up filter on the zero-stuffed, padded grid,
 *   the down filter at that full rate before the `::down` slice; both a horizontal then a vertical pass.
 *   `firUseful` counts only the taps a fused kernel needs (the nonzero 1/up of the up filter's taps, the down
 *   filter only at kept samples): the official CUDA filtered_lrelu does that.
 * A backward pass costs about twice the forward (gradients to the activations and to w through the styles; no
 * weight gradients are needed for an inversion, but the official autograd computes them unless frozen).
 */
import type { StyleGanXlArchitecture, SynthesisLayerSpec } from '../../src/models/stylegan-xl/architecture.js';
import { resamplingOf } from '../../src/models/stylegan-xl/synthesis-layer.js';

export interface SynthesisMacs {
  /** Modulated convolutions and style affines. */
  conv: number;
  /** FIR filters as the official reference path computes them (dense, zeros included). */
  firReference: number;
  /** FIR filters skipping the inserted zeros and the dropped samples. */
  firUseful: number;
}

/** One separable pass pair on a square grid of side `size`: [dense MACs, useful MACs, output side]. */
function firPasses(channels: number, size: number, taps: number, up: number, down: number): [number, number, number] {
  const out = size - taps + 1;
  const dense = channels * taps * (size * out + out * out);
  const kept = Math.ceil(out / down);
  const useful = (channels * taps * (size * kept + kept * kept)) / up;
  return [dense, useful, out];
}

function layerMacs(spec: SynthesisLayerSpec, wDim: number): SynthesisMacs {
  const k = spec.convKernel;
  const convOut = spec.inSize + k - 1;
  const conv = wDim * spec.inChannels + spec.outChannels * spec.inChannels * k * k * convOut * convOut;
  const { up, down, upTaps, downTaps, padding } = resamplingOf(spec);
  const upGrid = convOut * up + padding[0] + padding[1];
  const [upDense, upUseful, filtered] = firPasses(spec.outChannels, upGrid, upTaps?.length ?? 1, up, 1);
  const [downDense, downUseful] = firPasses(spec.outChannels, filtered, downTaps?.length ?? 1, 1, down);
  return { conv, firReference: upDense + downDense, firUseful: upUseful + downUseful };
}

export function synthesisMacs(architecture: StyleGanXlArchitecture): SynthesisMacs {
  const total = { conv: 0, firReference: 0, firUseful: 0 };
  for (const spec of architecture.layers) {
    const layer = layerMacs(spec, architecture.wDim);
    total.conv += layer.conv;
    total.firReference += layer.firReference;
    total.firUseful += layer.firUseful;
  }
  return total;
}
