/**
 * Every shipped pipeline validates against the current stage catalog, and `--dry-run` of the two real-data
 * pipelines works offline: it prints the plan with cache keys, the files the download would fetch and the
 * generator each image stage loads (StyleGAN-XL, whose converted weights a user makes; missing, they are named).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.js';

const run = promisify(execFile);

test('every pipelines/*.yaml validates', () => {
  const files = readdirSync('pipelines').filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 4);
  for (const file of files) assert.doesNotThrow(() => loadPipelineConfig(path.join('pipelines', file)), file);
});

/** `pam run <pipeline> --dry-run [args]`, offline: an unroutable API address proves no request is made. */
async function dryRun(pipeline: string, args: readonly string[] = []): Promise<string> {
  const env = {
    ...process.env,
    PAM_HOME: mkdtempSync(path.join(os.tmpdir(), 'pam-dry-')),
    PAM_FIGSHARE_API: 'http://127.0.0.1:9/v2',
    TEMPORAL_ADDRESS: '127.0.0.1:9',
  };
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', pipeline, '--dry-run', ...args], {
    env,
    timeout: 60_000,
  });
  return stdout;
}

// The GOD photographs are not in the repository: the stimulus fixture stands in, so every key can be computed.
const GOD_IMAGES = ['--set', `stages.stimuli.with.folder=${path.resolve('fixtures/stimuli/folder')}`];
// Nor are the converted StyleGAN-XL weights: a fixture network's files stand in (the dry-run only hashes them).
const generatorFiles = (...stages: string[]) =>
  stages.flatMap((stage) =>
    (['weights', 'architecture'] as const).flatMap((file) => [
      '--set',
      `stages.${stage}.with.generator.${file}=${path.resolve(`fixtures/stylegan-xl/affine.${file === 'weights' ? 'safetensors' : 'json'}`)}`,
    ]),
  );

for (const [pipeline, files, args] of [
  ['pipelines/b2g.yaml', ['StyleGAN_XL_MUA.mat', 'StyleGAN_XL_w.pickle'], generatorFiles('evaluate')],
  [
    'pipelines/god.yaml',
    ['sub-01_perceptionNaturalImageTraining_VC_v2.h5', 'sub-03_perceptionNaturalImageTest_VC_v2.h5'],
    [...GOD_IMAGES, ...generatorFiles('latents', 'evaluate')],
  ],
] as const) {
  test(`pam run ${pipeline} --dry-run works offline and lists the downloads`, async () => {
    const stdout = await dryRun(pipeline, args);
    assert.match(stdout, /config hash [0-9a-f]{64}/);
    // The memory column: a download's size is only known once it runs.
    assert.match(stdout, /stage\s+kind\s+inputs\s+memory\s+key\s+state/);
    assert.match(stdout, /fetch\s+download\s+\?\s+[0-9a-f]{16}\s+to compute/);
    assert.match(stdout, /evaluate\s+evaluate\s+.*[0-9a-f]{16}\s+to compute/);
    for (const file of files) assert.ok(stdout.includes(file), `${file} listed`);
    assert.match(stdout, /generator: stylegan-xl \(latent 512, 512 px\), weights .*affine\.safetensors, architecture .*affine\.json/);
  });
}

test('without the converted StyleGAN-XL weights the dry-run names the missing file and the generator kind', async () => {
  const stdout = await dryRun('pipelines/b2g.yaml');
  assert.match(stdout, /evaluate\s+evaluate\s+.*\?\s+cannot run/);
  assert.match(stdout, /generator weights .*models\/imagenet512\.safetensors: expected a file, found nothing/);
  assert.match(stdout, /generator: stylegan-xl \(latent 512, 512 px\), weights .*models\/imagenet512\.safetensors/);
});

test('without the GOD photographs the dry-run says the stimulus folder is missing, and later stages have no key yet', async () => {
  const stdout = await dryRun('pipelines/god.yaml');
  assert.match(stdout, /stimuli\s+load-stimuli\s+.*\?\s+cannot run/);
  assert.match(stdout, /stimulus folder .*data\/god-images: expected a folder, found nothing/);
  assert.match(stdout, /latents\s+invert-latents\s+.*\?\s+to compute \(key after stimuli\)/);
});
