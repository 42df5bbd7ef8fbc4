/**
 * Our values as Temporal API protobuf values (package @temporalio/proto, the generated `temporal` and `google`
 * namespaces), for the operator and namespace gRPC calls of src/temporal/dev-server.ts. Written here because the
 * SDK's own converters (`msToNumber`, `msNumberToTs`, `tsToMs`, `encodeSearchAttributeIndexedValueType` in
 * @temporalio/common) are marked "meant for internal use only" or live outside its public exports.
 */
import type { SearchAttributeType } from '@temporalio/common';
// A CommonJS module whose exports Node cannot list statically (`module.exports = require('./root')`), so its values
// come through the default import and its types through a type-only import.
import proto from '@temporalio/proto';
import type { google, temporal } from '@temporalio/proto';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Milliseconds in a duration written as a number and one short unit (`8760h`, `365d`, `1.5h`, `90m`; the short
 * forms of the `ms` package that the SDK parses durations with), or undefined when the text is not one.
 */
export function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

/** Whole milliseconds as a google.protobuf.Duration (seconds as a Long, the rest as nanos). */
export function durationFromMs(ms: number): google.protobuf.Duration {
  return proto.google.protobuf.Duration.fromObject({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 });
}

/** A google.protobuf.Duration in milliseconds (nanos below a millisecond dropped); undefined when absent. */
export function durationToMs(duration: google.protobuf.IDuration | null | undefined): number | undefined {
  if (!duration) return undefined;
  return (duration.seconds?.toNumber() ?? 0) * 1000 + Math.floor((duration.nanos ?? 0) / 1_000_000);
}

/** The API enum value (temporal.api.enums.v1.IndexedValueType) that registers a search attribute of this type. */
export function indexedValueType(type: SearchAttributeType): temporal.api.enums.v1.IndexedValueType {
  return proto.temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];
}
