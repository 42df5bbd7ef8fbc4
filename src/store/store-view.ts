/**
 * How a client (the CLI: `pam run`'s summary, `pam lineage`, `pam status`) reads an experiment's artifacts: by
 * stage kind and key, through its own configured store, never through a path recorded by whoever wrote them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ArtifactStore, loadManifest, type VerifyResult } from './artifact-store.js';
import { StageRecords } from './stage-records.js';
import { DATA_CACHE_FOLDER } from './store-location.js';
import { MANIFEST_FILE, type ArtifactManifest } from './artifact-manifest.js';
import { describeLocation, type StoreLocation } from './store-location.js';
import { ConfigError, DataValidationError } from '../errors/pipeline-errors.js';

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
  /** What each experiment's stages were last keyed on (the rerun reasons). */
  readonly records: StageRecords;
  /** The download cache's root. */
  readonly dataCacheDir: string;
}

export function openStoreView(location: StoreLocation): StoreView {
  if (location.kind !== 'fs')
    throw new ConfigError(`store ${describeLocation(location)}: reading an s3 store from the CLI is not built yet`);
  const store = new ArtifactStore(location.root);
  return {
    description: location.root,
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
    records: new StageRecords(location.root),
    dataCacheDir: path.join(location.root, DATA_CACHE_FOLDER),
  };
}
