/**
 * Per-area checkpoints in `ctx.partialDir`: a stage that works area by area stores each finished area's tables in
 * `area-<index>/` (src/store/checkpoint-dir.ts: sha256 manifest written last, re-hashed on load), so a retried
 * attempt (same cache key, same params) reloads them instead of recomputing. An interrupted or damaged one is
 * reported by the caller and the area recomputed.
 */
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import { CheckpointDamage, openCheckpointDir, writeCheckpointDir } from '../../store/checkpoint-dir.js';
import { tableFromFileBytes, tableToFileBytes } from '../../tables/arrow-tables.js';

function areaDir(partialDir: string, areaIndex: number): string {
  return join(partialDir, `area-${areaIndex}`);
}

/** The file that holds part `part` of area `areaIndex`. */
export function checkpointFile(partialDir: string, areaIndex: number, part: string): string {
  return join(areaDir(partialDir, areaIndex), `${part}.arrow`);
}

/** The saved parts of area `areaIndex`, or null when there are none or they are damaged (`onDamaged` says why). */
export function loadAreaCheckpoint<P extends string>(
  partialDir: string,
  areaIndex: number,
  parts: readonly P[],
  onDamaged: (reason: string) => void,
): Map<P, Table> | null {
  const opened = openCheckpointDir(areaDir(partialDir, areaIndex), (files) => {
    const tables = new Map<P, Table>();
    for (const part of parts) {
      const bytes = files.get(`${part}.arrow`);
      if (!bytes) throw new CheckpointDamage(`${part}.arrow not listed`);
      try {
        tables.set(part, tableFromFileBytes(bytes, `${part}.arrow`));
      } catch (error) {
        if (error instanceof DataValidationError) throw new CheckpointDamage(error.message);
        throw error;
      }
    }
    return tables;
  });
  if (opened.status === 'damaged') onDamaged(opened.reason);
  return opened.status === 'intact' ? opened.value : null;
}

/** Save the parts of one area as one checkpoint. */
export function saveAreaCheckpoint(partialDir: string, areaIndex: number, tables: ReadonlyMap<string, Table>): void {
  const files = Object.fromEntries([...tables].map(([part, table]) => [`${part}.arrow`, tableToFileBytes(table)]));
  writeCheckpointDir(areaDir(partialDir, areaIndex), files);
}
