/**
 * One aligned area as the tables the hyperalign runner checkpoints and assembles:
 *   `train` / `test`  a single `values` column (images × common-space voxels, float32);
 *   `mappers`         subject, voxel, source_mean, projection (p_common wide); metadata area, reference, scale,
 *                     targetMean (JSON per subject) — forward(x) = (x − source_mean)·projection + targetMean;
 *   `residuals`       area, level (1–3), subject, residual.
 */
import type { Table } from 'apache-arrow';
import { buildTable } from '../../tables/arrow-tables.js';
import type { AlignedArea } from '../../fmri/align-area.js';
import { projection } from '../../fmri/procrustes.js';

export function areaTables(area: string, aligned: AlignedArea, labels: readonly string[], writeMappers: boolean): Map<string, Table> {
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
  const perSubject = (value: (i: number) => unknown) => JSON.stringify(Object.fromEntries(labels.map((l, i) => [l, value(i)])));
  return new Map([
    ['train', buildTable({ values: { kind: 'float32-vector', width, values: Float32Array.from(aligned.train.data) } })],
    ['test', buildTable({ values: { kind: 'float32-vector', width, values: Float32Array.from(aligned.test.data) } })],
    [
      'mappers',
      buildTable(
        {
          subject: { kind: 'utf8', values: subject },
          voxel: { kind: 'int32', values: voxel },
          source_mean: { kind: 'float64', values: sourceMean },
          projection: { kind: 'float32-vector', width, values: projections },
        },
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
      buildTable({
        area: { kind: 'utf8', values: residuals.flatMap(() => labels.map(() => area)) },
        level: { kind: 'int32', values: residuals.flatMap((_, level) => labels.map(() => level + 1)) },
        subject: { kind: 'utf8', values: residuals.flatMap(() => [...labels]) },
        residual: { kind: 'float64', values: residuals.flatMap((row) => [...row]) },
      }),
    ],
  ]);
}
