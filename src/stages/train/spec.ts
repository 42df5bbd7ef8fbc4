import { z } from 'zod';
import type { StageSpec } from '../stage-spec.js';
import { checkTrainPlan, estimateTrain } from './plan.js';

/**
 * Upper bounds that only catch typos (the authors train 100–150 epochs of width 512): each is orders of magnitude
 * above any real setting, and the memory estimate (plan.ts) catches sizes that fit the bounds but not the machine.
 */
const MAX_EPOCHS = 100_000;
const MAX_WIDTH = 65_536;

/** Options both decoders share (authors' `decoder.py`: Adam lr 1e-3, batch 32; no validation split). */
const common = {
  /** Authors: 150 for B2G, 100 for GOD. */
  epochs: z.number().int().positive().max(MAX_EPOCHS).default(150),
  /** At least 2: batch norm in training mode needs two rows (src/models/layers.ts). */
  batchSize: z.number().int().min(2).max(1_000_000).default(32),
  learningRate: z.number().positive().max(1).default(1e-3),
  /** Areas to use, in this order; default: every `area:*` column of the dataset, in its `areas` metadata order. */
  areas: z.array(z.string().min(1)).min(1).optional(),
  /** Fraction of training items held out for early stopping; 0 (default, as in the authors' code) disables it. */
  validationFraction: z.number().min(0).max(0.5).default(0),
  /** Epochs without validation improvement before stopping (only with validationFraction > 0). */
  patience: z.number().int().positive().max(MAX_EPOCHS).default(10),
};

const baseline = z.object(common).strict();
const pam = z
  .object({
    ...common,
    /** Hidden width c of the embedding blocks and keys (authors: 512). */
    width: z.number().int().positive().max(MAX_WIDTH).default(512),
    /** Linear→BatchNorm→ReLU blocks per head: the authors' code uses 1 (the paper text says 5 for B2G, 1 for GOD). */
    embeddingBlocks: z.number().int().positive().max(64).default(1),
  })
  .strict();

const params = z
  .object({
    decoders: z
      .object({ baseline: baseline.optional(), pam: pam.optional() })
      .strict()
      .refine((d) => d.baseline !== undefined || d.pam !== undefined, { message: 'configure at least one decoder (baseline or pam)' }),
    /** Write a resumable checkpoint every k epochs (and after the last). */
    checkpointEveryEpochs: z.number().int().positive().max(MAX_EPOCHS).default(1),
    /** Train the decoders side by side in worker threads (one core each); false trains them one after another in this thread. */
    parallel: z.boolean().default(true),
  })
  .strict();

export type TrainParams = z.infer<typeof params>;
export type BaselineOptions = z.infer<typeof baseline>;
export type PamOptions = z.infer<typeof pam>;

export const spec: StageSpec<typeof params> = {
  kind: 'train',
  description:
    'Train the baseline decoder and PAM on the dataset; write test predictions, attention, keys, values, queries, loss curves and weights',
  codeVersion: '2',
  inputs: ['dataset'],
  params,
  estimate: estimateTrain,
  checkPlan: checkTrainPlan,
  loadRunner: async () => (await import('./runner.js')).runner,
};
