/**
 * Resumable record of finished inversions: one checkpoint per finished image, `image-<index>/result.json`, in the
 * stage's partial folder (src/store/checkpoint-dir.ts: sha256 manifest written last, re-hashed on load), so a
 * worker killed mid-image leaves either the whole result or nothing, and a retried attempt skips exactly the
 * finished images. A damaged record is reported and its image inverted again.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { DataValidationError } from '../errors/pipeline-errors.js';
import { CheckpointDamage, checkpointJson, openCheckpointDir, writeCheckpointDir } from '../store/checkpoint-dir.js';

const RESULT_FILE = 'result.json';

const finishedImageSchema = z
  .object({
    imageId: z.string(),
    /** Seed numbers, in run order. */
    seeds: z.array(z.number().int()).min(1),
    /** Final latent of every seed (seeds × latentDim). */
    latents: z.array(z.number()),
    /** Final LPIPS of every seed. */
    lpips: z.array(z.number()),
    /** Index into `seeds` of the winner (lowest LPIPS). */
    best: z.number().int().nonnegative(),
  })
  .strict();

export type FinishedImage = z.infer<typeof finishedImageSchema>;

function decode(files: ReadonlyMap<string, Buffer>): FinishedImage {
  const result = checkpointJson(files, RESULT_FILE, finishedImageSchema);
  const seeds = result.seeds.length;
  if (result.lpips.length !== seeds || result.latents.length % seeds !== 0 || result.best >= seeds) {
    throw new CheckpointDamage(
      `${RESULT_FILE}: ${result.lpips.length} LPIPS, ${result.latents.length} latent values, best ${result.best} for ${seeds} seeds`,
    );
  }
  return result;
}

export class FinishedImages {
  constructor(private readonly dir: string) {}

  private dirOf(imageIndex: number): string {
    return join(this.dir, `image-${imageIndex}`);
  }

  /**
   * The saved result of image `imageIndex`, or null when there is none or it is damaged (`onDamaged` says why);
   * an intact result for another id is a stale folder and an error.
   */
  load(imageIndex: number, imageId: string, onDamaged: (reason: string) => void): FinishedImage | null {
    const opened = openCheckpointDir(this.dirOf(imageIndex), decode);
    if (opened.status === 'damaged') onDamaged(opened.reason);
    if (opened.status !== 'intact') return null;
    if (opened.value.imageId !== imageId) {
      const path = join(this.dirOf(imageIndex), RESULT_FILE);
      throw new DataValidationError(`${path}: holds image "${opened.value.imageId}", expected "${imageId}" (stale partial folder)`);
    }
    return opened.value;
  }

  save(imageIndex: number, result: FinishedImage): void {
    writeCheckpointDir(this.dirOf(imageIndex), { [RESULT_FILE]: JSON.stringify(result) });
  }
}
