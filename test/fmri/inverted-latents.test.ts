/**
 * Real photographs have no known latents: hyperalign takes them from an `invert-latents` artifact (training
 * images only, as in the paper), the test table then carries no latent column, and select-voxels passes that on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable, readFloat32Matrix, readStrings } from '../../src/tables/arrow-tables.js';
import { hyperalignParams } from '../../src/stages/hyperalign/spec.js';
import { runner as hyperalign } from '../../src/stages/hyperalign/runner.js';
import { selectVoxelsParams } from '../../src/stages/select-voxels/spec.js';
import { runner as selectVoxels } from '../../src/stages/select-voxels/runner.js';
import { commitOutput, inputArtifact, stageContext, tablesOf, writtenTable } from '../support/stage-context.js';
import { smallWorld } from './small-world.js';

async function worldWithInvertedLatents(keep: (split: string) => boolean) {
  const world = await smallWorld();
  const images = world.readTable('images');
  const ids = readStrings(images, 'image_id');
  const splits = readStrings(images, 'split');
  const planted = readFloat32Matrix(images, 'latent');
  const rows = splits.flatMap((split, i) => (keep(split) ? [i] : []));
  const latents = new Float32Array(rows.length * planted.width);
  rows.forEach((i, r) => {
    latents.set(planted.values.subarray(i * planted.width, (i + 1) * planted.width), r * planted.width);
  });
  const inverted = buildTable({
    image_id: { kind: 'utf8', values: rows.map((i) => ids[i]!) },
    latent: { kind: 'float32-vector', width: planted.width, values: latents },
  });
  // The trial artifact without its planted `images` table, as a real GOD loader produces it.
  const trials = new Map([...tablesOf(world)].filter(([name]) => name !== 'images'));
  return { trials: await inputArtifact('load-god', trials), latents: await inputArtifact('invert-latents', { latents: inverted }) };
}

test('latents from an invert-latents artifact: train gets them, a test split without any gets no latent column', async () => {
  const inputs = await worldWithInvertedLatents((split) => split === 'train');
  const aligned = stageContext({ params: hyperalignParams.parse({}), inputs });
  const { summary } = await hyperalign.run(aligned);
  const dataset = await commitOutput(aligned, 'hyperalign', summary);
  const train = dataset.readTable('train');
  const test = dataset.readTable('test');
  assert.ok(train.schema.fields.some((f) => f.name === 'latent'));
  assert.ok(!test.schema.fields.some((f) => f.name === 'latent'));
  const selected = stageContext({ params: selectVoxelsParams.parse({}), inputs: { dataset } });
  await selectVoxels.run(selected);
  assert.ok(writtenTable(selected, 'train').schema.fields.some((f) => f.name === 'latent'));
  assert.ok(!writtenTable(selected, 'test').schema.fields.some((f) => f.name === 'latent'));
});

test('a split where only some images have inverted latents is refused, naming the image', async () => {
  // Every train image keeps its latent except the first.
  let trainImages = 0;
  const inputs = await worldWithInvertedLatents((split) => split === 'train' && trainImages++ > 0);
  const aligned = stageContext({ params: hyperalignParams.parse({}), inputs });
  await assert.rejects(hyperalign.run(aligned), /latents\.arrow: no latent for image ".+" of the train trials \(\d+ of \d+ have one\)/);
});
