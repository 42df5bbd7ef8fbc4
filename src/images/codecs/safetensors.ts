/**
 * Reader for the safetensors format (huggingface/safetensors `docs/source/metadata_parsing.mdx`): an 8-byte
 * little-endian u64 header length N, then N bytes of JSON `{ name: { dtype, shape, data_offsets: [begin, end] },
 * "__metadata__"?: {string: string} }`, then the raw little-endian tensor bytes (offsets relative to the end of
 * the header). Plain Node (no tfjs-node), so weights load in any worker.
 *
 * `loadWeightsFile` checks everything a model needs BEFORE any compute: the sha256 when declared, that every
 * expected tensor exists with exactly the expected shape, and the dtype; each failure names the file and tensor.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ModelLoadError } from '../../errors/pipeline-errors.js';

/** One float32 tensor in row-major (PyTorch) layout. */
export interface NamedTensor {
  shape: number[];
  values: Float32Array;
}

export type TensorMap = Map<string, NamedTensor>;

/** What a model expects: tensor name → shape. */
export type ExpectedShapes = ReadonlyMap<string, readonly number[]>;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const BYTES_PER_DTYPE: Record<string, number> = { F32: 4, F16: 2, F64: 8 };

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Decode one tensor's bytes to float32 (F16 and F64 are widened/narrowed, as torch `.float()` would). */
function decode(bytes: Uint8Array, dtype: string, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (dtype === 'F32') out[i] = view.getFloat32(i * 4, true);
    else if (dtype === 'F64') out[i] = view.getFloat64(i * 8, true);
    else out[i] = halfToFloat(view.getUint16(i * 2, true));
  }
  return out;
}

/** Parse safetensors bytes; `source` names the file in every error. */
export function parseSafetensors(bytes: Uint8Array, source: string): { tensors: TensorMap; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new ModelLoadError(`${source}: ${bytes.length} bytes is too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) {
    throw new ModelLoadError(`${source}: header length ${headerLength} exceeds the file size ${bytes.length}`);
  }
  let header: Record<string, HeaderEntry | Record<string, string>>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
  } catch (cause) {
    throw new ModelLoadError(`${source}: safetensors header is not valid JSON`, { cause });
  }
  const body = bytes.subarray(8 + headerLength);
  const tensors: TensorMap = new Map();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = raw as Record<string, string>;
      continue;
    }
    const entry = raw as HeaderEntry;
    const width = BYTES_PER_DTYPE[entry.dtype];
    if (width === undefined) {
      throw new ModelLoadError(`${source}: tensor "${name}" has dtype ${entry.dtype}; supported: F32, F16, F64`);
    }
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const [begin, end] = entry.data_offsets;
    if (end - begin !== count * width || end > body.length) {
      throw new ModelLoadError(`${source}: tensor "${name}" byte range [${begin}, ${end}) does not hold ${count} ${entry.dtype} values`);
    }
    tensors.set(name, { shape: entry.shape, values: decode(body.subarray(begin, end), entry.dtype, count) });
  }
  return { tensors, metadata };
}

/** Serialize float32 tensors as safetensors (used for seeded stand-ins written next to a run, and in tests). */
export function encodeSafetensors(tensors: TensorMap, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + tensor.values.length * 4] };
    offset += tensor.values.length * 4;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces to a multiple of 8 bytes, as the reference writer does (alignment of the body).
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let cursor = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    out.set(new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength), cursor);
    cursor += tensor.values.byteLength;
  }
  return out;
}

/** sha256 hex of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Throw a ModelLoadError naming the file when the declared sha256 does not match. */
export function verifySha256(bytes: Uint8Array, expected: string | undefined, source: string): void {
  if (expected === undefined) return;
  const actual = sha256Hex(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new ModelLoadError(`${source}: sha256 is ${actual}, but the config declares ${expected}`);
  }
}

/** Check that `tensors` holds exactly the expected names and shapes (extra tensors are reported too). */
export function checkShapes(tensors: TensorMap, expected: ExpectedShapes, source: string): void {
  for (const [name, shape] of expected) {
    const tensor = tensors.get(name);
    if (!tensor) {
      throw new ModelLoadError(`${source}: missing tensor "${name}" (expected shape [${shape.join(', ')}])`);
    }
    if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
      throw new ModelLoadError(`${source}: tensor "${name}" has shape [${tensor.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
  }
  const unexpected = [...tensors.keys()].filter((name) => !expected.has(name));
  if (unexpected.length > 0) {
    throw new ModelLoadError(`${source}: unexpected tensors ${unexpected.slice(0, 5).join(', ')} for this architecture`);
  }
}

/** Read, verify (sha256, names, shapes) and decode a safetensors weights file. */
export function loadWeightsFile(path: string, expected: ExpectedShapes, sha256?: string): TensorMap {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new ModelLoadError(`${path}: cannot read weights file (${(cause as Error).message})`, { cause });
  }
  verifySha256(bytes, sha256, path);
  const { tensors } = parseSafetensors(bytes, path);
  checkShapes(tensors, expected, path);
  return tensors;
}
