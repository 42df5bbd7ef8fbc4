/**
 * Inversion speed: projector steps/s (ten seeds batched, as the invert-latents stage runs them) of our tfjs code
 * versus the same nets and weights in PyTorch CPU, measured in the same run.
 *
 *   npm run bench -- inversion          (or: node --import tsx bench/inversion.ts [resolution] [steps])
 * PAM_BENCH_BACKEND picks the tensor backend (default auto; tfjs-node for native TensorFlow).
 *
 * Nets: the built-in generator (seeded stand-in, default 64 px) and the seeded stand-in VGG16 (widths 16/32/64/128/128)
 * with the lpips=False LPIPS loss. The weights are written to a temporary safetensors file that the Python side loads.
 * Python: $PAM_TORCH_PYTHON, default .tools/vision-venv/bin/python (torch + torchvision + lpips + safetensors).
 * The last line is `ratio: <our steps/s ÷ PyTorch steps/s>`, PyTorch taken at the faster of 1 thread and its default.
 */
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTensorBackend, type TensorBackendRequest } from '../src/tensor/tf-backend.js';
import { BuiltinGenerator, defaultGeneratorShape, seededGeneratorWeights } from '../src/images/generators/builtin-generator.js';
import { UNWEIGHTED_LPIPS } from '../src/evaluation/lpips.js';
import { VGG16_STANDIN_WIDTHS } from '../src/images/plugins/model-refs.js';
import { encodeSafetensors } from '../src/images/codecs/safetensors.js';
import { seededVgg16Weights, TfVgg16 } from '../src/images/feature-nets/vgg16.js';
import { SeedBatchProjector, standardNormalPrior, type InversionNets } from '../src/inversion/projector.js';
import { STYLEGAN2_ADA_SCHEDULE } from '../src/inversion/projector-schedule.js';
import { Rng } from '../src/random/rng.js';

const resolution = Number(process.argv[2] ?? 64);
const steps = Number(process.argv[3] ?? 20);
const WARMUP = 3;
const SEEDS = 10;
const python = process.env.PAM_TORCH_PYTHON ?? new URL('../.tools/vision-venv/bin/python', import.meta.url).pathname;

const backend = await initTensorBackend((process.env['PAM_BENCH_BACKEND'] ?? 'auto') as TensorBackendRequest, () => {});
const shape = defaultGeneratorShape(resolution);
const generatorWeights = seededGeneratorWeights(shape, 0);
const vggWeights = seededVgg16Weights(VGG16_STANDIN_WIDTHS, 0);
const generator = new BuiltinGenerator(shape, generatorWeights, 'bench generator');
const featureNet = new TfVgg16(VGG16_STANDIN_WIDTHS, vggWeights, 'bench vgg');
const nets = { generator, featureNet, lpips: UNWEIGHTED_LPIPS } as InversionNets;

const rng = new Rng(0);
const targetImage = generator.synthesize(tf.tensor2d(rng.normals(shape.latentDim), [1, shape.latentDim]));
const target = Float32Array.from(targetImage.dataSync());
targetImage.dispose();

// Steps 100+ of a 1000-step schedule: full learning rate and latent noise, the projector's typical step.
const schedule = { ...STYLEGAN2_ADA_SCHEDULE, steps: 1000 };
const projector = new SeedBatchProjector(
  nets,
  target,
  rng.normals(SEEDS * shape.latentDim),
  schedule,
  Array<number>(SEEDS).fill(standardNormalPrior(shape.latentDim).std),
);
for (let s = 0; s < WARMUP; s++) projector.step(100 + s, rng.normals(SEEDS * shape.latentDim));
const start = performance.now();
for (let s = 0; s < steps; s++) projector.step(100 + s, rng.normals(SEEDS * shape.latentDim));
const ours = steps / ((performance.now() - start) / 1000);
projector.dispose();

const dir = mkdtempSync(join(tmpdir(), 'pam-bench-inversion-'));
writeFileSync(join(dir, 'generator.safetensors'), encodeSafetensors(generatorWeights));
writeFileSync(join(dir, 'vgg.safetensors'), encodeSafetensors(vggWeights));
const config = {
  resolution,
  latentDim: shape.latentDim,
  channels: shape.channels,
  widths: VGG16_STANDIN_WIDTHS,
  seeds: SEEDS,
  warmup: WARMUP,
  steps,
};
function torchRun(threads: number): { steps_per_s: number; threads: number; torch: string } {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, threads }));
  const script = new URL('./inversion_torch.py', import.meta.url).pathname;
  const out = execFileSync(python, [script, join(dir, 'generator.safetensors'), join(dir, 'vgg.safetensors'), join(dir, 'config.json')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}
const torchOne = torchRun(1);
const torchDefault = torchRun(0);

console.log(
  `inversion step: ${SEEDS} seeds, ${resolution}px builtin generator (channels ${shape.channels.join('-')}), vgg16 stand-in ${VGG16_STANDIN_WIDTHS.join('/')}, lpips=False`,
);
console.log(
  `ours (tfjs ${backend.backend}, ${backend.backend.startsWith('tfjs-node') ? 'TensorFlow intra-op threads' : '1 thread'}): ${ours.toFixed(2)} steps/s`,
);
console.log(`pytorch ${torchOne.torch} CPU, 1 thread: ${torchOne.steps_per_s.toFixed(2)} steps/s`);
console.log(`pytorch ${torchDefault.torch} CPU, ${torchDefault.threads} threads: ${torchDefault.steps_per_s.toFixed(2)} steps/s`);
// Compare with PyTorch's faster configuration: on this 2-core box its 2-thread run is often slower than 1 thread.
console.log(`ratio: ${(ours / Math.max(torchOne.steps_per_s, torchDefault.steps_per_s)).toFixed(3)}`);
