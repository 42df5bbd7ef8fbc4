/**
 * `hyperalign` runner: for each area, average repetitions per image, check the inputs, hyperalign on the training
 * images (src/fmri/align-area.ts), project the test images with the training mappers, and write
 *   `train` / `test`   decoding dataset (item_id = image_id, `latent` from `images` when present, `area:<A>`);
 *   `mappers-<area>`   subject, voxel, source_mean, projection (p_common wide); metadata reference, scale, targetMean;
 *   `residuals`        area, level (1–3), subject, residual ‖P_i − target‖.
 * Areas are aligned in parallel on worker threads (worker-pool.ts); each finished area is checkpointed in
 * partialDir (area-checkpoint.ts).
 */
import type { Table } from 'apache-arrow';
import { ConfigError, DataValidationError } from '../../errors/pipeline-errors.js';
import type { StageContext, StageResult, StageRunner } from '../stage-definition.js';
import { areaColumn, type AreaInfo } from '../../tables/dataset.js';
import { buildTable, readFloat32Matrix, readNumbers, readStrings, type ColumnSpec } from '../../tables/arrow-tables.js';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignAreaCost, type AlignAreaTask, type AlignedArea } from '../../fmri/align-area.js';
import { defaultThreads, runInWorkers } from '../../fmri/worker-pool.js';
import { assertNoConstantVoxel, averageRepetitions, commonImageOrder } from '../../fmri/trial-average.js';
import { loadAreaCheckpoint, saveAreaCheckpoint } from './area-checkpoint.js';
import { areaTables } from './area-tables.js';
import { readLatentTable, readTrialInput } from './read-trials.js';
import type { HyperalignParams } from './spec.js';

const PARTS = ['train', 'test', 'mappers', 'residuals'] as const;

export const runner: StageRunner<HyperalignParams> = {
  async run(ctx: StageContext<HyperalignParams>): Promise<StageResult> {
    const input = readTrialInput(ctx.inputs['trials']!);
    const latentInput = ctx.inputs['latents'];
    const latents = latentInput ? readLatentTable(latentInput, 'latents') : input.latents;
    const latentSource = latentInput ? `${latentInput.dir}/latents.arrow` : 'images';
    const areas = ctx.params.areas ?? input.areas;
    for (const area of areas) {
      if (!input.areas.includes(area)) {
        throw new ConfigError(`hyperalign: area "${area}" is not in the input (has ${input.areas.join(', ')})`);
      }
    }
    const order = commonImageOrder(input.subjects);
    const labels = input.subjects.map((s) => s.subject);

    const results: (Map<string, Table> | null)[] = areas.map((_, a) => loadAreaCheckpoint(ctx.partialDir, a, PARTS));
    const pending = areas.flatMap((_, a) => (results[a] ? [] : [a]));
    if (pending.length < areas.length) ctx.log(`hyperalign: ${areas.length - pending.length} area(s) restored from checkpoint`);
    // Averaging and input checks run here (they need the trial tables); the Procrustes work runs on worker threads.
    const tasks: AlignAreaTask[] = pending.map((a) => {
      const area = areas[a]!;
      const train = input.subjects.map((s) => averageRepetitions(s, area, 'train', order.train));
      const test = input.subjects.map((s) => averageRepetitions(s, area, 'test', order.test));
      train.forEach((m, i) => assertNoConstantVoxel(m, `trials-${labels[i]}`, area));
      return { area, train, test, labels, zscoreDdof: ctx.params.zscoreDdof };
    });
    let finished = areas.length - pending.length;
    const report = (message: string) => ctx.progress({ fraction: finished / areas.length, message, checkpoint: { areasDone: finished } });
    // An area takes minutes at GOD scale; this thread idles meanwhile, so it keeps the heartbeat going.
    const heartbeat = setInterval(() => report(`hyperalign: ${finished}/${areas.length} areas aligned`), 10_000);
    const workerModule = new URL(`../../fmri/align-area-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
    try {
      await runInWorkers<AlignAreaTask, AlignedArea>(workerModule, tasks, {
        threads: defaultThreads(tasks.length),
        cost: alignAreaCost,
        onResult: (index, aligned) => {
          const a = pending[index]!;
          const parts = areaTables(areas[a]!, aligned, labels, ctx.params.writeMappers);
          saveAreaCheckpoint(ctx.partialDir, a, parts);
          results[a] = parts;
          finished++;
          report(`hyperalign ${areas[a]}: aligned (${finished}/${areas.length})`);
          const reference = labels[aligned.hyperalignment.reference];
          ctx.log(`hyperalign: area ${areas[a]} aligned into ${reference}'s ${aligned.train.cols}-voxel space`);
        },
      });
    } finally {
      clearInterval(heartbeat);
    }

    for (const split of ['train', 'test'] as const) {
      const ids = order[split];
      const columns: Record<string, ColumnSpec> = { item_id: { kind: 'utf8', values: ids } };
      const withLatents = latents ? ids.filter((id) => latents.byImage.has(id)).length : 0;
      // Inverted latents usually exist for the training images only (paper §2.2.1): a split with none carries
      // no latent column (evaluation then scores images); a split with some missing is an error.
      if (latents && withLatents > 0) {
        const values = new Float32Array(ids.length * latents.width);
        ids.forEach((id, i) => {
          const latent = latents.byImage.get(id);
          if (!latent)
            throw new DataValidationError(
              `${latentSource}: no latent for image "${id}" of the ${split} trials (${withLatents} of ${ids.length} have one)`,
            );
          values.set(latent, i * latents.width);
        });
        columns['latent'] = { kind: 'float32-vector', width: latents.width, values };
      } else if (latents) {
        ctx.log(`${latentSource}: no ${split} image has a latent; the ${split} table carries none`);
      }
      const info: AreaInfo[] = areas.map((area, a) => {
        const m = readFloat32Matrix(results[a]!.get(split)!, 'values', `${area} ${split}`);
        columns[areaColumn(area)] = { kind: 'float32-vector', width: m.width, values: m.values };
        return { name: area, units: m.width };
      });
      ctx.output.writeTable(split, buildTable(columns, { areas: JSON.stringify(info) }));
    }
    areas.forEach((area, a) => {
      if (ctx.params.writeMappers) ctx.output.writeTable(`mappers-${area}`, results[a]!.get('mappers')!);
    });
    const residualTables = results.map((r) => r!.get('residuals')!);
    ctx.output.writeTable(
      'residuals',
      buildTable({
        area: { kind: 'utf8', values: residualTables.flatMap((t) => readStrings(t, 'area')) },
        level: { kind: 'int32', values: residualTables.flatMap((t) => [...readNumbers(t, 'level')]) },
        subject: { kind: 'utf8', values: residualTables.flatMap((t) => readStrings(t, 'subject')) },
        residual: { kind: 'float64', values: residualTables.flatMap((t) => [...readNumbers(t, 'residual')]) },
      }),
    );
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
