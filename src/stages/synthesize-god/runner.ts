/**
 * Writes the synthetic GOD world in the trial-level layout of dataset-layout.ts, so later stages cannot tell it
 * from a real GOD loader's artifact:
 *   `trials-<subject>`: image_id, split, repetition, run, `area:<A>` (trials × voxels); metadata `areas`, `subject`;
 *   `images`: image_id, split, latent (the planted stimulus latents);
 *   `truth`: subject, area, voxel, informative (0/1) — ground truth for the science checks;
 *   `shared-<area>`: image_id, split, `subject:<s>` = that subject's noise-free planted response.
 */
import type { StageContext, StageResult, StageRunner } from '../stage-definition.js';
import { areaColumn, type AreaInfo } from '../../tables/dataset.js';
import { buildTable, type ColumnSpec } from '../../tables/arrow-tables.js';
import { synthesizeGod } from '../../synthetic/god.js';
import type { SynthesizeGodParams } from './spec.js';

export const runner: StageRunner<SynthesizeGodParams> = {
  async run(ctx: StageContext<SynthesizeGodParams>): Promise<StageResult> {
    const p = ctx.params;
    ctx.progress({ fraction: 0, message: `synthesizing ${p.subjects} GOD-like subjects` });
    const world = synthesizeGod(p, ctx.seed);
    const areaNames = Object.keys(p.areaVoxels);

    ctx.output.writeTable(
      'images',
      buildTable({
        image_id: { kind: 'utf8', values: world.imageIds },
        split: { kind: 'utf8', values: world.imageSplit },
        latent: { kind: 'float32-vector', width: p.latentDim, values: world.latents },
      }),
    );

    const truth = { subject: [] as string[], area: [] as string[], voxel: [] as number[], informative: [] as number[] };
    world.subjects.forEach((subject, s) => {
      const columns: Record<string, ColumnSpec> = {
        image_id: { kind: 'utf8', values: subject.imageIds },
        split: { kind: 'utf8', values: subject.split },
        repetition: { kind: 'int32', values: subject.repetition },
        run: { kind: 'int32', values: subject.run },
      };
      const areaInfo: AreaInfo[] = [];
      let firstColumn = 0;
      subject.areas.forEach((area, a) => {
        columns[areaColumn(area.area)] = { kind: 'float32-vector', width: area.voxels, values: subject.responses[a]! };
        areaInfo.push({ name: area.area, units: area.voxels, sourceColumns: [firstColumn, firstColumn + area.voxels] });
        firstColumn += area.voxels;
        area.informative.forEach((flag, v) => {
          truth.subject.push(subject.subject);
          truth.area.push(area.area);
          truth.voxel.push(v);
          truth.informative.push(flag);
        });
      });
      ctx.output.writeTable(
        `trials-${subject.subject}`,
        buildTable(columns, { areas: JSON.stringify(areaInfo), subject: subject.subject }),
      );
      ctx.progress({ fraction: (0.8 * (s + 1)) / world.subjects.length, message: `wrote trials-${subject.subject}` });
    });

    ctx.output.writeTable(
      'truth',
      buildTable({
        subject: { kind: 'utf8', values: truth.subject },
        area: { kind: 'utf8', values: truth.area },
        voxel: { kind: 'int32', values: truth.voxel },
        informative: { kind: 'int32', values: truth.informative },
      }),
    );
    areaNames.forEach((name, a) => {
      const columns: Record<string, ColumnSpec> = {
        image_id: { kind: 'utf8', values: world.imageIds },
        split: { kind: 'utf8', values: world.imageSplit },
      };
      for (const subject of world.subjects) {
        const area = subject.areas[a]!;
        columns[`subject:${subject.subject}`] = { kind: 'float32-vector', width: area.voxels, values: area.signal };
      }
      ctx.output.writeTable(`shared-${name}`, buildTable(columns, { area: name }));
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
