/**
 * Writes the synthetic GOD world in the trial-level layout of src/tables/dataset.ts, so later stages cannot tell it
 * from a real GOD loader's artifact:
 *   `trials-<subject>`: image_id, split, repetition, run, `area:<A>` (trials × voxels); metadata `areas`, `subject`;
 *   `images`: image_id, split, latent (the planted stimulus latents);
 *   `truth`: subject, area, voxel, informative (0/1) — ground truth for the science checks;
 *   `shared-<area>`: image_id, split, `subject:<s>` = that subject's noise-free planted response.
 */
import type { StageContext, StageResult, StageRunner } from '../stage-definition.js';
import { TRIALS, type AreaInfo } from '../../tables/dataset.js';
import { PLANTED_IMAGES, PLANTED_TRUTH, SHARED_SIGNAL } from '../../tables/synthetic-worlds.js';
import { synthesizeGod } from '../../synthetic/god.js';
import type { SynthesizeGodParams } from './spec.js';

export const runner: StageRunner<SynthesizeGodParams> = {
  async run(ctx: StageContext<SynthesizeGodParams>): Promise<StageResult> {
    const p = ctx.params;
    ctx.progress({ fraction: 0, message: `synthesizing ${p.subjects} GOD-like subjects` });
    const world = synthesizeGod(p, ctx.seed);
    const areaNames = Object.keys(p.areaVoxels);

    PLANTED_IMAGES.write(ctx.output, {
      image_id: world.imageIds,
      split: world.imageSplit,
      latent: { width: p.latentDim, values: world.latents },
    });

    const truth = { subject: [] as string[], area: [] as string[], voxel: [] as number[], informative: [] as number[] };
    world.subjects.forEach((subject, s) => {
      const responses = new Map(subject.areas.map((area, a) => [area.area, { width: area.voxels, values: subject.responses[a]! }]));
      const areaInfo: AreaInfo[] = [];
      let firstColumn = 0;
      subject.areas.forEach((area) => {
        areaInfo.push({ name: area.area, units: area.voxels, sourceColumns: [firstColumn, firstColumn + area.voxels] });
        firstColumn += area.voxels;
        area.informative.forEach((flag, v) => {
          truth.subject.push(subject.subject);
          truth.area.push(area.area);
          truth.voxel.push(v);
          truth.informative.push(flag);
        });
      });
      TRIALS.named(subject.subject).write(
        ctx.output,
        { image_id: subject.imageIds, split: subject.split, repetition: subject.repetition, run: subject.run, areas: responses },
        { areas: areaInfo, subject: subject.subject },
      );
      ctx.progress({ fraction: (0.8 * (s + 1)) / world.subjects.length, message: `wrote trials-${subject.subject}` });
    });

    PLANTED_TRUTH.write(ctx.output, truth);
    areaNames.forEach((name, a) => {
      const signal = new Map(world.subjects.map((s) => [s.subject, { width: s.areas[a]!.voxels, values: s.areas[a]!.signal }]));
      SHARED_SIGNAL.named(name).write(ctx.output, { image_id: world.imageIds, split: world.imageSplit, subjects: signal }, { area: name });
    });
    ctx.progress({ fraction: 1, message: 'synthetic GOD world written' });
    return {
      summary: {
        subjects: world.subjects.length,
        areas: areaNames.join(','),
        trialsPerSubject: world.subjects[0]!.imageIds.length,
        trainImages: p.trainImages,
        testImages: p.testImages,
        latentDim: p.latentDim,
      },
    };
  },
};
