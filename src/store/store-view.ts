/**
 * How a client (the CLI: `pam run`'s summary, `pam lineage`, `pam status`) reads an experiment's artifacts: by
 * stage kind and key, through its own configured store, never through a path recorded by whoever wrote them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ArtifactStore, loadManifest, type VerifyResult } from './artifact-store.js';
import { StageRecords } from './stage-records.js';
import { DATA_CACHE_FOLDER, SHARED_CACHE_FOLDER, type StoreLocation } from './store-location.js';
import { MANIFEST_FILE, type ArtifactManifest } from './artifact-manifest.js';
import { SharedArtifacts } from './shared-artifacts.js';
import { lookUpArtifact } from './artifact-lookup.js';
import { cacheLimitBytes } from './local-cache-limit.js';
import { openS3ObjectStore } from './s3/s3-object-store.js';
import { DataValidationError } from '../errors/pipeline-errors.js';
import { SharedCheckpoints } from './shared-checkpoints.js';
import { readAttemptLogs, type AttemptLog } from './stage-log-files.js';
import { stateDir } from '../paths/project-paths.js';

export interface StoreView {
  /** The store, as the user configured it (a folder or a URI). */
  readonly description: string;
  /** Where the artifact lives in this store: a local folder or a URI. */
  locate(stage: string, key: string): string;
  /** The committed manifest, validated; null when no artifact is committed under the key. */
  manifest(stage: string, key: string): Promise<ArtifactManifest | null>;
  /** A local folder holding the artifact's files. */
  localDir(stage: string, key: string): Promise<string>;
  /** Is it committed and intact (every file hashed)? */
  verify(stage: string, key: string): Promise<VerifyResult>;
  /** The logs failed attempts of an uncommitted key left (src/store/stage-log-files.ts), oldest first. */
  attemptLogs(stage: string, key: string): Promise<AttemptLog[]>;
  /** What each experiment's stages were last keyed on (the rerun reasons). */
  readonly records: StageRecords;
  /** The download cache's root. */
  readonly dataCacheDir: string;
}

export function openStoreView(location: StoreLocation, env: NodeJS.ProcessEnv = process.env): StoreView {
  return location.kind === 'fs' ? fsStoreView(location.root) : sharedStoreView(location, env);
}

function fsStoreView(root: string): StoreView {
  const store = new ArtifactStore(root);
  return {
    description: root,
    locate: (stage, key) => store.artifactDir(stage, key),
    async manifest(stage, key) {
      const dir = store.artifactDir(stage, key);
      if (!existsSync(path.join(dir, MANIFEST_FILE))) return null;
      const parsed = loadManifest(dir);
      if (!parsed.ok) throw new DataValidationError(parsed.message);
      return parsed.manifest;
    },
    localDir: async (stage, key) => store.artifactDir(stage, key),
    verify: (stage, key) => store.verify(stage, key),
    attemptLogs: async (stage, key) => readAttemptLogs(store.partialDir(stage, key)),
    records: new StageRecords(root),
    dataCacheDir: path.join(root, DATA_CACHE_FOLDER),
  };
}

/**
 * A client's view of an `s3` store: manifests read from the bucket, files through this machine's verified local
 * cache (in the state folder, like a worker's), stage records and download cache of this machine.
 */
function sharedStoreView(location: StoreLocation & { kind: 's3' }, env: NodeJS.ProcessEnv): StoreView {
  const state = stateDir(env);
  const local = new ArtifactStore(path.join(state, SHARED_CACHE_FOLDER));
  const remote = openS3ObjectStore(location, env);
  const shared = new SharedArtifacts(remote, local);
  const side = { artifacts: shared, cacheLimitBytes: cacheLimitBytes(env) };
  const warn = (message: string) => console.warn(`warning: ${message}`);
  const fetched = async (stage: string, key: string): Promise<VerifyResult> => {
    const found = await lookUpArtifact(local, side, stage, key, warn);
    return found.status === 'corrupt' ? { status: 'corrupt', reason: found.reason, dir: found.movedTo } : found;
  };
  return {
    description: location.uri,
    locate: (stage, key) => shared.locate(stage, key),
    manifest: (stage, key) => shared.manifest(stage, key),
    async localDir(stage, key) {
      await fetched(stage, key);
      return local.artifactDir(stage, key);
    },
    verify: fetched,
    async attemptLogs(stage, key) {
      // Every worker sends its failed attempts' logs to the shared store; this machine's own may not have landed.
      const remoteLogs = await new SharedCheckpoints(remote).attemptLogs(stage, key);
      const here = readAttemptLogs(local.partialDir(stage, key)).filter((log) => !remoteLogs.some((r) => r.name === log.name));
      return [...remoteLogs, ...here].sort((a, b) => a.name.localeCompare(b.name));
    },
    records: new StageRecords(state),
    dataCacheDir: path.join(state, DATA_CACHE_FOLDER),
  };
}
