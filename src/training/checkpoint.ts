/**
 * Training checkpoints in the stage's partial folder: `<dir>/epoch-<n>/` per checkpointed epoch, the newest two kept
 * (src/store/checkpoint-dir.ts: sha256 manifest written last, every file re-hashed on resume). Each holds
 * `state.json` (epoch, Adam step, shuffling RNG state, loss curves, fingerprint, tensor list; validated with zod)
 * and `tensors.bin` (the float32 tensors in list order). Resume takes the newest intact one and reports the
 * damaged ones it passed over, so training never resumes from damage.
 */
import { z } from 'zod';
import { CheckpointDamage, CheckpointSeries, checkpointJson } from '../store/checkpoint-dir.js';
import type { RngState } from '../random/rng.js';

const STATE_FILE = 'state.json';
const TENSORS_FILE = 'tensors.bin';

export interface CheckpointTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

const uint32 = z.number().int().min(0).max(0xffffffff);
const headerSchema = z
  .object({
    /** Epochs completed. */
    epoch: z.number().int().min(1),
    adamStep: z.number().int().nonnegative(),
    /** State of the batch-shuffling stream after `epoch` epochs (src/random/rng.ts `state()`). */
    rngState: z.tuple([uint32, uint32, uint32, uint32, z.number().nullable()]),
    lossCurve: z.array(z.number()),
    validation: z
      .object({ best: z.number(), epochsWithoutImprovement: z.number().int().nonnegative(), lossCurve: z.array(z.number()) })
      .nullable(),
    /** Fingerprint of architecture + options; a checkpoint from other settings is refused. */
    fingerprint: z.string(),
    tensors: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) })),
  })
  .strict();

export type TrainingCheckpoint = Omit<z.infer<typeof headerSchema>, 'tensors' | 'rngState'> & {
  rngState: RngState;
  tensors: CheckpointTensor[];
};

export function saveTrainingCheckpoint(dir: string, checkpoint: TrainingCheckpoint): void {
  const header = { ...checkpoint, tensors: checkpoint.tensors.map(({ name, shape }) => ({ name, shape })) };
  const tensors = Buffer.concat(checkpoint.tensors.map((t) => new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength)));
  new CheckpointSeries(dir, 'epoch').save(checkpoint.epoch, { [STATE_FILE]: JSON.stringify(header), [TENSORS_FILE]: tensors });
}

function decode(files: ReadonlyMap<string, Buffer>, epoch: number): TrainingCheckpoint {
  const header = checkpointJson(files, STATE_FILE, headerSchema);
  if (header.epoch !== epoch) throw new CheckpointDamage(`${STATE_FILE} says epoch ${header.epoch}`);
  if (header.lossCurve.length !== epoch)
    throw new CheckpointDamage(`${STATE_FILE} has ${header.lossCurve.length} losses for ${epoch} epochs`);
  const bytes = files.get(TENSORS_FILE);
  if (!bytes) throw new CheckpointDamage(`${TENSORS_FILE} not listed`);
  let offset = 0;
  const tensors = header.tensors.map(({ name, shape }) => {
    const end = offset + 4 * shape.reduce((a, b) => a * b, 1);
    if (end > bytes.length) throw new CheckpointDamage(`${TENSORS_FILE} ends before tensor "${name}"`);
    // A copy: the file buffer need not be 4-byte aligned for a Float32Array view.
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + end));
    offset = end;
    return { name, shape, values };
  });
  if (offset !== bytes.length) throw new CheckpointDamage(`${TENSORS_FILE} has ${bytes.length - offset} bytes after the last tensor`);
  return { ...header, tensors };
}

/**
 * The newest intact checkpoint in `dir` (null: none, start over), and a line naming each damaged one passed over
 * and what happens instead, e.g. `checkpoint epoch 8 damaged (tensors.bin sha256 mismatch); resuming from epoch 6`
 * (null when nothing was damaged).
 */
export function loadTrainingCheckpoint(dir: string): { checkpoint: TrainingCheckpoint | null; damage: string | null } {
  const { found, damaged } = new CheckpointSeries(dir, 'epoch').newest(decode);
  if (damaged.length === 0) return { checkpoint: found?.value ?? null, damage: null };
  const passed = damaged.map(({ step, reason }) => `checkpoint epoch ${step} damaged (${reason})`);
  const instead = found ? `resuming from epoch ${found.step}` : 'starting over';
  return { checkpoint: found?.value ?? null, damage: [...passed, instead].join('; ') };
}
