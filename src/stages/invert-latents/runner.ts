/**
 * Stage `invert-latents`: every shard inverts a contiguous range of the selected stimuli image by image, saving each
 * finished image in `partialDir` (so a killed shard resumes at its first unfinished image), then writes its part of
 * the `latents` and `lpips-by-seed` tables; `merge` concatenates the shards in order.
 */
import { join } from 'node:path';
import { ConfigError, DataValidationError } from '../../errors/pipeline-errors.js';
import { initTensorBackend, type TensorBackendRequest } from '../../tensor/tf-backend.js';
import { requireDifferentiable, type DifferentiableGenerator } from '../../images/generators/generator.js';
import { loadFeatureNet, loadGenerator, loadLpips, loadStyleGanXlGenerator } from '../../images/plugins/model-loader.js';
import { STIMULI_TABLE, stimuliFromTable, stimulusPixels } from '../../tables/stimuli.js';
import { FinishedImages, type FinishedImage } from '../../inversion/finished-images.js';
import { mergeInversionTables, writeInversionTables } from '../../tables/inversion.js';
import { invertImage, seedStream, standardNormalPrior, type InversionNets, type LatentPrior } from '../../inversion/projector.js';
import type { ProjectorSchedule } from '../../inversion/projector-schedule.js';
import { sampleClasses, StyleGanXlWAvg, uniformClassMixture, W_AVG_SAMPLES } from '../../inversion/stylegan-xl-prior.js';
import type { StyleGanXlGenerator } from '../../models/stylegan-xl/stylegan-xl-generator.js';
import type { Rng } from '../../random/rng.js';
import type { StageContext, StageResult, StageRunner } from '../stage-definition.js';
import type { InvertLatentsParams } from './spec.js';

/** Each seed's start prior for one target (`streams`: one per seed). */
type SeedPriors = (target: Float32Array, streams: readonly Rng[]) => LatentPrior[];

/**
 * StyleGAN2-ADA: one N(0, I) prior for every seed. StyleGAN-XL `project()`: w_avg of the mapping, the same for
 * every seed of an unconditional network; a conditional one draws each seed's classes from the class mixture.
 */
function seedPriors(params: InvertLatentsParams, generator: DifferentiableGenerator, xl: StyleGanXlGenerator | null): SeedPriors {
  if (xl === null) {
    const prior = standardNormalPrior(generator.latentDim);
    return (_, streams) => streams.map(() => prior);
  }
  const classCount = xl.architecture.cDim;
  if (classCount === 0 && params.classes) {
    throw new ConfigError(`invert-latents: classes are given, but ${xl.label} is unconditional`);
  }
  const wAvg = new StyleGanXlWAvg(xl);
  if (classCount === 0) {
    const prior = wAvg.prior();
    return (_, streams) => streams.map(() => prior);
  }
  const mixture = uniformClassMixture(classCount, params.classes);
  return (target, streams) => {
    const probabilities = mixture.classProbabilities(target);
    return streams.map((rng) => wAvg.prior(sampleClasses(probabilities, W_AVG_SAMPLES, rng)));
  };
}

async function loadNets(params: InvertLatentsParams): Promise<InversionNets & { xl: StyleGanXlGenerator | null }> {
  const xl = params.generator.kind === 'stylegan-xl' ? loadStyleGanXlGenerator(params.generator) : null;
  const generator = requireDifferentiable(xl ?? (await loadGenerator(params.generator)), 'invert-latents');
  const featureNet = await loadFeatureNet(params.featureNet);
  if (!featureNet.featuresSync) {
    throw new ConfigError(
      `invert-latents needs a differentiable feature network for its LPIPS loss, but "${featureNet.label}" is inference-only`,
    );
  }
  const lpips = loadLpips(params.lpipsWeights, params.featureNet.widths);
  return { generator, featureNet: featureNet as InversionNets['featureNet'], lpips, xl };
}

function modelLabels(nets: InversionNets): Record<string, string> {
  return { generator: nets.generator.label, featureNet: nets.featureNet.label, lpips: nets.lpips.label };
}

async function runShard(ctx: StageContext<InvertLatentsParams>): Promise<StageResult> {
  const p = ctx.params;
  const shard = ctx.shard ?? { index: 0, count: 1 };
  const backend = await initTensorBackend(ctx.backend as TensorBackendRequest, (line) => ctx.log(line));
  const source = `${ctx.inputs.images!.dir}/${STIMULI_TABLE}.arrow`;
  const stimuli = stimuliFromTable(ctx.inputs.images!.readTable(STIMULI_TABLE), source);
  const selected = stimuli.ids.map((_, i) => i).filter((i) => p.split === 'all' || stimuli.splits[i] === p.split);
  const start = Math.floor((shard.index * selected.length) / shard.count);
  const end = Math.floor(((shard.index + 1) * selected.length) / shard.count);

  const nets = await loadNets(p);
  const { generator } = nets;
  if (generator.height !== stimuli.height || generator.width !== stimuli.width) {
    throw new DataValidationError(
      `${source}: images are ${stimuli.height}×${stimuli.width}, but ${generator.label} makes ${generator.height}×${generator.width}`,
    );
  }
  const schedule: ProjectorSchedule = {
    steps: p.steps,
    initialLearningRate: p.initialLearningRate,
    lrRampupLength: p.lrRampupLength,
    lrRampdownLength: p.lrRampdownLength,
    initialNoiseFactor: p.initialNoiseFactor,
    noiseRampLength: p.noiseRampLength,
  };
  const priors = seedPriors(p, generator, nets.xl);
  const seeds = Array.from({ length: p.seeds }, (_, s) => s + 1);
  const finished = new FinishedImages(join(ctx.partialDir, `shard-${shard.index}`));
  const results: FinishedImage[] = [];
  const total = end - start;
  try {
    for (let k = 0; k < total; k++) {
      const imageIndex = selected[start + k]!;
      const imageId = stimuli.ids[imageIndex]!;
      let result = finished.load(imageIndex, imageId, (reason) => {
        const message = `image ${imageId} record damaged (${reason}); inverting it again`;
        ctx.log(message);
        ctx.progress({ fraction: k / total, message, checkpoint: { finishedImages: k } });
      });
      if (!result) {
        ctx.log(`inverting image ${imageId} (${k + 1}/${total}) with ${p.seeds} seeds × ${p.steps} steps`);
        const streams = seeds.map((seed) => seedStream(ctx.seed, imageIndex, seed));
        const target = stimulusPixels(stimuli, imageIndex);
        const inversion = invertImage(nets, target, schedule, priors(target, streams), streams, {
          signal: ctx.signal,
          onStep: (step) => {
            if (step % 10 === 0) {
              ctx.progress({
                fraction: (k + step / p.steps) / total,
                message: `image ${k + 1}/${total} step ${step}/${p.steps}`,
                checkpoint: { finishedImages: k },
              });
            }
          },
        });
        result = { imageId, seeds, latents: Array.from(inversion.latents), lpips: Array.from(inversion.lpips), best: inversion.best };
        finished.save(imageIndex, result);
      }
      results.push(result);
      ctx.progress({ fraction: (k + 1) / total, message: `inverted ${k + 1}/${total} images`, checkpoint: { finishedImages: k + 1 } });
    }
    ctx.progress({
      fraction: 1,
      message: `shard ${shard.index + 1}/${shard.count}: ${total} images inverted`,
      checkpoint: { finishedImages: total },
    });
    writeInversionTables(ctx.output, results, generator.latentDim, modelLabels(nets));
    const meanBest = results.reduce((sum, r) => sum + r.lpips[r.best]!, 0) / Math.max(1, results.length);
    return {
      summary: {
        shard: `${shard.index + 1}/${shard.count}`,
        images: results.length,
        meanBestLpips: Number(meanBest.toFixed(4)),
        ...modelLabels(nets),
        backend: backend.backend,
      },
    };
  } finally {
    nets.generator.dispose();
    nets.featureNet.dispose();
  }
}

export const runner: StageRunner<InvertLatentsParams> = {
  run: runShard,
  async merge(ctx) {
    const count = Object.keys(ctx.inputs).filter((role) => role.startsWith('shard-')).length;
    const shards = Array.from({ length: count }, (_, s) => {
      const input = ctx.inputs[`shard-${s}`];
      if (!input)
        throw new DataValidationError(`invert-latents merge: input "shard-${s}" is missing (have ${Object.keys(ctx.inputs).join(', ')})`);
      return input;
    });
    const merged = mergeInversionTables(ctx.output, shards);
    ctx.progress({ fraction: 1, message: `merged ${count} shards` });
    return { summary: { images: merged.images, shards: count, models: JSON.stringify(merged.models) } };
  },
};
