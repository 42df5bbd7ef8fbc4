/**
 * Integration-test world: a real Temporal dev server (the project's own CLI binary, SQLite file in a temp
 * folder, random ports), a temp PAM_HOME, and helpers to run the `pam` CLI as a child process against it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { ensureDevServer, stopDevServer } from '../../src/temporal/dev-server.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'src', 'cli', 'main.ts');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface PamResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface TestWorld {
  home: string;
  address: string;
  uiUrl: string;
  port: number;
  uiPort: number;
  dbFile: string;
  env: NodeJS.ProcessEnv;
  client: Client;
  /** Run `pam ...` to completion. */
  pam(args: string[], options?: { timeoutMs?: number }): Promise<PamResult>;
  /** Start `pam ...` and return the child (for kill tests); output accumulates in `out`. `env` adds to the world's. */
  spawnPam(
    args: string[],
    env?: NodeJS.ProcessEnv,
  ): {
    child: ChildProcess;
    out: () => string;
    stdout: () => string;
    stderr: () => string;
    exited: Promise<number | null>;
  };
  /** Write a pipeline YAML into the world's folder and return its path. */
  writePipeline(name: string, yaml: string): string;
  /** The folder of a stage row's committed artifact in the world's store (its `fs` store is `home`). */
  artifactDir(row: { uses: string; key?: string | undefined }): string;
  /** Start the dev server again on the same DB (after killing it). */
  restartServer(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestWorld(): Promise<TestWorld> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'pam-world-'));
  process.env['PAM_HOME'] = home;
  const port = await freePort();
  const uiPort = await freePort();
  const dbFile = path.join(home, 'temporal', 'temporal.db');
  const server = await ensureDevServer({ port, uiPort, dbFile });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PAM_HOME: home,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_UI_URL: server.uiUrl,
    FORCE_COLOR: '0',
  };
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });

  const spawnPam = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
      stderr += d.toString();
    });
    // 'close' (not 'exit'): every byte of output has arrived when it fires.
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    return { child, out: () => out, stdout: () => stdout, stderr: () => stderr, exited };
  };

  return {
    home,
    address: server.address,
    uiUrl: server.uiUrl,
    port,
    uiPort,
    dbFile,
    env,
    client,
    spawnPam,
    async pam(args, options = {}) {
      const run = spawnPam(args);
      const timer = setTimeout(() => run.child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
      const code = await run.exited;
      clearTimeout(timer);
      return { code, stdout: run.stdout(), stderr: run.stderr() };
    },
    artifactDir(row) {
      if (row.key === undefined) throw new Error(`stage of kind ${row.uses} has no artifact key (yet)`);
      return path.join(home, 'artifacts', row.uses, row.key);
    },
    writePipeline(name, yaml) {
      const file = path.join(home, name);
      writeFileSync(file, yaml);
      return file;
    },
    async restartServer() {
      await ensureDevServer({ port, uiPort, dbFile });
    },
    async stop() {
      await connection.close();
      await stopDevServer();
    },
  };
}

/** Poll `check` until it returns a value (not undefined) or the timeout passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves once a spawned `pam worker` has built its workflow bundle and polls (src/cli/commands/worker.ts prints that). */
export async function workerPolling(worker: { out: () => string }, what = 'a worker polling'): Promise<void> {
  await waitFor(what, async () => (worker.out().includes('pam worker polling queue') ? true : undefined), 60_000);
}
