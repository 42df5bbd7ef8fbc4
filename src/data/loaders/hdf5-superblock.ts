/**
 * Cheap pre-flight checks of an HDF5 file before h5wasm opens it, so a truncated or foreign file gets a precise
 * error instead of h5wasm's opaque "name not defined!". Layout from the HDF5 File Format Specification v3,
 * §II.A "Disk Format: Level 0A - Format Signature and Superblock": the signature is searched at offset 0 and at
 * 512, 1024, 2048, … (a MATLAB v7.3 file puts it at 512, after its userblock); superblock versions 0/1 and 2/3 store
 * the end-of-file address. The HDF5 library's own truncation test (`H5Fsuper.c` `H5F__super_read`:
 * `eof + base_addr < stored_eof`) compares the stored value with the whole file size, userblock included.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { DataValidationError } from '../../errors/pipeline-errors.js';

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

function readAt(fd: number, offset: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const got = readSync(fd, buffer, 0, length, offset);
  return buffer.subarray(0, got);
}

function readOffset(buffer: Buffer, at: number, size: number): number {
  if (size === 8) return Number(buffer.readBigUInt64LE(at));
  if (size === 4) return buffer.readUInt32LE(at);
  throw new RangeError(`unsupported HDF5 offset size ${size}`);
}

/** Throws DataValidationError naming `path` when it is missing, not HDF5, or shorter than its superblock says. */
export function checkHdf5File(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (cause) {
    throw new DataValidationError(`${path}: cannot read the file (${(cause as NodeJS.ErrnoException).code ?? cause})`, { cause });
  }
  const fd = openSync(path, 'r');
  try {
    for (let at = 0; at + SIGNATURE.length <= size; at = at === 0 ? 512 : at * 2) {
      const head = readAt(fd, at, 64);
      if (!head.subarray(0, 8).equals(SIGNATURE)) continue;
      const version = head[8]!;
      let offsetSize: number;
      let eofAt: number;
      let baseAt: number;
      if (version === 0 || version === 1) {
        offsetSize = head[13]!;
        baseAt = version === 0 ? 24 : 28;
        eofAt = baseAt + 2 * offsetSize;
      } else {
        offsetSize = head[9]!;
        baseAt = 12;
        eofAt = baseAt + 2 * offsetSize;
      }
      if (head.length < eofAt + offsetSize) break;
      if (offsetSize !== 4 && offsetSize !== 8) {
        throw new DataValidationError(`${path}: HDF5 superblock at byte ${at} declares offset size ${offsetSize} (expected 4 or 8)`);
      }
      const needed = readOffset(head, eofAt, offsetSize);
      if (size < needed) {
        throw new DataValidationError(`${path}: truncated HDF5 file: ${size} bytes on disk, its superblock says ${needed}`);
      }
      return;
    }
    throw new DataValidationError(`${path}: not an HDF5 file (no HDF5 signature at offset 0, 512, 1024, …; ${size} bytes)`);
  } finally {
    closeSync(fd);
  }
}
