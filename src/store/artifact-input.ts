/** Read access to a committed artifact, as handed to a stage runner. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Table } from 'apache-arrow';
import { DataValidationError } from '../errors/pipeline-errors.js';
import type { ArtifactInput } from '../stages/stage-definition.js';
import { MANIFEST_FILE, type ArtifactManifest } from './artifact-manifest.js';
import { tableFromFileBytes } from '../tables/arrow-tables.js';

export function openArtifactInput(dir: string): ArtifactInput {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  let manifest: ArtifactManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ArtifactManifest;
  } catch (cause) {
    throw new DataValidationError(`${manifestPath}: cannot read the artifact manifest (${(cause as Error).message})`, { cause });
  }
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
      return tableFromFileBytes(readFileSync(file), file);
    },
    filePath(name: string): string {
      const file = path.resolve(dir, name);
      if (!file.startsWith(dir + path.sep)) throw new RangeError(`"${name}" is outside the artifact ${dir}`);
      return file;
    },
  };
}
