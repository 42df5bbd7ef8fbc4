/**
 * `select-voxels` runner: reads a decoding dataset (`train`/`test` with `latent` and `area:<A>` columns), scores
 * every voxel of every area on the TRAINING images (src/fmri/voxel-selection.ts), and writes
 *   `train` / `test`  the same dataset restricted to the selected voxels; areas left empty are dropped (logged);
 *   `voxel-scores`    area, voxel, r, p, q, selected, lambda — λ is chosen per AREA inside each outer training fold
 *                     (sklearn RidgeCV LOO over that fold's grid, src/fmri/ridge-cv.ts); the column holds the
 *                     geometric mean of the area's fold λ (src/fmri/voxel-selection.ts `summaryLambda`), the metadata
 *                     key `fold_lambdas` holds {area: [λ of fold 0, 1, …]} and `fold_lambda_positions` their
 *                     positions in the fold grids (0 = the largest λ);
 *   `voxel-counts`    area, voxels_before, voxels_after (the paper's Table 1).
 * Fold SVDs depend only on the latents and are shared by all areas; each scored area is checkpointed.
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { StageContext, StagePartProgress, StageResult, StageRunner } from '../stage-definition.js';
import { DATASET_SPLIT } from '../../tables/dataset.js';
import type { MatrixView } from '../../tables/arrow-tables.js';
import { AREA_VOXEL_SCORES, VOXEL_COUNTS, VOXEL_SCORES } from '../../tables/voxel-selection.js';
import type { DenseMatrix } from '../../linalg/dense.js';
import { kFoldAssignment } from '../../fmri/kfold.js';
import { prepareFolds } from '../../fmri/ridge-cv.js';
import { scoreVoxels } from '../../fmri/voxel-selection.js';
import { assertNoConstantVoxel } from '../../fmri/trial-average.js';
import { checkpointFile, loadAreaCheckpoint, saveAreaCheckpoint } from '../hyperalign/area-checkpoint.js';
import type { SelectVoxelsParams } from './spec.js';
import { linalgImplementation } from '../../linalg/native-linalg.js';

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
  for (let i = 0; i < view.rows; i++) {
    keep.forEach((v, j) => {
      out[i * keep.length + j] = view.values[i * view.width + v]!;
    });
  }
  return out;
}

export const runner: StageRunner<SelectVoxelsParams> = {
  async run(ctx: StageContext<SelectVoxelsParams>): Promise<StageResult> {
    const p = ctx.params;
    const dataset = ctx.inputs['dataset']!;
    const train = DATASET_SPLIT.named('train').read(dataset);
    const test = DATASET_SPLIT.named('test').read(dataset);
    const areas = train.metadata.areas.map((a) => a.name);
    const missing = areas.find((area) => !test.columns.areas.has(area));
    if (missing !== undefined) throw new DataValidationError(`${test.file}: no area "${missing}" (${train.file} has it)`);
    const latents = finiteMatrix(train.require('latent', 'the encoding model needs latents'), 'train "latent"');
    if (latents.rows < p.folds) {
      throw new DataValidationError(`train: area "${areas[0]}" has ${latents.rows} training samples, fewer than the ${p.folds} CV folds`);
    }
    ctx.log(`select-voxels: float64 linear algebra on ${linalgImplementation()}`);
    const bases = prepareFolds(latents, kFoldAssignment(latents.rows, p.folds, p.foldSeed), p.lambdaCount, p.lambdaGrid);
    const span = (grid: Float64Array) => `${grid[0]!.toPrecision(4)} … ${grid[grid.length - 1]!.toPrecision(4)}`;
    ctx.log(
      p.lambdaGrid === 'global'
        ? `select-voxels: λ grid (global) ${[...bases.folds[0]!.lambdas].map((l) => l.toPrecision(4)).join(', ')}`
        : `select-voxels: λ grids per fold (${p.lambdaCount} values): ${bases.folds.map((f) => span(f.lambdas)).join('; ')}`,
    );

    // One part per area: the CLI shows each area's folds and how many voxels it kept.
    const parts: Record<string, StagePartProgress> = Object.fromEntries(areas.map((area) => [area, { fraction: 0, message: 'waiting' }]));
    const report = (area: string, part: StagePartProgress, progress: { fraction: number; message: string; areasDone: number }) => {
      parts[area] = part;
      ctx.progress({
        fraction: progress.fraction,
        message: progress.message,
        checkpoint: { areasDone: progress.areasDone },
        parts: { ...parts },
      });
    };
    const scores = areas.map((area, a) => {
      const part = AREA_VOXEL_SCORES.name;
      const saved = loadAreaCheckpoint(ctx.partialDir, a, [part], (reason) => {
        const message = `select-voxels: area ${area} checkpoint damaged (${reason}); recomputing it`;
        ctx.log(message);
        ctx.progress({ fraction: a / areas.length, message, checkpoint: { areasDone: a } });
      });
      if (saved) {
        parts[area] = { fraction: 1, message: 'restored from checkpoint' };
        return AREA_VOXEL_SCORES.fromTable(saved.get(part)!, checkpointFile(ctx.partialDir, a, part));
      }
      ctx.signal.throwIfAborted();
      const responses = finiteMatrix(train.columns.areas.get(area)!, `train area "${area}"`);
      finiteMatrix(test.columns.areas.get(area)!, `test area "${area}"`);
      assertNoConstantVoxel(responses, 'train', area);
      const s = scoreVoxels(bases, responses, {
        alpha: p.alpha,
        alternative: p.alternative,
        label: area,
        onFold: (done, total) =>
          report(
            area,
            { fraction: (0.99 * done) / total, message: `fold ${done}/${total}` },
            { fraction: (a + done / total) / areas.length, message: `select-voxels ${area}: fold ${done}/${total}`, areasDone: a },
          ),
      });
      const table = AREA_VOXEL_SCORES.build(
        {
          area: Array.from(s.r, () => area),
          voxel: Int32Array.from(s.r.keys()),
          r: s.r,
          p: s.p,
          q: s.q,
          selected: Int32Array.from(s.selected),
          lambda: Float64Array.from(s.r, () => s.lambda),
        },
        { fold_lambdas: [...s.foldLambda], fold_lambda_positions: [...s.foldLambdaIndex] },
      );
      saveAreaCheckpoint(ctx.partialDir, a, new Map([[part, table]]));
      const kept = s.selected.reduce((x, y) => x + y, 0);
      report(
        area,
        { fraction: 1, message: `${kept}/${s.r.length} voxels kept` },
        { fraction: (a + 1) / areas.length, message: `select-voxels ${area}: ${kept}/${s.r.length} kept`, areasDone: a + 1 },
      );
      return AREA_VOXEL_SCORES.fromTable(table, checkpointFile(ctx.partialDir, a, part));
    });

    const kept = scores.map((table) => [...table.columns.selected].flatMap((flag, v) => (flag ? [v] : [])));
    const dropped = areas.filter((_, a) => kept[a]!.length === 0);
    for (const area of dropped) ctx.log(`select-voxels: area ${area} has no voxel passing FDR α=${p.alpha}; dropped`);
    if (dropped.length === areas.length) {
      throw new DataValidationError(`select-voxels: no area kept any voxel at FDR α=${p.alpha} (areas ${areas.join(', ')})`);
    }
    for (const table of [train, test]) {
      const selected = areas.flatMap((area, a) =>
        kept[a]!.length === 0
          ? []
          : [[area, { width: kept[a]!.length, values: keepColumns(table.columns.areas.get(area)!, kept[a]!) }] as const],
      );
      // Test latents may be unknown (real photographs: only the training images are inverted).
      DATASET_SPLIT.named(table.name).write(
        ctx.output,
        { item_id: table.columns.item_id, latent: table.columns.latent, areas: new Map(selected) },
        { areas: selected.map(([area, m]) => ({ name: area, units: m.width })) },
      );
    }
    const foldLambdas = Object.fromEntries(areas.map((area, a) => [area, scores[a]!.metadata.fold_lambdas]));
    const foldPositions = Object.fromEntries(areas.map((area, a) => [area, scores[a]!.metadata.fold_lambda_positions]));
    VOXEL_SCORES.write(ctx.output, VOXEL_SCORES.concat(scores), { fold_lambdas: foldLambdas, fold_lambda_positions: foldPositions });
    VOXEL_COUNTS.write(ctx.output, {
      area: areas,
      voxels_before: scores.map((t) => t.rows),
      voxels_after: kept.map((k) => k.length),
    });
    ctx.progress({ fraction: 1, message: `selected voxels in ${areas.length - dropped.length}/${areas.length} areas` });
    return {
      summary: {
        areasKept: areas.length - dropped.length,
        droppedAreas: dropped.join(','),
        voxelsBefore: scores.reduce((n, t) => n + t.rows, 0),
        voxelsAfter: kept.reduce((n, k) => n + k.length, 0),
        lambdaCount: p.lambdaCount,
        lambdaGrid: p.lambdaGrid,
        alternative: p.alternative,
      },
    };
  },
};
