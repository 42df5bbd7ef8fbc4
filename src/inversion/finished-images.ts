/**
 * Resumable record of finished inversions: one small JSON file per finished image in the stage's partial folder,
 * written to a temporary name and renamed (atomic on POSIX), so a worker killed mid-image leaves either the whole
 * result or nothing, and a retried attempt skips exactly the finished images.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDir, writeFileDurably } from '../store/file-io.js';
import { DataValidationError } from '../errors/pipeline-errors.js';

export interface FinishedImage {
  imageId: string;
  /** Seed numbers, in run order. */
  seeds: number[];
  /** Final latent of every seed (seeds × latentDim). */
  latents: number[];
  /** Final LPIPS of every seed. */
  lpips: number[];
  /** Index into `seeds` of the winner (lowest LPIPS). */
  best: number;
}

export class FinishedImages {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private pathOf(imageIndex: number): string {
    return join(this.dir, `image-${imageIndex}.json`);
  }

  /** The saved result of image `imageIndex`, or null; a result for another id is a stale folder and an error. */
  load(imageIndex: number, imageId: string): FinishedImage | null {
    const path = this.pathOf(imageIndex);
    if (!existsSync(path)) return null;
    const saved = JSON.parse(readFileSync(path, 'utf8')) as FinishedImage;
    if (saved.imageId !== imageId) {
      throw new DataValidationError(`${path}: holds image "${saved.imageId}", expected "${imageId}" (stale partial folder)`);
    }
    return saved;
  }

  save(imageIndex: number, result: FinishedImage): void {
    const path = this.pathOf(imageIndex);
    // A unique temporary name: an orphaned attempt of the same shard may still be writing beside this one.
    const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    writeFileDurably(temporary, JSON.stringify(result));
    renameSync(temporary, path);
    fsyncDir(dirname(path));
  }
}
