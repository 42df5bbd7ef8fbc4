/**
 * Turns a model reference from the YAML into a ready plug-in, checking the weights file (sha256, tensor names and
 * shapes, ONNX inputs) before any compute. Labels say exactly which weights are in use, for every report.
 */
import {
  BuiltinGenerator,
  defaultGeneratorShape,
  generatorWeightShapes,
  seededGeneratorWeights,
  type BuiltinGeneratorShape,
} from '../generators/builtin-generator.js';
import type { FeatureNetwork } from '../feature-nets/feature-network.js';
import type { ImageGenerator } from '../generators/generator.js';
import { loadLpipsHead, UNWEIGHTED_LPIPS, type LpipsHead } from '../../evaluation/lpips.js';
import type { FeatureNetRef, GeneratorRef, LpipsRef } from './model-refs.js';
import { loadWeightsFile } from '../codecs/safetensors.js';
import { seededVgg16Weights, TfVgg16, vgg16WeightShapes } from '../feature-nets/vgg16.js';
import { ModelLoadError } from '../../errors/pipeline-errors.js';
import { loadStyleGanXl } from '../../models/stylegan-xl/load-stylegan-xl.js';
import type { StyleGanXlGenerator } from '../../models/stylegan-xl/stylegan-xl-generator.js';

function fileLabel(path: string, sha256: string | undefined): string {
  return sha256 ? `${path} (sha256 ${sha256.slice(0, 12)}…)` : `${path} (sha256 not declared)`;
}

/** The builtin generator's shape from its ref (defaults by resolution). */
export function builtinShape(ref: Extract<GeneratorRef, { kind: 'builtin' }>): BuiltinGeneratorShape {
  const shape = defaultGeneratorShape(ref.resolution, ref.latentDim);
  return ref.channels ? { ...shape, channels: ref.channels } : shape;
}

/** A converted StyleGAN-XL network whose record agrees with the w width and resolution its ref declares. */
export function loadStyleGanXlGenerator(ref: Extract<GeneratorRef, { kind: 'stylegan-xl' }>): StyleGanXlGenerator {
  const generator = loadStyleGanXl(ref);
  const { wDim, imgResolution } = generator.architecture;
  if (wDim !== ref.latentDim || imgResolution !== ref.resolution) {
    generator.dispose();
    throw new ModelLoadError(
      `${ref.architecture}: records w_dim ${wDim} and resolution ${imgResolution}, but the generator ref declares ` +
        `latentDim ${ref.latentDim} and resolution ${ref.resolution}`,
    );
  }
  return generator;
}

export async function loadGenerator(ref: GeneratorRef): Promise<ImageGenerator> {
  if (ref.kind === 'stylegan-xl') return loadStyleGanXlGenerator(ref);
  // onnxruntime-node loads a native library: import it only when an ONNX model is asked for.
  if (ref.kind === 'onnx')
    return (await import('./onnx-models.js')).OnnxGenerator.load(ref.weights, ref.sha256, ref.latentDim, ref.resolution);
  const shape = builtinShape(ref);
  const expected = generatorWeightShapes(shape);
  if (ref.weights) {
    const weights = loadWeightsFile(ref.weights, expected, ref.sha256);
    return new BuiltinGenerator(shape, weights, `builtin generator, weights ${fileLabel(ref.weights, ref.sha256)}`);
  }
  const label = `builtin generator, seeded stand-in weights (seed ${ref.seed}, ${shape.resolution} px, channels ${shape.channels.join('-')})`;
  return new BuiltinGenerator(shape, seededGeneratorWeights(shape, ref.seed), label);
}

export async function loadFeatureNet(ref: FeatureNetRef): Promise<FeatureNetwork> {
  if (ref.kind === 'vgg16-onnx') return (await import('./onnx-models.js')).OnnxVgg16.load(ref.weights, ref.sha256, ref.widths);
  const expected = vgg16WeightShapes(ref.widths);
  if (ref.weights) {
    const weights = loadWeightsFile(ref.weights, expected, ref.sha256);
    return new TfVgg16(ref.widths, weights, `vgg16 features, weights ${fileLabel(ref.weights, ref.sha256)}`);
  }
  const label = `vgg16 features, seeded stand-in weights (seed ${ref.seed}, widths ${ref.widths.join('/')})`;
  return new TfVgg16(ref.widths, seededVgg16Weights(ref.widths, ref.seed), label);
}

/** LPIPS head for a feature network of `widths`; no ref → the labelled `lpips=False` variant. */
export function loadLpips(ref: LpipsRef | undefined, widths: readonly number[]): LpipsHead {
  return ref ? loadLpipsHead(ref.weights, widths, ref.sha256) : UNWEIGHTED_LPIPS;
}
