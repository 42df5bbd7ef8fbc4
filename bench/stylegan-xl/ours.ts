/**
 * Our side of bench/stylegan-xl.ts, run in its own process so that its peak RSS is its own:
 *   node --import tsx bench/stylegan-xl/ours.ts <network prefix> <batch> <iterations> <warm up: 0|1>
 * Loads <prefix>.json + <prefix>.safetensors (written by bench/stylegan_xl_torch.py through
 * scripts/convert_stylegan_xl.py) with loadStyleGanXl and times `synthesize` (one w per image broadcast to num_ws)
 * as the official side does: `forward`, and `forward_backward` = tf.grad of sum(images · R) (R fixed) to w.
 * The warm-up forward+backward runs inside tf.profile for the peak of tfjs' tensor bytes; the timed calls do not.
 * PAM_BENCH_BACKEND picks the tensor backend (default auto: the fastest installed). Prints one JSON line.
 */
import * as tf from '@tensorflow/tfjs';
import { loadStyleGanXl } from '../../src/models/stylegan-xl/load-stylegan-xl.js';
import { Rng } from '../../src/random/rng.js';
import { initTensorBackend, type TensorBackendRequest } from '../../src/tensor/tf-backend.js';

/** What each side prints: seconds per call of every timed call, and the process' peak RSS. */
export interface SideResult {
  forward_s: number[];
  forward_backward_s: number[];
  peak_rss_bytes: number;
}

export interface OursResult extends SideResult {
  backend: string;
  /** tfjs tensor bytes once the network is loaded (weights, filters). */
  tf_weights_bytes: number;
  /** tfjs' peak tensor bytes during the warm-up forward+backward (null without warm-up). */
  tf_peak_bytes: number | null;
}

function timed(fn: () => void, iterations: number): number[] {
  return Array.from({ length: iterations }, () => {
    const start = performance.now();
    fn();
    return (performance.now() - start) / 1000;
  });
}

const [prefix, batchArg, iterationsArg, warmupArg] = process.argv.slice(2);
if (!prefix || !batchArg || !iterationsArg || !warmupArg) throw new Error('usage: ours.ts <network prefix> <batch> <iterations> <0|1>');
const batch = Number(batchArg);
const backend = await initTensorBackend((process.env['PAM_BENCH_BACKEND'] ?? 'auto') as TensorBackendRequest, () => {});
const generator = loadStyleGanXl({ architecture: `${prefix}.json`, weights: `${prefix}.safetensors` });
const tfWeightsBytes = tf.memory().numBytes;
const rng = new Rng(0);
const w = tf.tensor2d(rng.normals(batch * generator.latentDim), [batch, generator.latentDim]);
const lossWeights = tf.tensor4d(rng.normals(batch * generator.height * generator.width * 3), [batch, generator.height, generator.width, 3]);
const lossGrad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(generator.synthesize(x as tf.Tensor2D), lossWeights)));

// dataSync waits for the result, so the time covers the whole computation on any backend.
const forward = () => tf.tidy(() => generator.synthesize(w).dataSync());
const forwardBackward = () => tf.tidy(() => lossGrad(w).dataSync());

let tfPeakBytes: number | null = null;
if (warmupArg === '1') tfPeakBytes = (await tf.profile(forwardBackward)).peakBytes;
const result: OursResult = {
  forward_s: timed(forward, Number(iterationsArg)),
  forward_backward_s: timed(forwardBackward, Number(iterationsArg)),
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  backend: backend.backend,
  tf_weights_bytes: tfWeightsBytes,
  tf_peak_bytes: tfPeakBytes,
};
console.log(JSON.stringify(result));
