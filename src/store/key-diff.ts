/**
 * Explain a rerun: which parts of a stage's cache key changed since the experiment last ran it
 * (Nextflow's `-dump-hashes` / `lineage diff` idea, docs/design.md §A.2).
 */
import { canonicalJson } from '../util/canonical-json.js';
import type { CacheKeyParts } from './artifact-manifest.js';

export function describeKeyChanges(previous: CacheKeyParts, next: CacheKeyParts): string[] {
  const changes: string[] = [];
  if (previous.codeVersion !== next.codeVersion) changes.push(`code version ${previous.codeVersion} → ${next.codeVersion}`);
  if (previous.seed !== next.seed) changes.push(`seed ${previous.seed} → ${next.seed}`);
  const roles = new Set([...Object.keys(previous.inputKeys), ...Object.keys(next.inputKeys)]);
  for (const role of [...roles].sort()) {
    const before = previous.inputKeys[role];
    const after = next.inputKeys[role];
    if (before !== after) changes.push(`input ${role} ${short(before)} → ${short(after)}`);
  }
  diffValues('params', previous.params, next.params, changes);
  return changes;
}

function short(key: string | undefined): string {
  return key === undefined ? '(none)' : key.slice(0, 12);
}

function diffValues(path: string, before: unknown, after: unknown, out: string[]): void {
  if (canonicalJson(before ?? null) === canonicalJson(after ?? null)) return;
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      diffValues(`${path}.${key}`, before[key], after[key], out);
    }
    return;
  }
  out.push(`${path}: ${render(before)} → ${render(after)}`);
}

function render(value: unknown): string {
  const text = value === undefined ? '(unset)' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
