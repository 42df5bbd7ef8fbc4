/**
 * Parameters of the synthetic B2G-like world (zod only, so the stage spec can use it without loading the
 * simulator). Defaults mirror B2G (docs/datasets.md §A; paper §2.2): 512-d latents, V1/V4/IT with 448/256/256
 * channels, 4000 single-trial training items, 200 test items averaged over 20 repetitions. The informativeness
 * defaults order the areas as PAM found attention on B2G (IT ≫ V4 > V1; docs/datasets.md §D.4, fig5), so
 * downstream attention checks have a known truth to find.
 */
import { z } from 'zod';

export const NONLINEARITIES = ['softplus', 'tanh'] as const;
export type Nonlinearity = (typeof NONLINEARITIES)[number];

/** Area names become column names `area:<name>`. */
const AREA_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

export const areaModelSchema = z
  .object({
    name: z.string().regex(AREA_NAME, 'an area name is a letter then letters, digits, _ or - (max 32)'),
    units: z.number().int().min(1).max(100_000),
    /** Fraction (0..1) of each unit's pre-nonlinearity drive variance explained by the latent; the rest is trial noise. */
    informativeness: z.number().min(0).max(1),
    /** softplus: rectified firing rates; tanh: saturating responses. */
    nonlinearity: z.enum(NONLINEARITIES).default('softplus'),
  })
  .strict();

export type AreaModel = z.infer<typeof areaModelSchema>;

export const DEFAULT_B2G_AREAS: AreaModel[] = [
  { name: 'V1', units: 448, informativeness: 0.05, nonlinearity: 'softplus' },
  { name: 'V4', units: 256, informativeness: 0.25, nonlinearity: 'softplus' },
  { name: 'IT', units: 256, informativeness: 0.75, nonlinearity: 'tanh' },
];

export const b2gConfigSchema = z
  .object({
    /** Latent width d (StyleGAN-XL w: 512). */
    latentDim: z.number().int().min(1).max(4096).default(512),
    /** Latents are N(0, latentScale² I). */
    latentScale: z.number().positive().default(1),
    trainItems: z.number().int().min(1).max(1_000_000).default(4000),
    testItems: z.number().int().min(1).max(100_000).default(200),
    /** Test responses are the mean of this many noisy trials (training items are single trials). */
    testRepetitions: z.number().int().min(1).max(1000).default(20),
    /** Latent dimensions each unit mixes (its sparse tuning); must not exceed latentDim. */
    mixDims: z.number().int().min(1).default(16),
    areas: z.array(areaModelSchema).min(1).default(DEFAULT_B2G_AREAS),
  })
  .strict()
  .superRefine((config, issues) => {
    if (config.mixDims > config.latentDim) {
      issues.addIssue({ code: 'custom', path: ['mixDims'], message: `mixDims ${config.mixDims} exceeds latentDim ${config.latentDim}` });
    }
    const seen = new Set<string>();
    config.areas.forEach((area, index) => {
      if (seen.has(area.name))
        issues.addIssue({ code: 'custom', path: ['areas', index, 'name'], message: `duplicate area "${area.name}"` });
      seen.add(area.name);
    });
  });

/** Input (YAML `with:` block) and resolved (defaults applied) forms. */
export type B2GConfigInput = z.input<typeof b2gConfigSchema>;
export type B2GConfig = z.output<typeof b2gConfigSchema>;
