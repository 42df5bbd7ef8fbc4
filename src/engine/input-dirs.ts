/**
 * Where a stage's inputs lie on this worker: each reference resolved through the worker's own store, after
 * checking that it names that store (an experiment's references are only as good as the store they point into).
 */
import { StoreMismatchError } from '../errors/pipeline-errors.js';
import type { ArtifactRef } from '../store/artifact-manifest.js';
import type { EngineDeps } from './stage-ports.js';

export function inputDirsOf({ store, storeId }: EngineDeps, inputs: Readonly<Record<string, ArtifactRef>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([role, ref]) => {
      if (ref.store !== undefined && ref.store !== storeId) {
        throw new StoreMismatchError(
          `input ${role} (${ref.stage}/${ref.key}) was committed to store ${ref.store}, but this worker's store ${store.root} is ` +
            `${storeId}: start every worker with the same PAM_STORE`,
        );
      }
      return [role, store.artifactDir(ref.stage, ref.key)];
    }),
  );
}
