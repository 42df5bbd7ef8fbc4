/**
 * `pam logs <experiment> <stage> [--all]`: the log of the attempt that computed a stage's artifact (`stage.log`,
 * read through this client's store like `pam lineage`), or, for a stage that failed, the log its last failed attempt
 * left beside its checkpoints (`--all`: every failed attempt's, oldest first). Layout: src/store/stage-log-files.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StageRow } from '../../contracts/stage-requests.js';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { STAGE_LOG_FILE } from '../../store/stage-log-files.js';
import type { StoreView } from '../../store/store-view.js';
import { experimentState } from '../../temporal/experiment-client.js';
import { didYouMean } from '../../util/closest-name.js';
import { parseArgs } from '../args.js';
import { openSession } from '../session.js';

export async function logsCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, [], ['all']);
  if (args.positionals.length !== 2)
    throw new ConfigError(`expected an experiment name and a stage id, got ${args.positionals.length} argument(s)`);
  const [experiment, stageId] = args.positionals as [string, string];
  const session = await openSession(() => undefined, { startServer: false });
  try {
    const { stages } = await experimentState(session.client, experiment);
    const row = stageRow(stages, experiment, stageId);
    const text = await stageLogText(row, session.store, args.flags.has('all'));
    process.stdout.write(text.body);
    if (text.note) console.error(text.note);
    return text.body === '' ? 1 : 0;
  } finally {
    await session.close();
  }
}

/** The row of `stageId`; an unknown id is bad input naming the stages there are. */
export function stageRow(rows: readonly StageRow[], experiment: string, stageId: string): StageRow {
  const row = rows.find((r) => r.id === stageId);
  if (row) return row;
  const known = rows.map((r) => r.id);
  throw new ConfigError(
    `experiment ${experiment} has no stage "${stageId}"${didYouMean(stageId, known)}; its stages are ${known.join(', ')}`,
  );
}

/** What to print for a stage: its log (`body`, empty when none is kept) and a line on stderr about where it came from. */
async function stageLogText(row: StageRow, store: StoreView, all: boolean): Promise<{ body: string; note?: string }> {
  if (row.key === undefined) return { body: '', note: `stage ${row.id} has not run yet (${row.status}): no log` };
  const manifest = row.status === 'failed' ? null : await store.manifest(row.uses, row.key);
  if (manifest) {
    if (!manifest.files.some((f) => f.path === STAGE_LOG_FILE))
      return { body: '', note: `stage ${row.id}: artifact ${row.key.slice(0, 16)} was committed before stage logs were kept` };
    const body = readFileSync(path.join(await store.localDir(row.uses, row.key), STAGE_LOG_FILE), 'utf8');
    const cached = row.status === 'cached' ? ', a cache hit: the log of the run that computed it' : '';
    return { body, note: `(stage ${row.id}: ${STAGE_LOG_FILE} of artifact ${row.key.slice(0, 16)}${cached})` };
  }
  const failed = await store.attemptLogs(row.uses, row.key);
  if (failed.length === 0) {
    const why =
      row.status === 'running' ? 'it is running; its log is kept when the attempt ends' : `no attempt log is kept (${row.status})`;
    return { body: '', note: `stage ${row.id}: ${why}` };
  }
  const shown = all ? failed : failed.slice(-1);
  const body = shown.map((log) => (all ? `── ${log.name}\n${log.text}` : log.text)).join('');
  const older = failed.length - shown.length;
  return {
    body,
    note: `(stage ${row.id}: failed attempt log ${shown[shown.length - 1]!.name}${older > 0 ? `; ${older} older: --all` : ''})`,
  };
}
