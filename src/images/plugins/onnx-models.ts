/**
 * ONNX Runtime (onnxruntime-node, CPU execution provider) backends of the two plug-ins: inference only, for fast
 * evaluation. Sessions are checked against the expected interface when created, before any compute:
 *   generator: one float32 input [N, latentDim] → first output [N, 3, H, W], nominally in [-1, 1] (clamped);
 *   vgg16:     one float32 input [N, 3, H, W] → outputs named relu1_2 … relu5_3 and pool1 … pool5 (NCHW)
 * (exported by `scripts/convert_stylegan_xl.py --onnx` and `scripts/convert_weights.py vgg16-onnx`). Tensors cross
 * as NCHW and are transposed to NHWC.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { ModelLoadError } from '../../errors/pipeline-errors.js';
import { VGG16_POOL_TAPS, VGG16_RELU_TAPS, type FeatureNetwork, type Vgg16Tap } from '../feature-nets/feature-network.js';
import type { ImageGenerator } from '../generators/generator.js';
import { verifySha256 } from '../codecs/safetensors.js';

/** Both cores for ORT's intra-op pool (docs/compute.md §5: ≈1.7× faster than one thread on a 2-core machine). */
const INTRA_OP_THREADS = 2;

async function openSession(path: string, sha256: string | undefined): Promise<ort.InferenceSession> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new ModelLoadError(`${path}: cannot read ONNX model (${(cause as Error).message})`, { cause });
  }
  verifySha256(bytes, sha256, path);
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: INTRA_OP_THREADS,
      graphOptimizationLevel: 'all',
    });
  } catch (cause) {
    throw new ModelLoadError(`${path}: not a loadable ONNX model (${(cause as Error).message})`, { cause });
  }
}

function describe(meta: ort.InferenceSession.ValueMetadata): string {
  return meta.isTensor ? `${meta.name}: ${meta.type}[${meta.shape.join(', ')}]` : `${meta.name}: non-tensor`;
}

/** Check one tensor's metadata: float32, the given rank, and every fixed dimension that is declared numerically. */
function expectTensor(
  path: string,
  what: string,
  meta: ort.InferenceSession.ValueMetadata | undefined,
  dims: readonly (number | null)[],
): void {
  const want = `float32[${dims.map((d) => d ?? 'N').join(', ')}]`;
  if (!meta?.isTensor || meta.type !== 'float32' || meta.shape.length !== dims.length) {
    throw new ModelLoadError(`${path}: ${what} must be ${want}, found ${meta ? describe(meta) : 'none'}`);
  }
  dims.forEach((d, i) => {
    const actual = meta.shape[i];
    if (d !== null && typeof actual === 'number' && actual !== d) {
      throw new ModelLoadError(`${path}: ${what} must be ${want}, found ${describe(meta)}`);
    }
  });
}

function expectSingleInput(path: string, session: ort.InferenceSession): void {
  if (session.inputNames.length !== 1) {
    throw new ModelLoadError(
      `${path}: expected exactly 1 input, found ${session.inputNames.length} (${session.inputMetadata.map(describe).join('; ')})`,
    );
  }
}

async function toNchw(images: tf.Tensor4D): Promise<ort.Tensor> {
  const nchw = tf.transpose(images, [0, 3, 1, 2]);
  const data = (await nchw.data()) as Float32Array;
  const dims = nchw.shape;
  nchw.dispose();
  return new ort.Tensor('float32', data, dims);
}

function fromNchw(tensor: ort.Tensor): tf.Tensor4D {
  const [n, c, h, w] = tensor.dims as [number, number, number, number];
  return tf.tidy(() => tf.transpose(tf.tensor4d(tensor.data as Float32Array, [n, c, h, w]), [0, 2, 3, 1]));
}

export class OnnxGenerator implements ImageGenerator {
  readonly differentiable = false;
  readonly height: number;
  readonly width: number;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly latentDim: number,
    resolution: number,
    readonly label: string,
  ) {
    this.height = this.width = resolution;
  }

  static async load(path: string, sha256: string | undefined, latentDim: number, resolution: number): Promise<OnnxGenerator> {
    const session = await openSession(path, sha256);
    expectSingleInput(path, session);
    expectTensor(path, 'input', session.inputMetadata[0], [null, latentDim]);
    expectTensor(path, 'first output', session.outputMetadata[0], [null, 3, resolution, resolution]);
    const label = `onnx generator ${path}${sha256 ? ` (sha256 ${sha256.slice(0, 12)}…)` : ' (sha256 not declared)'}`;
    return new OnnxGenerator(session, latentDim, resolution, label);
  }

  async generate(latents: tf.Tensor2D): Promise<tf.Tensor4D> {
    const input = new ort.Tensor('float32', (await latents.data()) as Float32Array, latents.shape);
    const outputs = await this.session.run({ [this.session.inputNames[0]!]: input });
    // A synthesis network's raw output may leave [-1, 1] (StyleGAN's does; scripts/convert_stylegan_xl.py exports it
    // unclamped, as G.synthesis returns it): clamp as the tfjs generators' `generate` and the official image writers do.
    const images = fromNchw(outputs[this.session.outputNames[0]!]!);
    const clamped = tf.clipByValue(images, -1, 1);
    images.dispose();
    return clamped;
  }

  dispose(): void {
    void this.session.release();
  }
}

export class OnnxVgg16 implements FeatureNetwork {
  readonly differentiable = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly label: string,
  ) {}

  static async load(path: string, sha256: string | undefined, widths: readonly number[]): Promise<OnnxVgg16> {
    const session = await openSession(path, sha256);
    expectSingleInput(path, session);
    expectTensor(path, 'input', session.inputMetadata[0], [null, 3, null, null]);
    [...VGG16_RELU_TAPS, ...VGG16_POOL_TAPS].forEach((tap, i) => {
      const meta = session.outputMetadata.find((m) => m.name === tap);
      if (!meta) {
        throw new ModelLoadError(`${path}: missing output "${tap}" (outputs: ${session.outputNames.join(', ')})`);
      }
      expectTensor(path, `output "${tap}"`, meta, [null, widths[i % 5]!, null, null]);
    });
    const label = `vgg16-onnx ${path}${sha256 ? ` (sha256 ${sha256.slice(0, 12)}…)` : ' (sha256 not declared)'}`;
    return new OnnxVgg16(session, label);
  }

  async features(images: tf.Tensor4D, taps: readonly Vgg16Tap[]): Promise<Record<string, tf.Tensor4D>> {
    const outputs = await this.session.run({ [this.session.inputNames[0]!]: await toNchw(images) }, [...taps]);
    return Object.fromEntries(taps.map((tap) => [tap, fromNchw(outputs[tap]!)]));
  }

  dispose(): void {
    void this.session.release();
  }
}
