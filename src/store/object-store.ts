/**
 * A flat namespace of immutable objects that every worker and client can reach: the shared side of the artifact
 * store when workers share no disk (an S3-compatible bucket; src/store/s3/). Keys are `/`-separated and relative
 * to the store's own prefix. Committed artifacts and checkpoints are written object by object with their manifest
 * last, created only if absent, so a reader that finds the manifest finds every file it names (the commit marker;
 * src/store/shared-artifacts.ts).
 *
 * Errors are typed for the retry contract (src/errors/pipeline-errors.ts): an unreachable or failing server is
 * StoreUnavailableError (retried), refused credentials, a missing bucket or a denied key is StoreAccessError
 * (never retried). Messages name `location`, never a credential.
 */

/** Size and sha256 of an object's bytes, as they were streamed. */
export interface ObjectDigest {
  sha256: string;
  bytes: number;
}

export interface ObjectStore {
  /** Where this store is, for messages and the CLI (`s3://bucket/prefix`); holds no secret. */
  readonly location: string;
  /**
   * Upload a local file (multipart above the implementation's part size). With `ifAbsent`, the object is created
   * only if no object has that key (S3 `If-None-Match: *`): `exists` means another writer created it first and
   * nothing was changed.
   */
  putFile(key: string, file: string, options?: { ifAbsent?: boolean }): Promise<'written' | 'exists'>;
  putBytes(key: string, bytes: Uint8Array, options?: { ifAbsent?: boolean }): Promise<'written' | 'exists'>;
  /** The object's bytes, or null when there is no such object. */
  getBytes(key: string): Promise<Uint8Array | null>;
  /**
   * Stream the object into `file` (parent folders created, fsynced), hashing it on the way; null when there is no
   * such object. The caller compares the digest with what a manifest says.
   */
  getFile(key: string, file: string): Promise<ObjectDigest | null>;
  /** Every key that starts with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Remove objects; absent keys are no error. */
  delete(keys: readonly string[]): Promise<void>;
}
