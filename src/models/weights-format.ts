/**
 * Trained decoder weights as tfjs model artifacts, written without tfjs-node (whose `file://` handler is not
 * installable offline, docs/compute.md §1): `model.json` holds `modelTopology` (our architecture record, not a
 * tfjs-layers topology), `format`, `generatedBy` and a standard `weightsManifest` pointing at `weights.bin`
 * (float32, little-endian, concatenated in manifest order). Reload with `tf.io.fromMemory` + `tf.io.decodeWeights`,
 * which is what `loadDecoderWeights` does. Linear weights are [in, out] (the transpose of PyTorch's layout).
 */
import * as tf from '@tensorflow/tfjs';
import { ModelLoadError } from '../errors/pipeline-errors.js';
import { Rng } from '../random/rng.js';
import { buildDecoder } from './build-decoder.js';
import type { Decoder, DecoderArchitecture } from './decoder.js';
import type { NamedVariable } from './layers.js';

export const WEIGHTS_FORMAT = 'pam-pipeline-decoder/1';

export interface DecoderWeightFiles {
  modelJson: string;
  weightsBin: Uint8Array;
}

function allVariables(decoder: Decoder): NamedVariable[] {
  return [...decoder.trainable, ...decoder.state];
}

/** Serialise a decoder's trainable and state variables. */
export async function encodeDecoderWeights(decoder: Decoder): Promise<DecoderWeightFiles> {
  const tensors: { name: string; tensor: tf.Tensor }[] = allVariables(decoder).map(({ name, variable }) => ({ name, tensor: variable }));
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const modelJson = {
    format: WEIGHTS_FORMAT,
    generatedBy: `@tensorflow/tfjs ${tf.version.tfjs}`,
    modelTopology: decoder.architecture,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  return { modelJson: JSON.stringify(modelJson, null, 1), weightsBin: new Uint8Array(data) };
}

/** Copy named tensors into a decoder's variables; every variable must be present with its exact shape. */
export function assignNamedTensors(decoder: Decoder, tensors: Readonly<Record<string, tf.Tensor>>, source: string): void {
  for (const { name, variable } of allVariables(decoder)) {
    const tensor = tensors[name];
    if (!tensor) throw new ModelLoadError(`${source}: no weight "${name}"`);
    if (!tf.util.arraysEqual(tensor.shape, variable.shape)) {
      throw new ModelLoadError(`${source}: weight "${name}" has shape [${tensor.shape}], the architecture needs [${variable.shape}]`);
    }
    variable.assign(tensor);
  }
}

/** Rebuild a decoder from `model.json` + `weights.bin` bytes. */
export async function loadDecoderWeights(files: DecoderWeightFiles, source: string): Promise<Decoder> {
  let parsed: { format?: string; modelTopology?: DecoderArchitecture; weightsManifest?: tf.io.WeightsManifestConfig };
  try {
    parsed = JSON.parse(files.modelJson);
  } catch (cause) {
    throw new ModelLoadError(`${source}: model.json is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (parsed.format !== WEIGHTS_FORMAT || !parsed.modelTopology || !parsed.weightsManifest?.[0]) {
    throw new ModelLoadError(`${source}: model.json is not a ${WEIGHTS_FORMAT} file (format "${parsed.format}")`);
  }
  const bytes = files.weightsBin;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const artifacts = await tf.io.fromMemory({
    modelTopology: parsed.modelTopology as unknown as tf.io.ModelJSON['modelTopology'],
    weightSpecs: parsed.weightsManifest[0].weights,
    weightData: buffer,
  }).load!();
  const expectedBytes = artifacts.weightSpecs!.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  if (expectedBytes !== bytes.byteLength) {
    throw new ModelLoadError(`${source}: weights.bin has ${bytes.byteLength} bytes, the manifest describes ${expectedBytes}`);
  }
  const tensors = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs!);
  const decoder = buildDecoder(parsed.modelTopology, new Rng(0));
  try {
    assignNamedTensors(decoder, tensors, source);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return decoder;
}
