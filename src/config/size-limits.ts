/**
 * Size limits that keep a config inside Temporal's payload limits (docs/temporal.md §3): the resolved config is the
 * workflow's input, is shown again in its static details, and each stage's params travel in every activity request.
 * The server's blob limit is 2 MB per payload and it warns at 256 KB; since TS SDK 1.21 the worker fails an
 * oversized task *retryably*, so a config too large would fail over and over instead of once. The config is held
 * to the warning threshold, far below the limit, and refused up front naming the key that makes it large.
 */
import { canonicalJson } from '../util/canonical-json.js';
import type { ResolvedPipelineConfig } from '../contracts/pipeline-config.js';
import type { ConfigIssue } from './config-issue.js';
import type { PathSegment } from './zod-describe.js';
import { formatBytes } from '../stages/stage-plan.js';

/** The server's payload warning threshold (docs/temporal.md §3). */
export const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * `description` is prose for the Web UI: its static details (where the config is shown) hold 20 KB
 * (docs.temporal.io "Enriching the user interface"), so a description stays well below that.
 */
export const MAX_DESCRIPTION_CHARS = 8 * 1024;

function bytesOf(value: unknown): number {
  return Buffer.byteLength(canonicalJson(value), 'utf8');
}

/** Descends into the member holding most of the bytes while it holds at least half of its parent's. */
function largestKey(value: unknown, path: PathSegment[]): PathSegment[] {
  if (value === null || typeof value !== 'object') return path;
  const total = bytesOf(value);
  let best: { key: PathSegment; bytes: number } | undefined;
  for (const [key, member] of Object.entries(value)) {
    const bytes = bytesOf(member);
    if (best === undefined || bytes > best.bytes) best = { key: Array.isArray(value) ? Number(key) : key, bytes };
  }
  if (best === undefined || best.bytes * 2 < total) return path;
  return largestKey((value as Record<string, unknown>)[String(best.key)], [...path, best.key]);
}

/** The resolved config laid out as the YAML is (`stages.<id>.with`), so the key found is the one the user wrote. */
function asWritten(config: ResolvedPipelineConfig): unknown {
  const stages = Object.fromEntries(config.stages.map(({ id, params, ...rest }) => [id, { ...rest, with: params }]));
  return { ...config, stages };
}

export function configSizeIssues(config: ResolvedPipelineConfig): ConfigIssue[] {
  const bytes = bytesOf(config);
  if (bytes <= MAX_CONFIG_BYTES) return [];
  const path = largestKey(asWritten(config), []);
  return [
    {
      path,
      message: `the resolved config is ${formatBytes(bytes)} of JSON, more than the ${formatBytes(MAX_CONFIG_BYTES)} a Temporal payload should hold (docs/temporal.md §3); this key holds most of it — keep large data in files and name them`,
    },
  ];
}
