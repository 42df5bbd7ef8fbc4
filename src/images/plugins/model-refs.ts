/**
 * How a pipeline YAML names a model: kind + weights file (+ sha256). Zod only, so stage specs can import it.
 * Without `weights`, a `builtin` generator and a `vgg16` network use seeded stand-in weights (labelled as such in
 * every report); with `weights`, the safetensors file must match the declared architecture exactly.
 * Relative weight paths resolve against the process working directory.
 */
import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits');

export const builtinGeneratorRefSchema = z
  .object({
    kind: z.literal('builtin'),
    resolution: z.number().int().default(64),
    latentDim: z.number().int().positive().default(512),
    /** Widths C0 … C_stages; default narrows from 64 (see `defaultGeneratorShape`). */
    channels: z.array(z.number().int().positive()).optional(),
    /** Seed of the stand-in weights (ignored when `weights` is given). */
    seed: z.number().int().nonnegative().default(0),
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
    latentDim: z.number().int().positive().default(512),
    resolution: z.number().int().positive(),
  })
  .strict();

export const generatorRefSchema = z.discriminatedUnion('kind', [builtinGeneratorRefSchema, onnxGeneratorRefSchema]);
export type GeneratorRef = z.infer<typeof generatorRefSchema>;

/** Narrow widths of the seeded stand-in VGG16 (same topology as torchvision's, 1/4 of the channels). */
export const VGG16_STANDIN_WIDTHS = [16, 32, 64, 128, 128];

const widths = z.array(z.number().int().positive()).length(5);

export const featureNetRefSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('vgg16'),
      /** Block widths; [64, 128, 256, 512, 512] is real VGG16. */
      widths: widths.default(VGG16_STANDIN_WIDTHS),
      /** Seed of the stand-in weights (ignored when `weights` is given). */
      seed: z.number().int().nonnegative().default(0),
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
