/**
 * `pam run`'s progress words and throttling (src/cli/progress-format.ts, src/cli/progress-view.ts) on a fake clock:
 * durations, ETA from the fraction's rate, one line per part, "done in", and plain mode's one line per tenth or 30 s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StageRow } from '../../src/contracts/stage-requests.js';
import {
  etaMs,
  formatDuration,
  nextTiming,
  shouldPrintPlain,
  stageLines,
  type LiveBeat,
  type StageTiming,
} from '../../src/cli/progress-format.js';
import { ProgressView, type ProgressSnapshot } from '../../src/cli/progress-view.js';

const row = (status: StageRow['status']): StageRow => ({ id: 'train', uses: 'train', status, key: 'ab'.repeat(32) });
const beat = (fraction: number, parts?: LiveBeat['parts']): LiveBeat => ({
  stageId: 'train',
  fraction,
  message: `at ${fraction}`,
  attempt: 1,
  ...(parts ? { parts } : {}),
});

test('durations read as people write them', () => {
  assert.deepEqual([0, 999, 45_000, 133_000, 3_600_000 + 125_000].map(formatDuration), ['0s', '1s', '45s', '2m13s', '1h02m']);
});

test('the ETA follows the rate of the fraction, and waits for a rate worth the name', () => {
  assert.equal(etaMs({ at: 0, fraction: 0.1 }, { at: 10_000, fraction: 0.3 }), 35_000);
  assert.equal(etaMs({ at: 0, fraction: 0.1 }, { at: 1_000, fraction: 0.3 }), undefined, 'under 2 s');
  assert.equal(etaMs({ at: 0, fraction: 0.1 }, { at: 60_000, fraction: 0.105 }), undefined, 'under 1 %');
});

test('a running stage shows elapsed time, ETA and one line per part; a done one how long it took', () => {
  let timing: StageTiming = {};
  timing = nextTiming(timing, row('running'), 0, 1_000, 1_000);
  timing = nextTiming(timing, row('running'), 0.5, 61_000, 1_000);
  const parts = {
    baseline: { fraction: 0.9, message: 'epoch 28/30 batch 63/125' },
    pam: { fraction: 0.1, message: 'epoch 3/30 loss 0.4120' },
  };
  const lines = stageLines(row('running'), [beat(0.5, parts)], timing, 61_000);
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^train +running \[#{12}-{12}\] {2}50% 1m00s, ETA 1m00s$/);
  assert.match(lines[1]!, /^ {2}baseline +\[#{22}-{2}\] {2}90% epoch 28\/30 batch 63\/125$/);
  assert.match(lines[2]!, /^ {2}pam +\[#{2}-{22}\] {2}10% epoch 3\/30 loss 0\.4120$/);
  const done = nextTiming(timing, row('done'), undefined, 134_000);
  assert.deepEqual(stageLines(row('done'), [], done, 134_000), [`train          done    done in 2m13s`]);
  assert.deepEqual(stageLines(row('done'), [], {}, 134_000), [`train          done    done`], 'not seen running: no duration');
});

test('a retried attempt restarts the rate; a stage without parts keeps its message on its line', () => {
  let timing = nextTiming({}, row('running'), 0.6, 10_000, 0);
  timing = nextTiming(timing, row('running'), 0.2, 20_000, 15_000);
  assert.deepEqual(timing.first, { at: 20_000, fraction: 0.2 });
  assert.match(stageLines(row('running'), [{ ...beat(0.2), attempt: 2 }], timing, 20_000)[0]!, / 20% 5s at 0\.2 \(attempt 2\)$/);
});

test('plain mode prints a stage on a status change, at each new tenth, else at most every 30 s', () => {
  const last = { status: 'running', tenth: 3, text: 'a', at: 0 };
  assert.equal(shouldPrintPlain(undefined, 'running', 0.31, 'a', 0), true);
  assert.equal(shouldPrintPlain(last, 'done', undefined, 'b', 1), true);
  assert.equal(shouldPrintPlain(last, 'running', 0.39, 'b', 29_999), false);
  assert.equal(shouldPrintPlain(last, 'running', 0.4, 'b', 1), true);
  assert.equal(shouldPrintPlain(last, 'running', 0.39, 'b', 30_000), true);
  assert.equal(shouldPrintPlain(last, 'running', 0.39, 'a', 90_000), false, 'nothing new');
});

test('the view on a log: 100 heartbeats over 100 s of a stage print about one line per tenth', () => {
  let now = 0;
  const written: string[] = [];
  const out = { isTTY: false, write: (text: string) => void written.push(text) } as unknown as NodeJS.WriteStream;
  const view = new ProgressView(out, () => now);
  for (let i = 0; i <= 100; i++) {
    now = i * 1000;
    const snap: ProgressSnapshot = {
      status: 'RUNNING',
      rows: [row('running')],
      live: new Map([['train', { ...beat(i / 100), startedAt: 0 }]]),
    };
    view.render(snap);
  }
  now = 101_000;
  view.render({ status: 'COMPLETED', rows: [row('done')], live: new Map() });
  assert.equal(written.length, 12, written.join(''));
  assert.match(written[10]!, /^train +running \[#{24}\] 100% 1m40s, ETA 0s at 1\n$/);
  assert.equal(written[11], 'train          done    done in 1m41s\n');
});
