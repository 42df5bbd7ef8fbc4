/**
 * One decoder's whole job — initialise the backend, train (resuming from its checkpoint), predict the test set,
 * serialise the weights — as plain data in and out, so it runs the same inline or in a worker thread.
 */
import { initTensorBackend, type TensorBackendRequest } from '../tensor/tf-backend.js';
import type { DecoderArchitecture } from '../models/decoder.js';
import type { PamDecoder } from '../models/pam-decoder.js';
import { encodeDecoderWeights } from '../models/weights-format.js';
import { predict, type Predictions } from './predict.js';
import { trainDecoder, type EpochReport, type TrainingOptions } from './train-decoder.js';
import type { TrainingData } from './training-data.js';

export interface DecoderJob {
  name: string;
  backend: TensorBackendRequest;
  architecture: DecoderArchitecture;
  train: TrainingData;
  test: Pick<TrainingData, 'blocks' | 'widths' | 'rows'>;
  options: TrainingOptions;
}

export interface DecoderJobResult {
  name: string;
  backend: string;
  backendReason: string;
  lossCurve: number[];
  validationLossCurve: number[];
  epochsRun: number;
  resumedFromEpoch: number;
  stoppedEarly: boolean;
  predictions: Predictions;
  /** PAM only: query weight [c, d] (column j = query of latent dim j) and bias [d]. */
  queries?: { weight: Float32Array; bias: Float32Array; width: number };
  weights: { modelJson: string; weightsBin: Uint8Array };
}

export interface DecoderJobHooks {
  onEpoch(report: EpochReport): void;
  onHeartbeat(info: { epoch: number; batch: number; batches: number }): void;
  onCheckpointDamaged(message: string): void;
  log(line: string): void;
  signal?: AbortSignal;
}

export async function runDecoderJob(job: DecoderJob, hooks: DecoderJobHooks): Promise<DecoderJobResult> {
  const choice = await initTensorBackend(job.backend, hooks.log);
  const trained = await trainDecoder(job.architecture, job.train, job.options, {
    onEpoch: hooks.onEpoch,
    onHeartbeat: hooks.onHeartbeat,
    onCheckpointDamaged: hooks.onCheckpointDamaged,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
  });
  const { decoder } = trained;
  try {
    const predictions = predict(decoder, job.test);
    let queries: DecoderJobResult['queries'];
    if (job.architecture.kind === 'pam') {
      const query = (decoder as PamDecoder).query;
      queries = {
        weight: query.weight.dataSync() as Float32Array,
        bias: query.bias!.dataSync() as Float32Array,
        width: job.architecture.width,
      };
    }
    return {
      name: job.name,
      backend: choice.backend,
      backendReason: choice.reason,
      lossCurve: trained.lossCurve,
      validationLossCurve: trained.validationLossCurve,
      epochsRun: trained.epochsRun,
      resumedFromEpoch: trained.resumedFromEpoch,
      stoppedEarly: trained.stoppedEarly,
      predictions,
      ...(queries ? { queries } : {}),
      weights: await encodeDecoderWeights(decoder),
    };
  } finally {
    decoder.dispose();
  }
}
