/** Text rendering of the result tables a finished experiment holds (results, voxel counts), for the terminal. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromFileBytes } from '../tables/arrow-tables.js';
import { ATTENTION_BY_AREA, RESULTS } from '../tables/evaluation.js';
import { VOXEL_COUNTS } from '../tables/voxel-selection.js';
import type { StageRow } from '../contracts/stage-requests.js';
import type { StoreView } from '../store/store-view.js';

/** Tables worth printing when a stage's artifact holds them, with a title. */
const REPORTED_TABLES: Record<string, string> = {
  [RESULTS.name]: 'Results (mean ± SE over test items; p: paired t-test vs the reference decoder)',
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

function formatCell(value: unknown): string {
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
      const table = tableFromFileBytes(readFileSync(file), file);
      const header = table.schema.fields.map((f) => f.name);
      const body = [...table].map((record) => header.map((h) => formatCell((record as Record<string, unknown>)[h])));
      parts.push(`${title} — stage ${row.id}:\n${formatTable(header, body)}`);
    }
  }
  return parts.join('\n\n');
}

export function renderStageRows(rows: readonly StageRow[]): string {
  return formatTable(
    ['stage', 'kind', 'status', 'artifact key', 'why / error'],
    rows.map((r) => [r.id, r.uses, r.status, r.key?.slice(0, 16) ?? '', r.error ?? r.reason ?? '']),
  );
}
