/** Small pipelines for integration tests: the real stages, sized to run in seconds. */

/** The synthetic B2G world of every small pipeline; more training items make each epoch longer. */
export const tinyData = (trainItems = 256): string => `
  data:
    uses: synthesize-b2g
    with:
      latentDim: 16
      trainItems: ${trainItems}
      testItems: 32
      testRepetitions: 4
      mixDims: 4
      areas:
        - { name: V1, units: 24, informativeness: 0.1 }
        - { name: V4, units: 16, informativeness: 0.3 }
        - { name: IT, units: 16, informativeness: 0.8 }`;

export const TINY_DATA = tinyData();

/** `data-<name>` → `train-<name>`; branches of different `trainItems` share no key. */
export const dataTrainBranch = (name: string, trainItems: number, epochs: number): string =>
  tinyData(trainItems).replace('  data:', `  data-${name}:`) +
  `\n  train-${name}:\n    uses: train\n    inputs: { dataset: data-${name} }\n    with: { decoders: { baseline: { epochs: ${epochs} } } }`;

export interface TinyPipelineOptions {
  /** Baseline epochs (3) when `decoders` is not given. */
  epochs?: number;
  runtime?: string;
  decoders?: string;
  seed?: number;
  trainItems?: number;
}

/** data → train (checkpointed every epoch) → evaluate. */
export function tinyPipeline(experiment: string, options: TinyPipelineOptions = {}): string {
  const decoders = options.decoders ?? `{ baseline: { epochs: ${options.epochs ?? 3} }, pam: { epochs: 2, width: 16 } }`;
  return `experiment: ${experiment}
seed: ${options.seed ?? 3}
runtime: ${options.runtime ?? '{ heartbeatTimeoutSeconds: 10, maximumAttempts: 2 }'}
stages:${tinyData(options.trainItems)}
  train:
    uses: train
    inputs: { dataset: data }
    with: { decoders: ${decoders}, checkpointEveryEpochs: 1 }
  evaluate:
    uses: evaluate
    inputs: { dataset: data, predictions: train }
`;
}
