/**
 * `pam`: launch experiments from YAML, follow them, retry what failed, audit where every number came from.
 * Exit codes: 0 ok, 1 failure, 2 bad input (config, arguments), 3 experiment parked on a failed stage.
 */
import { PipelineError } from '../errors/pipeline-errors.js';

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

type Command = (argv: readonly string[]) => Promise<number>;

/**
 * Each command's module loads only when it runs: `pam status` must not load what `pam worker` needs (the native
 * worker core of `@temporalio/worker`, the stage engine).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  retry: async () => (await import('./commands/retry.js')).retryCommand,
  lineage: async () => (await import('./commands/lineage.js')).lineageCommand,
  worker: async () => (await import('./commands/worker.js')).workerCommand,
  server: async () => (await import('./commands/server.js')).serverCommand,
  data: async () => (await import('./commands/data.js')).dataCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const loadCommand = name ? COMMANDS[name] : undefined;
  if (!loadCommand) {
    console.error(USAGE);
    return name === undefined || name === '--help' || name === 'help' ? 0 : 2;
  }
  try {
    return await (await loadCommand())(rest);
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
