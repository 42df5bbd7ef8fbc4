/** Small pipelines for integration tests: the real stages, sized to run in seconds. */
export const TINY_DATA = `
  data:
    uses: synthesize-b2g
    with:
      latentDim: 16
      trainItems: 256
      testItems: 32
      testRepetitions: 4
      mixDims: 4
      areas:
        - { name: V1, units: 24, informativeness: 0.1 }
        - { name: V4, units: 16, informativeness: 0.3 }
        - { name: IT, units: 16, informativeness: 0.8 }`;

export function tinyPipeline(experiment: string, options: { epochs?: number; runtime?: string; decoders?: string } = {}): string {
  const decoders = options.decoders ?? `{ baseline: { epochs: ${options.epochs ?? 3} }, pam: { epochs: 2, width: 16 } }`;
  return `experiment: ${experiment}
seed: 3
runtime: ${options.runtime ?? '{ heartbeatTimeoutSeconds: 10, maximumAttempts: 2 }'}
stages:${TINY_DATA}
  train:
    uses: train
    inputs: { dataset: data }
    with: { decoders: ${decoders}, checkpointEveryEpochs: 1 }
  evaluate:
    uses: evaluate
    inputs: { dataset: data, predictions: train }
`;
}
