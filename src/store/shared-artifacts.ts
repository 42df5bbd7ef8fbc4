/**
 * The artifact store when workers share no disk: committed artifacts live in an object store every worker and
 * client reaches (src/store/object-store.ts, an S3 bucket), and each process keeps a local ArtifactStore as a
 * verified read-through cache of it.
 *
 * Remote layout, under the object store's prefix:
 *   <stage>/<key>/manifest.json               the commit marker: created last, only if absent
 *   <stage>/<key>/files/<sha256>/<path>       each file the manifest lists, named by its content
 *   .quarantine/<stage>-<key>-<time>/manifest.json   a retracted manifest whose files failed verification
 * Files are named by content so that two writers racing on one key can never overwrite each other's bytes: both
 * upload, one manifest wins, and every file it lists is the one it hashed. A reader downloads every file into a
 * staging folder, checks its sha256 and size against the manifest, and only then renames it into the local cache
 * (docs/cluster.md §2).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, parseManifest, type ArtifactManifest } from './artifact-manifest.js';
import type { ArtifactStore } from './artifact-store.js';
import type { ObjectStore } from './object-store.js';
import { DataValidationError } from '../errors/pipeline-errors.js';
import { forEachLimited } from '../util/limited.js';

/** Transfers at once per artifact: enough to hide an object store's latency, few enough for a laptop's uplink. */
const TRANSFERS = 4;

export type RemoteFetch =
  | { status: 'missing' }
  | { status: 'fetched'; manifest: ArtifactManifest; dir: string }
  | { status: 'corrupt'; reason: string; movedTo: string };

export class SharedArtifacts {
  constructor(
    readonly remote: ObjectStore,
    readonly local: ArtifactStore,
  ) {}

  /** Where the artifact lives in the shared store, as a URI. */
  locate(stage: string, key: string): string {
    return `${this.remote.location}/${stage}/${key}/`;
  }

  /** The committed manifest in the shared store, validated; null when none is committed under the key. */
  async manifest(stage: string, key: string): Promise<ArtifactManifest | null> {
    const read = await this.readManifest(stage, key);
    if (read === null) return null;
    if (!read.ok) throw new DataValidationError(read.message);
    return read.manifest;
  }

  /**
   * Download the committed artifact into the local cache, verifying every file against its manifest. A remote
   * artifact that fails verification is retracted (its manifest moved to `.quarantine/`), so no worker uses it.
   */
  async fetch(stage: string, key: string): Promise<RemoteFetch> {
    const read = await this.readManifest(stage, key);
    if (read === null) return { status: 'missing' };
    if (!read.ok) {
      if (read.problem === 'newer') throw new DataValidationError(read.message);
      return { status: 'corrupt', reason: read.message, movedTo: await this.retract(stage, key, read.bytes) };
    }
    const { manifest } = read;
    const staging = this.local.createStaging(stage, key);
    const problems: string[] = [];
    await forEachLimited(manifest.files, TRANSFERS, async (file) => {
      const object = fileObject(stage, key, file);
      const got = await this.remote.getFile(object, path.join(staging.dir, file.path));
      if (got === null) problems.push(`${this.remote.location}/${object}: missing`);
      else if (got.bytes !== file.bytes || got.sha256 !== file.sha256)
        problems.push(
          `${this.remote.location}/${object}: ${got.bytes} bytes, sha256 ${got.sha256.slice(0, 12)}…, manifest says ${file.bytes} bytes, ${file.sha256.slice(0, 12)}…`,
        );
    });
    if (problems.length > 0) {
      staging.discard();
      return { status: 'corrupt', reason: problems.sort()[0]!, movedTo: await this.retract(stage, key, read.bytes) };
    }
    staging.writeManifestBytes(read.bytes);
    const placed = await this.local.place(staging.dir, stage, key);
    return { status: 'fetched', manifest: placed.status === 'placed' ? manifest : placed.manifest, dir: placed.dir };
  }

  /**
   * Publish a locally committed artifact (files first, the manifest last and only if absent). When another writer
   * committed the key first, its artifact is the one: the local copy is replaced by it and its manifest returned.
   */
  async publish(manifest: ArtifactManifest, dir: string): Promise<ArtifactManifest> {
    const { stage, key } = manifest;
    await forEachLimited(manifest.files, TRANSFERS, async (file) => {
      await this.remote.putFile(fileObject(stage, key, file), path.join(dir, file.path));
    });
    const outcome = await this.remote.putBytes(manifestObject(stage, key), readFileSync(path.join(dir, MANIFEST_FILE)), { ifAbsent: true });
    if (outcome === 'written') return manifest;
    this.local.quarantine(stage, key);
    const theirs = await this.fetch(stage, key);
    if (theirs.status !== 'fetched')
      throw new DataValidationError(`${this.locate(stage, key)}: committed by another writer, then ${theirs.status}`);
    return theirs.manifest;
  }

  /** Take a committed artifact out of use (a forced recompute replaces it): its manifest moves to `.quarantine/`. */
  async withdraw(stage: string, key: string): Promise<string | null> {
    const bytes = await this.remote.getBytes(manifestObject(stage, key));
    return bytes === null ? null : this.retract(stage, key, bytes);
  }

  /** Is a manifest committed under the key in the shared store? */
  async isPublished(stage: string, key: string): Promise<boolean> {
    return (await this.remote.getBytes(manifestObject(stage, key))) !== null;
  }

  private async readManifest(
    stage: string,
    key: string,
  ): Promise<
    | null
    | { ok: true; manifest: ArtifactManifest; bytes: Uint8Array }
    | { ok: false; problem: 'invalid' | 'newer'; message: string; bytes: Uint8Array }
  > {
    const object = manifestObject(stage, key);
    const bytes = await this.remote.getBytes(object);
    if (bytes === null) return null;
    const source = `${this.remote.location}/${object}`;
    const parsed = parseManifest(Buffer.from(bytes).toString('utf8'), source);
    if (!parsed.ok) return { ...parsed, bytes };
    if (parsed.manifest.stage !== stage || parsed.manifest.key !== key)
      return { ok: false, problem: 'invalid', message: `${source}: names ${parsed.manifest.stage}/${parsed.manifest.key}`, bytes };
    return { ok: true, manifest: parsed.manifest, bytes };
  }

  /** Move a bad manifest aside (copy, then delete): the files stay, unlisted, for inspection. */
  private async retract(stage: string, key: string, bytes: Uint8Array): Promise<string> {
    const aside = `.quarantine/${stage}-${key}-${Date.now()}/${MANIFEST_FILE}`;
    await this.remote.putBytes(aside, bytes);
    await this.remote.delete([manifestObject(stage, key)]);
    return `${this.remote.location}/${aside}`;
  }
}

function manifestObject(stage: string, key: string): string {
  return `${stage}/${key}/${MANIFEST_FILE}`;
}

function fileObject(stage: string, key: string, file: { path: string; sha256: string }): string {
  return `${stage}/${key}/files/${file.sha256}/${file.path}`;
}
