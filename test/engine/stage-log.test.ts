/**
 * Stage logs (src/engine/stage-log.ts, src/store/stage-log-files.ts): the log book's lines and milestones with a fixed
 * clock, and, through the real engine, a committed artifact holding its attempt's log in its manifest (key unchanged,
 * a cache hit keeping the original) and a failed attempt leaving its log beside its checkpoints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { executeStage } from '../../src/engine/execute-stage.js';
import { StageLogBook } from '../../src/engine/stage-log.js';
import { readAttemptLogs, STAGE_LOG_FILE } from '../../src/store/stage-log-files.js';
import { computeRequest, failingEvaluateRequest, fakePorts, tempEngine, tinyWorldRequest } from './engine-fixtures.js';

test('the log book stamps each line, indents continuation lines, logs a milestone per tenth and tees to the worker log', () => {
  let ms = Date.parse('2026-12-03T10:00:00.000Z');
  const book = new StageLogBook(() => new Date(ms));
  const heard: string[] = [];
  const log = book.tee({ info: (m) => void heard.push(`info ${m}`), warn: (m) => void heard.push(`warn ${m}`) });
  log.info('tensor backend wasm');
  ms += 1500;
  log.warn('two\nlines');
  for (const fraction of [0, 0.02, 0.05, 0.1, 0.13, 0.19, 0.31, 0.99, 1]) book.progress({ fraction, message: `at ${fraction}` });
  book.record('error', 'failed');
  assert.deepEqual(heard, ['info tensor backend wasm', 'warn two\nlines']);
  assert.deepEqual(book.text().trimEnd().split('\n'), [
    '2026-12-03T10:00:00.000Z info  tensor backend wasm',
    '2026-12-03T10:00:01.500Z warn  two',
    '    lines',
    '2026-12-03T10:00:01.500Z info  progress 0%: at 0',
    '2026-12-03T10:00:01.500Z info  progress 10%: at 0.1',
    '2026-12-03T10:00:01.500Z info  progress 31%: at 0.31',
    '2026-12-03T10:00:01.500Z info  progress 99%: at 0.99',
    '2026-12-03T10:00:01.500Z info  progress 100%: at 1',
    '2026-12-03T10:00:01.500Z error failed',
  ]);
});

test('a committed artifact holds its attempt log in the manifest; the key is the planned one and a cache hit keeps the log', async () => {
  const engine = tempEngine();
  const request = await computeRequest(engine, tinyWorldRequest());
  const ref = await executeStage(engine, request, fakePorts({ runId: 'run-1' }).ports);
  assert.equal(ref.key, request.key, 'the log is not part of the key');
  const manifest = engine.store.readManifest(request.uses, request.key);
  assert.ok(manifest.files.some((f) => f.path === STAGE_LOG_FILE));
  const logFile = path.join(engine.store.artifactDir(request.uses, request.key), STAGE_LOG_FILE);
  const first = readFileSync(logFile, 'utf8');
  assert.match(first, /^\d{4}-\d\d-\d\dT[\d:.]+Z info {2}\[data\] synthesize-b2g key [0-9a-f]{64}: attempt 1 on /);
  assert.match(first, /info {2}progress 100%: wrote train, test and areas\n/);
  assert.match(first, /info {2}\[data\] computed in [\d.]+ s; committing [0-9a-f]{64}\n$/);
  assert.equal((await engine.store.verify(request.uses, request.key)).status, 'intact', 'stage.log is hashed like any file');
  await executeStage(engine, request, fakePorts({ runId: 'run-2' }).ports);
  assert.equal(readFileSync(logFile, 'utf8'), first, 'a cache hit keeps the original log');
});

test('a failed attempt leaves its log, ending with the error, in the key partial folder', async () => {
  const engine = tempEngine();
  const dataset = await executeStage(engine, await computeRequest(engine, tinyWorldRequest()), fakePorts({}).ports);
  const request = await computeRequest(engine, failingEvaluateRequest(dataset));
  await assert.rejects(executeStage(engine, request, fakePorts({ runId: 'run-1', attempt: 3 }).ports));
  const logs = readAttemptLogs(engine.store.partialDir(request.uses, request.key));
  assert.equal(logs.length, 1);
  assert.match(logs[0]!.name, /^attempt-\d{8}T\d{6}\.\d{3}Z-3\.log$/);
  assert.match(logs[0]!.text, /attempt 3 on /);
  assert.match(logs[0]!.text, /error \[evaluate\] attempt failed after [\d.]+ s: DataValidationError: .*predictions/);
});
