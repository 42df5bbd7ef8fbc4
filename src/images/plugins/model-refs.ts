/**
 * How a pipeline YAML names a model: kind + weights file (+ sha256). Zod only, so stage specs can import it.
 * Without `weights`, a `builtin` generator and a `vgg16` network use seeded stand-in weights (labelled as such in
 * every report); with `weights`, the safetensors file must match the declared architecture exactly.
 * A relative weights path is relative to the pipeline YAML's folder (src/config/external-paths.ts); the file's
 * content enters the cache key, and a declared `sha256` is verified before the stage runs (`weightsInputs`).
 */
import { z } from 'zod';
import type { ExternalInput } from '../../stages/stage-spec.js';

const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits');

/** Widest latent any generator here takes (StyleGAN-XL's w is 512); larger is a typo, not a model. */
const MAX_LATENT_DIM = 4096;
const latentDim = z.number().int().positive().max(MAX_LATENT_DIM);
/** Widest layer a model ref may declare (real VGG16 tops out at 512). */
const width = z.number().int().positive().max(8192);
const seed = z.number().int().nonnegative().max(0xffffffff);

/**
 * The built-in generator starts from a 4×4 map and doubles it per stage, with at most seven stages
 * (src/images/generators/builtin-generator.ts `stageCount`): its resolution is a power of two from 8 to 512.
 */
export const BUILTIN_RESOLUTIONS = [8, 16, 32, 64, 128, 256, 512];

/** Upsampling stages of a builtin generator of this resolution: one channel width each, plus the 4×4 base's. */
export function builtinStages(resolution: number): number {
  return Math.log2(resolution / 4);
}

export const builtinGeneratorRefSchema = z
  .object({
    kind: z.literal('builtin'),
    resolution: z
      .number()
      .int()
      .refine((r) => BUILTIN_RESOLUTIONS.includes(r), `expected a power of two from 8 to 512 (${BUILTIN_RESOLUTIONS.join(', ')})`)
      .default(64),
    latentDim: latentDim.default(512),
    /** Widths C0 … C_stages; default narrows from 64 (see `defaultGeneratorShape`). */
    channels: z.array(width).optional(),
    /** Seed of the stand-in weights (ignored when `weights` is given). */
    seed: seed.default(0),
    weights: z.string().optional(),
    sha256: sha256.optional(),
  })
  .strict();

export const onnxGeneratorRefSchema = z
  .object({
    kind: z.literal('onnx'),
    /** An ONNX synthesis network: input [N, latentDim] float32 → output [N, 3, H, W] in [-1, 1]. */
    weights: z.string(),
    sha256: sha256.optional(),
    latentDim: latentDim.default(512),
    resolution: z.number().int().positive().max(4096),
  })
  .strict();

/**
 * A StyleGAN-XL generator converted by scripts/convert_stylegan_xl.py (docs/stylegan-xl.md §4): the weights and the
 * architecture record the converter writes beside them. Its latent is w. `latentDim` and `resolution` let the plan
 * be checked without reading the record; loading refuses a record that says otherwise. Defaults: the B2G
 * generator `imagenet512.pkl` (w 512, 512 px).
 */
export const styleganXlGeneratorRefSchema = z
  .object({
    kind: z.literal('stylegan-xl'),
    weights: z.string(),
    /** The architecture record (`<name>.json`). */
    architecture: z.string(),
    sha256: sha256.optional(),
    latentDim: latentDim.default(512),
    resolution: z.number().int().positive().max(4096).default(512),
  })
  .strict();

// The channel count is checked on the union: a discriminated union takes plain objects, not refined ones (zod 3).
export const generatorRefSchema = z
  .discriminatedUnion('kind', [builtinGeneratorRefSchema, onnxGeneratorRefSchema, styleganXlGeneratorRefSchema])
  .superRefine((ref, ctx) => {
    if (ref.kind !== 'builtin' || ref.channels === undefined) return;
    const needed = builtinStages(ref.resolution) + 1;
    if (ref.channels.length !== needed) {
      const message = `expected ${needed} channel widths for resolution ${ref.resolution} (the 4×4 base and ${needed - 1} upsampling stages)`;
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['channels'], message });
    }
  });
export type GeneratorRef = z.infer<typeof generatorRefSchema>;

/** The `pam run --dry-run` line (`StageSpec.describePlan`) that says which generator a stage will load. */
export function describeGenerator(ref: GeneratorRef | undefined): string[] {
  if (ref === undefined) return [];
  const size = `latent ${ref.latentDim}, ${ref.resolution} px`;
  if (ref.kind === 'stylegan-xl') return [`generator: stylegan-xl (${size}), weights ${ref.weights}, architecture ${ref.architecture}`];
  if (ref.kind === 'onnx') return [`generator: onnx (${size}), weights ${ref.weights}`];
  return [`generator: builtin (${size}), ${ref.weights ? `weights ${ref.weights}` : `seeded stand-in weights, seed ${ref.seed}`}`];
}

/** Narrow widths of the seeded stand-in VGG16 (same topology as torchvision's, 1/4 of the channels). */
export const VGG16_STANDIN_WIDTHS = [16, 32, 64, 128, 128];

const widths = z.array(width).length(5);

export const featureNetRefSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('vgg16'),
      /** Block widths; [64, 128, 256, 512, 512] is real VGG16. */
      widths: widths.default(VGG16_STANDIN_WIDTHS),
      /** Seed of the stand-in weights (ignored when `weights` is given). */
      seed: seed.default(0),
      weights: z.string().optional(),
      sha256: sha256.optional(),
    })
    .strict(),
  z
    .object({
      /** VGG16 features exported to ONNX (`scripts/convert_weights.py --onnx`): inference only. */
      kind: z.literal('vgg16-onnx'),
      widths: widths.default([64, 128, 256, 512, 512]),
      weights: z.string(),
      sha256: sha256.optional(),
    })
    .strict(),
]);
export type FeatureNetRef = z.infer<typeof featureNetRefSchema>;

/** LPIPS linear weights (`lpips` package's `vgg.pth`, converted); absent means the `lpips=False` variant. */
export const lpipsRefSchema = z.object({ weights: z.string(), sha256: sha256.optional() }).strict();
export type LpipsRef = z.infer<typeof lpipsRefSchema>;

/**
 * The weights files of a stage's `generator`, `featureNet` and `lpipsWeights` params as its external inputs
 * (`StageSpec.externalInputs`), and a StyleGAN-XL generator's architecture record. A ref without weights adds
 * none: seeded stand-ins are keyed by their params.
 */
export function modelWeightsInputs(p: { generator?: GeneratorRef; featureNet?: FeatureNetRef; lpipsWeights?: LpipsRef }): ExternalInput[] {
  const refs = [
    { label: 'generator weights', param: 'generator', ref: p.generator },
    { label: 'feature-net weights', param: 'featureNet', ref: p.featureNet },
    { label: 'lpips weights', param: 'lpipsWeights', ref: p.lpipsWeights },
  ];
  const weights = refs.flatMap(({ label, param, ref }) =>
    ref?.weights === undefined ? [] : [{ label, param: [param, 'weights'], kind: 'file' as const, sha256: ref.sha256 }],
  );
  const record: ExternalInput[] =
    p.generator?.kind === 'stylegan-xl' ? [{ label: 'generator architecture', param: ['generator', 'architecture'], kind: 'file' }] : [];
  return [...weights, ...record];
}
