/**
 * Every shipped pipeline validates against the current stage catalog, and `--dry-run` of the two real-data
 * pipelines works offline: it prints the plan with cache keys and the files the download would fetch.
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

for (const [pipeline, files] of [
  ['pipelines/b2g.yaml', ['StyleGAN_XL_MUA.mat', 'StyleGAN_XL_w.pickle']],
  ['pipelines/god.yaml', ['sub-01_perceptionNaturalImageTraining_VC_v2.h5', 'sub-03_perceptionNaturalImageTest_VC_v2.h5']],
] as const) {
  test(`pam run ${pipeline} --dry-run works offline and lists the downloads`, async () => {
    // An unroutable API address proves no request is made: a request would fail or hang.
    const env = {
      ...process.env,
      PAM_HOME: mkdtempSync(path.join(os.tmpdir(), 'pam-dry-')),
      PAM_FIGSHARE_API: 'http://127.0.0.1:9/v2',
      TEMPORAL_ADDRESS: '127.0.0.1:9',
    };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', pipeline, '--dry-run'], {
      env,
      timeout: 60_000,
    });
    assert.match(stdout, /config hash [0-9a-f]{64}/);
    assert.match(stdout, /fetch\s+download\s+[0-9a-f]{16}\s+to compute/);
    assert.match(stdout, /evaluate\s+evaluate\s+.*[0-9a-f]{16}\s+to compute/);
    for (const file of files) assert.ok(stdout.includes(file), `${file} listed`);
  });
}
