/**
 * Probe: train PAM (and optionally the baseline) on a simulated B2G-like world and print, every few epochs, the
 * test-set mean attention per area (± SE over items) and on the first 200 training items, the value RMS per area,
 * latent cosine, and with `heldOut` the MSE on that many last training items, kept out of training. The measurements
 * in docs/synthetic-world.md §1.3 come from it, e.g. '{"pam":{"width":512},"epochs":14,"every":1,"heldOut":400}'.
 * Usage: node --import tsx scripts/attention-probe.ts '<json>'
 *   json: { world (synthesize-b2g params), pam: { width, embeddingBlocks } | false, epochs, every, heldOut,
 *           baseline (also train the baseline), seed, lr, batch, backend }
 */
import * as tf from '@tensorflow/tfjs';
import { buildDecoder } from '../src/models/build-decoder.js';
import type { DecoderArchitecture } from '../src/models/decoder.js';
import { rowCosineSimilarities } from '../src/evaluation/latent-similarity.js';
import { Rng } from '../src/random/rng.js';
import { mean, standardError } from '../src/stats/summary.js';
import { b2gConfigSchema } from '../src/synthetic/b2g-config.js';
import { simulateB2G } from '../src/synthetic/b2g.js';
import { initTensorBackend } from '../src/tensor/tf-backend.js';
import { Adam, PYTORCH_ADAM_DEFAULTS } from '../src/training/adam.js';
import { predict } from '../src/training/predict.js';
import { batchesOf, gatherBatch, type TrainingData } from '../src/training/training-data.js';
import { trainingStep } from '../src/training/training-step.js';

const args = JSON.parse(process.argv[2] ?? '{}');
const seed = args.seed ?? 9;
const epochs: number = args.epochs ?? 30;
const every: number = args.every ?? 5;
await initTensorBackend(args.backend ?? 'wasm', () => {});
const t0 = Date.now();
const config = b2gConfigSchema.parse(args.world ?? {});
const world = simulateB2G(config, seed);
console.log(`world ${((Date.now() - t0) / 1000).toFixed(1)} s`, JSON.stringify(args));
const d = config.latentDim;

function run(kind: 'pam' | 'baseline') {
  const areas = config.areas.map((a) => ({ name: a.name, units: a.units }));
  const total = areas.reduce((n, a) => n + a.units, 0);
  const concat = (split: typeof world.train, rows: number) => {
    const out = new Float32Array(rows * total);
    for (let i = 0; i < rows; i++) {
      let off = 0;
      split.responses.forEach((r, a) => {
        out.set(r.subarray(i * areas[a]!.units, (i + 1) * areas[a]!.units), i * total + off);
        off += areas[a]!.units;
      });
    }
    return out;
  };
  const architecture: DecoderArchitecture =
    kind === 'pam'
      ? { kind: 'pam', areas, width: args.pam?.width ?? 512, embeddingBlocks: args.pam?.embeddingBlocks ?? 1, latentDim: d }
      : { kind: 'baseline', inputUnits: total, latentDim: d };
  const heldOut: number = args.heldOut ?? 0;
  const trainRows = config.trainItems - heldOut;
  const data: TrainingData =
    kind === 'pam'
      ? { blocks: world.train.responses, widths: areas.map((a) => a.units), targets: world.train.latents, latentDim: d, rows: trainRows }
      : { blocks: [concat(world.train, config.trainItems)], widths: [total], targets: world.train.latents, latentDim: d, rows: trainRows };
  const test =
    kind === 'pam'
      ? { blocks: world.test.responses, widths: data.widths, rows: config.testItems }
      : { blocks: [concat(world.test, config.testItems)], widths: [total], rows: config.testItems };
  const root = new Rng(seed);
  const decoder = buildDecoder(architecture, root.fork(1));
  const adam = new Adam(decoder.trainable, { ...PYTORCH_ADAM_DEFAULTS, learningRate: args.lr ?? 1e-3 });
  const shuffle = root.fork(2);
  const order = Int32Array.from({ length: trainRows }, (_, i) => i);
  const start = Date.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let loss = 0;
    let n = 0;
    for (const rows of batchesOf(shuffle.shuffle(order.slice()), args.batch ?? 32)) {
      const batch = gatherBatch(data, rows);
      loss += trainingStep(decoder, adam, batch.blocks, batch.target) * rows.length;
      n += rows.length;
      tf.dispose([...batch.blocks, batch.target]);
    }
    if (epoch % every === 0 || epoch === epochs) {
      const p = predict(decoder, test);
      const cos = mean(rowCosineSimilarities(world.test.latents, p.latent, d));
      let validation = '';
      if (heldOut > 0) {
        const held = { blocks: data.blocks.map((b, i) => b.subarray(trainRows * data.widths[i]!)), widths: data.widths, rows: heldOut };
        const ph = predict(decoder, held);
        let se = 0;
        const target = world.train.latents.subarray(trainRows * d);
        for (let k = 0; k < target.length; k++) se += (ph.latent[k]! - target[k]!) ** 2;
        validation = ` val ${(se / target.length).toFixed(4)}`;
      }
      let line = `${kind} ep ${epoch} loss ${(loss / n).toFixed(4)}${validation} cos ${cos.toFixed(4)} t ${((Date.now() - start) / 1000).toFixed(0)}s`;
      const trainSample = { blocks: data.blocks.map((b, i) => b.subarray(0, 200 * data.widths[i]!)), widths: data.widths, rows: 200 };
      const pt = kind === 'pam' ? predict(decoder, trainSample) : null;
      if (p.attention) {
        const parts = areas.map((a, h) => {
          const wt = pt!.attention!.attention[h]!;
          const w = p.attention!.attention[h]!;
          const v = p.attention!.values[h]!;
          const perItem = Array.from({ length: config.testItems }, (_, i) => mean(w.subarray(i * d, (i + 1) * d)));
          let vv = 0;
          for (const x of v) vv += x * x;
          return `${a.name} ${mean(perItem).toFixed(4)}±${standardError(perItem).toFixed(4)} (train ${mean(wt).toFixed(3)}) |v| ${Math.sqrt(vv / v.length).toFixed(3)}`;
        });
        line += ` | ${parts.join(' | ')}`;
      }
      console.log(line);
    }
  }
  decoder.dispose();
  adam.dispose();
}
if (args.baseline) run('baseline');
if (args.pam !== false) run('pam');
