/**
 * Which artifact store this is, whatever path or URI reaches it: a random id written once into `store.json` at
 * the store's root. Artifact references carry it (src/store/artifact-manifest.ts `ArtifactRef.store`), so a
 * worker or client configured with another store says so instead of reporting an artifact missing; and a shared
 * mount seen at different paths on different machines is still one store.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DataValidationError, StoreUnavailableError } from '../errors/pipeline-errors.js';
import { writeFileDurably, fsyncDir } from './file-io.js';
import { ownedName, TEMPORARY_MARK } from './owner-tag.js';
import type { ObjectStore } from './object-store.js';

export const STORE_FILE = 'store.json';

const storeFileSchema = z.object({ formatVersion: z.literal(1), id: z.string().regex(/^[0-9a-f-]{36}$/) }).strict();

export type StoreFile = z.infer<typeof storeFileSchema>;

/** Parse a store's `store.json` text (read from a folder or an object store); DataValidationError names `source`. */
export function parseStoreFile(text: string, source: string): StoreFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataValidationError(`${source}: not JSON (${(error as Error).message}); it names the artifact store`);
  }
  const parsed = storeFileSchema.safeParse(json);
  if (!parsed.success) throw new DataValidationError(`${source}: not a store identity file ({"formatVersion": 1, "id": "<uuid>"})`);
  return parsed.data;
}

export function newStoreFile(): StoreFile {
  return { formatVersion: 1, id: randomUUID() };
}

/**
 * The id of the store rooted at `root`, created on first use. Two processes creating it at once agree: the file
 * is written under a temporary name and hard-linked into place, which fails if another process linked first.
 */
export function storeIdAt(root: string): string {
  const file = path.join(root, STORE_FILE);
  if (!existsSync(file)) {
    mkdirSync(root, { recursive: true });
    const temporary = path.join(root, ownedName(`${STORE_FILE}${TEMPORARY_MARK}`));
    writeFileDurably(temporary, `${JSON.stringify(newStoreFile())}\n`);
    try {
      linkSync(temporary, file);
      fsyncDir(root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
  }
  return parseStoreFile(readFileSync(file, 'utf8'), file).id;
}

/**
 * The id of a shared object store, created on first use: `store.json` is put only if absent, so two workers
 * creating it at once agree on the one that landed.
 */
export async function storeIdIn(remote: ObjectStore): Promise<string> {
  const source = `${remote.location}/${STORE_FILE}`;
  let bytes = await remote.getBytes(STORE_FILE);
  if (bytes === null) {
    await remote.putBytes(STORE_FILE, Buffer.from(`${JSON.stringify(newStoreFile())}\n`), { ifAbsent: true });
    bytes = await remote.getBytes(STORE_FILE);
    if (bytes === null) throw new StoreUnavailableError(`${source}: written, yet not there when read back`);
  }
  return parseStoreFile(Buffer.from(bytes).toString('utf8'), source).id;
}
