/**
 * The cache-key parts of one stage (or shard) from the catalog's spec of its kind: shared by the engine's cache
 * lookup and compute (`resolve-stage.ts`, `execute-stage.ts`) and `pam run --dry-run`, so the plan shows exactly
 * the keys a run will use. External inputs (`StageSpec.externalInputs`) enter by content: the params hold
 * `external:<label>` in place of each path and `external` maps each label to its sha256, so a changed file
 * changes the key and a moved clone keeps it.
 */
import { basename } from 'node:path';
import type { StageRequest } from '../contracts/stage-requests.js';
import { ConfigError, KeyMismatchError } from '../errors/pipeline-errors.js';
import type { CacheKeyParts } from '../store/artifact-manifest.js';
import type { FingerprintCache } from '../store/fingerprints.js';
import { describeKeyChanges } from '../store/key-diff.js';
import type { ExternalRecord, StageKeyRecord } from '../store/stage-records.js';
import { stageCatalog } from '../stages/catalog.js';
import { externalInputsOf, withExternalPaths, type LocatedExternalInput } from '../stages/external-inputs.js';
import type { StageSpec } from '../stages/stage-spec.js';

export function specOf(kind: string): StageSpec {
  const spec = stageCatalog.get(kind);
  if (!spec) throw new ConfigError(`unknown stage kind "${kind}" (known: ${[...stageCatalog.keys()].join(', ')})`);
  return spec;
}

/**
 * The key parts and what the external inputs held (the stage record, `src/store/stage-records.ts`).
 * @throws ConfigError when an external input is missing or does not match the sha256 the config declares
 */
export async function stageKeyParts(
  stage: {
    uses: string;
    params: Record<string, unknown>;
    /** Input role → upstream artifact key (shard inputs of a merge step excluded). */
    inputKeys: Record<string, string>;
    seed: number;
    shard?: { index: number; count: number };
  },
  fingerprints: FingerprintCache,
): Promise<StageKeyRecord> {
  const spec = specOf(stage.uses);
  const inputs = externalInputsOf(spec, stage.params);
  const external: Record<string, ExternalRecord> = {};
  for (const input of inputs) external[input.label] = await contentOf(input, fingerprints);
  const keyParts: CacheKeyParts = {
    stage: stage.uses,
    codeVersion: spec.codeVersion,
    params: inputs.length === 0 ? stage.params : withExternalPaths(stage.params, inputs, (input) => `external:${input.label}`),
    inputKeys: stage.inputKeys,
    seed: stage.seed,
  };
  if (stage.shard) keyParts.shard = stage.shard;
  if (inputs.length > 0) keyParts.external = Object.fromEntries(Object.entries(external).map(([label, held]) => [label, held.sha256]));
  return { keyParts, external };
}

async function contentOf(input: LocatedExternalInput, fingerprints: FingerprintCache): Promise<ExternalRecord> {
  const fingerprint = await fingerprints.fingerprint(input);
  if (input.sha256 !== undefined && input.sha256.toLowerCase() !== fingerprint.sha256) {
    throw new ConfigError(`${input.label} ${input.path}: sha256 is ${fingerprint.sha256}, but the config declares ${input.sha256}`);
  }
  return { name: basename(input.path), ...fingerprint };
}

/** The key parts of a stage request (its shard inputs, if a merge step, are not part of the key). */
export function keyPartsOf(request: StageRequest, fingerprints: FingerprintCache): Promise<StageKeyRecord> {
  const inputKeys = Object.fromEntries(
    Object.entries(request.inputs)
      .filter(([role]) => !role.startsWith('shard-'))
      .map(([role, ref]) => [role, ref.key]),
  );
  return stageKeyParts({ uses: request.uses, params: request.params, inputKeys, seed: request.seed, shard: request.shard }, fingerprints);
}

/**
 * After a compute, before its commit: the external inputs still hold what the key says, so no artifact is committed
 * under a key naming other content than it was computed from (e.g. weights replaced while the stage ran).
 * @throws KeyMismatchError saying what changed; never retried, since the planned key no longer describes the
 *   inputs (running the experiment again keys the new content)
 */
export async function checkExternalInputsUnchanged(
  request: StageRequest,
  record: StageKeyRecord,
  fingerprints: FingerprintCache,
): Promise<void> {
  if (record.keyParts.external === undefined) return;
  const changes = describeKeyChanges(record, await keyPartsOf(request, fingerprints));
  if (changes.length === 0) return;
  throw new KeyMismatchError(
    `stage ${request.stageId}: an external input changed while it ran (${changes.join('; ')}); its result was discarded, run the experiment again`,
  );
}

/** Under which id the experiment's stage records (`StageRecords`) keep this request's key parts. */
export function recordIdOf(request: StageRequest): string {
  return request.shard ? `${request.stageId}.shard-${request.shard.index}` : request.stageId;
}
