/** The cache-key parts of a stage request, from the catalog's spec of its kind. */
import { ConfigError } from '../src/errors/pipeline-errors.js';
import type { CacheKeyParts } from '../src/store/artifact-manifest.js';
import type { StageRequest } from '../src/pipeline/stage-requests.js';
import { stageCatalog } from '../src/stages/catalog.js';
import type { StageSpec } from '../src/stages/stage-spec.js';

export function specOf(kind: string): StageSpec {
  const spec = stageCatalog.get(kind);
  if (!spec) throw new ConfigError(`unknown stage kind "${kind}" (known: ${[...stageCatalog.keys()].join(', ')})`);
  return spec;
}

export function keyPartsOf(request: StageRequest): CacheKeyParts {
  const parts: CacheKeyParts = {
    stage: request.uses,
    codeVersion: specOf(request.uses).codeVersion,
    params: request.params,
    inputKeys: Object.fromEntries(
      Object.entries(request.inputs)
        .filter(([role]) => !role.startsWith('shard-'))
        .map(([role, ref]) => [role, ref.key]),
    ),
    seed: request.seed,
  };
  if (request.shard) parts.shard = request.shard;
  return parts;
}
