/**
 * The content-addressed artifact store: the pipeline's cache and its lineage record.
 *
 * Layout under the store root:
 *   artifacts/<stage>/<key>/            committed, immutable: Arrow files + manifest.json
 *   artifacts/.staging/<stage>-<key16>~<host>~<pid>~<start>~<random>/  being written; renamed into place when
 *                                       complete; a dead writer's is removed (leftovers.ts)
 *   artifacts/.quarantine/<stage>-<key>-<time>/  artifacts that failed verification (kept for inspection)
 *   partial/<stage>/<key>/              checkpoints that survive failed attempts, deleted on commit
 * A committed folder exists only after every file in it was fsynced and hashed into its manifest, so a crash
 * leaves either nothing or a complete artifact (the DVC/Snakemake lesson in docs/design.md §A.3).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { hashCanonical } from '../util/canonical-json.js';
import { tableFromFileBytes, tableToFileBytes } from '../tables/arrow-tables.js';
import { fsyncDir, hashFile, listFilesRecursive, writeFileDurably } from './file-io.js';
import { ownedName } from './owner-tag.js';
import { injectFault } from '../threads/thread-faults.js';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT_VERSION,
  parseManifest,
  type ArtifactManifest,
  type CacheKeyParts,
  type ManifestFile,
  type ParsedManifest,
  type ProducerInfo,
} from './artifact-manifest.js';
import { DataValidationError } from '../errors/pipeline-errors.js';
import type { ArtifactWriter, SummaryValue } from '../stages/stage-definition.js';

export type VerifyResult =
  | { status: 'missing' }
  | { status: 'intact'; manifest: ArtifactManifest; dir: string }
  | { status: 'corrupt'; reason: string; dir: string };

/** The cache key: sha256 over canonical JSON of {stage, code version, params, input keys, seed[, shard]}. */
export function cacheKey(parts: CacheKeyParts): string {
  return hashCanonical(parts);
}

/** Writes files into a staging folder; `commit` turns it into an artifact. */
export class StagingArtifact implements ArtifactWriter {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  writeTable(name: string, table: Parameters<typeof tableToFileBytes>[0]): void {
    this.writeFile(`${name}.arrow`, tableToFileBytes(table));
  }

  writeFile(name: string, bytes: Uint8Array | string): void {
    const target = path.resolve(this.dir, name);
    if (!target.startsWith(this.dir + path.sep) || name === MANIFEST_FILE) {
      throw new RangeError(`artifact file name "${name}" must stay inside the artifact and not be ${MANIFEST_FILE}`);
    }
    writeFileDurably(target, bytes);
  }

  /** The manifest as another store committed it (src/store/shared-artifacts.ts), written last. */
  writeManifestBytes(bytes: Uint8Array): void {
    writeFileDurably(path.join(this.dir, MANIFEST_FILE), bytes);
    fsyncDir(this.dir);
  }

  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class ArtifactStore {
  constructor(readonly root: string) {}

  artifactDir(stage: string, key: string): string {
    return path.join(this.root, 'artifacts', stage, key);
  }

  partialDir(stage: string, key: string): string {
    return path.join(this.root, 'partial', stage, key);
  }

  /**
   * Is the artifact committed, and are all its files exactly the committed ones? A manifest of a newer format
   * throws DataValidationError instead: it is not damaged, and quarantining it would break the newer reader.
   */
  async verify(stage: string, key: string): Promise<VerifyResult> {
    const dir = this.artifactDir(stage, key);
    const manifestPath = path.join(dir, MANIFEST_FILE);
    if (!existsSync(dir)) return { status: 'missing' };
    const parsed = loadManifest(dir);
    if (!parsed.ok && parsed.problem === 'newer') throw new DataValidationError(parsed.message);
    if (!parsed.ok) return { status: 'corrupt', dir, reason: parsed.message };
    const { manifest } = parsed;
    if (manifest.key !== key || manifest.stage !== stage) {
      return { status: 'corrupt', dir, reason: `${manifestPath}: names ${manifest.stage}/${manifest.key}` };
    }
    for (const file of manifest.files) {
      const filePath = path.join(dir, file.path);
      if (!existsSync(filePath)) return { status: 'corrupt', dir, reason: `${filePath}: missing` };
      const actual = await hashFile(filePath);
      if (actual.bytes !== file.bytes) {
        return { status: 'corrupt', dir, reason: `${filePath}: ${actual.bytes} bytes, manifest says ${file.bytes} (truncated or altered)` };
      }
      if (actual.sha256 !== file.sha256) {
        return {
          status: 'corrupt',
          dir,
          reason: `${filePath}: sha256 ${actual.sha256.slice(0, 12)}… differs from the manifest's ${file.sha256.slice(0, 12)}…`,
        };
      }
    }
    return { status: 'intact', manifest, dir };
  }

  /**
   * Move a bad artifact aside so it is never used, yet can be inspected. Returns where it went, or null when
   * another process moved it first.
   */
  quarantine(stage: string, key: string): string | null {
    const target = path.join(this.root, 'artifacts', '.quarantine', `${stage}-${key}-${Date.now()}-${randomBytes(3).toString('hex')}`);
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      renameSync(this.artifactDir(stage, key), target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return target;
  }

  stagingRoot(): string {
    return path.join(this.root, 'artifacts', '.staging');
  }

  /** What the names of this stage and key's staging folders start with. */
  stagingPrefix(stage: string, key: string): string {
    return `${stage}-${key.slice(0, 16)}`;
  }

  /** A fresh staging folder, named after this process (owner-tag.ts) so a dead attempt's is recognised (leftovers.ts). */
  createStaging(stage: string, key: string): StagingArtifact {
    return new StagingArtifact(path.join(this.stagingRoot(), ownedName(this.stagingPrefix(stage, key))));
  }

  /**
   * Hash every staged file into a manifest, fsync, and rename the folder into place. If an intact artifact
   * with this key already exists (another worker won the race) the staged copy is dropped; a corrupt one is
   * quarantined first.
   */
  async commit(
    staging: StagingArtifact,
    details: {
      keyParts: CacheKeyParts;
      inputs: ArtifactManifest['inputs'];
      summary: Record<string, SummaryValue>;
      startedAt: Date;
      producer: ProducerInfo;
    },
  ): Promise<{ manifest: ArtifactManifest; dir: string }> {
    const stage = details.keyParts.stage;
    const key = cacheKey(details.keyParts);
    const files: ManifestFile[] = [];
    for (const rel of await listFilesRecursive(staging.dir)) {
      const full = path.join(staging.dir, rel);
      const { sha256, bytes } = await hashFile(full);
      const entry: ManifestFile = { path: rel, bytes, sha256 };
      if (rel.endsWith('.arrow')) {
        const table = tableFromFileBytes(readFileSync(full), full);
        entry.rows = table.numRows;
        entry.schema = table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`);
      }
      files.push(entry);
    }
    const finishedAt = new Date();
    const manifest: ArtifactManifest = {
      formatVersion: MANIFEST_FORMAT_VERSION,
      stage,
      key,
      keyParts: details.keyParts,
      inputs: details.inputs,
      files,
      summary: details.summary,
      timings: {
        startedAt: details.startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        seconds: (finishedAt.getTime() - details.startedAt.getTime()) / 1000,
      },
      producer: details.producer,
    };
    writeFileDurably(path.join(staging.dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
    fsyncDir(staging.dir);
    injectFault(`artifact-staged:${stage}`);

    const placed = await this.place(staging.dir, stage, key);
    if (placed.status === 'placed') {
      injectFault(`artifact-committed:${stage}`);
      rmSync(this.partialDir(stage, key), { recursive: true, force: true });
      return { manifest, dir: placed.dir };
    }
    return { manifest: placed.manifest, dir: placed.dir };
  }

  /**
   * Rename a complete staged folder (its manifest written) into place as the artifact `stage`/`key`. If an intact
   * artifact already has the key (another worker won the race) the staged copy is dropped and theirs returned; a
   * corrupt one is quarantined first.
   */
  async place(
    stagedDir: string,
    stage: string,
    key: string,
  ): Promise<{ status: 'placed'; dir: string } | { status: 'kept-existing'; dir: string; manifest: ArtifactManifest }> {
    const finalDir = this.artifactDir(stage, key);
    const existing = await this.verify(stage, key);
    if (existing.status === 'intact') {
      rmSync(stagedDir, { recursive: true, force: true });
      return { status: 'kept-existing', dir: finalDir, manifest: existing.manifest };
    }
    if (existing.status === 'corrupt') this.quarantine(stage, key);
    mkdirSync(path.dirname(finalDir), { recursive: true });
    try {
      renameSync(stagedDir, finalDir);
    } catch (error) {
      // Another worker committed the same key between our check and the rename: keep theirs if it is intact.
      const code = (error as NodeJS.ErrnoException).code;
      const raced = code === 'ENOTEMPTY' || code === 'EEXIST' ? await this.verify(stage, key) : undefined;
      if (raced?.status !== 'intact') throw error;
      rmSync(stagedDir, { recursive: true, force: true });
      return { status: 'kept-existing', dir: finalDir, manifest: raced.manifest };
    }
    fsyncDir(path.dirname(finalDir));
    return { status: 'placed', dir: finalDir };
  }

  /** Read a committed manifest, validated but without hashing its files; DataValidationError when unusable. */
  readManifest(stage: string, key: string): ArtifactManifest {
    const parsed = loadManifest(this.artifactDir(stage, key));
    if (!parsed.ok) throw new DataValidationError(parsed.message);
    return parsed.manifest;
  }
}

/** The manifest of the artifact folder `dir`, read and validated; an unreadable file counts as invalid (damaged). */
export function loadManifest(dir: string): ParsedManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problem: 'invalid', message: `${file}: unreadable manifest (${(error as Error).message})` };
  }
  return parseManifest(text, file);
}

/** Who is producing an artifact (filled in further by the activity with workflow/run ids). */
export function localProducer(extra: Partial<ProducerInfo> = {}): ProducerInfo {
  return { host: os.hostname(), pid: process.pid, nodeVersion: process.version, ...extra };
}
