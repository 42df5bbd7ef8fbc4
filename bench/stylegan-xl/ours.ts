/**
 * Our side of bench/stylegan-xl.ts, run in its own process so that its peak RSS is its own:
 *   node --import tsx bench/stylegan-xl/ours.ts <network prefix> <config.json>
 * Loads <prefix>.json + <prefix>.safetensors (written by bench/stylegan_xl_torch.py through
 * scripts/convert_stylegan_xl.py) with loadStyleGanXl and times what the official side times (see there):
 * `chain` (when config `chain`): `synthesize` of one w broadcast to num_ws, forward and tf.grad of sum(images · R)
 * to w; `layers`: the SynthesisInput and each SynthesisLayer alone on a random input of its shape, forward and
 * tf.grads of the upstream gradient R to the layer's input and w. The warm-up forward+backward (config `warmup`) runs
 * inside tf.profile for the peak of tfjs' tensor bytes; the timed calls do not. PAM_BENCH_BACKEND picks the tensor backend
 * (default auto: the fastest installed). Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { loadStyleGanXl } from '../../src/models/stylegan-xl/load-stylegan-xl.js';
import { Rng } from '../../src/random/rng.js';
import { initTensorBackend, type TensorBackendRequest } from '../../src/tensor/tf-backend.js';

/** Every timed call of each kind, in wall seconds and in CPU seconds of the process (the work, whatever else runs). */
export interface Timings {
  forward_s: number[];
  forward_backward_s: number[];
  forward_cpu_s: number[];
  forward_backward_cpu_s: number[];
}

/** What each side prints. */
export interface SideResult {
  chain?: Timings;
  layers: (Timings & { name: string })[];
  peak_rss_bytes: number;
}

export interface OursResult extends SideResult {
  backend: string;
  /** tfjs tensor bytes once the network is loaded (weights, filters). */
  tf_weights_bytes: number;
  /** tfjs' largest peak of tensor bytes over the warm-up calls (null without warm-up). */
  tf_peak_bytes: number | null;
}

export interface BenchConfig {
  batch: number;
  iterations: number;
  warmup: boolean;
  chain: boolean;
}

function timed(fn: () => void, iterations: number): [number[], number[]] {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    fn();
    const used = process.cpuUsage(startCpu);
    wall.push((performance.now() - start) / 1000);
    cpu.push((used.user + used.system) / 1e6);
  }
  return [wall, cpu];
}

const [prefix, configPath] = process.argv.slice(2);
if (!prefix || !configPath) throw new Error('usage: ours.ts <network prefix> <config.json>');
const config = JSON.parse(readFileSync(configPath, 'utf8')) as BenchConfig;
const backend = await initTensorBackend((process.env['PAM_BENCH_BACKEND'] ?? 'auto') as TensorBackendRequest, () => {});
const generator = loadStyleGanXl({ architecture: `${prefix}.json`, weights: `${prefix}.safetensors` });
const tfWeightsBytes = tf.memory().numBytes;
const rng = new Rng(0);
const normal = (shape: number[]) => tf.tensor(rng.normals(shape.reduce((a, b) => a * b, 1)), shape);
const w = normal([config.batch, generator.latentDim]) as tf.Tensor2D;
let tfPeakBytes: number | null = null;

// dataSync waits for the results, so a call's time covers its whole computation on any backend (its array is not
// returned from the tidy, which would walk every element). One untimed
// forward+backward (which runs the forward too) warms up both kinds.
async function timings(forward: () => void, forwardBackward: () => void): Promise<Timings> {
  if (config.warmup) tfPeakBytes = Math.max(tfPeakBytes ?? 0, (await tf.profile(forwardBackward)).peakBytes);
  const [forwardWall, forwardCpu] = timed(forward, config.iterations);
  const [backwardWall, backwardCpu] = timed(forwardBackward, config.iterations);
  return { forward_s: forwardWall, forward_backward_s: backwardWall, forward_cpu_s: forwardCpu, forward_backward_cpu_s: backwardCpu };
}

/** f(x, w) alone: forward, and the upstream gradient dy back to x and w. */
function calls(f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, x: tf.Tensor, dy: tf.Tensor): [() => void, () => void] {
  const grads = tf.grads(f);
  const forward = () => tf.tidy(() => void f(x, w).dataSync());
  const forwardBackward = () =>
    tf.tidy(() => {
      for (const g of grads([x, w], dy)) g.dataSync();
    });
  return [forward, forwardBackward];
}

const { synthesis } = generator;
const { input } = synthesis.architecture;
const layers: SideResult['layers'] = [];
{
  // The input takes only w: x is w itself, which keeps one calling convention.
  const dy = normal([config.batch, input.size, input.size, input.channels]);
  layers.push({ name: 'input', ...(await timings(...calls((_x, v) => synthesis.input.apply(v as tf.Tensor2D), w, dy))) });
  dy.dispose();
}
for (const layer of synthesis.layers) {
  const { name, inChannels, inSize, outChannels, outSize } = layer.spec;
  const x = normal([config.batch, inSize, inSize, inChannels]);
  const dy = normal([config.batch, outSize, outSize, outChannels]);
  layers.push({ name, ...(await timings(...calls((a, v) => layer.apply(a as tf.Tensor4D, v as tf.Tensor2D), x, dy))) });
  tf.dispose([x, dy]);
}
let chain: Timings | undefined;
if (config.chain) {
  const dy = normal([config.batch, generator.height, generator.width, 3]);
  const lossGrad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(generator.synthesize(v as tf.Tensor2D), dy)));
  chain = await timings(
    () => tf.tidy(() => void generator.synthesize(w).dataSync()),
    () => tf.tidy(() => void lossGrad(w).dataSync()),
  );
}
const result: OursResult = {
  ...(chain ? { chain } : {}),
  layers,
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  backend: backend.backend,
  tf_weights_bytes: tfWeightsBytes,
  tf_peak_bytes: tfPeakBytes,
};
console.log(JSON.stringify(result));
