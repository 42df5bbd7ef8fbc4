/**
 * Read access to a committed artifact, as handed to a stage runner (`ctx.inputs[role]`). The manifest is validated
 * when the input is opened, and every file is checked against the manifest's size and sha256 as it is read, so
 * a stage computes from exactly the bytes that were committed, or fails with InputDamagedError naming the file
 * (the workflow then recomputes the upstream stage: workflows/experiment.ts). The hash is taken over the bytes
 * already read, never a second read of the file, so nothing can change between the check and the use.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { DataValidationError, InputDamagedError } from '../errors/pipeline-errors.js';
import type { ArtifactInput } from '../stages/stage-definition.js';
import { tableFromFileBytes } from '../tables/arrow-tables.js';
import { sha256Hex } from '../util/canonical-json.js';
import { MANIFEST_FILE } from './artifact-manifest.js';
import { loadManifest } from './artifact-store.js';

/** Who opens the input: the consuming stage's kind and the role it reads the input under. */
export interface InputOpener {
  consumer: string;
  role: string;
}

/** `opener` is absent when the artifact is read outside a stage (tests, reports). */
export function openArtifactInput(dir: string, opener?: InputOpener): ArtifactInput {
  const who = opener ? `stage ${opener.consumer}: input "${opener.role}"` : 'artifact';
  // The folder is artifacts/<stage>/<key> (src/store/artifact-store.ts), so it names the artifact even when its
  // manifest is unreadable.
  const named = { stage: path.basename(path.dirname(dir)), key: path.basename(dir) };
  const damaged = (file: string, problem: string, cause?: unknown): InputDamagedError =>
    new InputDamagedError(`${who} (${named.stage}/${named.key.slice(0, 12)}…) is damaged: ${problem}`, {
      cause,
      details: { consumer: opener?.consumer ?? '', role: opener?.role ?? '', ...named, file },
    });

  const parsed = loadManifest(dir);
  if (!parsed.ok && parsed.problem === 'newer') throw new DataValidationError(`${who}: ${parsed.message}`);
  const manifestFile = path.join(dir, MANIFEST_FILE);
  if (!parsed.ok) throw damaged(manifestFile, parsed.message);
  const { manifest } = parsed;
  if (manifest.stage !== named.stage || manifest.key !== named.key) {
    throw damaged(manifestFile, `${manifestFile}: names ${manifest.stage}/${manifest.key}, not the artifact of its folder`);
  }
  const entries = new Map(manifest.files.map((f) => [f.path, f]));

  /** The bytes of a manifest file, checked against its recorded size and sha256. */
  const readVerified = (name: string): Buffer => {
    const entry = entries.get(name);
    if (!entry) throw new DataValidationError(`${dir}: artifact of stage ${manifest.stage} has no file "${name}"`);
    const file = path.join(dir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (cause) {
      throw damaged(file, `${file}: unreadable (${(cause as Error).message})`, cause);
    }
    if (bytes.length !== entry.bytes) throw damaged(file, `${file}: ${bytes.length} bytes, manifest says ${entry.bytes}`);
    const sha256 = sha256Hex(bytes);
    if (sha256 !== entry.sha256) {
      throw damaged(file, `${file}: sha256 ${sha256.slice(0, 12)}… differs from the manifest's ${entry.sha256.slice(0, 12)}…`);
    }
    return bytes;
  };

  const tables = manifest.files.filter((f) => f.path.endsWith('.arrow')).map((f) => f.path.slice(0, -'.arrow'.length));
  return {
    stage: manifest.stage,
    key: manifest.key,
    dir,
    tables,
    summary: manifest.summary,
    readTable(name: string): Table {
      if (!tables.includes(name)) {
        throw new DataValidationError(`${dir}: artifact of stage ${manifest.stage} has no table "${name}" (has: ${tables.join(', ')})`);
      }
      const file = path.join(dir, `${name}.arrow`);
      return tableFromFileBytes(readVerified(`${name}.arrow`), file);
    },
    readFile: readVerified,
  };
}
