/**
 * Per-area checkpoints in `ctx.partialDir`: a stage that works area by area stores each finished area's tables there,
 * so a retried attempt (same cache key, same params) reloads them instead of recomputing. A file that does not
 * parse as a complete Arrow file (the attempt died mid-write) is ignored and the area recomputed.
 */
import { existsSync, mkdirSync, renameSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { tableFromFileBytes, tableToFileBytes } from '../../tables/arrow-tables.js';

/** The file that holds part `part` of area `areaIndex`. */
export function checkpointFile(partialDir: string, areaIndex: number, part: string): string {
  return join(partialDir, `area-${areaIndex}-${part}.arrow`);
}

/** The saved parts of area `areaIndex`, or null when any is missing or incomplete. */
export function loadAreaCheckpoint<P extends string>(partialDir: string, areaIndex: number, parts: readonly P[]): Map<P, Table> | null {
  const tables = new Map<P, Table>();
  for (const part of parts) {
    const path = checkpointFile(partialDir, areaIndex, part);
    if (!existsSync(path)) return null;
    try {
      tables.set(part, tableFromFileBytes(readFileSync(path), path));
    } catch {
      return null;
    }
  }
  return tables;
}

/** Save the parts of one area (write-then-rename, so a file is either complete or absent). */
export function saveAreaCheckpoint(partialDir: string, areaIndex: number, tables: ReadonlyMap<string, Table>): void {
  mkdirSync(partialDir, { recursive: true });
  for (const [part, table] of tables) {
    const path = checkpointFile(partialDir, areaIndex, part);
    writeFileSync(`${path}.tmp`, tableToFileBytes(table));
    renameSync(`${path}.tmp`, path);
  }
}
