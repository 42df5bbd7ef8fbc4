/** "Did you mean" (src/util/closest-name.ts): edit distance with transpositions, and when a name is too far. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestName, didYouMean, editDistance } from '../../src/util/closest-name.js';

test('edit distance counts inserts, deletes, substitutions and swaps of neighbours', () => {
  assert.equal(editDistance('status', 'status'), 0);
  assert.equal(editDistance('stauts', 'status'), 1);
  assert.equal(editDistance('tran', 'train'), 1);
  assert.equal(editDistance('retyr', 'retry'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'run'), 3);
});

test('the nearest candidate within reach, first listed on a tie; none when all are far', () => {
  const commands = ['run', 'status', 'retry', 'lineage', 'worker', 'server', 'data'];
  assert.equal(closestName('stauts', commands), 'status');
  assert.equal(closestName('Linage', commands), 'lineage');
  assert.equal(closestName('frobnicate', commands), undefined);
  assert.equal(didYouMean('wroker', commands), ' (did you mean "worker"?)');
  assert.equal(didYouMean('xyz', commands), '');
});
