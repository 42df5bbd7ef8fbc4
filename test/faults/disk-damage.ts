/**
 * Disk faults a careful user (or a bad disk) inflicts on a PAM_HOME: a truncated file, one flipped byte, a deleted
 * manifest, a staging folder left by a process that died, a damaged JSON record. Each returns what it did, in words.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The folder of the one committed artifact of `stage` (a kind) under `home`. */
export function artifactDir(home: string, stage: string): string {
  const root = path.join(home, 'artifacts', stage);
  const keys = readdirSync(root);
  if (keys.length !== 1) throw new Error(`${root}: expected one artifact, found ${keys.length}`);
  return path.join(root, keys[0]!);
}

export function truncateToHalf(file: string): string {
  const bytes = readFileSync(file).length;
  truncateSync(file, Math.floor(bytes / 2));
  return `${path.basename(file)} truncated ${bytes} → ${Math.floor(bytes / 2)} bytes`;
}

/** Invert every bit of the byte in the middle of `file` (inside the data, not the header a parser would reject). */
export function flipMiddleByte(file: string): string {
  const bytes = readFileSync(file);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(file, bytes);
  return `byte ${at} of ${path.basename(file)} flipped`;
}

export function deleteFile(file: string): string {
  rmSync(file);
  return `${path.basename(file)} deleted`;
}

/** The pid of a process that has just exited: no live process holds it. */
function deadPid(): number {
  const { pid } = spawnSync('true');
  return pid;
}

/**
 * A staging folder as a worker killed mid-write leaves it: named as src/store/owner-tag.ts `ownedName` names it
 * (`<stage>-<key16>~<host>~<pid>~<start>~<hex>`), for this host and a pid that has exited, one file half-written.
 */
export function plantDeadStaging(home: string, stage: string, key: string): string {
  const pid = deadPid();
  const host = os.hostname().replace(/[^A-Za-z0-9.-]/g, '-');
  const staging = path.join(home, 'artifacts', '.staging', `${stage}-${key.slice(0, 16)}~${host}~${pid}~0~0badc0de`);
  mkdirSync(staging, { recursive: true });
  writeFileSync(path.join(staging, 'results.arrow'), 'ARROW1 half-written');
  return `staging folder of dead pid ${pid} planted`;
}

/** Overwrite every JSON file directly in `dir` (and `extra` files) with text that is not JSON. */
export function garbleJsonFiles(dir: string, extra: string[] = []): string {
  const files = [
    ...readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => path.join(dir, n)),
    ...extra,
  ];
  for (const file of files) writeFileSync(file, '{"stage": "train", "codeVersion": tru');
  return `${files.length} JSON records garbled`;
}
