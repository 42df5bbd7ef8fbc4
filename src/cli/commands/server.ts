/** `pam server start|stop|status`: the embedded Temporal dev server (SQLite file under the state folder). */
import { devServerStatus, ensureDevServer, stopDevServer } from '../../temporal/dev-server.js';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { onePositional, parseArgs } from '../args.js';

export async function serverCommand(argv: readonly string[]): Promise<number> {
  const action = onePositional(parseArgs(argv, [], []), 'action (start|stop|status)');
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
      console.log(JSON.stringify(status, null, 2));
      return status.running ? 0 : 1;
    }
    default:
      throw new ConfigError(`unknown server action "${action}" (use start, stop or status)`);
  }
}
