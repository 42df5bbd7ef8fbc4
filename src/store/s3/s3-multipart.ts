/**
 * A large file to S3 in parts (CreateMultipartUpload → UploadPart… → CompleteMultipartUpload), read part by part
 * so memory holds one part at a time. The object appears only when the upload completes, and a create-only upload
 * completes with `If-None-Match: *` (412 when the key exists); a failed upload is aborted so no parts linger.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { httpStatusOf, storeError } from './s3-errors.js';

export interface UploadTarget {
  client: S3Client;
  bucket: string;
  key: string;
  /** `s3://bucket/prefix/key`, for messages. */
  where: string;
}

export async function uploadInParts(
  target: UploadTarget,
  file: string,
  partBytes: number,
  ifAbsent: boolean,
): Promise<'written' | 'exists'> {
  const { client, bucket, key, where } = target;
  let uploadId: string | undefined;
  const fd = openSync(file, 'r');
  try {
    uploadId = (await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))).UploadId;
    const size = statSync(file).size;
    const parts: { ETag: string; PartNumber: number }[] = [];
    const buffer = Buffer.alloc(partBytes);
    for (let offset = 0, number = 1; offset < size; offset += partBytes, number++) {
      const length = readSync(fd, buffer, 0, Math.min(partBytes, size - offset), offset);
      const answer = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: number, Body: buffer.subarray(0, length) }),
      );
      parts.push({ ETag: answer.ETag!, PartNumber: number });
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
        ...(ifAbsent ? { IfNoneMatch: '*' } : {}),
      }),
    );
    uploadId = undefined;
    return 'written';
  } catch (error) {
    if (ifAbsent && httpStatusOf(error) === 412) return 'exists';
    throw storeError(where, 'multipart upload', error);
  } finally {
    closeSync(fd);
    if (uploadId)
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
  }
}
