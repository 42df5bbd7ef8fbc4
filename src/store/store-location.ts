/**
 * Where a worker or client finds the artifact store: `PAM_STORE`, else the state folder (everything on one
 * machine). A path (or `file://` URI) is an `fs` store — the local default, or a shared mount (NFS, Lustre) that
 * every worker sees, at whatever path; `s3://bucket/prefix` is an S3-compatible object store. Credentials never
 * appear here: they come from the AWS SDK's standard environment and profile chain.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors/pipeline-errors.js';
import { stateDir } from '../paths/project-paths.js';

export type StoreLocation = { kind: 'fs'; root: string } | { kind: 's3'; uri: string };

export const STORE_ENV = 'PAM_STORE';

/** The download cache's folder in an `fs` store (src/data/cache/data-cache.ts). */
export const DATA_CACHE_FOLDER = 'data-cache';

/** Where a worker or client keeps its verified local copy of an `s3` store, in its state folder. */
export const SHARED_CACHE_FOLDER = 'store-cache';

export function storeLocationOf(env: NodeJS.ProcessEnv, stateRoot: string): StoreLocation {
  const text = env[STORE_ENV]?.trim();
  if (!text) return { kind: 'fs', root: stateRoot };
  if (text.startsWith('s3://')) return { kind: 's3', uri: text };
  if (text.startsWith('file://')) return { kind: 'fs', root: fileURLToPath(text) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new ConfigError(
      `${STORE_ENV}=${text.split('://')[0]}://…: unknown store scheme; expected a folder path, file://… or s3://bucket/prefix`,
    );
  }
  return { kind: 'fs', root: path.resolve(text) };
}

/** The store this process is configured with: `PAM_STORE`, else its state folder (`PAM_HOME`, else `.pam`). */
export function configuredStoreLocation(env: NodeJS.ProcessEnv = process.env): StoreLocation {
  return storeLocationOf(env, stateDir(env));
}

/** The location as a user reads it: the folder, or the URI. */
export function describeLocation(location: StoreLocation): string {
  return location.kind === 'fs' ? location.root : location.uri;
}
