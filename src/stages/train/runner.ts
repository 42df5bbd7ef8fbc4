/**
 * Stage `train`: fits the configured decoders (baseline and/or PAM) on the dataset's train table, predicts its
 * test table and writes predictions, loss curves, PAM's attention/values/keys/queries and reloadable weights.
 * Each decoder checkpoints into `partialDir/<decoder>/` and resumes from there after a retry or restart.
 * With two decoders and `parallel`, each trains in its own worker thread (one wasm instance per core).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, DataValidationError } from '../../errors/pipeline-errors.js';
import { isTensorBackendRequest, TENSOR_BACKEND_REQUESTS, type TensorBackendRequest } from '../../tensor/native-backends.js';
import type { DecoderArchitecture } from '../../models/decoder.js';
import { runDecoderJob, type DecoderJob, type DecoderJobHooks, type DecoderJobResult } from '../../training/decoder-job.js';
import { runDecoderJobInThread } from '../../training/run-job-in-thread.js';
import type { StageContext, StagePartProgress, StageRunner, SummaryValue } from '../stage-definition.js';
import { concatenateAreas, readSplit, selectAreas, type SplitData } from './dataset-blocks.js';
import { writeAttentionTables, writeLossCurve, writePredictions } from '../../tables/train-outputs.js';
import type { AreaInfo } from '../../tables/dataset.js';
import type { BaselineOptions, PamOptions, TrainParams } from './spec.js';

function buildJob(
  ctx: StageContext<TrainParams>,
  backend: TensorBackendRequest,
  name: 'baseline' | 'pam',
  options: BaselineOptions | PamOptions,
  train: SplitData,
  test: SplitData,
  areaInfo: readonly AreaInfo[],
): { job: DecoderJob; areas: AreaInfo[] } {
  const areas = selectAreas(areaInfo, options.areas, `train.decoders.${name}.areas`);
  const split = (data: SplitData) =>
    name === 'baseline'
      ? { blocks: [concatenateAreas(data, areas)], widths: [areas.reduce((n, a) => n + a.units, 0)] }
      : { blocks: areas.map((a) => data.areas.get(a.name)!), widths: areas.map((a) => a.units) };
  const latentDim = train.latentDim;
  const architecture: DecoderArchitecture =
    name === 'baseline'
      ? { kind: 'baseline', inputUnits: areas.reduce((n, a) => n + a.units, 0), latentDim }
      : {
          kind: 'pam',
          areas: areas.map((a) => ({ name: a.name, units: a.units })),
          width: (options as PamOptions).width,
          embeddingBlocks: (options as PamOptions).embeddingBlocks,
          latentDim,
        };
  const job: DecoderJob = {
    name,
    backend,
    architecture,
    train: { ...split(train), targets: train.latent!, latentDim, rows: train.rows },
    test: { ...split(test), rows: test.rows },
    options: {
      epochs: options.epochs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      seed: ctx.seed,
      validationFraction: options.validationFraction,
      patience: options.patience,
      checkpointEveryEpochs: ctx.params.checkpointEveryEpochs,
      checkpointDir: join(ctx.partialDir, name),
    },
  };
  return { job, areas };
}

/** The resume token this runner puts in its heartbeats: each decoder's last checkpointed epoch. */
const resumeTokenSchema = z
  .object({ baseline: z.number().int().nonnegative().optional(), pam: z.number().int().nonnegative().optional() })
  .strict();

/**
 * The previous attempt's epochs, validated: a token it cannot read (another version's, damaged) is ignored with a
 * log line, and training resumes from the checkpoints on disk as always; the token only keeps progress reports
 * from going backwards.
 */
function previousEpochs(ctx: StageContext<TrainParams>): Readonly<Record<string, number | undefined>> {
  if (ctx.resumeToken === undefined || ctx.resumeToken === null) return {};
  const parsed = resumeTokenSchema.safeParse(ctx.resumeToken);
  if (parsed.success) return parsed.data;
  ctx.log(
    `ignoring the previous attempt's resume token ${JSON.stringify(ctx.resumeToken).slice(0, 120)} (expected {baseline?, pam?: epoch}); resuming from the checkpoints on disk`,
  );
  return {};
}

export const runner: StageRunner<TrainParams> = {
  async run(ctx) {
    const backend = ctx.backend;
    if (!isTensorBackendRequest(backend)) {
      throw new ConfigError(`unknown tensor backend "${backend}" (expected one of ${TENSOR_BACKEND_REQUESTS.join(', ')})`);
    }
    const dataset = ctx.inputs.dataset!;
    const { data: train, areaInfo } = readSplit(dataset, 'train', true);
    const { data: test, areaInfo: testAreas } = readSplit(dataset, 'test', false);
    for (const area of areaInfo) {
      const match = testAreas.find((a) => a.name === area.name);
      if (match?.units !== area.units) {
        throw new DataValidationError(
          `${dataset.dir}/test.arrow: area "${area.name}" has ${match?.units ?? 'no'} units, train.arrow has ${area.units}`,
        );
      }
    }
    const configured = (['baseline', 'pam'] as const).filter((name) => ctx.params.decoders[name] !== undefined);
    const planned = configured.map((name) => ({
      name,
      ...buildJob(ctx, backend, name, ctx.params.decoders[name]!, train, test, areaInfo),
    }));

    // Progress: one part per decoder (they train side by side, so one message would interleave them), the stage's
    // fraction their mean; the heartbeat token holds each decoder's last checkpointed epoch.
    // A retried attempt starts from the previous attempt's token, so the heartbeat never reports lost progress.
    const previous = previousEpochs(ctx);
    const parts: Record<string, StagePartProgress> = Object.fromEntries(
      configured.map((n) => {
        const from = previous[n] ?? 0;
        return [n, { fraction: from / ctx.params.decoders[n]!.epochs, message: from > 0 ? `resuming after epoch ${from}` : 'starting' }];
      }),
    );
    const checkpointed: Record<string, number> = Object.fromEntries(configured.map((n) => [n, previous[n] ?? 0]));
    // What resuming found damaged, per decoder (also in the summary, so the committed artifact says so).
    const damage = new Map<string, string>();
    const report = (name: string, part: StagePartProgress, message: string) => {
      parts[name] = part;
      ctx.progress({
        fraction: Object.values(parts).reduce((a, p) => a + p.fraction, 0) / configured.length,
        message,
        checkpoint: { ...checkpointed },
        parts: { ...parts },
      });
    };
    // One decoder failing stops the other too (its thread would otherwise train on until the stage thread ends).
    const siblings = new AbortController();
    ctx.signal.addEventListener('abort', () => siblings.abort(ctx.signal.reason), { once: true });
    const hooksFor = (name: (typeof configured)[number]): DecoderJobHooks => ({
      onEpoch: ({ epoch, epochs, loss }) => {
        if (epoch % ctx.params.checkpointEveryEpochs === 0 || epoch === epochs) checkpointed[name] = epoch;
        const message = `epoch ${epoch}/${epochs} loss ${loss.toFixed(4)}`;
        report(name, { fraction: epoch / epochs, message }, `${name} ${message}`);
      },
      onHeartbeat: ({ epoch, batch, batches }) => {
        // Within an epoch: epoch `epoch` is under way, `batch` of its `batches` done.
        const { epochs } = ctx.params.decoders[name]!;
        const message = `epoch ${epoch}/${epochs} batch ${batch}/${batches}`;
        report(name, { fraction: Math.min(1, (epoch - 1 + batch / batches) / epochs), message }, `${name} ${message}`);
      },
      onCheckpointDamaged: (message) => {
        damage.set(name, message);
        ctx.log(`${name}: ${message}`);
        report(name, { fraction: parts[name]!.fraction, message }, `${name}: ${message}`);
      },
      log: (line) => ctx.log(`${name}: ${line}`),
      signal: siblings.signal,
    });
    const inThreads = ctx.params.parallel && planned.length > 1;
    const results: DecoderJobResult[] = [];
    if (inThreads) {
      const jobs = planned.map(({ name, job }) =>
        runDecoderJobInThread(job, hooksFor(name)).catch((error: unknown) => {
          siblings.abort(error);
          throw error;
        }),
      );
      results.push(...(await Promise.all(jobs)));
    } else {
      for (const { name, job } of planned) results.push(await runDecoderJob(job, hooksFor(name)));
    }

    writePredictions(ctx.output, results, test.itemIds, train.latentDim);
    writeLossCurve(ctx.output, results);
    const summary: Record<string, SummaryValue> = {
      backend: results[0]!.backend,
      decoders: configured.join(','),
      threads: inThreads ? planned.length : 1,
    };
    for (const [i, result] of results.entries()) {
      const { areas } = planned[i]!;
      ctx.output.writeFile(`weights/${result.name}/model.json`, result.weights.modelJson);
      ctx.output.writeFile(`weights/${result.name}/weights.bin`, result.weights.weightsBin);
      const attention = result.predictions.attention;
      if (attention && result.queries) {
        writeAttentionTables(
          ctx.output,
          attention,
          result.queries,
          areas.map((a) => a.name),
          test.itemIds,
        );
      }
      const damaged = damage.get(result.name);
      if (damaged) summary[`${result.name}.checkpointDamage`] = damaged;
      else if ((previous[result.name] ?? 0) > result.resumedFromEpoch) {
        // The newer checkpoint stayed on the previous attempt's host: it died before the copy to the shared store
        // landed (src/engine/checkpoint-mirror.ts), or the store is another host's folder.
        ctx.log(
          `${result.name}: the previous attempt checkpointed epoch ${previous[result.name]}, but ${ctx.partialDir} on this worker had only epoch ${result.resumedFromEpoch}`,
        );
      }
      summary[`${result.name}.finalLoss`] = result.lossCurve[result.lossCurve.length - 1] ?? null;
      summary[`${result.name}.epochsRun`] = result.epochsRun;
      summary[`${result.name}.resumedFromEpoch`] = result.resumedFromEpoch;
      summary[`${result.name}.stoppedEarly`] = result.stoppedEarly;
    }
    ctx.log(`tensor backend ${results[0]!.backend}: ${results[0]!.backendReason}`);
    ctx.progress({
      fraction: 1,
      message: `trained ${configured.join(' and ')}`,
      checkpoint: { ...checkpointed },
      parts: Object.fromEntries(configured.map((n) => [n, { fraction: 1, message: 'trained' }])),
    });
    return { summary };
  },
};
