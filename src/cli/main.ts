/**
 * `pam`: launch experiments from YAML, follow them, retry what failed, audit where every number came from.
 * Exit codes: 0 ok, 1 failure, 2 bad input (config, arguments), 3 experiment parked on a failed stage.
 */
import { PipelineError } from '../errors/pipeline-errors.js';
import { didYouMean } from '../util/closest-name.js';

const USAGE = `usage:
  pam run <pipeline.yaml> [--set key=value]... [--dry-run] [--external-workers | --with-worker] [--force STAGE]...
  pam status <experiment>
  pam retry <experiment> [--stage STAGE] [--force] [--external-workers]
  pam lineage <experiment> [--json] [--files]
  pam report <experiment> [--out FILE] [--compare <experiment>]...
  pam logs <experiment> <stage> [--all]
  pam list [--json]
  pam compare <experiment> <experiment>... [--json]
  pam worker [--queue NAME] [--max-stages N]
  pam server start|stop|status [--json]
  pam data list|verify <data-manifest.yaml> [--online]
  pam cluster setup [--retention 8760h]   (once per namespace of a cluster: search attributes, retention)
Environment: TEMPORAL_ADDRESS (remote cluster; default: embedded dev server), TEMPORAL_NAMESPACE,
  TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA, TEMPORAL_API_KEY, TEMPORAL_UI_URL, PAM_HOME (state folder,
  default .pam), PAM_STORE (artifact store: a folder or s3://bucket/prefix; default: the state folder),
  PAM_TEMPORAL_PORT / PAM_TEMPORAL_UI_PORT (embedded server ports, default 7233 / 8233)`;

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
  report: async () => (await import('./commands/report.js')).reportCommand,
  logs: async () => (await import('./commands/logs.js')).logsCommand,
  list: async () => (await import('./commands/list.js')).listCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  worker: async () => (await import('./commands/worker.js')).workerCommand,
  server: async () => (await import('./commands/server.js')).serverCommand,
  data: async () => (await import('./commands/data.js')).dataCommand,
  cluster: async () => (await import('./commands/cluster.js')).clusterCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  // Own keys only: `pam constructor` is not a command.
  const loadCommand = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!loadCommand) {
    // Asked-for help goes to stdout (`pam --help | less`); without a command it is a hint, on stderr.
    const asked = name === '--help' || name === 'help';
    if (asked || name === undefined) {
      (asked ? console.log : console.error)(USAGE);
      return 0;
    }
    const commands = Object.keys(COMMANDS);
    console.error(`pam: unknown command "${name}"${didYouMean(name, commands)}; the commands are ${commands.join(', ')}\n\n${USAGE}`);
    return 2;
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

/**
 * A reader that stops early (`pam status demo | head -1`) closes the pipe; the next write fails with EPIPE (Node
 * ignores SIGPIPE, so no signal ends the process as it would a C tool). That is the reader's choice, not a failure:
 * end quietly with 0, as `yes | head` ends for the shell. Any other stream error stays an error.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

process.exitCode = await main(process.argv.slice(2));
