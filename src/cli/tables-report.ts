/** Text rendering of the result tables a finished experiment holds (results, voxel counts), for the terminal. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromFileBytes } from '../tables/arrow-tables.js';
import { ATTENTION_BY_AREA, RESULTS } from '../tables/evaluation.js';
import { VOXEL_COUNTS } from '../tables/voxel-selection.js';
import type { StageRow } from '../contracts/stage-requests.js';
import type { StoreView } from '../store/store-view.js';
import { metricDirection } from '../evaluation/metric-direction.js';
import { bestDecoderPerMetric, orderResults } from '../evaluation/results-order.js';
import type { ResultRow } from '../evaluation/results-table.js';

/** Tables worth printing when a stage's artifact holds them, with a title. */
const REPORTED_TABLES: Record<string, string> = {
  [RESULTS.name]: 'Results (mean ± SE over test items; p: paired t-test vs the reference decoder; best: in the better direction)',
  [VOXEL_COUNTS.name]: "Voxels per area before / after FDR selection (the paper's Table 1)",
  [ATTENTION_BY_AREA.name]: 'Mean attention per area',
};

export function formatTable(header: string[], body: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function formatCell(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '';
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) < 1e-3 && value !== 0 ? value.toExponential(2) : value.toFixed(4);
  }
  return value === null || value === undefined ? '' : String(value);
}

/** Render every reported table found in the experiment's artifacts, read through `store`. */
export async function renderResultTables(rows: readonly StageRow[], store: StoreView): Promise<string> {
  const parts: string[] = [];
  for (const row of rows) {
    if (!row.key) continue;
    const manifest = await store.manifest(row.uses, row.key);
    const reported = Object.entries(REPORTED_TABLES).filter(([name]) => manifest?.files.some((f) => f.path === `${name}.arrow`));
    if (reported.length === 0) continue;
    const dir = await store.localDir(row.uses, row.key);
    for (const [name, title] of reported) {
      const file = path.join(dir, `${name}.arrow`);
      parts.push(`${title} — stage ${row.id}:\n${name === RESULTS.name ? renderResults(readResultRows(file)) : renderTableFile(file)}`);
    }
  }
  return parts.join('\n\n');
}

function renderTableFile(file: string): string {
  const table = tableFromFileBytes(readFileSync(file), file);
  const header = table.schema.fields.map((f) => f.name);
  const body = [...table].map((record) => header.map((h) => formatCell((record as Record<string, unknown>)[h])));
  return formatTable(header, body);
}

/** The rows of a `results.arrow` file (src/evaluation/results-table.ts), validated by its schema. */
export function readResultRows(file: string): ResultRow[] {
  const { columns, rows } = RESULTS.fromTable(tableFromFileBytes(readFileSync(file), file), file);
  return Array.from({ length: rows }, (_, i) => ({
    decoder: columns.decoder[i]!,
    metric: columns.metric[i]!,
    mean: columns.mean[i]!,
    se: columns.se[i]!,
    n: columns.n[i]!,
    pVsReference: columns.p_vs_reference[i]!,
  }));
}

/** Metric → decoder, which way the metric is better, and the best decoder of each metric marked. */
export function renderResults(rows: readonly ResultRow[]): string {
  const best = bestDecoderPerMetric(rows);
  return formatTable(
    ['metric', 'better', 'decoder', 'mean', 'se', 'n', 'p_vs_reference', 'best'],
    orderResults(rows).map((r) => [
      r.metric,
      metricDirection(r.metric),
      r.decoder,
      formatCell(r.mean),
      formatCell(r.se),
      formatCell(r.n),
      formatCell(r.pVsReference),
      best.get(r.metric) === r.decoder ? '*' : '',
    ]),
  );
}

export function renderStageRows(rows: readonly StageRow[]): string {
  return formatTable(
    ['stage', 'kind', 'status', 'artifact key', 'why / error'],
    rows.map((r) => [r.id, r.uses, r.status, r.key?.slice(0, 16) ?? '', r.error ?? r.reason ?? '']),
  );
}
