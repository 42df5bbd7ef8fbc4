/**
 * What `pam data list|verify <manifest>` shows (the lead prints the rows). `list` offline resolves the manifest
 * against the local cache only (no network); online it lists the article through the API and adds cache state.
 * `verify` recomputes the md5 of each local copy.
 */
import { DataCache, type CacheEntry } from '../cache/data-cache.js';
import { expectedMd5 } from '../figshare/figshare-file.js';
import type { FigshareClient } from '../figshare/figshare-client.js';
import { loadManifest, type DataManifest, type FileRequirement } from './manifest-schema.js';
import { matchRequirement, resolveManifest } from './resolve-manifest.js';

export type FileState = 'cached' | 'partial' | 'missing';

export interface ManifestListRow {
  role: string;
  loader: string;
  match: string;
  /** Remote (online) or cached (offline) file name; null when unknown offline. */
  name: string | null;
  size: number | null;
  md5: string | null;
  state: FileState;
  cachePath: string | null;
}

export interface ManifestVerifyRow {
  role: string;
  name: string | null;
  cachePath: string | null;
  state: 'ok' | 'missing' | 'md5-mismatch';
  expectedMd5: string | null;
  actualMd5: string | null;
}

/** The committed cache entry that satisfies `requirement`: by its md5 when known, else by name within the article. */
function cachedFor(cache: DataCache, manifest: DataManifest, requirement: FileRequirement): CacheEntry | null {
  if (requirement.md5) return cache.lookup(requirement.md5);
  const ofArticle = cache
    .entries()
    .filter((e) => e.articleId === manifest.article.id && (!manifest.article.version || e.version === manifest.article.version));
  const hit = matchRequirement(requirement, ofArticle);
  return typeof hit === 'string' ? null : hit.file;
}

export async function listManifest(
  manifestPath: string,
  options: { cacheRoot: string; offline: boolean; client?: FigshareClient },
): Promise<ManifestListRow[]> {
  const manifest = loadManifest(manifestPath);
  const cache = new DataCache(options.cacheRoot);
  if (options.offline || !options.client) {
    return manifest.files.map((requirement) => {
      const entry = cachedFor(cache, manifest, requirement);
      return {
        role: requirement.role,
        loader: requirement.loader,
        match: requirement.match.join(' | '),
        name: entry?.name ?? null,
        size: entry?.size ?? requirement.size ?? null,
        md5: entry?.md5 ?? requirement.md5 ?? null,
        state: entry ? 'cached' : 'missing',
        cachePath: entry ? cache.pathOf(entry) : null,
      };
    });
  }
  const listing = await options.client.listFiles(manifest.article.id, manifest.article.version);
  return resolveManifest(manifest, listing, manifestPath).map(({ requirement, file }) => {
    const md5 = expectedMd5(file);
    const entry = md5 ? cache.lookup(md5) : null;
    const state: FileState = entry ? 'cached' : cache.partialBytes(file.id) > 0 ? 'partial' : 'missing';
    return {
      role: requirement.role,
      loader: requirement.loader,
      match: requirement.match.join(' | '),
      name: file.name,
      size: file.size,
      md5,
      state,
      cachePath: entry ? cache.pathOf(entry) : null,
    };
  });
}

export async function verifyManifest(manifestPath: string, options: { cacheRoot: string }): Promise<ManifestVerifyRow[]> {
  const manifest = loadManifest(manifestPath);
  const cache = new DataCache(options.cacheRoot);
  const rows: ManifestVerifyRow[] = [];
  for (const requirement of manifest.files) {
    const entry = cachedFor(cache, manifest, requirement);
    if (!entry) {
      rows.push({
        role: requirement.role,
        name: null,
        cachePath: null,
        state: 'missing',
        expectedMd5: requirement.md5 ?? null,
        actualMd5: null,
      });
      continue;
    }
    const { ok, actualMd5 } = await cache.verify(entry);
    rows.push({
      role: requirement.role,
      name: entry.name,
      cachePath: cache.pathOf(entry),
      state: ok ? 'ok' : 'md5-mismatch',
      expectedMd5: entry.md5,
      actualMd5,
    });
  }
  return rows;
}
