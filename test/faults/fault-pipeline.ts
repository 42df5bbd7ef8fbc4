/**
 * The one experiment every fault scenario runs: the demo's stages (synthesize → train baseline + PAM → evaluate)
 * at a few seconds each, checkpointed every epoch. Scenarios differ only in experiment name and where workers run;
 * neither is part of a stage's cache key (src/store/artifact-store.ts `cacheKey`), so every scenario must commit
 * exactly the artifacts of the clean run, byte for byte.
 */
import { tinyPipeline } from '../integration/pipelines.js';

export const EPOCHS = 4;
/** Checkpoints every epoch (tinyPipeline's `checkpointEveryEpochs`). */
export const CHECKPOINT_EVERY = 1;
export const DECODERS = ['baseline', 'pam'] as const;

export type Workers = 'external' | 'in-process';

export function faultPipeline(experiment: string, workers: Workers): string {
  return tinyPipeline(experiment, {
    seed: 11,
    trainItems: 384,
    // A killed worker is noticed after heartbeatTimeoutSeconds; each kill costs one attempt.
    runtime: `{ heartbeatTimeoutSeconds: 4, maximumAttempts: 8, workers: ${workers} }`,
    decoders: `{ baseline: { epochs: ${EPOCHS} }, pam: { epochs: ${EPOCHS}, width: 16 } }`,
  });
}
