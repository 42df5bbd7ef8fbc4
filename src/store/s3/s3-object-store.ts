/**
 * The ObjectStore contract (src/store/object-store.ts) on an S3-compatible bucket through `@aws-sdk/client-s3`:
 * keys live under the store's prefix; a create-only put is `If-None-Match: *` (S3 conditional writes, answered
 * 412 when the key exists); files above the part size go up in parts (src/store/s3/s3-multipart.ts); downloads
 * stream into a temporary sibling, hashed on the way, and are renamed into place only when complete.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectsCommand,
  type DeleteObjectsCommandOutput,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { fsyncDir } from '../file-io.js';
import type { ObjectDigest, ObjectStore } from '../object-store.js';
import { ownedName, TEMPORARY_MARK } from '../owner-tag.js';
import { errorNameOf, httpStatusOf, storeError } from './s3-errors.js';
import { parseS3Uri, s3ClientConfig, type S3Address } from './s3-location.js';
import { uploadInParts } from './s3-multipart.js';

export interface S3StoreOptions {
  /** Files above this go up in parts of this size (default 8 MiB; S3's minimum part is 5 MiB). */
  partBytes?: number;
  /** SDK attempts per request, retries of throttling and 5xx included (default 3). */
  maxAttempts?: number;
  requestTimeoutMs?: number;
  /** Keys per ListObjectsV2 page (default 1000, S3's maximum). */
  pageSize?: number;
}

const DEFAULT_PART_BYTES = 8 << 20;

/** How often a create-only put answered 409 (another conditional write of the key in flight) is tried again. */
const CONFLICT_RETRIES = 5;

export function openS3ObjectStore(
  location: { kind: 's3'; uri: string },
  env: NodeJS.ProcessEnv = process.env,
  options: S3StoreOptions = {},
): ObjectStore {
  // The SDK warns on every client of a Node release it will stop supporting; one line per worker start is noise.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  return new S3ObjectStore(parseS3Uri(location.uri), new S3Client(s3ClientConfig(env, options)), options);
}

class S3ObjectStore implements ObjectStore {
  readonly location: string;
  private readonly partBytes: number;

  constructor(
    private readonly address: S3Address,
    private readonly client: S3Client,
    private readonly options: S3StoreOptions,
  ) {
    this.location = address.uri;
    this.partBytes = options.partBytes ?? DEFAULT_PART_BYTES;
  }

  private objectKey(key: string): string {
    return this.address.prefix ? `${this.address.prefix}/${key}` : key;
  }

  private where(key: string): string {
    return `${this.location}/${key}`;
  }

  async putFile(key: string, file: string, options: { ifAbsent?: boolean } = {}): Promise<'written' | 'exists'> {
    if (statSync(file).size <= this.partBytes) return this.putBytes(key, readFileSync(file), options);
    const target = { client: this.client, bucket: this.address.bucket, key: this.objectKey(key), where: this.where(key) };
    return uploadInParts(target, file, this.partBytes, options.ifAbsent ?? false);
  }

  async putBytes(key: string, bytes: Uint8Array, options: { ifAbsent?: boolean } = {}): Promise<'written' | 'exists'> {
    const command = new PutObjectCommand({
      Bucket: this.address.bucket,
      Key: this.objectKey(key),
      Body: bytes,
      ...(options.ifAbsent ? { IfNoneMatch: '*' } : {}),
    });
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(command);
        return 'written';
      } catch (error) {
        const status = httpStatusOf(error);
        if (options.ifAbsent && status === 412) return 'exists';
        if (options.ifAbsent && status === 409 && attempt < CONFLICT_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
          continue;
        }
        throw storeError(this.where(key), 'put', error);
      }
    }
  }

  private async getBody(key: string): Promise<Readable | null> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.address.bucket, Key: this.objectKey(key) }));
      return answer.Body as Readable;
    } catch (error) {
      // Only NoSuchKey: a 404 for a missing bucket (NoSuchBucket) is a misconfigured store, not an absent object.
      if (errorNameOf(error) === 'NoSuchKey') return null;
      throw storeError(this.where(key), 'get', error);
    }
  }

  async getBytes(key: string): Promise<Uint8Array | null> {
    const body = await this.getBody(key);
    if (body === null) return null;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(chunk as Buffer);
    } catch (error) {
      throw storeError(this.where(key), 'get', error);
    }
    return Buffer.concat(chunks);
  }

  async getFile(key: string, file: string): Promise<ObjectDigest | null> {
    const body = await this.getBody(key);
    if (body === null) return null;
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = path.join(path.dirname(file), ownedName(`${path.basename(file)}${TEMPORARY_MARK}`));
    const hash = createHash('sha256');
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    const out = createWriteStream(temporary, { flush: true });
    try {
      await pipeline(body, out);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw storeError(this.where(key), 'get', error);
    }
    renameSync(temporary, file);
    fsyncDir(path.dirname(file));
    return { sha256: hash.digest('hex'), bytes };
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const strip = this.address.prefix ? this.address.prefix.length + 1 : 0;
    let token: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.address.bucket,
            Prefix: this.objectKey(prefix),
            ContinuationToken: token,
            MaxKeys: this.options.pageSize ?? 1000,
          }),
        );
      } catch (error) {
        throw storeError(this.where(prefix), 'list', error);
      }
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(strip));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      let answer: DeleteObjectsCommandOutput;
      try {
        answer = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.address.bucket,
            Delete: { Objects: batch.map((key) => ({ Key: this.objectKey(key) })), Quiet: true },
          }),
        );
      } catch (error) {
        throw storeError(this.where(batch[0]!), 'delete', error);
      }
      const failed = answer.Errors?.[0];
      if (failed) throw storeError(this.where(failed.Key ?? batch[0]!), 'delete', { name: failed.Code, message: failed.Message });
    }
  }
}
