/**
 * Glue between the `evaluate` stage and the image evaluation: loads the models named in its params, finds the
 * stimuli (optional `images` input) and PAM's per-area values (the train stage's `values` table, when present),
 * runs `evaluateImages` and writes the figures into the evaluate artifact.
 */
import { initTensorBackend, type TensorBackendRequest } from '../../tensor/tf-backend.js';
import type { StageContext } from '../stage-definition.js';
import { readAreaValues } from '../../evaluation/figures/area-values.js';
import { evaluateImages, testStimuli, type DecoderImageScores } from '../../evaluation/evaluate-images.js';
import { loadFeatureNet, loadGenerator, loadLpips } from '../../images/plugins/model-loader.js';
import { VGG16_STANDIN_WIDTHS, type FeatureNetRef, type GeneratorRef, type LpipsRef } from '../../images/plugins/model-refs.js';
import { readStimuli } from '../../tables/stimuli.js';

export interface ImageEvaluationParams {
  generator?: GeneratorRef;
  featureNet?: FeatureNetRef;
  lpipsWeights?: LpipsRef;
  perceptualSize?: number;
  contactItems?: number;
}

const DEFAULT_FEATURE_NET: FeatureNetRef = { kind: 'vgg16', widths: VGG16_STANDIN_WIDTHS, seed: 0 };

export async function scoreImages(
  ctx: StageContext<ImageEvaluationParams>,
  itemIds: readonly string[],
  trueLatents: Float32Array | null,
  decoders: readonly { name: string; latents: Float32Array }[],
): Promise<{ scores: DecoderImageScores[]; models: Record<string, string> }> {
  const p = ctx.params;
  await initTensorBackend(ctx.backend as TensorBackendRequest, (line) => ctx.log(line));
  const generator = await loadGenerator(p.generator!);
  const featureNetRef = p.featureNet ?? DEFAULT_FEATURE_NET;
  const featureNet = await loadFeatureNet(featureNetRef);
  try {
    const lpips = loadLpips(p.lpipsWeights, featureNetRef.widths);
    const imagesInput = ctx.inputs.images;
    const stimuliTable = imagesInput ? readStimuli(imagesInput) : null;
    const predictions = ctx.inputs.predictions!;
    const areaValues = readAreaValues(predictions, itemIds);
    const scores = await evaluateImages({
      itemIds,
      stimuli: await testStimuli(itemIds, stimuliTable, trueLatents, generator),
      decoders,
      areaValues,
      generator,
      featureNet,
      lpips,
      perceptualSize: p.perceptualSize ?? 224,
      contactItems: p.contactItems ?? 10,
      writeFile: (name, bytes) => ctx.output.writeFile(name, bytes),
      progress: (message) => ctx.progress({ fraction: 0.5, message }),
    });
    const models = { 'images.generator': generator.label, 'images.featureNet': featureNet.label, 'images.lpips': lpips.label };
    return { scores, models };
  } finally {
    generator.dispose();
    featureNet.dispose();
  }
}
