/**
 * The tfjs decoders against PyTorch (fixture: scripts/fixtures/pam/make_pam_equivalence.py): same weights and
 * inputs give the same training-mode forward pass, attention weights, loss, gradients, batch-norm running
 * statistics, and parameters after one Adam step, within 1e-5 relative (max abs error / max abs value).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initTensorBackend } from '../../src/tensor/tf-backend.js';
import { TEST_BACKENDS } from '../support/backends.js';
import { buildDecoder } from '../../src/models/build-decoder.js';
import type { Decoder, DecoderArchitecture } from '../../src/models/decoder.js';
import { assignNamedTensors } from '../../src/models/weights-format.js';
import { Rng } from '../../src/random/rng.js';
import { Adam, PYTORCH_ADAM_DEFAULTS } from '../../src/training/adam.js';
import { lossAndGradients } from '../../src/training/training-step.js';

interface DecoderRecord {
  weights: Record<string, { shape: number[]; values: number[] }>;
  latent: number[];
  loss: number;
  gradients: Record<string, number[]>;
  stateAfter: Record<string, number[]>;
  afterAdam: Record<string, number[]>;
  attention?: number[][];
  keys?: number[][];
  values?: number[][];
}
interface Fixture {
  config: { areas: { name: string; units: number }[]; width: number; latentDim: number; embeddingBlocks: number; batch: number };
  inputs: { blocks: number[][]; joined: number[]; target: number[] };
  pam: DecoderRecord;
  baseline: DecoderRecord;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/pam/pam_equivalence.json', import.meta.url), 'utf8')) as Fixture;
const { config, inputs } = fixture;
const TOLERANCE = 1e-5;

/** `scaleFloor`: smallest scale the error is relative to (for quantities that are zero in exact arithmetic). */
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, scaleFloor = 1e-12): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let maxError = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    maxError = Math.max(maxError, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  assert.ok(maxError <= TOLERANCE * Math.max(scale, scaleFloor), `${what}: max error ${maxError} vs scale ${scale}`);
}

function loadFixtureWeights(decoder: Decoder, record: DecoderRecord): void {
  const tensors = Object.fromEntries(Object.entries(record.weights).map(([name, w]) => [name, tf.tensor(w.values, w.shape)]));
  assignNamedTensors(decoder, tensors, 'pam_equivalence.json');
  tf.dispose(Object.values(tensors));
}

function checkDecoder(architecture: DecoderArchitecture, record: DecoderRecord, blockValues: number[][], widths: number[]): void {
  const decoder = buildDecoder(architecture, new Rng(1));
  loadFixtureWeights(decoder, record);
  const blocks = blockValues.map((values, b) => tf.tensor2d(values, [config.batch, widths[b]!]));
  const target = tf.tensor2d(inputs.target, [config.batch, config.latentDim]);

  tf.tidy(() => {
    const out = decoder.forward(blocks, true);
    assertClose(out.latent.dataSync(), record.latent, `${architecture.kind} latent`);
    if (record.attention) {
      out.attention!.attention.forEach((a, h) => {
        assertClose(a.dataSync(), record.attention![h]!, `attention area ${h}`);
      });
      out.attention!.keys.forEach((k, h) => {
        assertClose(k.dataSync(), record.keys![h]!, `keys area ${h}`);
      });
      out.attention!.values.forEach((v, h) => {
        assertClose(v.dataSync(), record.values![h]!, `values area ${h}`);
      });
    }
  });
  loadFixtureWeights(decoder, record); // undo the running-statistics update of the forward pass above

  const adam = new Adam(decoder.trainable, PYTORCH_ADAM_DEFAULTS);
  const { loss, gradients } = lossAndGradients(decoder, blocks, target);
  assertClose(loss.dataSync(), [record.loss], `${architecture.kind} loss`);
  assert.deepEqual(decoder.trainable.map((p) => p.name).sort(), Object.keys(record.gradients).sort());
  // A Linear bias feeding a batch norm has an exactly zero gradient (the batch mean removes it), so both sides
  // hold only float noise there; gradients are compared relative to the largest gradient of the model.
  const gradientScale = Math.max(...Object.values(record.gradients).flatMap((g) => g.map(Math.abs)));
  decoder.trainable.forEach((p, i) => {
    assertClose(gradients[i]!.dataSync(), record.gradients[p.name]!, `gradient ${p.name}`, gradientScale);
  });
  decoder.state.forEach((p) => {
    assertClose(p.variable.dataSync(), record.stateAfter[p.name]!, `state ${p.name}`);
  });
  adam.apply(gradients);
  decoder.trainable.forEach((p) => {
    const expected = record.afterAdam[p.name]!;
    const zeroGradient = record.gradients[p.name]!.every((g) => Math.abs(g) <= 1e-6 * gradientScale);
    if (!zeroGradient) {
      assertClose(p.variable.dataSync(), expected, `after Adam ${p.name}`);
      return;
    }
    // Adam's first step is lr·g/|g|: on a float-noise gradient its sign is arbitrary, in PyTorch as here. Only the
    // bound |Δ| ≤ lr is implementation-independent.
    const before = record.weights[p.name]!.values;
    p.variable.dataSync().forEach((v, i) => {
      assert.ok(Math.abs(v - before[i]!) <= PYTORCH_ADAM_DEFAULTS.learningRate * (1 + 1e-4), `${p.name}: moved ${v - before[i]!}`);
    });
  });
  tf.dispose([loss, ...gradients, ...blocks, target]);
  adam.dispose();
  decoder.dispose();
}

for (const backend of TEST_BACKENDS) {
  test(`PAM matches PyTorch (${backend})`, async () => {
    await initTensorBackend(backend, () => {});
    const architecture: DecoderArchitecture = {
      kind: 'pam',
      areas: config.areas,
      width: config.width,
      embeddingBlocks: config.embeddingBlocks,
      latentDim: config.latentDim,
    };
    checkDecoder(
      architecture,
      fixture.pam,
      inputs.blocks,
      config.areas.map((a) => a.units),
    );
  });

  test(`baseline decoder matches PyTorch (${backend})`, async () => {
    await initTensorBackend(backend, () => {});
    const units = config.areas.reduce((n, a) => n + a.units, 0);
    checkDecoder({ kind: 'baseline', inputUnits: units, latentDim: config.latentDim }, fixture.baseline, [inputs.joined], [units]);
  });
}
