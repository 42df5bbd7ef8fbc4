/**
 * `hyperalign` runner: for each area, average repetitions per image, check the inputs, hyperalign on the training
 * images (src/fmri/align-area.ts), project the test images with the training mappers, and write
 *   `train` / `test`   decoding dataset (item_id = image_id, `latent` from `images` when present, `area:<A>`);
 *   `mappers-<area>`   subject, voxel, source_mean, projection (p_common wide); metadata reference, scale, targetMean;
 *   `residuals`        area, level (1–3), subject, residual ‖P_i − C‖ as PyMVPA records it (src/fmri/hyperalignment.ts).
 * Areas are aligned in parallel on worker threads (src/threads/thread-pool.ts); each finished area is checkpointed in
 * partialDir (area-checkpoint.ts).
 */
import { ConfigError, DataValidationError } from '../../errors/pipeline-errors.js';
import type { StageContext, StagePartProgress, StageResult, StageRunner } from '../stage-definition.js';
import { DATASET_SPLIT, SPLITS } from '../../tables/dataset.js';
import { ALIGNED_AREA, MAPPERS, RESIDUALS } from '../../tables/hyperalign.js';
import type { VectorRows } from '../../tables/column-types.js';
import { alignAreaCost, alignAreaTransfer, type AlignAreaTask, type AlignedArea, type AlignStep } from '../../fmri/align-area.js';
import { moduleBeside } from '../../threads/spawn-thread.js';
import { defaultThreads, runInWorkers } from '../../threads/thread-pool.js';
import { assertNoConstantVoxel, averageRepetitions, commonImageOrder } from '../../fmri/trial-average.js';
import { checkpointFile, loadAreaCheckpoint, saveAreaCheckpoint } from './area-checkpoint.js';
import { AREA_PARTS, areaTables, type AreaPart } from './area-tables.js';
import { INVERTED_IMAGE_LATENTS, latentsByImage, readTrialInput } from './read-trials.js';
import type { HyperalignParams } from './spec.js';
import { linalgImplementation } from '../../linalg/native-linalg.js';

export const runner: StageRunner<HyperalignParams> = {
  async run(ctx: StageContext<HyperalignParams>): Promise<StageResult> {
    const input = readTrialInput(ctx.inputs['trials']!);
    const latentInput = ctx.inputs['latents'];
    const latents = latentInput ? latentsByImage(INVERTED_IMAGE_LATENTS.read(latentInput)) : input.latents;
    const areas = ctx.params.areas ?? input.areas;
    for (const area of areas) {
      if (!input.areas.includes(area)) {
        throw new ConfigError(`hyperalign: area "${area}" is not in the input (has ${input.areas.join(', ')})`);
      }
    }
    ctx.log(`hyperalign: float64 linear algebra on ${linalgImplementation()}`);
    const order = commonImageOrder(input.subjects);
    const labels = input.subjects.map((s) => s.subject);

    const damaged: string[] = [];
    const results = areas.map((area, a) =>
      loadAreaCheckpoint<AreaPart>(ctx.partialDir, a, AREA_PARTS, (reason) =>
        damaged.push(`hyperalign: area ${area} checkpoint damaged (${reason}); recomputing it`),
      ),
    );
    const pending = areas.flatMap((_, a) => (results[a] ? [] : [a]));
    if (pending.length < areas.length) ctx.log(`hyperalign: ${areas.length - pending.length} area(s) restored from checkpoint`);
    // Averaging and input checks run here (they need the trial tables); the Procrustes work runs on worker threads.
    const tasks: AlignAreaTask[] = pending.map((a) => {
      const area = areas[a]!;
      const train = input.subjects.map((s) => averageRepetitions(s, area, 'train', order.train));
      const test = input.subjects.map((s) => averageRepetitions(s, area, 'test', order.test));
      train.forEach((m, i) => {
        assertNoConstantVoxel(m, `trials-${labels[i]}`, area);
      });
      return { area, train, test, labels, zscoreDdof: ctx.params.zscoreDdof };
    });
    let finished = areas.length - pending.length;
    // One part per area (the pool aligns several at once, so one message would interleave them).
    const areaProgress: Record<string, StagePartProgress> = Object.fromEntries(
      areas.map((area, a) => [
        area,
        results[a] ? { fraction: 1, message: 'restored from checkpoint' } : { fraction: 0, message: 'waiting' },
      ]),
    );
    const report = (message: string) =>
      ctx.progress({
        fraction: Object.values(areaProgress).reduce((sum, p) => sum + p.fraction, 0) / areas.length,
        message,
        checkpoint: { areasDone: finished },
        parts: { ...areaProgress },
      });
    for (const message of damaged) {
      ctx.log(message);
      report(message);
    }
    // An area takes minutes at GOD scale: each finished Procrustes fit in a pool thread is a progress report, so
    // the engine's silence watch (src/engine/stage-heartbeats.ts) hears from this stage between areas too.
    await runInWorkers<AlignAreaTask, AlignedArea, AlignStep>(moduleBeside('../../fmri/align-area-worker', import.meta.url), tasks, {
      threads: defaultThreads(tasks.length),
      cost: alignAreaCost,
      transfer: alignAreaTransfer,
      // Each area becomes tables in onResult; the pool need not hold every area's mappers until the last one.
      keepResults: false,
      taskLabel: (task) => `area ${task.area}`,
      signal: ctx.signal,
      onEvent: (index, step) => {
        const { area } = tasks[index]!;
        // Below 1 until its tables are checkpointed (onResult).
        areaProgress[area] = { fraction: (0.99 * step.done) / step.total, message: `Procrustes fit ${step.done}/${step.total}` };
        report(`hyperalign ${area}: Procrustes fit ${step.done}/${step.total}`);
      },
      onResult: (index, aligned) => {
        const a = pending[index]!;
        const parts = areaTables(areas[a]!, aligned, labels, ctx.params.writeMappers);
        saveAreaCheckpoint(ctx.partialDir, a, parts);
        results[a] = parts;
        finished++;
        areaProgress[areas[a]!] = { fraction: 1, message: 'aligned' };
        report(`hyperalign ${areas[a]}: aligned (${finished}/${areas.length})`);
        const reference = labels[aligned.hyperalignment.reference];
        ctx.log(`hyperalign: area ${areas[a]} aligned into ${reference}'s ${aligned.train.cols}-voxel space`);
      },
    });

    for (const split of SPLITS) {
      const ids = order[split];
      let latent: VectorRows | null = null;
      const withLatents = latents ? ids.filter((id) => latents.byImage.has(id)).length : 0;
      // Inverted latents usually exist for the training images only (paper §2.2.1): a split with none carries
      // no latent column (evaluation then scores images); a split with some missing is an error.
      if (latents && withLatents > 0) {
        const values = new Float32Array(ids.length * latents.width);
        ids.forEach((id, i) => {
          const row = latents.byImage.get(id);
          if (!row)
            throw new DataValidationError(
              `${latents.file}: no latent for image "${id}" of the ${split} trials (${withLatents} of ${ids.length} have one)`,
            );
          values.set(row, i * latents.width);
        });
        latent = { width: latents.width, values };
      } else if (latents) {
        ctx.log(`${latents.file}: no ${split} image has a latent; the ${split} table carries none`);
      }
      const aligned = areas.map((area, a) => {
        const table = ALIGNED_AREA.named(split).fromTable(results[a]!.get(split)!, checkpointFile(ctx.partialDir, a, split));
        return [area, table.columns.values] as const;
      });
      DATASET_SPLIT.named(split).write(
        ctx.output,
        { item_id: ids, latent, areas: new Map(aligned) },
        { areas: aligned.map(([name, m]) => ({ name, units: m.width })) },
      );
    }
    areas.forEach((area, a) => {
      if (!ctx.params.writeMappers) return;
      const mappers = MAPPERS.named(area);
      ctx.output.writeTable(
        mappers.name,
        mappers.fromTable(results[a]!.get('mappers')!, checkpointFile(ctx.partialDir, a, 'mappers')).arrow,
      );
    });
    const residuals = results.map((r, a) => RESIDUALS.fromTable(r!.get('residuals')!, checkpointFile(ctx.partialDir, a, 'residuals')));
    RESIDUALS.write(ctx.output, RESIDUALS.concat(residuals));
    ctx.progress({ fraction: 1, message: `hyperaligned ${areas.length} areas of ${labels.length} subjects` });
    return {
      summary: {
        subjects: labels.length,
        areas: areas.join(','),
        trainImages: order.train.length,
        testImages: order.test.length,
        hasLatent: latents !== null,
      },
    };
  },
};
