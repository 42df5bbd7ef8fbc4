/**
 * `pam list [--json]`: every experiment the server holds workflows of and every one the store has stage records of,
 * with its status, when it ran, its config hash and its headline number (src/cli/experiment-catalog.ts). With no
 * server running it lists what the store holds, and says so.
 */
import { ConfigError } from '../../errors/pipeline-errors.js';
import { metricDirection } from '../../evaluation/metric-direction.js';
import { parseArgs } from '../args.js';
import { headlineOf, mergeKnown, resultsOf, serverExperiments, storeExperiments } from '../experiment-catalog.js';
import { cliStoreView, sessionIfRunning } from '../session.js';
import { formatCell, formatTable } from '../tables-report.js';

export async function listCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, [], ['json']);
  if (args.positionals.length > 0) throw new ConfigError(`pam list takes no arguments, got ${args.positionals.join(' ')}`);
  const store = cliStoreView();
  const session = await sessionIfRunning();
  const server = session && (await serverExperiments(session.client).finally(() => session.close()));
  const known = mergeKnown(server ?? [], await storeExperiments(store));
  const listed = [];
  for (const experiment of known) listed.push({ ...experiment, headline: headlineOf(await resultsOf(experiment.stages, store)) });
  if (args.flags.has('json')) {
    console.log(
      JSON.stringify(
        listed.map(({ stages, headline, ...rest }) => ({
          ...rest,
          stages: stages.length,
          headline: headline && { ...headline, better: metricDirection(headline.metric) },
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  if (server === undefined) console.error(`no Temporal server is reachable: listing what the store ${store.description} holds`);
  if (listed.length === 0) {
    console.log('no experiments yet (start one with `pam run <pipeline.yaml>`)');
    return 0;
  }
  console.log(
    formatTable(
      ['experiment', 'status', 'when', 'config', 'headline', 'found on'],
      listed.map((e) => [
        e.experiment,
        e.status,
        e.when?.slice(0, 19).replace('T', ' ') ?? '',
        e.configHash?.slice(0, 12) ?? '',
        headlineCell(e.headline),
        e.sources.join('+'),
      ]),
    ),
  );
  return 0;
}

function headlineCell(headline: ReturnType<typeof headlineOf>): string {
  if (!headline) return '';
  return `${headline.decoder} ${headline.metric} ${formatCell(headline.mean)} ± ${formatCell(headline.se)} (${metricDirection(headline.metric)} is better)`;
}
