/**
 * The `stimuli` table images travel in between stages, and the `stimulus-files` record of what load-stimuli read.
 * Pixels are NHWC RGB in [-1, 1], the generator's output convention, so rendered and loaded images compare as is.
 */
import type { Table } from 'apache-arrow';
import { z } from 'zod';
import { DataValidationError } from '../errors/pipeline-errors.js';
import { float32Vector, float64, json, optional, text, utf8, utf8Of } from './column-types.js';
import { SPLITS, type Split } from './dataset.js';
import { defineTable, type TableOf, type TableSink, type TableSource } from './define-table.js';

const SIDE = json(z.number().int().positive());

/** `stimuli`: one row per image; metadata `source` says which generator/weights or loader made them. */
export const STIMULI = defineTable({
  name: 'stimuli',
  columns: { image_id: utf8(), split: utf8Of(SPLITS), pixels: float32Vector() },
  metadata: { height: SIDE, width: SIDE, source: optional(text()) },
  shapes: { pixels: { from: ['height', 'width'], width: (m) => m.height * m.width * 3 } },
});
export const STIMULI_TABLE = STIMULI.name;

/** `stimulus-files`: the sha256 of every file load-stimuli read (for lineage; the cache key holds the folder digest). */
export const STIMULUS_FILES = defineTable({
  name: 'stimulus-files',
  columns: { image_id: utf8(), split: utf8Of(SPLITS), file: utf8(), bytes: float64(), sha256: utf8() },
  metadata: { folder: text(), filesSha256: text() },
});
export const STIMULUS_FILES_TABLE = STIMULUS_FILES.name;

export interface Stimuli {
  ids: string[];
  splits: Split[];
  /** count × H × W × 3, row-major. */
  pixels: Float32Array;
  height: number;
  width: number;
  source: string;
}

export function stimuliToTable(stimuli: Stimuli): Table {
  return STIMULI.build(
    { image_id: stimuli.ids, split: stimuli.splits, pixels: { width: stimuli.height * stimuli.width * 3, values: stimuli.pixels } },
    { height: stimuli.height, width: stimuli.width, source: stimuli.source },
  );
}

export function writeStimuli(sink: TableSink, stimuli: Stimuli): void {
  sink.writeTable(STIMULI.name, stimuliToTable(stimuli));
}

/** Read and validate a stimuli table; `file` names it in errors. */
export function stimuliFromTable(table: Table, file: string): Stimuli {
  return checkedStimuli(STIMULI.fromTable(table, file));
}

/** The stimuli of an artifact. */
export function readStimuli(source: TableSource): Stimuli {
  return checkedStimuli(STIMULI.read(source));
}

function checkedStimuli({ file, columns, metadata }: TableOf<typeof STIMULI>): Stimuli {
  const { values, width } = columns.pixels;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= -1.0001 && v <= 1.0001)) {
      const row = Math.floor(i / width);
      throw new DataValidationError(`${file}: row ${row} ("${columns.image_id[row]}") has pixel value ${v} outside [-1, 1]`);
    }
  }
  return {
    ids: columns.image_id,
    splits: columns.split,
    pixels: values,
    height: metadata.height,
    width: metadata.width,
    source: metadata.source ?? 'unknown',
  };
}

/** One image's pixels. */
export function stimulusPixels(stimuli: Stimuli, index: number): Float32Array {
  const size = stimuli.height * stimuli.width * 3;
  return stimuli.pixels.subarray(index * size, (index + 1) * size);
}
