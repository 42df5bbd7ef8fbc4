/**
 * A real engine state (artifact store, stage records) in a temp folder, tiny requests of real stage kinds, and
 * fake ports standing in for Temporal's activity context (heartbeats and warnings are recorded).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ArtifactRef, RunStageRequest, StageHeartbeat, StageRequest } from '../../src/contracts/stage-requests.js';
import { keyPartsOf, specOf } from '../../src/engine/stage-key-parts.js';
import { engineDepsAt, type AttemptInfo, type EngineDeps, type StagePorts } from '../../src/engine/stage-ports.js';
import { cacheKey } from '../../src/store/artifact-store.js';

export function tempEngine(): EngineDeps {
  return engineDepsAt(mkdtempSync(path.join(os.tmpdir(), 'pam-engine-policy-')));
}

/** A synthetic B2G-like world of a few items: a real stage that runs in well under a second. */
export const TINY_WORLD = specOf('synthesize-b2g').params.parse({
  latentDim: 4,
  trainItems: 8,
  testItems: 4,
  testRepetitions: 2,
  mixDims: 2,
  areas: [{ name: 'IT', units: 3, informativeness: 0.8 }],
}) as Record<string, unknown>;

/** The compute request of a stage, keyed as the cache lookup of `engine` would key it. */
export async function computeRequest(engine: EngineDeps, request: StageRequest): Promise<RunStageRequest> {
  return { ...request, key: cacheKey((await keyPartsOf(request, engine.fingerprints)).keyParts), backend: 'cpu', merge: false };
}

export function tinyWorldRequest(overrides: Partial<StageRequest> = {}): StageRequest {
  return {
    experiment: 'policy',
    stageId: 'data',
    uses: 'synthesize-b2g',
    params: TINY_WORLD,
    seed: 1,
    inputs: {},
    force: false,
    ...overrides,
  };
}

/** `evaluate` on a dataset that has no `predictions` table: fails in the compute thread with a DataValidationError. */
export function failingEvaluateRequest(dataset: ArtifactRef, overrides: Partial<StageRequest> = {}): StageRequest {
  return {
    experiment: 'policy',
    stageId: 'evaluate',
    uses: 'evaluate',
    params: specOf('evaluate').params.parse({}) as Record<string, unknown>,
    seed: 1,
    inputs: { dataset, predictions: dataset },
    force: false,
    ...overrides,
  };
}

export interface FakePorts {
  ports: StagePorts;
  heartbeats: StageHeartbeat[];
  warnings: string[];
}

export function fakePorts(attemptInfo: AttemptInfo, previousHeartbeat?: StageHeartbeat): FakePorts {
  const heartbeats: StageHeartbeat[] = [];
  const warnings: string[] = [];
  const log = { info: () => undefined, warn: (message: string) => void warnings.push(message) };
  const ports: StagePorts = {
    // A copy: the engine reuses its last heartbeat object between reports.
    heartbeat: (details) => void heartbeats.push(structuredClone(details)),
    log,
    cancellationSignal: new AbortController().signal,
    attemptInfo: { workflowId: 'pam-experiment-policy', activityId: '1', attempt: 1, ...attemptInfo },
    previousHeartbeat,
  };
  return { ports, heartbeats, warnings };
}
