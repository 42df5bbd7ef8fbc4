/**
 * Where the pipeline's Temporal is and how to reach it, from the environment. With no `TEMPORAL_ADDRESS` the
 * pipeline uses the embedded dev server (`dev-server.ts`); otherwise it connects to the given cluster, optionally
 * with mTLS (`TEMPORAL_TLS_CERT`/`TEMPORAL_TLS_KEY`, `TEMPORAL_TLS_CA`) or a Temporal Cloud API key
 * (`TEMPORAL_API_KEY`, which implies TLS). Option names follow `@temporalio/client` 1.24 `ConnectionOptions` and
 * `@temporalio/worker` `NativeConnectionOptions` (`address`, `tls: TLSConfig`, `apiKey`).
 */
import { readFileSync, existsSync } from 'node:fs';
import { Client, Connection, isGrpcDeadlineError, isGrpcServiceError, isRetryableError, type TLSConfig } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { ConfigError } from '../errors/pipeline-errors.js';
import { embeddedPorts, ensureDevServer, probeServer, type DevServerHandle, type DevServerOptions } from './dev-server.js';

export interface TemporalConnectionConfig {
  /** `host:port` of the frontend gRPC service. */
  address: string;
  namespace: string;
  tls?: TLSConfig;
  apiKey?: string;
  /** Web UI base URL, for links printed by the CLI. */
  uiUrl: string;
  /** True when no `TEMPORAL_ADDRESS` is set: the pipeline runs its own dev server. */
  embedded: boolean;
}

const ADDRESS_PATTERN = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

function readPemFile(variable: string, path: string): Uint8Array {
  if (!existsSync(path)) throw new ConfigError(`${variable}=${path}: file not found`);
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new ConfigError(`${variable}=${path}: cannot read the file (${(cause as Error).message})`, { cause });
  }
}

function tlsFromEnv(env: NodeJS.ProcessEnv): TLSConfig | undefined {
  const cert = env['TEMPORAL_TLS_CERT'];
  const key = env['TEMPORAL_TLS_KEY'];
  const ca = env['TEMPORAL_TLS_CA'];
  if (Boolean(cert) !== Boolean(key)) {
    const [have, missing] = cert ? ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'] : ['TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CERT'];
    throw new ConfigError(`${have} is set but ${missing} is not: mTLS needs both the client certificate and its key`);
  }
  if (!cert && !ca) return undefined;
  return {
    ...(cert && key && { clientCertPair: { crt: readPemFile('TEMPORAL_TLS_CERT', cert), key: readPemFile('TEMPORAL_TLS_KEY', key) } }),
    ...(ca && { serverRootCACertificate: readPemFile('TEMPORAL_TLS_CA', ca) }),
  };
}

/**
 * Read the Temporal settings from the environment. Without `TEMPORAL_UI_URL`, the UI is guessed: Temporal Cloud's
 * namespace page for `*.tmprl.cloud`, else the dev-server convention of gRPC port + 1000.
 */
export function temporalConnectionConfig(env: NodeJS.ProcessEnv = process.env): TemporalConnectionConfig {
  const namespace = env['TEMPORAL_NAMESPACE'] || 'default';
  const address = env['TEMPORAL_ADDRESS'];
  const apiKey = env['TEMPORAL_API_KEY'] || undefined;
  const tls = tlsFromEnv(env);
  if (!address) {
    if (tls || apiKey) {
      throw new ConfigError(
        'TEMPORAL_TLS_* or TEMPORAL_API_KEY is set but TEMPORAL_ADDRESS is not: the embedded dev server speaks plain gRPC, so set TEMPORAL_ADDRESS to the secured cluster',
      );
    }
    const { port, uiPort } = embeddedPorts(env);
    const uiUrl = env['TEMPORAL_UI_URL'] || `http://127.0.0.1:${uiPort}`;
    return { address: `127.0.0.1:${port}`, namespace, uiUrl, embedded: true };
  }
  const match = ADDRESS_PATTERN.exec(address);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new ConfigError(`TEMPORAL_ADDRESS="${address}" is not host:port (e.g. "temporal.example.org:7233")`);
  }
  const host = match[1]!;
  const uiUrl =
    env['TEMPORAL_UI_URL'] ||
    (host.endsWith('.tmprl.cloud')
      ? `https://cloud.temporal.io/namespaces/${namespace}`
      : `http${tls || apiKey ? 's' : ''}://${host}:${Number(match[2]) + 1000}`);
  return {
    address,
    namespace,
    // An API key is only sent over TLS (client `normalizeTlsConfig`), so it implies TLS with system roots.
    ...((tls || apiKey) && { tls: tls ?? {} }),
    ...(apiKey && { apiKey }),
    uiUrl,
    embedded: false,
  };
}

function connectionOptions(cfg: TemporalConnectionConfig) {
  return { address: cfg.address, ...(cfg.tls && { tls: cfg.tls }), ...(cfg.apiKey && { apiKey: cfg.apiKey }) };
}

/**
 * A workflow client (for starting, signalling, listing experiments) plus its connection, to `close()` when done.
 * A server that does not answer within the connect timeout (10 s, client `ConnectionOptions.connectTimeout`) is a
 * ConfigError naming the address: the setting or the server is wrong, and retrying this command will not mend it.
 */
export async function connectClient(cfg: TemporalConnectionConfig): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect(connectionOptions(cfg)).catch((cause: unknown) => {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(`cannot reach the Temporal server at ${cfg.address} (${why}); check TEMPORAL_ADDRESS and that the server is up`, {
      cause,
    });
  });
  return { client: new Client({ connection, namespace: cfg.namespace }), connection };
}

/**
 * Whether a failed call failed because the server could not be reached or was not ready (it may answer later):
 * gRPC UNAVAILABLE and the other codes the client's own retry treats as transient (`isRetryableError`, client
 * `grpc-retry.ts`), or a deadline, anywhere in the cause chain (the client wraps them in `ServiceError`).
 */
export function isServerUnreachable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && isRetryableError(e)) return true;
  }
  return isGrpcDeadlineError(error);
}

/** The Rust-core connection a `Worker` needs; `@temporalio/worker` is loaded only here, as it is native. */
export async function connectWorkerConnection(cfg: TemporalConnectionConfig): Promise<NativeConnection> {
  const { NativeConnection: Native } = await import('@temporalio/worker');
  return Native.connect(connectionOptions(cfg));
}

/**
 * The settings of a server that is already up, for commands that only read or nudge an experiment (`pam status`,
 * `lineage`, `retry`): a look at an experiment must not leave a server running behind the user's back. No embedded
 * server answering is a ConfigError saying how to start one.
 */
export async function runningTemporal(env: NodeJS.ProcessEnv = process.env): Promise<TemporalConnectionConfig> {
  const config = temporalConnectionConfig(env);
  if (config.embedded && !(await probeServer(config.address))) {
    throw new ConfigError(
      `no Temporal server is running at ${config.address}: start the embedded one with \`pam server start\` ` +
        '(`pam run` starts it too), or set TEMPORAL_ADDRESS to your cluster',
    );
  }
  return config;
}

/** The settings to use, after starting (or reusing) the embedded dev server when no cluster is configured. */
export async function ensureTemporal(
  env: NodeJS.ProcessEnv = process.env,
  devServer: DevServerOptions = {},
): Promise<{ config: TemporalConnectionConfig; uiUrl: string; devServer: DevServerHandle | null }> {
  const config = temporalConnectionConfig(env);
  if (!config.embedded) return { config, uiUrl: config.uiUrl, devServer: null };
  const handle = await ensureDevServer({ namespace: config.namespace, ...devServer });
  const uiUrl = env['TEMPORAL_UI_URL'] || handle.uiUrl;
  return { config: { ...config, address: handle.address, uiUrl }, uiUrl, devServer: handle };
}
