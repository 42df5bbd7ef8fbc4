/**
 * `select-voxels` runner: reads a decoding dataset (`train`/`test` with `latent` and `area:<A>` columns), scores
 * every voxel of every area on the TRAINING images (src/fmri/voxel-selection.ts), and writes
 *   `train` / `test`  the same dataset restricted to the selected voxels; areas left empty are dropped (logged);
 *   `voxel-scores`    area, voxel, r, p, q, selected, lambda — λ is chosen per AREA inside each outer training fold
 *                     (sklearn RidgeCV LOO, src/fmri/ridge-cv.ts); the column holds the area's most frequent λ and
 *                     the metadata key `fold_lambdas` holds {area: [λ of fold 0, 1, …]};
 *   `voxel-counts`    area, voxels_before, voxels_after (the paper's Table 1).
 * Fold SVDs depend only on the latents and are shared by all areas; each scored area is checkpointed.
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { StageContext, StageResult, StageRunner } from '../stage-definition.js';
import { areaColumn, type AreaInfo } from '../../tables/dataset.js';
import {
  buildTable,
  readFloat32Matrix,
  readJsonMetadata,
  readNumbers,
  readStrings,
  type ColumnSpec,
  type MatrixView,
} from '../../tables/arrow-tables.js';
import type { DenseMatrix } from '../../linalg/dense.js';
import { kFoldAssignment } from '../../fmri/kfold.js';
import { lambdaGrid, prepareFolds } from '../../fmri/ridge-cv.js';
import { scoreVoxels } from '../../fmri/voxel-selection.js';
import { assertNoConstantVoxel } from '../../fmri/trial-average.js';
import { loadAreaCheckpoint, saveAreaCheckpoint } from '../hyperalign/area-checkpoint.js';
import type { SelectVoxelsParams } from './spec.js';

function finiteMatrix(view: MatrixView<Float32Array>, what: string): DenseMatrix {
  for (let k = 0; k < view.values.length; k++) {
    if (!Number.isFinite(view.values[k]!)) {
      const row = Math.floor(k / view.width);
      throw new DataValidationError(`${what} column ${k % view.width} has ${view.values[k]} at row ${row}`);
    }
  }
  return { rows: view.rows, cols: view.width, data: Float64Array.from(view.values) };
}

function keepColumns(view: MatrixView<Float32Array>, keep: number[]): Float32Array {
  const out = new Float32Array(view.rows * keep.length);
  for (let i = 0; i < view.rows; i++) keep.forEach((v, j) => (out[i * keep.length + j] = view.values[i * view.width + v]!));
  return out;
}

export const runner: StageRunner<SelectVoxelsParams> = {
  async run(ctx: StageContext<SelectVoxelsParams>): Promise<StageResult> {
    const p = ctx.params;
    const input = ctx.inputs['dataset']!;
    const train = input.readTable('train');
    const test = input.readTable('test');
    const areas = readJsonMetadata<AreaInfo[]>(train, 'areas', 'train').map((a) => a.name);
    if (!train.schema.fields.some((f) => f.name === 'latent')) {
      throw new DataValidationError(`${input.dir}/train.arrow: no "latent" column; the encoding model needs latents`);
    }
    const latents = finiteMatrix(readFloat32Matrix(train, 'latent', 'train'), 'train "latent"');
    if (latents.rows < p.folds) {
      throw new DataValidationError(`train: area "${areas[0]}" has ${latents.rows} training samples, fewer than the ${p.folds} CV folds`);
    }
    const bases = prepareFolds(latents, kFoldAssignment(latents.rows, p.folds, p.foldSeed));
    const lambdas = lambdaGrid(latents, p.lambdaCount);
    ctx.log(`select-voxels: λ grid ${[...lambdas].map((l) => l.toPrecision(4)).join(', ')}`);

    const scores = areas.map((area, a) => {
      const saved = loadAreaCheckpoint(ctx.partialDir, a, ['scores']);
      if (saved) return saved.get('scores')!;
      ctx.signal.throwIfAborted();
      const responses = finiteMatrix(readFloat32Matrix(train, areaColumn(area), 'train'), `train area "${area}"`);
      finiteMatrix(readFloat32Matrix(test, areaColumn(area), 'test'), `test area "${area}"`);
      assertNoConstantVoxel(responses, 'train', area);
      const s = scoreVoxels(bases, responses, lambdas, { alpha: p.alpha, alternative: p.alternative, label: area });
      const table = buildTable(
        {
          area: { kind: 'utf8', values: Array.from(s.r, () => area) },
          voxel: { kind: 'int32', values: Int32Array.from(s.r.keys()) },
          r: { kind: 'float64', values: s.r },
          p: { kind: 'float64', values: s.p },
          q: { kind: 'float64', values: s.q },
          selected: { kind: 'int32', values: Int32Array.from(s.selected) },
          lambda: { kind: 'float64', values: Float64Array.from(s.r, () => s.lambda) },
        },
        { fold_lambdas: JSON.stringify([...s.foldLambda]) },
      );
      saveAreaCheckpoint(ctx.partialDir, a, new Map([['scores', table]]));
      const kept = s.selected.reduce((x, y) => x + y, 0);
      ctx.progress({
        fraction: (a + 1) / areas.length,
        message: `select-voxels ${area}: ${kept}/${s.r.length} kept`,
        checkpoint: { areasDone: a + 1 },
      });
      return table;
    });

    const kept = scores.map((table) => [...readNumbers(table, 'selected')].flatMap((flag, v) => (flag ? [v] : [])));
    const dropped = areas.filter((_, a) => kept[a]!.length === 0);
    for (const area of dropped) ctx.log(`select-voxels: area ${area} has no voxel passing FDR α=${p.alpha}; dropped`);
    if (dropped.length === areas.length) {
      throw new DataValidationError(`select-voxels: no area kept any voxel at FDR α=${p.alpha} (areas ${areas.join(', ')})`);
    }
    for (const [split, table] of [
      ['train', train],
      ['test', test],
    ] as const) {
      const columns: Record<string, ColumnSpec> = { item_id: { kind: 'utf8', values: readStrings(table, 'item_id', split) } };
      // Test latents may be unknown (real photographs: only the training images are inverted).
      if (table.schema.fields.some((f) => f.name === 'latent')) {
        const latent = readFloat32Matrix(table, 'latent', split);
        columns['latent'] = { kind: 'float32-vector', width: latent.width, values: latent.values };
      }
      const info: AreaInfo[] = [];
      areas.forEach((area, a) => {
        if (kept[a]!.length === 0) return;
        const view = readFloat32Matrix(table, areaColumn(area), split);
        columns[areaColumn(area)] = { kind: 'float32-vector', width: kept[a]!.length, values: keepColumns(view, kept[a]!) };
        info.push({ name: area, units: kept[a]!.length });
      });
      ctx.output.writeTable(split, buildTable(columns, { areas: JSON.stringify(info) }));
    }
    const foldLambdas = Object.fromEntries(
      areas.map((area, a) => [area, readJsonMetadata<number[]>(scores[a]!, 'fold_lambdas', `scores of ${area}`)]),
    );
    const all = (column: string) => scores.flatMap((t) => [...readNumbers(t, column)]);
    ctx.output.writeTable(
      'voxel-scores',
      buildTable(
        {
          area: { kind: 'utf8', values: scores.flatMap((t) => readStrings(t, 'area')) },
          voxel: { kind: 'int32', values: all('voxel') },
          r: { kind: 'float64', values: all('r') },
          p: { kind: 'float64', values: all('p') },
          q: { kind: 'float64', values: all('q') },
          selected: { kind: 'int32', values: all('selected') },
          lambda: { kind: 'float64', values: all('lambda') },
        },
        { fold_lambdas: JSON.stringify(foldLambdas) },
      ),
    );
    ctx.output.writeTable(
      'voxel-counts',
      buildTable({
        area: { kind: 'utf8', values: areas },
        voxels_before: { kind: 'int32', values: scores.map((t) => t.numRows) },
        voxels_after: { kind: 'int32', values: kept.map((k) => k.length) },
      }),
    );
    ctx.progress({ fraction: 1, message: `selected voxels in ${areas.length - dropped.length}/${areas.length} areas` });
    return {
      summary: {
        areasKept: areas.length - dropped.length,
        droppedAreas: dropped.join(','),
        voxelsBefore: scores.reduce((n, t) => n + t.numRows, 0),
        voxelsAfter: kept.reduce((n, k) => n + k.length, 0),
        lambdaCount: p.lambdaCount,
        alternative: p.alternative,
      },
    };
  },
};
