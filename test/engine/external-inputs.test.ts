/**
 * External inputs (a stimulus folder, a data manifest, model weights) enter the cache key by content
 * (src/engine/stage-key-parts.ts): a changed input recomputes its stage and the reason names what changed, a moved
 * copy keeps its key, a declared sha256 is verified, and a damaged stage record costs only the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { ArtifactRef, StageRequest } from '../../src/contracts/stage-requests.js';
import { executeStage } from '../../src/engine/execute-stage.js';
import { resolveStage } from '../../src/engine/resolve-stage.js';
import { stageFailureOf } from '../../src/engine/stage-failure.js';
import { keyPartsOf, specOf } from '../../src/engine/stage-key-parts.js';
import { ConfigError, KeyMismatchError } from '../../src/errors/pipeline-errors.js';
import { fixtureCopy } from '../load-stimuli/stimulus-fixture.js';
import { computeRequest, fakePorts, tempEngine } from './engine-fixtures.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function request(uses: string, params: Record<string, unknown>, inputs: Record<string, ArtifactRef> = {}): StageRequest {
  return {
    experiment: 'trust',
    stageId: uses,
    uses,
    params: specOf(uses).params.parse(params) as Record<string, unknown>,
    seed: 1,
    inputs,
    force: false,
  };
}

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pam-external-')), name);
  writeFileSync(file, text);
  return file;
}

/** An upstream ref: only its key matters to the key of the stage that reads it. */
const upstream = (key: string): ArtifactRef => ({ stage: 'synthesize-b2g', key: key.repeat(64), rows: {}, summary: {} });

test('one stimulus image changed: load-stimuli recomputes, and the reason names the file; a moved copy is a hit', async () => {
  const engine = tempEngine();
  const { ports, warnings } = fakePorts({ runId: 'run-1' });
  const folder = fixtureCopy();
  const stimuli = request('load-stimuli', { folder, size: 8 });
  const first = await executeStage(engine, await computeRequest(engine, stimuli), ports);
  assert.equal((await resolveStage(engine, stimuli, ports.log)).status, 'cached');

  copyFileSync(path.join(folder, 'train/n02000000_0002.png'), path.join(folder, 'train/n02000000_0003.png'));
  const changed = await resolveStage(engine, stimuli, ports.log);
  assert.equal(changed.status, 'missing');
  assert.notEqual(changed.key, first.key);
  assert.deepEqual(changed.changes, ['stimulus folder folder: 1 file changed (train/n02000000_0003.png)']);
  const second = await executeStage(engine, await computeRequest(engine, stimuli), ports);
  assert.equal(second.key, changed.key);
  assert.notEqual(second.summary['filesSha256'], first.summary['filesSha256']);

  // The same content elsewhere (a moved clone) has the same key: its committed artifact is a cache hit.
  const moved = path.join(mkdtempSync(path.join(os.tmpdir(), 'pam-moved-')), 'folder');
  cpSync(folder, moved, { recursive: true });
  const hit = await resolveStage(engine, request('load-stimuli', { folder: moved, size: 8 }), ports.log);
  assert.equal(hit.status, 'cached');
  assert.equal(hit.key, second.key);
  assert.deepEqual(warnings, []);
});

test('an edited data manifest changes the download key (no network: the key is all that is computed)', async () => {
  const engine = tempEngine();
  const { ports } = fakePorts({});
  const manifest = tempFile('b2g.yaml', 'dataset: b2g\narticle: { id: 4242 }\n');
  const download = request('download', { manifest });
  const before = await resolveStage(engine, download, ports.log);
  // As a committed run would have left it.
  engine.records.remember('trust', 'download', await keyPartsOf(download, engine.fingerprints));

  writeFileSync(manifest, 'dataset: b2g\narticle: { id: 4242, version: 3 }\n');
  const after = await resolveStage(engine, download, ports.log);
  assert.notEqual(after.key, before.key);
  const [was, is] = [sha256('dataset: b2g\narticle: { id: 4242 }\n'), sha256('dataset: b2g\narticle: { id: 4242, version: 3 }\n')];
  assert.deepEqual(after.changes, [`data manifest b2g.yaml changed: sha256 ${was.slice(0, 12)} → ${is.slice(0, 12)}`]);
  // The key holds the content, not where the manifest lies.
  const { keyParts } = await keyPartsOf(download, engine.fingerprints);
  assert.deepEqual(
    [keyParts.external, (keyParts.params as { manifest: string }).manifest],
    [{ 'data manifest': is }, 'external:data manifest'],
  );
});

test('replaced weights change the evaluate key and the reason names both digests; a wrong declared sha256 is refused', async () => {
  const engine = tempEngine();
  const { ports } = fakePorts({});
  const weights = tempFile('vgg16.safetensors', 'old weights');
  const inputs = { dataset: upstream('a'), predictions: upstream('b') };
  const evaluate = request('evaluate', { generator: { kind: 'builtin' }, featureNet: { kind: 'vgg16', weights } }, inputs);
  const before = await resolveStage(engine, evaluate, ports.log);
  engine.records.remember('trust', 'evaluate', await keyPartsOf(evaluate, engine.fingerprints));

  writeFileSync(weights, 'new weights');
  const after = await resolveStage(engine, evaluate, ports.log);
  assert.notEqual(after.key, before.key);
  assert.deepEqual(after.changes, [
    `feature-net weights vgg16.safetensors changed: sha256 ${sha256('old weights').slice(0, 12)} → ${sha256('new weights').slice(0, 12)}`,
  ]);

  const declared = request('evaluate', { featureNet: { kind: 'vgg16', weights, sha256: sha256('old weights') } }, inputs);
  await assert.rejects(resolveStage(engine, declared, ports.log), (error: Error) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(
      error.message,
      `feature-net weights ${weights}: sha256 is ${sha256('new weights')}, but the config declares ${sha256('old weights')}`,
    );
    assert.equal(stageFailureOf('evaluate', error).nonRetryable, true);
    return true;
  });
  const matching = request('evaluate', { featureNet: { kind: 'vgg16', weights, sha256: sha256('new weights').toUpperCase() } }, inputs);
  assert.equal((await resolveStage(engine, matching, ports.log)).status, 'missing');
});

test('a corrupt stage record is reported and skipped; the lookup goes on and rewrites it', async () => {
  const engine = tempEngine();
  const { ports, warnings } = fakePorts({ runId: 'run-1' });
  const stimuli = request('load-stimuli', { folder: fixtureCopy(), size: 8 });
  await executeStage(engine, await computeRequest(engine, stimuli), ports);
  const record = path.join(engine.store.root, 'experiments', 'trust', 'keys', 'load-stimuli.json');
  for (const damage of ['{"keyParts": {"stage": "load-stimuli"', '{"keyParts": 7, "external": {}}']) {
    writeFileSync(record, damage);
    const resolved = await resolveStage(engine, stimuli, ports.log);
    assert.equal(resolved.status, 'cached');
    assert.match(warnings.pop()!, /stage record .*load-stimuli\.json is unreadable and was skipped: not (JSON|a stage record)/);
  }
  assert.equal((await resolveStage(engine, stimuli, ports.log)).status, 'cached');
  assert.deepEqual(warnings, [], 'the cache hit rewrote a readable record');
});

test('an external input changed while the stage ran: nothing is committed under the old key', async () => {
  const engine = tempEngine();
  const folder = fixtureCopy();
  const stimuli = await computeRequest(engine, request('load-stimuli', { folder, size: 8 }));
  const { ports } = fakePorts({ runId: 'run-1' });
  let changed = false;
  // The first heartbeat comes after the key check, as the compute thread starts.
  ports.heartbeat = () => {
    if (changed) return;
    changed = true;
    copyFileSync(path.join(folder, 'train/n02000000_0002.png'), path.join(folder, 'train/n02000000_0003.png'));
  };
  await assert.rejects(executeStage(engine, stimuli, ports), (error: Error) => {
    assert.ok(error instanceof KeyMismatchError);
    assert.match(error.message, /stimulus folder folder: 1 file changed \(train\/n02000000_0003\.png\).*discarded/);
    return true;
  });
  assert.equal(existsSync(engine.store.artifactDir('load-stimuli', stimuli.key)), false);
});
