/** Read the `files` table of a download artifact (src/tables/downloads.ts). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { ArtifactInput } from '../../stages/stage-definition.js';
import { DOWNLOADED_FILES } from '../../tables/downloads.js';

export interface DownloadedFile {
  role: string;
  name: string;
  cachePath: string;
  loader: string;
  subject: string;
  split: string;
}

/** What the loader stages read of `files`. */
const FILE_ROWS = DOWNLOADED_FILES.select(['role', 'name', 'cache_path', 'loader', 'subject', 'split']);

/**
 * The files of a download artifact, each resolved against this worker's data cache: `cache_path` is relative to the
 * cache's root, so every worker finds the file in its own copy of the store. (Artifacts committed before held
 * absolute paths, which `path.resolve` keeps as they are.)
 */
export function downloadedFiles(input: ArtifactInput, dataCacheDir: string): DownloadedFile[] {
  const { file, columns } = FILE_ROWS.read(input);
  const { role, name, loader, subject, split } = columns;
  const cachePath = columns.cache_path.map((p) => path.resolve(dataCacheDir, p));
  return role.map((r, i) => {
    if (!existsSync(cachePath[i]!)) {
      throw new DataValidationError(
        `${file}: row ${i} (${r}): cached file ${cachePath[i]} is gone from the data cache; rerun the download stage`,
      );
    }
    return { role: r, name: name[i]!, cachePath: cachePath[i]!, loader: loader[i]!, subject: subject[i]!, split: split[i]! };
  });
}

/** The single file read by `loader`; throws naming the artifact when there is none or several. */
export function onlyFileFor(files: readonly DownloadedFile[], loader: string, source: string): DownloadedFile {
  const hits = files.filter((f) => f.loader === loader);
  if (hits.length !== 1) {
    throw new DataValidationError(
      `${source}: expected exactly one file with loader "${loader}", found ${hits.length} (${files.map((f) => `${f.role}:${f.loader}`).join(', ')})`,
    );
  }
  return hits[0]!;
}
