/**
 * The architecture record of a StyleGAN-XL generator (format `pam-pipeline-stylegan-xl/1`): what the official
 * modules hold as attributes (autonomousvision/stylegan_xl training/networks_stylegan3_resetting.py), written by
 * scripts/convert_stylegan_xl.py from a network pickle, or derived from the training hyperparameters by
 * `styleganXlArchitecture` (src/models/stylegan-xl/layer-specs.ts). Validated once here, at the boundary.
 *
 * The synthesis network is a flat list of `SynthesisLayer`s: a SuperresGenerator is its stem's layers minus the
 * critically sampled ones, followed by the new head's layers (and a later stage does the same to that), so the
 * record lists the layers that remain, each with its own sampling rates, cutoffs and sizes.
 */
import { z } from 'zod';
import { ModelLoadError } from '../../errors/pipeline-errors.js';

export const STYLEGAN_XL_FORMAT = 'pam-pipeline-stylegan-xl/1';

const positiveInt = z.number().int().positive();
const positive = z.number().positive();

const synthesisLayerSchema = z
  .object({
    /** The official attribute name, `L<index>_<out size>_<out channels>`, the prefix of the layer's weights. */
    name: z.string().regex(/^L\d+_\d+_\d+$/),
    isTorgb: z.boolean(),
    isCriticallySampled: z.boolean(),
    inChannels: positiveInt,
    outChannels: positiveInt,
    inSize: positiveInt,
    outSize: positiveInt,
    inSamplingRate: positive,
    outSamplingRate: positive,
    inCutoff: positive,
    outCutoff: positive,
    inHalfWidth: positive,
    outHalfWidth: positive,
    convKernel: positiveInt,
    /** Low-pass filter taps per unit of the up/down factor (official `filter_size`, 6). */
    filterSize: positiveInt,
    /** Relative sampling rate of the leaky ReLU (official `lrelu_upsampling`, 2). */
    lreluUpsampling: positiveInt,
    /** Clamp of the activations, null = none (official `conv_clamp`). */
    convClamp: positive.nullable(),
  })
  .strict();

export const styleganXlArchitectureSchema = z
  .object({
    format: z.literal(STYLEGAN_XL_FORMAT),
    zDim: positiveInt,
    /** Number of classes the generator is conditioned on (one-hot `c`), 0 = unconditional. */
    cDim: z.number().int().nonnegative(),
    wDim: positiveInt,
    imgResolution: positiveInt,
    imgChannels: positiveInt,
    mapping: z
      .object({
        numLayers: positiveInt,
        lrMultiplier: positive,
        /** The class embedding (nn.Embedding) and its projection; present exactly when cDim > 0. */
        embedding: z.object({ classes: positiveInt, dim: positiveInt }).strict().nullable(),
      })
      .strict(),
    input: z.object({ channels: positiveInt, size: positiveInt, samplingRate: positive, bandwidth: positive }).strict(),
    layers: z.array(synthesisLayerSchema).min(1),
    outputScale: positive,
  })
  .strict();

export type SynthesisLayerSpec = z.infer<typeof synthesisLayerSchema>;
export type StyleGanXlArchitecture = z.infer<typeof styleganXlArchitectureSchema>;
export type SynthesisInputSpec = StyleGanXlArchitecture['input'];
export type MappingSpec = StyleGanXlArchitecture['mapping'];

/** Validate an architecture record (parsed JSON); errors name `source` and the key path. */
export function parseStyleGanXlArchitecture(json: unknown, source: string): StyleGanXlArchitecture {
  const parsed = styleganXlArchitectureSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelLoadError(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const architecture = parsed.data;
  const { cDim, mapping, layers, input, imgResolution, imgChannels } = architecture;
  if (cDim > 0 !== (mapping.embedding !== null)) {
    throw new ModelLoadError(`${source}: mapping.embedding must be given exactly when cDim > 0 (cDim ${cDim})`);
  }
  layers.forEach((layer, i) => {
    const inChannels = i === 0 ? input.channels : layers[i - 1]!.outChannels;
    const inSize = i === 0 ? input.size : layers[i - 1]!.outSize;
    if (layer.inChannels !== inChannels || layer.inSize !== inSize) {
      throw new ModelLoadError(
        `${source}: layers.${i} (${layer.name}) takes ${layer.inChannels} channels of ${layer.inSize} px, ` +
          `the layer before gives ${inChannels} of ${inSize} px`,
      );
    }
    if (layer.isTorgb !== (i === layers.length - 1)) {
      throw new ModelLoadError(`${source}: layers.${i} (${layer.name}): only the last layer is the ToRGB layer`);
    }
    if (layer.isTorgb && layer.convKernel !== 1) {
      throw new ModelLoadError(`${source}: layers.${i} (${layer.name}): the ToRGB layer's convKernel is ${layer.convKernel}, it must be 1`);
    }
  });
  const last = layers[layers.length - 1]!;
  if (last.outChannels !== imgChannels || last.outSize !== imgResolution) {
    throw new ModelLoadError(
      `${source}: the last layer gives ${last.outChannels} channels of ${last.outSize} px, ` +
        `the generator declares ${imgChannels} of ${imgResolution} px`,
    );
  }
  return architecture;
}

/** How many w vectors the synthesis network takes: one for the input and one per layer. */
export function numWs(architecture: Pick<StyleGanXlArchitecture, 'layers'>): number {
  return architecture.layers.length + 1;
}
