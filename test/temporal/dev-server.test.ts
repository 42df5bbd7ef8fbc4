/**
 * The embedded dev server end to end, on random free ports with a temporary PAM_HOME: start, search attributes and
 * retention, reuse, status, stop, restart on the same SQLite file with the data still there.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Connection, Client } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { devServerStatus, ensureDevServer, stopDevServer } from '../../src/temporal/dev-server.js';
import { connectClient, connectWorkerConnection, ensureTemporal } from '../../src/temporal/connection.js';
import { projectRoot } from '../../src/paths/project-paths.js';
import { durationToMs } from '../../src/temporal/proto-values.js';
import { EXPERIMENT_KEY, PAM_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const home = mkdtempSync(join(tmpdir(), 'pam-dev-server-'));
const previousHome = process.env['PAM_HOME'];
let port = 0;
let uiPort = 0;

before(async () => {
  process.env['PAM_HOME'] = home;
  port = await freePort();
  uiPort = await freePort();
});

after(async () => {
  await stopDevServer();
  if (previousHome === undefined) delete process.env['PAM_HOME'];
  else process.env['PAM_HOME'] = previousHome;
  rmSync(home, { recursive: true, force: true });
});

async function withConnection<T>(address: string, fn: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}

test('bad options and a missing CLI are ConfigErrors that say what to do', async () => {
  await assert.rejects(ensureDevServer({ port: 70000 }), (e: unknown) => e instanceof ConfigError && /port/.test(e.message));
  await assert.rejects(ensureDevServer({ port, retention: '2h' }), (e: unknown) => e instanceof ConfigError && /24h/.test(e.message));
  process.env['PAM_TEMPORAL_BIN'] = join(home, 'no-such-temporal');
  try {
    await assert.rejects(
      ensureDevServer({ port, uiPort }),
      (e: unknown) => e instanceof ConfigError && /scripts\/setup\.sh/.test(e.message),
    );
  } finally {
    delete process.env['PAM_TEMPORAL_BIN'];
  }
});

test('a server that cannot start fails fast with the tail of its log', async () => {
  const blocker = createServer();
  const blockedUiPort = await freePort();
  await new Promise<void>((done) => blocker.listen(blockedUiPort, '127.0.0.1', done));
  try {
    await assert.rejects(
      ensureDevServer({ port: await freePort(), uiPort: blockedUiPort }),
      (e: unknown) => e instanceof ConfigError && /exited with code 1/.test(e.message) && e.message.includes(`UI port ${blockedUiPort}`),
    );
  } finally {
    blocker.close();
  }
  assert.equal((await devServerStatus()).running, false);
});

test('starts a detached server with the PAM search attributes and one-year retention, then reuses it', async () => {
  // Two concurrent calls: the start lock lets exactly one of them spawn.
  const pair = await Promise.all([ensureDevServer({ port, uiPort }), ensureDevServer({ port, uiPort })]);
  assert.deepEqual(pair.map((h) => h.started).sort(), [false, true]);
  const first = pair.find((h) => h.started)!;
  assert.equal(pair[0].pid, pair[1].pid);
  assert.equal(first.address, `127.0.0.1:${port}`);
  assert.equal(first.uiUrl, `http://127.0.0.1:${uiPort}`);
  assert.ok(first.pid && first.pid > 0);

  await withConnection(first.address, async (connection) => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const key of PAM_SEARCH_ATTRIBUTES) {
      assert.ok(customAttributes?.[key.name] !== undefined, `search attribute ${key.name} is registered`);
      assert.equal(key.type, SearchAttributeType.KEYWORD);
    }
    const described = await connection.workflowService.describeNamespace({ namespace: 'default' });
    assert.equal(durationToMs(described.config?.workflowExecutionRetentionTtl), 8760 * 3600 * 1000);
  });

  const second = await ensureDevServer({ port, uiPort });
  assert.equal(second.started, false);
  assert.equal(second.pid, first.pid);

  const viaEnv = await ensureTemporal({}, { port, uiPort });
  assert.equal(viaEnv.devServer?.started, false);
  assert.equal(viaEnv.config.address, first.address);
  assert.equal(viaEnv.config.embedded, true);
  assert.equal(viaEnv.uiUrl, first.uiUrl);
  const { client, connection } = await connectClient(viaEnv.config);
  try {
    assert.equal(client.options.namespace, 'default');
    assert.ok((await connection.workflowService.getSystemInfo({})).serverVersion);
  } finally {
    await connection.close();
  }
  const native = await connectWorkerConnection(viaEnv.config);
  await native.close();

  const status = await devServerStatus();
  assert.deepEqual(status, {
    running: true,
    pid: first.pid,
    address: first.address,
    uiUrl: first.uiUrl,
    dbFile: join(home, 'temporal', 'temporal.db'),
  });
});

test('stops, and a restart on the same DB file keeps workflows and search attributes', async () => {
  const workflowId = 'pam-dev-server-test';
  const address = `127.0.0.1:${port}`;
  await withConnection(address, async (connection) => {
    const client = new Client({ connection });
    // No worker needed: the started execution is durable server state by itself.
    await client.workflow.start('experiment', {
      taskQueue: 'pam-dev-server-test',
      workflowId,
      typedSearchAttributes: [{ key: EXPERIMENT_KEY, value: 'restart-check' }],
    });
  });

  assert.equal(await stopDevServer(), true);
  assert.equal((await devServerStatus()).running, false);

  // Restart from a separate process that exits at once, as `pam` does: the detached server must outlive it.
  const script = join(home, 'start-server.mts');
  const devServerModule = pathToFileURL(join(projectRoot(), 'src', 'temporal', 'dev-server.ts')).href;
  writeFileSync(
    script,
    `import { ensureDevServer } from '${devServerModule}';\nconsole.log(JSON.stringify(await ensureDevServer({ port: ${port}, uiPort: ${uiPort} })));\n`,
  );
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: projectRoot(),
    encoding: 'utf8',
    env: { ...process.env, PAM_HOME: home },
  });
  assert.equal(child.status, 0, child.stderr);
  const again = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { started: boolean; pid: number };
  assert.equal(again.started, true);
  assert.deepEqual(await devServerStatus(), {
    running: true,
    pid: again.pid,
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    dbFile: join(home, 'temporal', 'temporal.db'),
  });
  await withConnection(address, async (connection) => {
    const client = new Client({ connection });
    const description = await client.workflow.getHandle(workflowId).describe();
    assert.equal(description.typedSearchAttributes.get(EXPERIMENT_KEY), 'restart-check');
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    assert.ok(customAttributes?.[EXPERIMENT_KEY.name] !== undefined);
  });
});
