/**
 * An S3 SDK failure as the retry contract sees it (src/errors/pipeline-errors.ts): refused credentials, a missing
 * bucket, a denied or malformed request is StoreAccessError (never retried: the next attempt is refused alike);
 * a connection refused, reset or timed out, a 5xx or throttling is StoreUnavailableError (retried). The message
 * names the store, the object and the server's error code, never a credential; the SDK error is not chained as
 * the cause, because its request metadata is not ours to print.
 */
import { StoreAccessError, StoreUnavailableError, type PipelineError } from '../../errors/pipeline-errors.js';

const REFUSED = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'NoSuchBucket',
  'InvalidBucketName',
  'CredentialsProviderError',
]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function httpStatusOf(error: unknown): number | undefined {
  return (error as SdkError | null)?.$metadata?.httpStatusCode;
}

export function errorNameOf(error: unknown): string {
  const e = error as SdkError | null;
  return e?.name ?? e?.code ?? 'Error';
}

/** `what` failed on `where` (`s3://bucket/prefix/key`). */
export function storeError(where: string, what: string, error: unknown): PipelineError {
  const name = errorNameOf(error);
  const status = httpStatusOf(error);
  const said = ((error as SdkError | null)?.message ?? '').split('\n')[0]!.slice(0, 200);
  const text = `${where}: ${what} failed (${name}${status ? `, HTTP ${status}` : ''}${said && said !== name ? `: ${said}` : ''})`;
  // 409: a competing conditional write of the key is in flight (S3 asks the client to try again).
  const refused = REFUSED.has(name) || (status !== undefined && status >= 400 && status < 500 && ![408, 409, 429].includes(status));
  if (refused) {
    const hint =
      name === 'NoSuchBucket'
        ? '; create the bucket, or set PAM_STORE to one that exists'
        : '; check the credentials (AWS_ACCESS_KEY_ID / AWS_PROFILE) and the endpoint (AWS_ENDPOINT_URL_S3)';
    return new StoreAccessError(`${text}${hint}`);
  }
  return new StoreUnavailableError(`${text}; the store is retried`);
}
