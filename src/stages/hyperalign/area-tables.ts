/**
 * One aligned area as the tables the hyperalign runner checkpoints and assembles (layouts: src/tables/hyperalign.ts):
 * its aligned train and test responses, its mappers and its residuals.
 */
import type { Table } from 'apache-arrow';
import { ALIGNED_AREA, MAPPERS, RESIDUALS } from '../../tables/hyperalign.js';
import type { AlignedArea } from '../../fmri/align-area.js';
import { projection } from '../../fmri/procrustes.js';

/** The checkpoint parts of one area (file `area-<index>/<part>.arrow`, area-checkpoint.ts). */
export const AREA_PARTS = ['train', 'test', 'mappers', 'residuals'] as const;
export type AreaPart = (typeof AREA_PARTS)[number];

export function areaTables(area: string, aligned: AlignedArea, labels: readonly string[], writeMappers: boolean): Map<AreaPart, Table> {
  const { mappers, residuals, reference } = aligned.hyperalignment;
  const width = aligned.train.cols;
  const subject: string[] = [];
  const voxel: number[] = [];
  const sourceMean: number[] = [];
  const sourceVoxels = writeMappers ? mappers.reduce((n, m) => n + m.sourceMean.length, 0) : 0;
  const projections = new Float32Array(sourceVoxels * width);
  if (writeMappers) {
    mappers.forEach((mapper, i) => {
      projections.set(projection(mapper).data, subject.length * width);
      mapper.sourceMean.forEach((mean, v) => {
        subject.push(labels[i]!);
        voxel.push(v);
        sourceMean.push(mean);
      });
    });
  }
  const perSubject = <T>(value: (i: number) => T) => Object.fromEntries(labels.map((l, i) => [l, value(i)]));
  return new Map<AreaPart, Table>([
    ['train', ALIGNED_AREA.named('train').build({ values: { width, values: Float32Array.from(aligned.train.data) } })],
    ['test', ALIGNED_AREA.named('test').build({ values: { width, values: Float32Array.from(aligned.test.data) } })],
    [
      'mappers',
      MAPPERS.named(area).build(
        { subject, voxel, source_mean: sourceMean, projection: { width, values: projections } },
        {
          area,
          reference: labels[reference]!,
          scale: perSubject((i) => mappers[i]!.scale),
          targetMean: perSubject((i) => [...mappers[i]!.targetMean]),
        },
      ),
    ],
    [
      'residuals',
      RESIDUALS.build({
        area: residuals.flatMap(() => labels.map(() => area)),
        level: residuals.flatMap((_, level) => labels.map(() => level + 1)),
        subject: residuals.flatMap(() => [...labels]),
        residual: residuals.flatMap((row) => [...row]),
      }),
    ],
  ]);
}
