/**
 * Where a stage's inputs lie on this worker: each reference resolved through the worker's own store, after
 * checking that it names that store (an experiment's references are only as good as the store they point into).
 * With a shared store an input this worker lacks is downloaded and verified first (src/engine/artifact-lookup.ts);
 * one that is missing or damaged everywhere is left for the stage to report when it opens it (InputDamagedError).
 */
import { StoreMismatchError } from '../errors/pipeline-errors.js';
import type { ArtifactRef } from '../store/artifact-manifest.js';
import { lookUpArtifact } from '../store/artifact-lookup.js';
import type { EngineDeps, StageLog } from './stage-ports.js';

export async function inputDirsOf(
  deps: EngineDeps,
  inputs: Readonly<Record<string, ArtifactRef>>,
  log: StageLog,
): Promise<Record<string, string>> {
  const dirs: Record<string, string> = {};
  for (const [role, ref] of Object.entries(inputs)) {
    if (ref.store !== undefined && ref.store !== deps.storeId) {
      throw new StoreMismatchError(
        `input ${role} (${ref.stage}/${ref.key}) was committed to store ${ref.store}, but this worker's store ` +
          `${deps.storeDescription} is ${deps.storeId}: start every worker with the same PAM_STORE`,
      );
    }
    if (deps.shared) await lookUpArtifact(deps.store, deps.shared, ref.stage, ref.key, (message, meta) => log.warn(message, meta));
    dirs[role] = deps.store.artifactDir(ref.stage, ref.key);
  }
  return dirs;
}
