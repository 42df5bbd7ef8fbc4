/** Read the `files` table of a download artifact (see `src/stages/download/runner.ts`). */
import { existsSync } from 'node:fs';
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { ArtifactInput } from '../../stages/stage-definition.js';
import { readStrings } from '../../tables/arrow-tables.js';

export interface DownloadedFile {
  role: string;
  name: string;
  cachePath: string;
  loader: string;
  subject: string;
  split: string;
}

export function downloadedFiles(input: ArtifactInput): DownloadedFile[] {
  const source = `${input.dir}/files.arrow`;
  const table = input.readTable('files');
  const column = (name: string) => readStrings(table, name, source);
  const [role, name, cachePath, loader, subject, split] = ['role', 'name', 'cache_path', 'loader', 'subject', 'split'].map(column);
  return role!.map((r, i) => {
    if (!existsSync(cachePath![i]!)) {
      throw new DataValidationError(
        `${source}: row ${i} (${r}): cached file ${cachePath![i]} is gone from the data cache; rerun the download stage`,
      );
    }
    return { role: r, name: name![i]!, cachePath: cachePath![i]!, loader: loader![i]!, subject: subject![i]!, split: split![i]! };
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
