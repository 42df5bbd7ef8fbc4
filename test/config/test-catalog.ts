/**
 * A small stage catalog for the config tests: the real catalog fills up as stages land, and these tests must
 * not depend on any real stage's params. The kinds mirror real shapes: a source (no inputs), a stage with a
 * required and an optional input, and one with two required inputs.
 */
import { z } from 'zod';
import type { StageCatalog } from '../../src/stages/catalog.js';
import type { StageSpec } from '../../src/stages/stage-spec.js';

function testSpec(kind: string, params: z.ZodTypeAny, inputs: string[], optionalInputs: string[] = []): StageSpec {
  return {
    kind,
    description: `test kind ${kind}`,
    codeVersion: '1',
    inputs,
    optionalInputs,
    params,
    loadRunner: () => Promise.reject(new Error(`config tests never run stage "${kind}"`)),
  };
}

export const testCatalog: StageCatalog = new Map(
  [
    testSpec(
      'synthesize-b2g',
      z.object({ items: z.number().int().min(1).default(100), noise: z.number().min(0).default(0.1) }).strict(),
      [],
    ),
    testSpec(
      'train-pam',
      z
        .object({
          epochs: z.number().int().min(1).default(10),
          learningRate: z.number().positive().default(0.001),
          heads: z.array(z.number().int().min(1)).min(1).default([4]),
          optimizer: z.enum(['adam', 'sgd']).default('adam'),
        })
        .strict(),
      ['dataset'],
      ['latents'],
    ),
    testSpec('evaluate', z.object({ metrics: z.array(z.string()).default(['pixcorr']) }).strict(), ['dataset', 'model']),
  ].map((spec) => [spec.kind, spec]),
);
