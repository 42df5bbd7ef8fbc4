/**
 * `node --import tsx scripts/pam-profile.ts [--backend tfjs-node]`: `tf.profile` of one B2G-sized PAM training step
 * (the model of bench/pam.ts), after two warm-up steps: kernel count, wall time, and kernel time per kernel name.
 * (`node --cpu-prof` crashes tfjs-node, so the kernels are timed by tfjs itself.)
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { buildDecoder } from '../src/models/build-decoder.js';
import { Rng } from '../src/random/rng.js';
import { initTensorBackend, type TensorBackendRequest } from '../src/tensor/tf-backend.js';
import { Adam, PYTORCH_ADAM_DEFAULTS } from '../src/training/adam.js';
import { lossAndGradients, trainingStep } from '../src/training/training-step.js';

const { values: args } = parseArgs({ options: { backend: { type: 'string', default: 'tfjs-node' } } });
const choice = await initTensorBackend(args.backend as TensorBackendRequest, () => {});
const areaUnits = [448, 256, 256];
const batch = 32;
const latentDim = 512;
const rng = new Rng(9);
const decoder = buildDecoder(
  { kind: 'pam', areas: areaUnits.map((units, i) => ({ name: `A${i}`, units })), width: 512, embeddingBlocks: 5, latentDim },
  rng.fork(1),
);
const adam = new Adam(decoder.trainable, PYTORCH_ADAM_DEFAULTS);
const blocks = areaUnits.map((units) => tf.tensor2d(rng.normals(batch * units), [batch, units]));
const target = tf.tensor2d(rng.normals(batch * latentDim), [batch, latentDim]);
for (let i = 0; i < 2; i++) trainingStep(decoder, adam, blocks, target);

// The two phases apart, then the whole step per kernel name. tfjs reuses one profile object, so each is
// summarised before the next profile starts.
const summary = (phase: string, p: Awaited<ReturnType<typeof tf.profile>>) => {
  const ms = p.kernels.reduce((sum, k) => sum + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0), 0);
  console.log(`${phase}: ${p.kernels.length} kernels, kernel time ${ms.toFixed(1)} ms`);
};
let gradients: tf.Tensor[] = [];
summary(
  'forward + backward',
  await tf.profile(() => {
    const out = lossAndGradients(decoder, blocks, target);
    gradients = [out.loss, ...out.gradients];
    return gradients;
  }),
);
summary('Adam', await tf.profile(() => adam.apply(gradients.slice(1))));
// Raw TensorFlow ops (src/tensor/native-kernels/resource-ops.ts) bypass tfjs's kernel registry, so tf.profile does not
// see them: the update's wall time, best of 10.
const adamMs: number[] = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  adam.apply(gradients.slice(1));
  adamMs.push(performance.now() - t0);
}
console.log(`Adam wall time: min ${Math.min(...adamMs).toFixed(1)} ms`);
tf.dispose(gradients);
const start = performance.now();
const profile = await tf.profile(() => {
  trainingStep(decoder, adam, blocks, target);
});
const wallMs = performance.now() - start;
const byName = new Map<string, { count: number; ms: number }>();
for (const kernel of profile.kernels) {
  const entry = byName.get(kernel.name) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
  byName.set(kernel.name, entry);
}
const kernelMs = [...byName.values()].reduce((sum, e) => sum + e.ms, 0);
console.log(
  `${choice.backend}: ${profile.kernels.length} kernels, kernel time ${kernelMs.toFixed(1)} ms, wall ${wallMs.toFixed(1)} ms (profiled)`,
);
for (const [name, { count, ms }] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`  ${name.padEnd(28)} ${String(count).padStart(5)} ${ms.toFixed(2).padStart(8)} ms`);
}
// Unprofiled step time, for the dispatch overhead tf.profile itself adds; and the process's CPU time per step,
// which other processes on a shared machine disturb less than wall time.
const times: number[] = [];
const cpuStart = process.cpuUsage();
for (let i = 0; i < 20; i++) {
  const t0 = performance.now();
  trainingStep(decoder, adam, blocks, target);
  times.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpuStart);
times.sort((a, b) => a - b);
console.log(
  `unprofiled step: min ${times[0]!.toFixed(1)} ms, median ${times[10]!.toFixed(1)} ms; CPU ${((cpu.user + cpu.system) / 1000 / 20).toFixed(1)} ms per step`,
);
