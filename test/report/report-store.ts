/**
 * A small committed experiment in a real `fs` store, for the report tests: voxel selection (Table 1), training
 * (loss curves with and without validation, PAM's attention), evaluation (results, item scores, images, value
 * images, a stage log), and a stage not computed yet. Tables are written through their declarations, so the report
 * reads exactly the layouts the stages write.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedPipelineConfig } from '../../src/contracts/pipeline-config.js';
import type { StageRow } from '../../src/contracts/stage-requests.js';
import { encodePng } from '../../src/images/codecs/png.js';
import { ArtifactStore, localProducer, type StagingArtifact } from '../../src/store/artifact-store.js';
import { openStoreView, type StoreView } from '../../src/store/store-view.js';
import { ITEM_SCORES, RESULTS } from '../../src/tables/evaluation.js';
import { ATTENTION, LOSS_CURVE } from '../../src/tables/train-outputs.js';
import { VOXEL_COUNTS } from '../../src/tables/voxel-selection.js';
import type { ReportSubject } from '../../src/report/report-model.js';

export const AREAS = ['V1', 'V4', 'IT'];
export const ITEMS = ['im-0', 'im-1', 'im-2', 'im-3'];
/** Item i attends most to area i % 3, with weight FAVOURED (the others share the rest). */
export const FAVOURED = 0.6;
export const LOG_TEXT = 'epoch 1/3 loss 1.2\n<script>alert("log")</script> & done\n';
export const DESCRIPTION = 'Tiny <b>world</b> & "quotes"; protocol at https://example.org/protocol';

export interface ReportStoreFixture {
  root: string;
  store: ArtifactStore;
  view: StoreView;
  subject: ReportSubject & { dataset: string };
}

const png = (shade: number) => encodePng({ width: 2, height: 2, pixels: new Uint8Array(12).fill(shade) });

async function commit(
  store: ArtifactStore,
  stage: string,
  stageId: string,
  inputs: Record<string, { stage: string; key: string }>,
  write: (s: StagingArtifact) => void,
  startedAt: string,
): Promise<string> {
  const keyParts = {
    stage,
    codeVersion: '1',
    params: { stageId },
    inputKeys: Object.fromEntries(Object.entries(inputs).map(([role, ref]) => [role, ref.key])),
    seed: 9,
  };
  const staging = store.createStaging(stage, stageId);
  write(staging);
  const { manifest } = await store.commit(staging, {
    keyParts,
    inputs,
    summary: {},
    startedAt: new Date(startedAt),
    producer: localProducer({ stageId, backend: stage === 'train' ? 'wasm' : undefined }),
  });
  return manifest.key;
}

/** `log`: the evaluate stage's `stage.log` (default LOG_TEXT). */
export async function reportStoreFixture(options: { log?: string } = {}): Promise<ReportStoreFixture> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pam-report-'));
  const store = new ArtifactStore(root);
  const voxels = await commit(
    store,
    'select-voxels',
    'voxels',
    {},
    (s) => VOXEL_COUNTS.write(s, { area: AREAS, voxels_before: [100, 80, 60], voxels_after: [40, 0, 30] }),
    '2026-12-03T08:00:00.000Z',
  );
  const train = await commit(
    store,
    'train',
    'train',
    { dataset: { stage: 'select-voxels', key: voxels } },
    (s) => {
      LOSS_CURVE.write(s, {
        decoder: ['baseline', 'baseline', 'baseline', 'pam', 'pam', 'pam'],
        epoch: [1, 2, 3, 1, 2, 3],
        loss: [1.5, 1.2, 1.1, 1.4, 1.0, 0.8],
        validation_loss: [1.6, 1.3, 1.25, Number.NaN, Number.NaN, Number.NaN],
      });
      const width = 2;
      const weights = new Float32Array(ITEMS.length * AREAS.length * width);
      for (let i = 0; i < ITEMS.length; i++)
        for (let a = 0; a < AREAS.length; a++)
          weights.fill(a === i % 3 ? FAVOURED : (1 - FAVOURED) / 2, (i * 3 + a) * width, (i * 3 + a + 1) * width);
      ATTENTION.write(
        s,
        { item_id: ITEMS.flatMap((id) => AREAS.map(() => id)), area: ITEMS.flatMap(() => AREAS), weights: { width, values: weights } },
        { areas: AREAS },
      );
    },
    '2026-12-03T08:00:05.000Z',
  );
  const evaluate = await commit(
    store,
    'evaluate',
    'evaluate',
    { dataset: { stage: 'select-voxels', key: voxels }, predictions: { stage: 'train', key: train } },
    (s) => {
      // Decoder-major, as the evaluate stage writes it: the report reorders metric → decoder.
      RESULTS.write(
        s,
        {
          decoder: ['baseline', 'baseline', 'pam', 'pam'],
          metric: ['latent-cosine', 'lpips', 'latent-cosine', 'lpips'],
          mean: [0.43, 1.89, 0.57, 2.2],
          se: [0.0023, 0.028, 0.0016, 0.027],
          n: [4, 4, 4, 4],
          p_vs_reference: [Number.NaN, Number.NaN, 2.8e-124, 1.3e-26],
        },
        { reference_decoder: 'baseline' },
      );
      ITEM_SCORES.write(s, {
        decoder: ITEMS.map(() => 'baseline'),
        metric: ITEMS.map(() => 'latent-cosine'),
        item_id: ITEMS,
        value: [0.4, 0.5, 0.3, 0.5],
      });
      ITEMS.forEach((id, i) => {
        for (const folder of ['stimulus', 'baseline', 'pam', ...AREAS.map((a) => `values-${a}`)])
          s.writeFile(`images/${folder}/${id}.png`, png(10 * i));
      });
      s.writeFile('stage.log', options.log ?? LOG_TEXT);
    },
    '2026-12-03T08:00:09.000Z',
  );
  const stage = (id: string, uses: string, inputs: Record<string, string>) => ({ id, uses, seed: 9, inputs, params: {} });
  const config: ResolvedPipelineConfig = {
    experiment: 'tiny',
    description: DESCRIPTION,
    seed: 9,
    runtime: { backend: 'auto', workers: 'in-process', heartbeatTimeoutSeconds: 60, stageTimeoutMinutes: 240, maximumAttempts: 3 },
    stages: [
      stage('voxels', 'select-voxels', {}),
      stage('train', 'train', { dataset: 'voxels' }),
      stage('evaluate', 'evaluate', { dataset: 'voxels', predictions: 'train' }),
      stage('extra', 'evaluate', { dataset: 'voxels', predictions: 'train' }),
    ],
  };
  const rows: StageRow[] = [
    { id: 'voxels', uses: 'select-voxels', status: 'cached', key: voxels },
    { id: 'train', uses: 'train', status: 'done', key: train, reason: 'params.decoders.pam.epochs: 2 → 3' },
    { id: 'evaluate', uses: 'evaluate', status: 'done', key: evaluate, reason: 'input predictions 3f2a → 9c1b' },
    { id: 'extra', uses: 'evaluate', status: 'pending' },
  ];
  return {
    root,
    store,
    view: openStoreView({ kind: 'fs', root }),
    subject: { config, configHash: 'c0ffee'.repeat(10) + 'beef', dataset: 'select-voxels', rows },
  };
}
