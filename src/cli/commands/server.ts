/** `pam server start|stop|status`: the embedded Temporal dev server (SQLite file under the state folder). */
import { devServerStatus, ensureDevServer, stopDevServer, type DevServerStatus } from '../../temporal/dev-server.js';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { didYouMean } from '../../util/closest-name.js';
import { onePositional, parseArgs } from '../args.js';

export async function serverCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, [], ['json']);
  const action = onePositional(args, 'action (start|stop|status)');
  if (args.flags.has('json') && action !== 'status') throw new ConfigError('--json goes with `pam server status` only');
  switch (action) {
    case 'start': {
      const server = await ensureDevServer({ log: (line) => console.log(line) });
      console.log(`${server.started ? 'started' : 'already running'}: ${server.address} · UI ${server.uiUrl}`);
      return 0;
    }
    case 'stop':
      await stopDevServer();
      console.log('stopped');
      return 0;
    case 'status': {
      const status = await devServerStatus();
      console.log(args.flags.has('json') ? JSON.stringify(status, null, 2) : renderStatus(status));
      return status.running ? 0 : 1;
    }
    default:
      throw new ConfigError(
        `unknown server action "${action}"${didYouMean(action, ['start', 'stop', 'status'])}; use start, stop or status`,
      );
  }
}

/** The status as a block to read; `--json` gives the same facts as an object. */
function renderStatus(status: DevServerStatus): string {
  return [
    status.running
      ? `Temporal dev server: running (pid ${status.pid})`
      : 'Temporal dev server: not running (start it with `pam server start`)',
    `  address:  ${status.address}`,
    `  Web UI:   ${status.uiUrl}`,
    `  database: ${status.dbFile}`,
  ].join('\n');
}
