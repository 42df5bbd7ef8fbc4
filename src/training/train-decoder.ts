/**
 * The training loop shared by both decoders (authors' `decoder.py` train_pam / train_linear: Adam defaults, MSE,
 * batch 32, shuffled every epoch, last epoch's model kept). Additions: an optional validation split with early
 * stopping (off by default, as in the authors' code), checkpoints every k epochs and resume from the newest intact one.
 * A resumed run restores weights, batch-norm statistics, Adam moments and step, and the shuffling RNG, so it
 * finishes with the same model as an uninterrupted run with the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import { DataValidationError, ModelLoadError } from '../errors/pipeline-errors.js';
import { buildDecoder } from '../models/build-decoder.js';
import { inputBlockWidths, type Decoder, type DecoderArchitecture } from '../models/decoder.js';
import { Rng } from '../random/rng.js';
import { Adam, PYTORCH_ADAM_DEFAULTS } from './adam.js';
import { loadTrainingCheckpoint, saveTrainingCheckpoint, type TrainingCheckpoint } from './checkpoint.js';
import { batchesOf, gatherBatch, validateTrainingData, type TrainingData } from './training-data.js';
import { meanSquaredError, trainingStep } from './training-step.js';

export interface TrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Fraction of training rows held out for early stopping; 0 disables it. */
  validationFraction: number;
  /** Epochs without a validation improvement before stopping. */
  patience: number;
  checkpointEveryEpochs: number;
  /** Folder for this decoder's checkpoint; null disables checkpoints. */
  checkpointDir: string | null;
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  validationLoss: number | null;
}

export interface TrainingHooks {
  onEpoch?(report: EpochReport): void;
  /** Called within an epoch at most every `heartbeatMs` (default 2 s). */
  onHeartbeat?(info: { epoch: number; batch: number; batches: number }): void;
  heartbeatMs?: number;
  /** Called once, before training, when resuming passed over damaged checkpoints (the line says which and why). */
  onCheckpointDamaged?(message: string): void;
  signal?: AbortSignal;
}

export interface TrainingResult {
  decoder: Decoder;
  lossCurve: number[];
  validationLossCurve: number[];
  epochsRun: number;
  resumedFromEpoch: number;
  stoppedEarly: boolean;
}

/** Mean validation MSE in eval mode (running batch-norm statistics). */
function validationLoss(decoder: Decoder, data: TrainingData, rows: Int32Array): number {
  return tf.tidy(() => {
    const { blocks, target } = gatherBatch(data, rows);
    return meanSquaredError(decoder.forward(blocks, false).latent, target).dataSync()[0]!;
  });
}

function snapshotTensors(decoder: Decoder, adam: Adam): TrainingCheckpoint['tensors'] {
  const moments = adam.moments();
  const named = [...decoder.trainable, ...decoder.state].map(({ name, variable }) => ({
    name,
    shape: variable.shape,
    values: variable.dataSync() as Float32Array,
  }));
  const momentsOf = (suffix: string, values: Float32Array[]) =>
    decoder.trainable.map((p, i) => ({ name: `${p.name}#${suffix}`, shape: p.variable.shape, values: values[i]! }));
  return [...named, ...momentsOf('adam_m', moments.first), ...momentsOf('adam_v', moments.second)];
}

function restoreTensors(decoder: Decoder, adam: Adam, checkpoint: TrainingCheckpoint, source: string): void {
  const byName = new Map(checkpoint.tensors.map((t) => [t.name, t]));
  const saved = (name: string, shape: readonly number[]) => {
    const tensor = byName.get(name);
    if (!tensor || !tf.util.arraysEqual(tensor.shape, [...shape]))
      throw new ModelLoadError(`${source}: checkpoint lacks tensor "${name}" of shape [${shape}]`);
    return tensor;
  };
  for (const { name, variable } of [...decoder.trainable, ...decoder.state]) {
    const tensor = saved(name, variable.shape);
    tf.tidy(() => variable.assign(tf.tensor(tensor.values, tensor.shape)));
  }
  const moments = (suffix: string) => decoder.trainable.map((p) => saved(`${p.name}#${suffix}`, p.variable.shape).values);
  adam.restoreMoments(moments('adam_m'), moments('adam_v'));
  adam.step = checkpoint.adamStep;
}

export async function trainDecoder(
  architecture: DecoderArchitecture,
  data: TrainingData,
  options: TrainingOptions,
  hooks: TrainingHooks = {},
): Promise<TrainingResult> {
  validateTrainingData(data, `${architecture.kind} training data`);
  const widths = inputBlockWidths(architecture);
  if (widths.join() !== data.widths.join())
    throw new RangeError(`${architecture.kind}: input widths [${data.widths}] do not match the architecture [${widths}]`);
  const root = new Rng(options.seed);
  const decoder = buildDecoder(architecture, root.fork(1));
  const adam = new Adam(decoder.trainable, { ...PYTORCH_ADAM_DEFAULTS, learningRate: options.learningRate });
  let shuffle = root.fork(2);
  const split = root.fork(3).permutation(data.rows);
  const validationRows = options.validationFraction > 0 ? Math.max(1, Math.round(options.validationFraction * data.rows)) : 0;
  const validationSet = split.slice(0, validationRows);
  const trainingSet = split.slice(validationRows).sort();
  // The dataset and validationFraction decide this: another attempt would fail the same way (never retried).
  if (trainingSet.length < 2)
    throw new DataValidationError(
      `${architecture.kind}: ${trainingSet.length} training row(s)${validationRows > 0 ? ` after holding out ${validationRows} of ${data.rows} for validation` : ''}; training needs at least 2 (batch norm)`,
    );
  const { checkpointDir, ...settings } = options;
  const fingerprint = JSON.stringify({ architecture, settings });

  let lossCurve: number[] = [];
  let validation = { best: Infinity, epochsWithoutImprovement: 0, lossCurve: [] as number[] };
  let resumedFromEpoch = 0;
  const { checkpoint, damage } = checkpointDir ? loadTrainingCheckpoint(checkpointDir) : { checkpoint: null, damage: null };
  if (damage) hooks.onCheckpointDamaged?.(damage);
  if (checkpoint) {
    if (checkpoint.fingerprint !== fingerprint)
      throw new ModelLoadError(`${checkpointDir}: checkpoint was written for other settings (${checkpoint.fingerprint})`);
    restoreTensors(decoder, adam, checkpoint, checkpointDir!);
    shuffle = Rng.fromState(checkpoint.rngState);
    lossCurve = [...checkpoint.lossCurve];
    if (checkpoint.validation) validation = { ...checkpoint.validation, lossCurve: [...checkpoint.validation.lossCurve] };
    resumedFromEpoch = checkpoint.epoch;
  }
  const stopped = () => validationRows > 0 && validation.epochsWithoutImprovement >= options.patience;
  const heartbeatMs = hooks.heartbeatMs ?? 2000;
  let lastBeat = Date.now();

  for (let epoch = resumedFromEpoch + 1; epoch <= options.epochs && !stopped(); epoch++) {
    const order = shuffle.shuffle(trainingSet.slice());
    const batches = batchesOf(order, options.batchSize);
    let weightedLoss = 0;
    let rowsSeen = 0;
    for (const [b, rows] of batches.entries()) {
      // Yield to the event loop so an abort message (worker thread) or the heartbeat timer can run.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (hooks.signal?.aborted) throw hooks.signal.reason instanceof Error ? hooks.signal.reason : new Error('training aborted');
      const batch = gatherBatch(data, rows);
      weightedLoss += trainingStep(decoder, adam, batch.blocks, batch.target) * rows.length;
      rowsSeen += rows.length;
      tf.dispose([...batch.blocks, batch.target]);
      if (Date.now() - lastBeat >= heartbeatMs) {
        lastBeat = Date.now();
        hooks.onHeartbeat?.({ epoch, batch: b + 1, batches: batches.length });
      }
    }
    lossCurve.push(weightedLoss / rowsSeen);
    let validationValue: number | null = null;
    if (validationRows > 0) {
      validationValue = validationLoss(decoder, data, validationSet);
      validation.lossCurve.push(validationValue);
      if (validationValue < validation.best) validation = { ...validation, best: validationValue, epochsWithoutImprovement: 0 };
      else validation.epochsWithoutImprovement += 1;
    }
    const last = epoch === options.epochs || stopped();
    if (checkpointDir && (epoch % options.checkpointEveryEpochs === 0 || last)) {
      saveTrainingCheckpoint(checkpointDir, {
        epoch,
        adamStep: adam.step,
        rngState: shuffle.state(),
        lossCurve,
        validation: validationRows > 0 ? validation : null,
        fingerprint,
        tensors: snapshotTensors(decoder, adam),
      });
    }
    hooks.onEpoch?.({ epoch, epochs: options.epochs, loss: lossCurve[lossCurve.length - 1]!, validationLoss: validationValue });
  }
  adam.dispose();
  return {
    decoder,
    lossCurve,
    validationLossCurve: validation.lossCurve,
    epochsRun: lossCurve.length,
    resumedFromEpoch,
    stoppedEarly: stopped(),
  };
}
