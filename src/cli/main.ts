/**
 * `pam`: launch experiments from YAML, follow them, retry what failed, audit where every number came from.
 * Exit codes: 0 ok, 1 failure, 2 bad input (config, arguments), 3 experiment parked on a failed stage.
 */
import { PipelineError } from '../errors/pipeline-errors.js';
import { lineageCommand } from './commands/lineage.js';
import { retryCommand } from './commands/retry.js';
import { runCommand } from './commands/run.js';
import { serverCommand } from './commands/server.js';
import { statusCommand } from './commands/status.js';
import { workerCommand } from './commands/worker.js';
import { dataCommand } from './commands/data.js';

const USAGE = `usage:
  pam run <pipeline.yaml> [--set key=value]... [--dry-run] [--external-workers] [--force STAGE]...
  pam status <experiment>
  pam retry <experiment> [--stage STAGE] [--force] [--external-workers]
  pam lineage <experiment> [--json]
  pam worker [--max-stages N]
  pam server start|stop|status
  pam data list|verify <data-manifest.yaml> [--online]
Environment: TEMPORAL_ADDRESS (remote cluster; default: embedded dev server), TEMPORAL_NAMESPACE,
  TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA, TEMPORAL_API_KEY, TEMPORAL_UI_URL, PAM_HOME (state folder,
  default .pam), PAM_TEMPORAL_PORT / PAM_TEMPORAL_UI_PORT (embedded server ports, default 7233 / 8233)`;

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  run: runCommand,
  status: statusCommand,
  retry: retryCommand,
  lineage: lineageCommand,
  worker: workerCommand,
  server: serverCommand,
  data: dataCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(USAGE);
    return name === undefined || name === '--help' || name === 'help' ? 0 : 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    if (error instanceof PipelineError && !error.retryable) {
      console.error(error.message);
      return 2;
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
