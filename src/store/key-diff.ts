/**
 * Explain a rerun: which parts of a stage's cache key changed since the experiment last ran it
 * (Nextflow's `-dump-hashes` / `lineage diff` idea, docs/design.md §A.2).
 */
import { canonicalJson } from '../util/canonical-json.js';
import type { ExternalRecord, StageKeyRecord } from './stage-records.js';

/** How many changed file names a folder's reason lists before `…`. */
const NAMED_FILES = 3;

export function describeKeyChanges(last: StageKeyRecord, now: StageKeyRecord): string[] {
  const previous = last.keyParts;
  const next = now.keyParts;
  const changes: string[] = [];
  if (previous.codeVersion !== next.codeVersion) changes.push(`code version ${previous.codeVersion} → ${next.codeVersion}`);
  if (previous.seed !== next.seed) changes.push(`seed ${previous.seed} → ${next.seed}`);
  const roles = new Set([...Object.keys(previous.inputKeys), ...Object.keys(next.inputKeys)]);
  for (const role of [...roles].sort()) {
    const before = previous.inputKeys[role];
    const after = next.inputKeys[role];
    if (before !== after) changes.push(`input ${role} ${short(before)} → ${short(after)}`);
  }
  const labels = new Set([...Object.keys(previous.external ?? {}), ...Object.keys(next.external ?? {})]);
  for (const label of [...labels].sort()) {
    const change = describeExternalChange(label, last.external[label], now.external[label]);
    if (change) changes.push(change);
  }
  diffValues('params', previous.params, next.params, changes);
  return changes;
}

/**
 * `data manifest b2g.yaml changed: sha256 1a2b3c4d5e6f → 9f8e7d6c5b4a`, or for a folder `stimulus folder images: 1 file
 * changed (train/0007.png), 1 added (test/0201.png)`.
 */
function describeExternalChange(label: string, before: ExternalRecord | undefined, after: ExternalRecord | undefined): string | null {
  if (!after) return before ? `${label} ${before.name} removed` : `${label} removed`;
  if (!before) return `${label} ${after.name} added (sha256 ${short(after.sha256)})`;
  if (before.sha256 === after.sha256) return null;
  const name = before.name === after.name ? after.name : `${before.name} → ${after.name}`;
  if (!before.files || !after.files) return `${label} ${name} changed: sha256 ${short(before.sha256)} → ${short(after.sha256)}`;
  const was = before.files;
  const is = after.files;
  const parts = [
    { what: 'changed', files: Object.keys(is).filter((f) => was[f] !== undefined && was[f] !== is[f]) },
    { what: 'added', files: Object.keys(is).filter((f) => was[f] === undefined) },
    { what: 'removed', files: Object.keys(was).filter((f) => is[f] === undefined) },
  ].filter((part) => part.files.length > 0);
  const listed = parts.map(({ what, files }, i) => {
    const names = files.slice(0, NAMED_FILES).join(', ') + (files.length > NAMED_FILES ? ', …' : '');
    return `${files.length}${i === 0 ? ` file${files.length === 1 ? '' : 's'}` : ''} ${what} (${names})`;
  });
  return `${label} ${name}: ${listed.join(', ')}`;
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
