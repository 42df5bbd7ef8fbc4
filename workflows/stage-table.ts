/** Markdown rendering of the stage table for the Web UI's "current details" panel. Pure. */
import type { StageRow } from '../src/contracts/stage-requests.js';

const ICON: Record<StageRow['status'], string> = {
  pending: '·',
  running: '▶',
  cached: '✓ cached',
  done: '✓ done',
  failed: '✗ FAILED',
  skipped: '–',
};

export function renderStageTable(experiment: string, configHash: string, rows: readonly StageRow[], blocked: string | null): string {
  const lines = [
    `### Experiment \`${experiment}\` (config ${configHash.slice(0, 12)})`,
    '',
    '| stage | kind | status | artifact key | note |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.id} | ${r.uses} | ${ICON[r.status]} | ${r.key ? `\`${r.key.slice(0, 16)}\`` : ''} | ${(r.error ?? r.reason ?? '').replace(/\|/g, '/').slice(0, 200)} |`,
    ),
  ];
  if (blocked) {
    lines.push(
      '',
      `**Parked at \`${blocked}\`.** Fix the cause, then run \`pam retry ${experiment}\` (or send the \`retryStage\` update).`,
    );
  }
  return lines.join('\n');
}
