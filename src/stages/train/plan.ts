/**
 * Plan-time side of the `train` stage (StageSpec.estimate / checkPlan): the cross-checks of its decoders' options
 * against the dataset it will read, and its peak memory. The memory model follows what the runner holds
 * (src/stages/train/runner.ts, src/training/): the dataset tables, each decoder's copy of its input blocks, the
 * decoder's training state, and one Node isolate per decoder thread. Its constants were measured with
 * test/support/measure-stage-memory.ts on the wasm backend (test/training/train-memory-estimate.test.ts keeps the
 * estimate within 2× of the measured peak).
 */
import type { PathSegment } from '../../config/zod-describe.js';
import { FLOAT32_BYTES, formatBytes, type MemoryPart, type PlanIssue, type PlannedInput, type StageEstimate } from '../stage-plan.js';
import type { BaselineOptions, PamOptions, TrainParams } from './spec.js';

type DecoderName = 'baseline' | 'pam';

/**
 * Bytes per model parameter while training: weights, gradients and Adam's two moments live in the tfjs wasm heap
 * (16 B), Adam's new moments exist beside the old ones until those are disposed (+12 B), the heap grows by
 * doubling (×2), and a checkpoint copies weights and moments out and concatenates them into one buffer (+24 B).
 * Measured: 78 B per parameter for a 5.5 M-parameter PAM.
 */
export const TRAINING_BYTES_PER_PARAMETER = (16 + 12) * 2 + 24;
/** A decoder thread's own Node isolate, tsx loader, tfjs and wasm instance (measured: 110 MB each). */
export const DECODER_THREAD_BYTES = 110 * 1024 ** 2;
/** tfjs and its wasm backend in the stage's own thread, when the decoders train there (measured: 35 MB). */
export const TFJS_RUNTIME_BYTES = 32 * 1024 ** 2;
/** Reading a dataset table holds its file bytes and the column copies the table readers make (src/tables/). */
const TABLE_READ_COPIES = 2;

/** Parameters (trainable and batch-norm state) of the baseline: Linear(units → d, no bias) → BatchNorm(d). */
export function baselineParameters(units: number, latentDim: number): number {
  return units * latentDim + 4 * latentDim;
}

/**
 * Parameters of PAM (src/models/pam-decoder.ts): per area `embeddingBlocks` × [Linear(→ c, bias) → BatchNorm(c)]
 * and a key/value Linear(c → c + d, bias); one query Linear(c → d, bias).
 */
export function pamParameters(
  areaUnits: readonly number[],
  options: Pick<PamOptions, 'width' | 'embeddingBlocks'>,
  latentDim: number,
): number {
  const c = options.width;
  const blocks = (units: number) => units * c + c + 4 * c + (options.embeddingBlocks - 1) * (c * c + c + 4 * c);
  const keyValue = c * (c + latentDim) + c + latentDim;
  return areaUnits.reduce((sum, units) => sum + blocks(units) + keyValue, 0) + c * latentDim + latentDim;
}

function configured(params: TrainParams): [DecoderName, BaselineOptions | PamOptions][] {
  return (['baseline', 'pam'] as const).flatMap((name) => {
    const options = params.decoders[name];
    return options ? [[name, options] as [DecoderName, BaselineOptions | PamOptions]] : [];
  });
}

/** Units of the areas a decoder uses, when the dataset's areas are known. */
function selectedUnits(dataset: PlannedInput, options: BaselineOptions): number[] | undefined {
  const { areas } = dataset;
  if (areas === undefined) return undefined;
  const names = options.areas ?? Object.keys(areas);
  return names.map((name) => areas[name] ?? 0);
}

function describeInput(dataset: PlannedInput): string {
  return `input dataset (stage ${dataset.from})`;
}

export function checkTrainPlan(params: TrainParams, inputs: Readonly<Record<string, PlannedInput>>): PlanIssue[] {
  const dataset = inputs['dataset'];
  if (dataset === undefined) return [];
  const issues: PlanIssue[] = [];
  const items = dataset.items?.train;
  // Batch norm in training mode needs at least 2 rows (src/models/layers.ts), so training needs 2 rows.
  if (items !== undefined && items < 2) {
    const message = `${describeInput(dataset)} has ${items} training item(s); training needs at least 2 (batch norm)`;
    return [{ key: ['inputs', 'dataset'], message }];
  }
  for (const [name, options] of configured(params)) {
    const at = (...key: PathSegment[]): PathSegment[] => ['with', 'decoders', name, ...key];
    if (dataset.areas !== undefined) {
      const known = Object.keys(dataset.areas);
      options.areas?.forEach((area, i) => {
        if (!known.includes(area)) {
          issues.push({ key: at('areas', i), message: `unknown area "${area}"; ${describeInput(dataset)} has ${known.join(', ')}` });
        }
      });
    }
    if (items === undefined) continue;
    const held = options.validationFraction > 0 ? Math.max(1, Math.round(options.validationFraction * items)) : 0;
    const rows = items - held;
    if (rows < 2) {
      issues.push({
        key: at('validationFraction'),
        message: `holds out ${held} of the ${items} training items of ${describeInput(dataset)}, leaving ${rows}; training needs at least 2 (batch norm)`,
      });
    } else if (options.batchSize > rows) {
      issues.push({
        key: at('batchSize'),
        message: `expected at most the ${rows} training rows of ${describeInput(dataset)}${held > 0 ? ` after the validation split` : ''}, found ${options.batchSize} (number)`,
      });
    }
  }
  return issues;
}

export function estimateTrain(params: TrainParams, inputs: Readonly<Record<string, PlannedInput>>): StageEstimate {
  const dataset = inputs['dataset'] ?? { from: '?' };
  const decoders = configured(params);
  const inThreads = params.parallel && decoders.length > 1;
  const latentDim = dataset.latentDim;
  const rows =
    dataset.items?.train !== undefined && dataset.items.test !== undefined ? dataset.items.train + dataset.items.test : undefined;
  const memory: MemoryPart[] = [];
  if (dataset.bytes !== undefined) {
    const bytes = TABLE_READ_COPIES * dataset.bytes;
    memory.push({ what: `${describeInput(dataset)} tables, read (file bytes + columns)`, bytes, key: ['inputs', 'dataset'] });
  }
  const models: MemoryPart[] = [];
  for (const [name, options] of decoders) {
    const units = selectedUnits(dataset, options);
    if (units === undefined || latentDim === undefined) continue;
    const total = units.reduce((a, b) => a + b, 0);
    // The baseline concatenates its areas into one new block; a decoder thread receives a structured-clone copy.
    const copies = (name === 'baseline' ? 1 : 0) + (inThreads ? 1 : 0);
    if (rows !== undefined && copies > 0) {
      const bytes = copies * rows * (total + latentDim) * FLOAT32_BYTES;
      memory.push({
        what: `${name} input blocks: ${copies} × ${rows} items × ${total + latentDim} values × 4 B`,
        bytes,
        key: ['inputs', 'dataset'],
      });
    }
    const parameters = name === 'baseline' ? baselineParameters(total, latentDim) : pamParameters(units, options as PamOptions, latentDim);
    models.push({
      what: `${name} training state: ${parameters} parameters × ${TRAINING_BYTES_PER_PARAMETER} B (weights, gradients, Adam moments, checkpoint)`,
      bytes: parameters * TRAINING_BYTES_PER_PARAMETER,
      key: name === 'pam' ? ['with', 'decoders', 'pam', 'width'] : ['with', 'decoders', 'baseline'],
    });
  }
  const testItems = dataset.items?.test;
  const predictions =
    testItems !== undefined && latentDim !== undefined ? testItems * latentDim * FLOAT32_BYTES * decoders.length : undefined;
  const output = {
    ...(testItems !== undefined ? { items: { test: testItems } } : {}),
    ...(latentDim !== undefined ? { latentDim } : {}),
    ...(predictions !== undefined ? { bytes: predictions } : {}),
    decoders: decoders.map(([name]) => name),
  };
  // Without the dataset's sizes (real data, known once read) the constants alone would understate it: no estimate.
  if (models.length === 0) return { memory: [], output };
  if (inThreads) {
    memory.push(...models);
    memory.push({
      what: `${decoders.length} decoder threads × ${formatBytes(DECODER_THREAD_BYTES)} (isolate, tfjs, wasm)`,
      bytes: decoders.length * DECODER_THREAD_BYTES,
      key: ['with', 'parallel'],
    });
  } else {
    // One after another in one tfjs heap, which does not shrink: the largest decoder sets the peak.
    const largest = models.reduce<MemoryPart | undefined>((a, b) => (a === undefined || b.bytes > a.bytes ? b : a), undefined);
    if (largest) memory.push(largest);
    memory.push({ what: 'tfjs and its wasm backend', bytes: TFJS_RUNTIME_BYTES, key: ['with'] });
  }
  return { memory, output };
}
