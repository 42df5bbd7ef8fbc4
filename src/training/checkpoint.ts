/**
 * Training checkpoints in the stage's partial folder: one self-describing file per decoder,
 * `<dir>/checkpoint.bin` = magic `PAMCKPT1`, uint32 LE header length, JSON header, zero padding to 4 bytes, then
 * the float32 tensors in header order. Written to a temporary name, fsynced, then renamed, so a reader sees either
 * the previous complete checkpoint or the new one (POSIX rename atomicity), never a torn file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { fsyncDir, writeFileDurably } from '../store/file-io.js';
import { join } from 'node:path';
import { DataValidationError } from '../errors/pipeline-errors.js';
import type { RngState } from '../random/rng.js';

const MAGIC = 'PAMCKPT1';
export const CHECKPOINT_FILE = 'checkpoint.bin';

export interface CheckpointTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface TrainingCheckpoint {
  /** Epochs completed. */
  epoch: number;
  adamStep: number;
  /** State of the batch-shuffling stream after `epoch` epochs. */
  rngState: RngState;
  lossCurve: number[];
  validation: { best: number; epochsWithoutImprovement: number; lossCurve: number[] } | null;
  /** Fingerprint of architecture + options; a checkpoint from other settings is refused. */
  fingerprint: string;
  tensors: CheckpointTensor[];
}

type Header = Omit<TrainingCheckpoint, 'tensors'> & { tensors: { name: string; shape: number[] }[] };

export function writeCheckpoint(dir: string, checkpoint: TrainingCheckpoint): void {
  mkdirSync(dir, { recursive: true });
  const header: Header = { ...checkpoint, tensors: checkpoint.tensors.map(({ name, shape }) => ({ name, shape })) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 4);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, MAGIC.length);
  const padding = Buffer.alloc((4 - ((prefix.length + json.length) % 4)) % 4);
  const target = join(dir, CHECKPOINT_FILE);
  // Unique per attempt (two attempts may share a process), fully written and fsynced before the rename.
  const temporary = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const tensors = checkpoint.tensors.map((t) => new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
  writeFileDurably(temporary, Buffer.concat([prefix, json, padding, ...tensors]));
  renameSync(temporary, target);
  fsyncDir(dir);
}

/** The checkpoint in `dir`, or null when there is none. A malformed file is a DataValidationError naming it. */
export function readCheckpoint(dir: string): TrainingCheckpoint | null {
  const file = join(dir, CHECKPOINT_FILE);
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new DataValidationError(`${file}: not a training checkpoint (bad magic)`);
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  const header = JSON.parse(bytes.toString('utf8', headerStart, headerStart + headerLength)) as Header;
  let offset = headerStart + headerLength;
  offset += (4 - (offset % 4)) % 4;
  const tensors = header.tensors.map(({ name, shape }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * count > bytes.length) throw new DataValidationError(`${file}: truncated at tensor "${name}"`);
    const values = new Float32Array(count);
    values.set(new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 4 * count)));
    offset += 4 * count;
    return { name, shape, values };
  });
  if (offset !== bytes.length) throw new DataValidationError(`${file}: ${bytes.length - offset} trailing bytes after the last tensor`);
  return { ...header, tensors };
}
