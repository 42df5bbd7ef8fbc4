/**
 * One rule for relative paths (src/config/external-paths.ts): an external input's relative path is relative to the
 * pipeline YAML's folder, whatever the working directory, and the shipped pipelines name files that exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPipelineConfig } from '../../src/config/load-pipeline-config.js';
import { stageKeyParts } from '../../src/engine/stage-key-parts.js';
import { cacheKey } from '../../src/store/artifact-store.js';
import { FingerprintCache } from '../../src/store/fingerprints.js';

/** A clone-like tree: `pipelines/p.yaml` naming `../data-manifests/m.yaml`, `../images` and `../weights/w.safetensors`. */
function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pam-project-'));
  for (const dir of ['pipelines', 'data-manifests', 'images/train', 'weights']) mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, 'data-manifests/m.yaml'), 'dataset: b2g\n');
  writeFileSync(path.join(root, 'images/train/a.png'), 'not decoded when keying');
  writeFileSync(path.join(root, 'weights/w.safetensors'), 'weights');
  writeFileSync(
    path.join(root, 'pipelines/p.yaml'),
    `experiment: paths
seed: 1
stages:
  fetch: { uses: download, with: { manifest: ../data-manifests/m.yaml } }
  stimuli: { uses: load-stimuli, with: { folder: ../images, splits: { train: train } } }
  render:
    uses: render-stimuli
    inputs: { dataset: stimuli }
    with: { generator: { kind: builtin, weights: ../weights/w.safetensors } }
`,
  );
  return root;
}

function paramsOf(file: string) {
  const { stages } = loadPipelineConfig(file).config;
  return Object.fromEntries(stages.map((s) => [s.id, s.params])) as Record<string, Record<string, unknown>>;
}

test('relative paths resolve against the YAML folder, whatever the working directory', () => {
  const root = project();
  const cwd = process.cwd();
  try {
    for (const [dir, yaml] of [
      [root, 'pipelines/p.yaml'],
      [path.join(root, 'pipelines'), 'p.yaml'],
      [os.tmpdir(), path.join(root, 'pipelines/p.yaml')],
    ] as const) {
      process.chdir(dir);
      const params = paramsOf(yaml);
      assert.equal(params['fetch']!['manifest'], path.join(root, 'data-manifests/m.yaml'), dir);
      assert.equal(params['stimuli']!['folder'], path.join(root, 'images'), dir);
      assert.equal((params['render']!['generator'] as { weights: string }).weights, path.join(root, 'weights/w.safetensors'), dir);
    }
  } finally {
    process.chdir(cwd);
  }
});

test('a moved clone keeps every key: the key holds the content, not the path', async () => {
  const root = project();
  const moved = path.join(mkdtempSync(path.join(os.tmpdir(), 'pam-moved-')), 'clone');
  cpSync(root, moved, { recursive: true });
  const fingerprints = FingerprintCache.at(mkdtempSync(path.join(os.tmpdir(), 'pam-state-')));
  const keysOf = async (file: string) => {
    const keys: string[] = [];
    for (const stage of loadPipelineConfig(file).config.stages) {
      const inputKeys: Record<string, string> = stage.id === 'render' ? { dataset: keys[1]! } : {};
      keys.push(cacheKey((await stageKeyParts({ ...stage, inputKeys }, fingerprints)).keyParts));
    }
    return keys;
  };
  assert.deepEqual(await keysOf(path.join(moved, 'pipelines/p.yaml')), await keysOf(path.join(root, 'pipelines/p.yaml')));
});

test('the shipped real-data pipelines name data manifests that exist', () => {
  for (const file of ['pipelines/b2g.yaml', 'pipelines/god.yaml']) {
    const fetch = loadPipelineConfig(file).config.stages.find((s) => s.uses === 'download')!;
    assert.ok(existsSync(fetch.params['manifest'] as string), `${file}: ${String(fetch.params['manifest'])}`);
  }
});
