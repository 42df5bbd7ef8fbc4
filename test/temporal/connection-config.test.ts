/** Environment → Temporal connection settings: defaults, mTLS files, API key, and the errors for bad values. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors/pipeline-errors.js';
import { ensureTemporal, temporalConnectionConfig } from '../../src/temporal/connection.js';

const dir = mkdtempSync(join(tmpdir(), 'pam-connection-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function pemFile(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

function configError(pattern: RegExp) {
  return (error: unknown) => error instanceof ConfigError && pattern.test(error.message);
}

test('no TEMPORAL_ADDRESS means the embedded dev server on the default ports', () => {
  assert.deepEqual(temporalConnectionConfig({}), {
    address: '127.0.0.1:7233',
    namespace: 'default',
    uiUrl: 'http://127.0.0.1:8233',
    embedded: true,
  });
  assert.equal(temporalConnectionConfig({ TEMPORAL_NAMESPACE: 'pam', TEMPORAL_UI_URL: 'http://ui:1' }).uiUrl, 'http://ui:1');
  assert.equal(temporalConnectionConfig({ TEMPORAL_NAMESPACE: 'pam' }).namespace, 'pam');
});

test('a remote cluster with mTLS reads the certificate, key and CA files', () => {
  const cfg = temporalConnectionConfig({
    TEMPORAL_ADDRESS: 'temporal.example.org:7233',
    TEMPORAL_NAMESPACE: 'science',
    TEMPORAL_TLS_CERT: pemFile('client.crt', 'CERT'),
    TEMPORAL_TLS_KEY: pemFile('client.key', 'KEY'),
    TEMPORAL_TLS_CA: pemFile('ca.crt', 'CA'),
  });
  assert.equal(cfg.embedded, false);
  assert.equal(cfg.address, 'temporal.example.org:7233');
  assert.equal(cfg.namespace, 'science');
  assert.equal(Buffer.from(cfg.tls!.clientCertPair!.crt).toString(), 'CERT');
  assert.equal(Buffer.from(cfg.tls!.clientCertPair!.key).toString(), 'KEY');
  assert.equal(Buffer.from(cfg.tls!.serverRootCACertificate!).toString(), 'CA');
  assert.equal(cfg.apiKey, undefined);
  assert.equal(cfg.uiUrl, 'https://temporal.example.org:8233');
});

test('an API key implies TLS; Temporal Cloud gets its namespace page as UI', () => {
  const cfg = temporalConnectionConfig({
    TEMPORAL_ADDRESS: 'pam.a1b2c.tmprl.cloud:7233',
    TEMPORAL_NAMESPACE: 'pam.a1b2c',
    TEMPORAL_API_KEY: 'secret',
  });
  assert.deepEqual(cfg.tls, {});
  assert.equal(cfg.apiKey, 'secret');
  assert.equal(cfg.uiUrl, 'https://cloud.temporal.io/namespaces/pam.a1b2c');
  assert.equal(temporalConnectionConfig({ TEMPORAL_ADDRESS: 'localhost:7000' }).tls, undefined);
});

test('bad values are ConfigErrors naming the variable and the path', () => {
  const missing = join(dir, 'nope.crt');
  const key = pemFile('k.key', 'KEY');
  assert.throws(
    () => temporalConnectionConfig({ TEMPORAL_ADDRESS: 'h:7233', TEMPORAL_TLS_CERT: missing, TEMPORAL_TLS_KEY: key }),
    configError(new RegExp(`TEMPORAL_TLS_CERT=${missing}: file not found`)),
  );
  assert.throws(
    () => temporalConnectionConfig({ TEMPORAL_ADDRESS: 'h:7233', TEMPORAL_TLS_CA: missing }),
    configError(/TEMPORAL_TLS_CA=.*nope\.crt: file not found/),
  );
  assert.throws(
    () => temporalConnectionConfig({ TEMPORAL_ADDRESS: 'h:7233', TEMPORAL_TLS_KEY: key }),
    configError(/TEMPORAL_TLS_CERT is not/),
  );
  assert.throws(() => temporalConnectionConfig({ TEMPORAL_ADDRESS: 'no-port' }), configError(/TEMPORAL_ADDRESS="no-port"/));
  assert.throws(() => temporalConnectionConfig({ TEMPORAL_ADDRESS: 'h:99999' }), configError(/TEMPORAL_ADDRESS/));
  assert.throws(() => temporalConnectionConfig({ TEMPORAL_API_KEY: 'k' }), configError(/TEMPORAL_ADDRESS is not/));
});

test('ensureTemporal leaves a remote cluster alone', async () => {
  const { config, uiUrl, devServer } = await ensureTemporal({
    TEMPORAL_ADDRESS: 'temporal.example.org:7233',
    TEMPORAL_UI_URL: 'http://ui.example.org',
  });
  assert.equal(devServer, null);
  assert.equal(config.address, 'temporal.example.org:7233');
  assert.equal(uiUrl, 'http://ui.example.org');
});
