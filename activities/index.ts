/**
 * The activities a pipeline worker registers, built around one artifact store (dependency injection as in
 * temporalio/samples-typescript `activities-dependency-injection`).
 */
import path from 'node:path';
import { ArtifactStore } from '../src/store/artifact-store.js';
import { StageRecords } from '../src/store/stage-records.js';
import { createResolveStageKey } from './resolve-stage-key.js';
import { createRunStage } from './run-stage.js';

export function createStageActivities(stateRoot: string) {
  const store = new ArtifactStore(stateRoot);
  const records = new StageRecords(stateRoot);
  return {
    resolveStageKey: createResolveStageKey(store, records),
    runStage: createRunStage(store, records, path.join(stateRoot, 'data-cache')),
  };
}

export type StageActivities = ReturnType<typeof createStageActivities>;
