/**
 * A pickle reader that executes nothing. It implements only the opcodes a pickled dict of numpy arrays needs
 * (CPython `Lib/pickletools.py` names; protocols 2–5) and only four callables, each re-implemented here as data:
 *   numpy[._core|.core].numeric._frombuffer(buffer, dtype, shape, order)   numpy ≥ 1.16, protocol 5
 *   numpy[._core|.core].multiarray._reconstruct(ndarray, (0,), b'b') + BUILD(state)  protocols 2–4
 *   numpy.dtype(str, align, copy) + BUILD(state)                           both
 *   _codecs.encode(str, 'latin1')                                          protocol 2 byte strings
 * Any other global (e.g. `os system`) or opcode is refused before anything happens, naming the byte offset.
 */
import { DataValidationError } from '../../errors/pipeline-errors.js';

export interface NumpyArray {
  readonly kind: 'ndarray';
  /** numpy dtype string, e.g. `<f4`. */
  dtype: string;
  shape: number[];
  fortranOrder: boolean;
  bytes: Uint8Array;
}
interface NumpyDtype {
  readonly kind: 'dtype';
  code: string;
  byteOrder: string;
}
interface Callable {
  readonly kind: 'callable';
  name: string;
}
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | Map<PickleValue, PickleValue>
  | NumpyArray
  | NumpyDtype
  | Callable;

const MARK = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

const NUMPY_MODULES = ['numpy.core', 'numpy._core'];
const ALLOWED_GLOBALS = new Map<string, string>([
  ...NUMPY_MODULES.map((m) => [`${m}.numeric _frombuffer`, 'frombuffer'] as const),
  ...NUMPY_MODULES.map((m) => [`${m}.multiarray _reconstruct`, 'reconstruct'] as const),
  ['numpy ndarray', 'ndarray'],
  ['numpy dtype', 'dtype'],
  ['_codecs encode', 'encode'],
]);

/** Parse `bytes` (the content of `source`) into a value tree; throws DataValidationError on anything unsafe. */
export function readSafePickle(input: Uint8Array, source: string): PickleValue {
  // A plain Uint8Array view, so `.slice()` copies even when the caller passes a Node Buffer.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  let pos = 0;
  const fail = (at: number, why: string): never => {
    throw new DataValidationError(`${source}: unsafe or unsupported pickle at byte ${at}: ${why}`);
  };
  const need = (n: number, at: number) => {
    if (pos + n > bytes.length) fail(at, `truncated (needs ${n} more bytes)`);
  };
  /** Moves past the next `n` bytes and returns where they start. */
  const advance = (n: number): number => {
    need(n, pos);
    pos += n;
    return pos - n;
  };
  const u8 = () => bytes[advance(1)]!;
  const u16 = () => view.getUint16(advance(2), true);
  const u32 = () => view.getUint32(advance(4), true);
  const u64 = () => Number(view.getBigUint64(advance(8), true));
  const take = (n: number) => {
    const at = advance(n);
    return bytes.subarray(at, at + n);
  };
  const text = (n: number) => new TextDecoder('utf-8', { fatal: true }).decode(take(n));
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail(pos, 'unterminated text line');
    const s = new TextDecoder('latin1').decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (at: number): PickleValue => {
    const item = stack.pop();
    if (item === undefined || item === MARK) fail(at, 'stack underflow');
    return item as PickleValue;
  };
  const popMark = (at: number): PickleValue[] => {
    const markAt = stack.lastIndexOf(MARK);
    if (markAt < 0) fail(at, 'no MARK on the stack');
    const items = stack.splice(markAt) as PickleValue[];
    return items.slice(1);
  };
  const global = (at: number, qualified: string): Callable => {
    const name = ALLOWED_GLOBALS.get(qualified);
    if (!name) fail(at, `refusing global "${qualified}" (only numpy array reconstruction is allowed)`);
    return { kind: 'callable', name: name! };
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80:
        u8();
        break; // PROTO
      case 0x95:
        u64();
        break; // FRAME (framing only groups opcodes)
      case 0x2e:
        return pop(at); // STOP
      case 0x28:
        stack.push(MARK);
        break; // MARK
      case 0x7d:
        stack.push(new Map());
        break; // EMPTY_DICT
      case 0x5d:
        stack.push([]);
        break; // EMPTY_LIST
      case 0x29:
        stack.push([]);
        break; // EMPTY_TUPLE
      case 0x4e:
        stack.push(null);
        break; // NONE
      case 0x88:
        stack.push(true);
        break; // NEWTRUE
      case 0x89:
        stack.push(false);
        break; // NEWFALSE
      case 0x4b:
        stack.push(u8());
        break; // BININT1
      case 0x4d:
        stack.push(u16());
        break; // BININT2
      case 0x4a:
        need(4, at);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break; // BININT
      case 0x47:
        need(8, at);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break; // BINFLOAT (big-endian)
      case 0x8a: {
        // LONG1: little-endian two's complement
        const raw = take(u8());
        let value = 0n;
        for (let i = raw.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(raw[i]!);
        if (raw.length > 0 && raw[raw.length - 1]! & 0x80) value -= 1n << BigInt(8 * raw.length);
        stack.push(value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value);
        break;
      }
      case 0x8c:
        stack.push(text(u8()));
        break; // SHORT_BINUNICODE
      case 0x58:
        stack.push(text(u32()));
        break; // BINUNICODE
      case 0x8d:
        stack.push(text(u64()));
        break; // BINUNICODE8
      case 0x55:
        stack.push(new TextDecoder('latin1').decode(take(u8())));
        break; // SHORT_BINSTRING
      case 0x43:
        stack.push(take(u8()).slice());
        break; // SHORT_BINBYTES
      case 0x42:
        stack.push(take(u32()).slice());
        break; // BINBYTES
      case 0x8e:
        stack.push(take(u64()).slice());
        break; // BINBYTES8
      case 0x96:
        stack.push(take(u64()).slice());
        break; // BYTEARRAY8
      case 0x94:
        memo.set(memo.size, stack[stack.length - 1] as PickleValue);
        break; // MEMOIZE
      case 0x71:
        memo.set(u8(), stack[stack.length - 1] as PickleValue);
        break; // BINPUT
      case 0x72:
        memo.set(u32(), stack[stack.length - 1] as PickleValue);
        break; // LONG_BINPUT
      case 0x68:
      case 0x6a: {
        // BINGET, LONG_BINGET
        const key = op === 0x68 ? u8() : u32();
        if (!memo.has(key)) fail(at, `memo ${key} not defined`);
        stack.push(memo.get(key)!);
        break;
      }
      case 0x85:
        stack.push([pop(at)]);
        break; // TUPLE1
      case 0x86: {
        const b = pop(at);
        stack.push([pop(at), b]);
        break;
      } // TUPLE2
      case 0x87: {
        const c = pop(at);
        const b = pop(at);
        stack.push([pop(at), b, c]);
        break;
      } // TUPLE3
      case 0x74:
        stack.push(popMark(at));
        break; // TUPLE
      case 0x65: {
        const items = popMark(at);
        (stack[stack.length - 1] as PickleValue[]).push(...items);
        break;
      } // APPENDS
      case 0x73:
      case 0x75: {
        // SETITEM, SETITEMS
        const items = op === 0x73 ? [pop(at), pop(at)].reverse() : popMark(at);
        const dict = stack[stack.length - 1];
        if (!(dict instanceof Map)) fail(at, 'SETITEM(S) target is not a dict');
        for (let i = 0; i + 1 < items.length; i += 2) (dict as Map<PickleValue, PickleValue>).set(items[i]!, items[i + 1]!);
        break;
      }
      case 0x93: {
        const name = pop(at);
        const module = pop(at);
        stack.push(global(at, `${String(module)} ${String(name)}`));
        break;
      } // STACK_GLOBAL
      case 0x63:
        stack.push(global(at, `${line()} ${line()}`));
        break; // GLOBAL
      case 0x52: {
        const args = pop(at);
        const callable = pop(at);
        stack.push(reduce(callable, args, at, fail));
        break;
      } // REDUCE
      case 0x62: {
        const state = pop(at);
        build(stack[stack.length - 1] as PickleValue, state, at, fail);
        break;
      } // BUILD
      default:
        fail(at, `opcode 0x${op.toString(16).padStart(2, '0')} is not allowed`);
    }
  }
}

type Fail = (at: number, why: string) => never;

function reduce(callable: PickleValue, args: PickleValue, at: number, fail: Fail): PickleValue {
  if (!callable || typeof callable !== 'object' || !('kind' in callable) || callable.kind !== 'callable' || !Array.isArray(args)) {
    return fail(at, 'REDUCE on something that is not an allowed callable');
  }
  switch (callable.name) {
    case 'dtype':
      if (typeof args[0] !== 'string') return fail(at, 'numpy.dtype needs a type string');
      return { kind: 'dtype', code: args[0], byteOrder: '|' };
    case 'frombuffer': {
      const [buffer, dtype, shape, order] = args;
      if (!(buffer instanceof Uint8Array) || !isDtype(dtype) || !isShape(shape)) return fail(at, '_frombuffer arguments malformed');
      return { kind: 'ndarray', dtype: dtypeString(dtype), shape, fortranOrder: order === 'F', bytes: buffer };
    }
    case 'reconstruct':
      return { kind: 'ndarray', dtype: '', shape: [0], fortranOrder: false, bytes: new Uint8Array(0) };
    case 'encode':
      if (typeof args[0] !== 'string' || args[1] !== 'latin1') return fail(at, "_codecs.encode only with 'latin1'");
      return Uint8Array.from(args[0], (ch) => ch.charCodeAt(0));
    default:
      return fail(at, `"${callable.name}" cannot be called`);
  }
}

function build(target: PickleValue, state: PickleValue, at: number, fail: Fail): void {
  if (isDtype(target) && Array.isArray(state) && typeof state[1] === 'string') {
    target.byteOrder = state[1]; // numpy dtype __setstate__: (version, byteorder, ...)
    return;
  }
  if (target && typeof target === 'object' && 'kind' in target && target.kind === 'ndarray' && Array.isArray(state)) {
    // numpy ndarray __setstate__: (version, shape, dtype, is_fortran, rawdata)
    const [, shape, dtype, fortran, raw] = state;
    if (!isShape(shape) || !isDtype(dtype) || !(raw instanceof Uint8Array)) fail(at, 'ndarray state malformed');
    Object.assign(target, { shape, dtype: dtypeString(dtype as NumpyDtype), fortranOrder: fortran === true, bytes: raw });
    return;
  }
  fail(at, 'BUILD on an object that is not a numpy array or dtype');
}

function isDtype(value: PickleValue | undefined): value is NumpyDtype {
  return !!value && typeof value === 'object' && 'kind' in value && value.kind === 'dtype';
}

function isShape(value: PickleValue | undefined): value is number[] {
  return Array.isArray(value) && value.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0);
}

function dtypeString(dtype: NumpyDtype): string {
  const order = dtype.byteOrder === '=' ? '<' : dtype.byteOrder;
  return `${order}${dtype.code}`;
}
