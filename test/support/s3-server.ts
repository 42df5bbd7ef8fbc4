/**
 * A real S3-compatible server for tests: moto's standalone server (PyPI `moto[server]`, pinned in
 * scripts/requirements-s3.txt, installed by `scripts/setup.sh --with-s3` into .tools/venv-s3) on a loopback port,
 * with one bucket. Clients reach it through a TCP relay the test can cut and restore (`kill`/`restart`): an outage
 * mid-transfer, with the server's state (in memory) kept. With `auth`, the server checks signatures against its
 * own IAM: only the access key `env` holds is accepted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, ROOT, waitFor } from './test-world.js';

const VENV = path.join(ROOT, '.tools', 'venv-s3');

export interface S3TestServer {
  /** The endpoint clients use (the relay). */
  endpoint: string;
  bucket: string;
  /** AWS_ENDPOINT_URL_S3, region and the access key: what a `pam` process needs besides PAM_STORE. */
  env: NodeJS.ProcessEnv;
  /** Cut every connection and refuse new ones, as a dead server would. */
  kill(): Promise<void>;
  /** Cut as `kill` does once clients have sent `bytes` more: an outage in the middle of an upload, whatever the speed. */
  killAfterUpload(bytes: number): Promise<void>;
  /** Accept connections again, on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3Server(options: { auth?: boolean } = {}): Promise<S3TestServer> {
  const binary = path.join(VENV, 'bin', 'moto_server');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/setup.sh --with-s3`);
  const port = await freePort();
  const server = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...(options.auth ? { INITIAL_NO_AUTH_ACTION_COUNT: '4' } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  server.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const direct = `http://127.0.0.1:${port}`;
  await waitFor(`moto on ${direct} (${log})`, async () => ((await fetch(`${direct}/moto-api/`)).ok ? true : undefined), 30_000);
  const bucket = 'pam-test';
  const python = path.join(VENV, 'bin', 'python');
  const boot = spawnSync(python, [path.join(ROOT, 'test', 'support', 's3_bootstrap.py'), direct, bucket, options.auth ? '1' : '0'], {
    encoding: 'utf8',
  });
  if (boot.status !== 0) throw new Error(`s3_bootstrap.py failed: ${boot.stderr}`);
  const keys = JSON.parse(boot.stdout) as Record<string, string>;

  const relayPort = await freePort();
  const sockets = new Set<net.Socket>();
  let relay: net.Server | undefined;
  let upload: { remaining: number; cut: () => void } | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      relay = net.createServer((client) => {
        const upstream = net.connect(port, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.on('data', (chunk: Buffer) => {
          if (!upload) return;
          upload.remaining -= chunk.length;
          if (upload.remaining <= 0) upload.cut();
        });
        client.pipe(upstream).pipe(client);
      });
      relay.listen(relayPort, '127.0.0.1', () => resolve());
    });
  const cut = async () => {
    const closed = new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  await listen();
  const endpoint = `http://127.0.0.1:${relayPort}`;
  return {
    endpoint,
    bucket,
    env: { AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'us-east-1', ...keys },
    kill: cut,
    killAfterUpload: (bytes) =>
      new Promise<void>((resolve) => {
        upload = {
          remaining: bytes,
          cut: () => {
            upload = undefined;
            void cut().then(resolve);
          },
        };
      }),
    restart: listen,
    async stop() {
      await cut();
      server.kill('SIGTERM');
      await exited;
    },
  };
}
