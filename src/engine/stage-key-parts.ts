/**
 * The cache-key parts of one stage (or shard) from the catalog's spec of its kind: shared by the engine's cache
 * lookup and compute (`resolve-stage.ts`, `execute-stage.ts`) and `pam run --dry-run`, so the plan shows exactly
 * the keys a run will use.
 */
import type { StageRequest } from '../contracts/stage-requests.js';
import { ConfigError } from '../errors/pipeline-errors.js';
import type { CacheKeyParts } from '../store/artifact-manifest.js';
import { stageCatalog } from '../stages/catalog.js';
import type { StageSpec } from '../stages/stage-spec.js';

export function specOf(kind: string): StageSpec {
  const spec = stageCatalog.get(kind);
  if (!spec) throw new ConfigError(`unknown stage kind "${kind}" (known: ${[...stageCatalog.keys()].join(', ')})`);
  return spec;
}

export function stageKeyParts(stage: {
  uses: string;
  params: unknown;
  /** Input role → upstream artifact key (shard inputs of a merge step excluded). */
  inputKeys: Record<string, string>;
  seed: number;
  shard?: { index: number; count: number };
}): CacheKeyParts {
  const parts: CacheKeyParts = {
    stage: stage.uses,
    codeVersion: specOf(stage.uses).codeVersion,
    params: stage.params,
    inputKeys: stage.inputKeys,
    seed: stage.seed,
  };
  if (stage.shard) parts.shard = stage.shard;
  return parts;
}

/** The cache-key parts of a stage request (its shard inputs, if a merge step, are not part of the key). */
export function keyPartsOf(request: StageRequest): CacheKeyParts {
  const inputKeys = Object.fromEntries(
    Object.entries(request.inputs)
      .filter(([role]) => !role.startsWith('shard-'))
      .map(([role, ref]) => [role, ref.key]),
  );
  return stageKeyParts({ uses: request.uses, params: request.params, inputKeys, seed: request.seed, shard: request.shard });
}

/** Under which id the experiment's stage records (`StageRecords`) keep this request's key parts. */
export function recordIdOf(request: StageRequest): string {
  return request.shard ? `${request.stageId}.shard-${request.shard.index}` : request.stageId;
}
