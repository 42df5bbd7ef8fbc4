/**
 * `pam run --dry-run` for a download stage: the manifest's required files and whether each is already in the local
 * data cache. Offline by construction (reads the manifest and the cache folder only).
 */
import { listManifest, type ManifestListRow } from '../../data/manifests/commands.js';

export interface DownloadPlan {
  manifestPath: string;
  files: ManifestListRow[];
  /** Required files not in the cache yet (what a real run would download). */
  toDownload: number;
}

/** @param manifestPath as the loaded config holds it (absolute: src/config/external-paths.ts) */
export async function planDownload(manifestPath: string, options: { cacheRoot: string }): Promise<DownloadPlan> {
  const files = await listManifest(manifestPath, { cacheRoot: options.cacheRoot, offline: true });
  return { manifestPath, files, toDownload: files.filter((f) => f.state !== 'cached').length };
}
