/**
 * Remove what killed attempts left behind: staging folders (`artifacts/.staging/`, artifact-store.ts
 * `createStaging`) and temporary files of checkpoints, stage records and caches (file-io.ts `replaceFileDurably`)
 * whose owner is gone. Their names carry host, pid and process start (owner-tag.ts), so
 *   - an owner on this host that has exited (or whose pid was reused) loses its leftovers;
 *   - a live owner on this host keeps them: it may still be writing;
 *   - this process's own are removed only where the caller knows none of its attempts is using them (`ownToo`);
 *   - another host's, and names without an owner (written before names carried one), are removed only when older
 *     than FOREIGN_AGE_MS: no attempt lives that long, so nothing can still be writing them.
 * Run at worker start (whole state folder) and before a stage computes (that stage and key only).
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ownerState, parseOwnedName, TEMPORARY_MARK, type Owner } from './owner-tag.js';

/**
 * Eight days: one more than the longest stage attempt can run (`runtime.stageTimeoutMinutes` is at most 10080,
 * seven days; src/config/config-schema.ts).
 */
export const FOREIGN_AGE_MS = 8 * 24 * 3600 * 1000;

/** The layout this sweep needs (ArtifactStore has it). */
export interface LeftoverLayout {
  readonly root: string;
  stagingRoot(): string;
  stagingPrefix(stage: string, key: string): string;
  partialDir(stage: string, key: string): string;
}

export interface LeftoverSweep {
  /** Only this stage and key: its staging folders and the temporary files in its partial folder. */
  within?: { stage: string; key: string };
  /** Also remove this process's own: no attempt of this process is computing what the sweep covers. */
  ownToo?: boolean;
  /** For tests. */
  now?: number;
}

/** Temporary files written before names carried an owner (`x.tmp`, `x.tmp-<pid>-<hex>`, `x.<pid>-<hex>.tmp`). */
const UNOWNED_TEMPORARY = /\.tmp$|\.tmp-\d+-[0-9a-f]+$/;

/** Remove the leftovers the sweep covers; returns the paths removed. */
export function removeLeftovers(layout: LeftoverLayout, sweep: LeftoverSweep = {}): string[] {
  const now = sweep.now ?? Date.now();
  const removed: string[] = [];
  const removeIfLeftover = (entry: string, owner: Owner | null): void => {
    const state = owner ? ownerState(owner) : 'foreign';
    const leftover =
      state === 'gone' || (state === 'self' && sweep.ownToo === true) || (state === 'foreign' && olderThan(entry, now - FOREIGN_AGE_MS));
    if (!leftover) return;
    rmSync(entry, { recursive: true, force: true });
    removed.push(entry);
  };

  const { within } = sweep;
  const stagingPrefix = within ? layout.stagingPrefix(within.stage, within.key) : null;
  for (const name of entries(layout.stagingRoot())) {
    const owned = parseOwnedName(name);
    // A staging folder written before names carried an owner is `<prefix>-<pid>-<hex>`.
    const covered = stagingPrefix === null || (owned ? owned.prefix === stagingPrefix : name.startsWith(`${stagingPrefix}-`));
    if (covered) removeIfLeftover(path.join(layout.stagingRoot(), name), owned?.owner ?? null);
  }
  const temporaries = within
    ? filesUnder(layout.partialDir(within.stage, within.key))
    : [
        ...topLevelFiles(layout.root),
        ...filesUnder(path.join(layout.root, 'partial')),
        ...filesUnder(path.join(layout.root, 'experiments')),
        ...filesUnder(path.join(layout.root, 'bundles')),
      ];
  for (const file of temporaries) {
    const owned = parseOwnedName(path.basename(file));
    const temporary = owned ? owned.prefix.endsWith(TEMPORARY_MARK) : UNOWNED_TEMPORARY.test(path.basename(file));
    if (temporary) removeIfLeftover(file, owned?.owner ?? null);
  }
  return removed;
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function topLevelFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

function olderThan(entry: string, cutoff: number): boolean {
  try {
    return statSync(entry).mtimeMs < cutoff;
  } catch {
    return false;
  }
}
