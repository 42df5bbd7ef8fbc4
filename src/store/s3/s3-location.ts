/**
 * `s3://bucket/prefix` and how to reach it. The endpoint of a store that is not AWS itself (MinIO, Ceph RGW, a
 * local test server) comes from the AWS SDK's own variables, `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`, and is
 * then addressed path-style (`endpoint/bucket/key`), which those servers expect. Region and credentials are the
 * SDK's standard chain (environment, shared config and credentials files, `AWS_PROFILE`); keys given in the
 * environment this store is opened with are handed to the SDK as they are, and never appear in a message.
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { ConfigError } from '../../errors/pipeline-errors.js';
import { STORE_ENV } from '../store-location.js';

export interface S3Address {
  bucket: string;
  /** Without leading or trailing `/`; empty for the bucket's root. */
  prefix: string;
  /** `s3://bucket/prefix`, for messages. */
  uri: string;
}

// Bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Uri(uri: string): S3Address {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/.exec(uri.trim());
  if (!match || !BUCKET.test(match[1]!)) {
    throw new ConfigError(
      `${STORE_ENV}=${uri}: expected s3://<bucket>/<prefix> with a bucket name of 3–63 lower-case letters, digits, dots or hyphens`,
    );
  }
  const prefix = match[2]!.replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new ConfigError(`${STORE_ENV}=${uri}: the prefix must be /-separated names, without empty, . or .. parts`);
  }
  return { bucket: match[1]!, prefix, uri: `s3://${match[1]}${prefix ? `/${prefix}` : ''}` };
}

/** The client's settings: endpoint and path-style from the environment, a bounded retry and timeouts. */
export function s3ClientConfig(env: NodeJS.ProcessEnv, options: { maxAttempts?: number; requestTimeoutMs?: number }): S3ClientConfig {
  const endpoint = env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'];
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  const sessionToken = env['AWS_SESSION_TOKEN'];
  return {
    region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: { connectionTimeout: 3000, requestTimeout: options.requestTimeoutMs ?? 60_000 },
  };
}
