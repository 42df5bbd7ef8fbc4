/**
 * `pam compare <experiment> <experiment>... [--json]`: the experiments' results side by side (metric × decoder,
 * mean ± SE, a column per experiment, the best marked) and the params that differ between their resolved configs
 * (src/evaluation/experiment-comparison.ts). Each experiment is read from the server (its newest run's input and
 * stage table) or, when the server does not hold it or none runs, from the store's stage records.
 */
import { ConfigError } from '../../errors/pipeline-errors.js';
import { compareExperiments, type ExperimentComparison, type ExperimentResults } from '../../evaluation/experiment-comparison.js';
import { parseArgs } from '../args.js';
import { experimentResults } from '../experiment-catalog.js';
import { cliStoreView, sessionIfRunning } from '../session.js';
import { formatCell, formatTable } from '../tables-report.js';

export async function compareCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, [], ['json']);
  const names = args.positionals;
  if (names.length < 2) throw new ConfigError(`pam compare needs at least two experiment names, got ${names.length}`);
  const store = cliStoreView();
  const session = await sessionIfRunning();
  try {
    const inputs: ExperimentResults[] = [];
    for (const name of names) inputs.push(await experimentResults(name, session, store));
    const comparison = compareExperiments(inputs);
    console.log(args.flags.has('json') ? JSON.stringify(comparison, null, 2) : renderComparison(comparison));
    return 0;
  } finally {
    await session?.close();
  }
}

/** The comparison as text: the results table, then the params that differ. */
export function renderComparison(comparison: ExperimentComparison): string {
  const { experiments, rows, params } = comparison;
  const results = rows.length
    ? formatTable(
        ['metric', 'better', 'decoder', ...experiments],
        rows.map((r) => [
          r.metric,
          r.better,
          r.decoder,
          ...r.cells.map((cell, i) => (cell ? `${formatCell(cell.mean)} ± ${formatCell(cell.se)}${r.best === i ? ' *' : ''}` : '–')),
        ]),
      )
    : 'no results table in any of them (yet)';
  const differ = params.length
    ? formatTable(
        ['param', ...experiments],
        params.map((p) => [p.path, ...p.values.map((v) => v ?? '(absent)')]),
      )
    : 'none: the configs differ only in their experiment name';
  return `Results (mean ± SE over test items; *: best of the experiments in the metric's direction):\n${results}\n\nParams that differ:\n${differ}`;
}
