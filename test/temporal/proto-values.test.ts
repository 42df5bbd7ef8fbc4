/** Durations and search-attribute types as Temporal API protobuf values (src/temporal/proto-values.ts), no server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { durationFromMs, durationToMs, indexedValueType, parseDurationMs } from '../../src/temporal/proto-values.js';

test('parses a number and one short unit, and nothing else', () => {
  assert.equal(parseDurationMs('8760h'), 8760 * 3_600_000);
  assert.equal(parseDurationMs('365d'), 365 * 86_400_000);
  assert.equal(parseDurationMs('1.5h'), 5_400_000);
  assert.equal(parseDurationMs(' 90 m '), 5_400_000);
  assert.equal(parseDurationMs('250ms'), 250);
  for (const bad of ['', '8760', 'h', '1 year', '-1d', '1d2h', 'soon']) assert.equal(parseDurationMs(bad), undefined, bad);
});

test('a duration survives the wire: milliseconds → google.protobuf.Duration bytes → milliseconds', () => {
  for (const ms of [0, 999, 1000, 86_400_000, 8760 * 3_600_000, 31_536_000_123]) {
    const bytes = proto.google.protobuf.Duration.encode(durationFromMs(ms)).finish();
    assert.equal(durationToMs(proto.google.protobuf.Duration.decode(bytes)), ms);
  }
  assert.equal(durationToMs(undefined), undefined);
  assert.equal(durationToMs(null), undefined);
});

test('search attribute types map to the API enum IndexedValueType (temporal/api/enums/v1/common.proto)', () => {
  assert.equal(indexedValueType(SearchAttributeType.TEXT), 1);
  assert.equal(indexedValueType(SearchAttributeType.KEYWORD), 2);
  assert.equal(indexedValueType(SearchAttributeType.KEYWORD_LIST), 7);
});
