/** Durable file primitives: streamed hashing, fsync'd writes and renames (POSIX rename is atomic in one filesystem). */
import { createHash } from 'node:crypto';
import { createReadStream, closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ownedName, TEMPORARY_MARK } from './owner-tag.js';

/** sha256 and size of a file, streamed so large files never block the event loop for long. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Write and fsync a file (creating parent folders). */
export function writeFileDurably(file: string, data: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replace `file` with `data` atomically and durably: write a temporary sibling named after this process
 * (src/store/owner-tag.ts, so a sweep can remove it if the process dies mid-write), fsync, rename over `file`
 * (POSIX rename is atomic), fsync the folder. A reader sees the old content or the new, never a torn file.
 */
export function replaceFileDurably(file: string, data: Uint8Array | string): void {
  const temporary = path.join(path.dirname(file), ownedName(`${path.basename(file)}${TEMPORARY_MARK}`));
  writeFileDurably(temporary, data);
  renameSync(temporary, file);
  fsyncDir(path.dirname(file));
}

/** fsync a directory so a rename or new entry in it survives a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every regular file under `dir`, as `/`-separated relative paths, sorted. */
export async function listFilesRecursive(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  }
  await walk('');
  return out.sort();
}
