/**
 * What a stage can say about itself before anything runs (its spec's `estimate` and `checkPlan`, run by the config
 * loader over the whole plan, src/config/plan-checks.ts): the shape of what it will produce, as far as its params
 * and its inputs' planned shapes tell, and the memory one attempt needs. Types and arithmetic only (zod-free, no
 * Node APIs), so specs stay light.
 */
import type { PathSegment } from '../config/zod-describe.js';

/** Bytes of one float32 value: every table column and tfjs tensor the stages hold (src/tables/column-types.ts). */
export const FLOAT32_BYTES = 4;
/** Bytes of one float64 value: the fMRI linear algebra (src/linalg/dense.ts). */
export const FLOAT64_BYTES = 8;

/**
 * A stage's outputs as planned. A field is absent when the params cannot tell it (real data is only known once it is
 * read); counts are upper bounds where a stage may drop some (voxel selection keeps at most what it is given).
 */
export interface PlannedOutput {
  /** Items (rows of the `train`/`test` tables; images for image tables). */
  readonly items?: { readonly train?: number; readonly test?: number };
  /** Area name → units (channels, voxels) per item, in table order. */
  readonly areas?: Readonly<Record<string, number>>;
  /** Width of the `latent` column. */
  readonly latentDim?: number;
  /** Side of the square RGB images, pixels. */
  readonly imageSize?: number;
  /** Subjects whose trials it holds (fMRI trial tables). */
  readonly subjects?: number;
  /** Decoders whose predictions it holds (train). */
  readonly decoders?: readonly string[];
  /** Bytes of its tables held in memory by a stage that reads them all. */
  readonly bytes?: number;
}

/** An input as a downstream stage sees it at plan time: the upstream's planned output and the upstream stage id. */
export interface PlannedInput extends PlannedOutput {
  /** Upstream stage id, for messages ("input dataset (stage data) has …"). */
  readonly from: string;
}

/** One term of a memory estimate, with the key that scales it (reported when the estimate is over the limit). */
export interface MemoryPart {
  /** What it is and how it was counted: `train table: 4000 items × 960 units × 4 B`. */
  readonly what: string;
  readonly bytes: number;
  /** Key path inside the stage entry (`['with', 'decoders', 'pam', 'width']`, `['inputs', 'dataset']`). */
  readonly key: readonly PathSegment[];
}

export interface StageEstimate {
  /** Peak memory of one attempt is the sum of the parts (for a sharded stage: of one shard). */
  readonly memory: readonly MemoryPart[];
  readonly output: PlannedOutput;
}

/** A plan-time problem; `key` is a path inside the stage entry, as in MemoryPart. */
export interface PlanIssue {
  readonly key: readonly PathSegment[];
  readonly message: string;
}

/** Upper bound of one decoder's or network's float32 training state: weights, gradients, Adam's m and v. */
export const ADAM_COPIES = 4;

export function totalBytes(parts: readonly MemoryPart[]): number {
  return parts.reduce((sum, part) => sum + part.bytes, 0);
}

/** Sum of an area map's units. */
export function unitsOf(areas: Readonly<Record<string, number>>): number {
  return Object.values(areas).reduce((sum, units) => sum + units, 0);
}

/** `1.2 GiB`, `340 MiB`, `12 KiB`: binary units, three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toPrecision(3)} ${units[unit]}`;
}
