/**
 * What a namespace needs before experiments run in it: the PAM search attributes (workflows/search-attributes.ts;
 * starting a workflow that sets an unregistered one fails) and a retention long enough to audit old runs. The
 * embedded dev server gets them at every start (dev-server.ts); a cluster's namespace once, by `pam cluster setup`
 * — the gRPC calls `temporal operator search-attribute create` and `temporal operator namespace update --retention`
 * send (OperatorService.AddSearchAttributes, WorkflowService.UpdateNamespace), verified by DescribeNamespace.
 */
import type { Connection } from '@temporalio/client';
import { ConfigError } from '../errors/pipeline-errors.js';
import { PAM_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { durationFromMs, durationToMs, indexedValueType, parseDurationMs } from './proto-values.js';

/**
 * Closed experiments are kept a year by default: the dev server creates namespaces with 24 h retention
 * (temporalio/temporal `schema/sqlite/setup.go`), and an audit trail that expires in a day is none (docs/temporal.md §0).
 */
export const DEFAULT_RETENTION = '8760h';

/** A retention as an ms-style duration (`8760h`, `365d`), at least a day. */
export function retentionMs(retention: string): number {
  const ms = parseDurationMs(retention);
  if (ms === undefined) throw new ConfigError(`retention "${retention}" is not a duration like "8760h" or "365d"`);
  // The server refuses retention under one day (namespace handler `validateRetentionDuration`).
  if (ms < 86_400_000) throw new ConfigError(`retention "${retention}" must be at least 24h`);
  return ms;
}

/** The PAM search attributes the namespace lacks, by name. */
export async function missingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  return PAM_SEARCH_ATTRIBUTES.filter((key) => !(key.name in (existing.customAttributes ?? {}))).map((key) => key.name);
}

/**
 * A ConfigError (exit 2, nothing started) when the namespace lacks a PAM search attribute: starting the workflow
 * would fail with the server's "no mapping defined for search attribute" instead.
 */
export async function assertNamespaceReady(connection: Connection, namespace: string, address: string): Promise<void> {
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length === 0) return;
  throw new ConfigError(
    `namespace ${namespace} at ${address} lacks the search attributes ${missing.join(', ')} that experiments record: ` +
      'run `pam cluster setup` once for this namespace (it also sets the retention), then run this again',
  );
}

/** Register what is missing and set the retention; returns the attributes it registered. Idempotent. */
export async function setUpNamespace(connection: Connection, namespace: string, keepMs: number): Promise<string[]> {
  const missing = new Set(await missingSearchAttributes(connection, namespace));
  if (missing.size > 0) {
    const keys = PAM_SEARCH_ATTRIBUTES.filter((key) => missing.has(key.name));
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(keys.map((key) => [key.name, indexedValueType(key.type)])),
    });
  }
  await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: durationFromMs(keepMs) } });
  const described = await connection.workflowService.describeNamespace({ namespace });
  const actualMs = durationToMs(described.config?.workflowExecutionRetentionTtl);
  if (actualMs !== keepMs) throw new ConfigError(`namespace ${namespace}: retention is ${actualMs} ms after setting ${keepMs} ms`);
  return [...missing];
}
