import { Unknown, isUnknown } from './values';

/**
 * MessagePack for the values cty sends and takes: nil, booleans, integers and floats (as numbers),
 * strings, binary data, arrays, maps with string keys, and extensions, of which cty uses two for
 * unknown values (0 plain, 12 refined; a refinement travels back byte for byte). Small and plain, so
 * that coding a plan's hundreds of values costs little and loading it costs nothing.
 */

/** An extension of a type cty does not use: kept apart so that it is never taken for a value. */
export class OtherExtension {
  constructor(
    readonly type: number,
    readonly data: Uint8Array,
  ) {}
}

/** Bytes that are not one MessagePack value. */
export class MsgpackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MsgpackError';
  }
}

const TRUNCATED = 'the data ends in the middle of a value';

export function decodeMsgpack(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.value();
  if (reader.pos !== bytes.length) throw new MsgpackError(`${bytes.length - reader.pos} bytes after the value`);
  return value;
}

/** Map keys of up to 31 bytes (fixstr) already read, by their length: a schema's names, a bounded number of each length. */
const keys: [Uint8Array, string][][] = [];
const KEYS_PER_LENGTH = 32;

class Reader {
  readonly #buffer: Buffer;
  readonly #view: DataView;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.#buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  value(): unknown {
    const head = this.#u8();
    if (head < 0x80) return head;
    if (head < 0x90) return this.#map(head & 0x0f);
    if (head < 0xa0) return this.#array(head & 0x0f);
    if (head < 0xc0) return this.#string(head & 0x1f);
    if (head >= 0xe0) return head - 0x100;
    if (head === 0xc0) return null;
    if (head === 0xc2 || head === 0xc3) return head === 0xc3;
    // The families with an 8-, 16- and 32-bit form, in that order (arrays and maps have no 8-bit one).
    if (head >= 0xc4 && head <= 0xc6) return this.#bytes(this.#unsigned(head - 0xc4));
    if (head >= 0xc7 && head <= 0xc9) return this.#extension(this.#unsigned(head - 0xc7));
    if (head >= 0xcc && head <= 0xce) return this.#unsigned(head - 0xcc);
    if (head >= 0xd9 && head <= 0xdb) return this.#string(this.#unsigned(head - 0xd9));
    if (head >= 0xdc && head <= 0xdd) return this.#array(this.#unsigned(head - 0xdb));
    if (head >= 0xde && head <= 0xdf) return this.#map(this.#unsigned(head - 0xdd));
    if (head >= 0xd4 && head <= 0xd8) return this.#extension(1 << (head - 0xd4));
    const view = this.#view;
    switch (head) {
      case 0xca:
        return view.getFloat32(this.#take(4));
      case 0xcb:
        return view.getFloat64(this.#take(8));
      case 0xcf: {
        const at = this.#take(8);
        return view.getUint32(at) * 0x1_0000_0000 + view.getUint32(at + 4);
      }
      case 0xd0:
        return view.getInt8(this.#take(1));
      case 0xd1:
        return view.getInt16(this.#take(2));
      case 0xd2:
        return view.getInt32(this.#take(4));
      case 0xd3: {
        const at = this.#take(8);
        return view.getInt32(at) * 0x1_0000_0000 + view.getUint32(at + 4);
      }
      default:
        throw new MsgpackError(`0x${head.toString(16)} is not a MessagePack type`);
    }
  }

  #map(size: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let i = 0; i < size; i++) {
      const key = this.#key();
      const value = this.value();
      if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true });
      else map[key] = value;
    }
    return map;
  }

  /** A map key: read once per process, then found by its bytes (keys repeat: they are a schema's names). */
  #key(): string {
    const head = this.#buffer[this.pos];
    if (head === undefined || head < 0xa0 || head >= 0xc0) {
      const key = this.value();
      if (typeof key !== 'string') throw new MsgpackError('a map key that is not a string');
      return key;
    }
    const length = head & 0x1f;
    const start = this.#take(1 + length) + 1;
    const buffer = this.#buffer;
    const bucket = (keys[length] ??= []);
    search: for (const [bytes, key] of bucket) {
      for (let i = 0; i < length; i++) if (bytes[i] !== buffer[start + i]) continue search;
      return key;
    }
    const key = buffer.toString('utf8', start, start + length);
    // A copy: a view would keep the caller's buffer alive and change when the caller reuses it.
    if (bucket.length < KEYS_PER_LENGTH)
      bucket.push([Uint8Array.prototype.slice.call(buffer, start, start + length), key]);
    return key;
  }

  #array(size: number): unknown[] {
    // Each item takes a byte at least: a larger count is a lie, and must not allocate.
    if (size > this.#buffer.length - this.pos) throw new MsgpackError(TRUNCATED);
    const array = new Array<unknown>(size);
    for (let i = 0; i < size; i++) array[i] = this.value();
    return array;
  }

  #string(length: number): string {
    const start = this.#take(length);
    return this.#buffer.toString('utf8', start, start + length);
  }

  #bytes(length: number): Uint8Array {
    const start = this.#take(length);
    return new Uint8Array(this.#buffer.buffer, this.#buffer.byteOffset + start, length);
  }

  #extension(length: number): Unknown | OtherExtension {
    const type = this.#view.getInt8(this.#take(1));
    const data = this.#bytes(length);
    if (type === 0) return new Unknown();
    if (type === 12) return new Unknown(data.slice());
    return new OtherExtension(type, data);
  }

  #u8(): number {
    return this.#buffer[this.#take(1)]!;
  }

  /** An unsigned integer of 1, 2 or 4 bytes (`form` 0, 1 or 2). */
  #unsigned(form: number): number {
    if (form === 0) return this.#u8();
    if (form === 1) return this.#view.getUint16(this.#take(2));
    return this.#view.getUint32(this.#take(4));
  }

  /** The position of the next `length` bytes, which are then passed. */
  #take(length: number): number {
    const at = this.pos;
    if (at + length > this.#buffer.length) throw new MsgpackError(TRUNCATED);
    this.pos = at + length;
    return at;
  }
}

/** A plain unknown, as cty writes it: extension 0 with one zero byte. */
const PLAIN_UNKNOWN = new Uint8Array([0]);

/**
 * One buffer for every encoding, grown as needed (and let go of after a large value): what
 * `encodeMsgpack` returns is a copy of its start.
 */
const SCRATCH_BYTES = 16 * 1024;
let scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
let pos = 0;

export function encodeMsgpack(value: unknown): Uint8Array {
  pos = 0;
  write(value);
  const encoded = Buffer.allocUnsafe(pos);
  scratch.copy(encoded, 0, 0, pos);
  if (scratch.length > 64 * SCRATCH_BYTES) scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  return encoded;
}

function write(value: unknown): void {
  if (value === null || value === undefined) return u8(0xc0);
  switch (typeof value) {
    case 'boolean':
      return u8(value ? 0xc3 : 0xc2);
    case 'number':
      return number(value);
    case 'string':
      return string(value);
    case 'object':
      if (Array.isArray(value)) {
        header(value.length, 0x90, 16, 0xdc);
        for (const item of value) write(item);
        return;
      }
      if (isUnknown(value)) return value.refinement ? extension(12, value.refinement) : extension(0, PLAIN_UNKNOWN);
      if (value instanceof Uint8Array) {
        sized(value.length, 0xc4);
        return raw(value);
      }
      return map(value as Record<string, unknown>);
    default:
      throw new MsgpackError(`a ${typeof value} has no MessagePack form`);
  }
}

function map(value: Record<string, unknown>): void {
  const keys = Object.keys(value);
  header(keys.length, 0x80, 16, 0xde);
  for (const key of keys) {
    string(key);
    write(value[key]);
  }
}

/** The smallest form: integers as integers, anything else as a float64. */
function number(value: number): void {
  if (!Number.isSafeInteger(value)) {
    reserve(9);
    scratch[pos] = 0xcb;
    scratch.writeDoubleBE(value, pos + 1);
    pos += 9;
    return;
  }
  if (value >= 0) {
    if (value < 0x80) return u8(value);
    if (value < 0x100) return fixed(0xcc, 1, value);
    if (value < 0x10000) return fixed(0xcd, 2, value);
    if (value < 0x1_0000_0000) return fixed(0xce, 4, value);
    return fixed(0xcf, 8, value);
  }
  if (value >= -0x20) return u8(value + 0x100);
  if (value >= -0x80) return fixed(0xd0, 1, value);
  if (value >= -0x8000) return fixed(0xd1, 2, value);
  if (value >= -0x8000_0000) return fixed(0xd2, 4, value);
  return fixed(0xd3, 8, value);
}

/** A type byte, then `value` in `size` bytes, big-endian (two's complement when negative). */
function fixed(type: number, size: 1 | 2 | 4 | 8, value: number): void {
  reserve(1 + size);
  scratch[pos++] = type;
  if (size === 8) {
    const high = Math.floor(value / 0x1_0000_0000);
    bigEndian(high, 4);
    bigEndian(value - high * 0x1_0000_0000, 4);
  } else bigEndian(value, size);
}

/** The low `size` bytes (up to 4) of an integer, most significant first. */
function bigEndian(value: number, size: number): void {
  for (let shift = (size - 1) * 8; shift >= 0; shift -= 8) scratch[pos++] = (value >>> shift) & 0xff;
}

function string(value: string): void {
  const length = value.length;
  // Short ASCII, the usual case (names, ids, hosts), is copied here: Node's own calls cost more for it.
  if (length < 32) {
    reserve(1 + length);
    const start = pos;
    scratch[pos++] = 0xa0 | length;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        pos = start;
        return utf8(value);
      }
      scratch[pos++] = code;
    }
    return;
  }
  utf8(value);
}

function utf8(value: string): void {
  const length = Buffer.byteLength(value);
  reserve(5 + length);
  header(length, 0xa0, 32, 0xd9);
  pos += scratch.write(value, pos);
}

function extension(type: number, data: Uint8Array): void {
  const fixedSize = [1, 2, 4, 8, 16].indexOf(data.length);
  if (fixedSize >= 0) u8(0xd4 + fixedSize);
  else sized(data.length, 0xc7);
  u8(type);
  raw(data);
}

/** A fix-form header when `size` is below `fixLimit`, else the 16- or 32-bit form after it (`first`). */
function header(size: number, fix: number, fixLimit: number, first: number): void {
  if (size < fixLimit) return u8(fix | size);
  // Strings have an 8-bit form before their 16-bit one.
  if (first === 0xd9 && size < 0x100) return fixed(0xd9, 1, size);
  const sixteen = first === 0xd9 ? 0xda : first;
  if (size < 0x10000) return fixed(sixteen, 2, size);
  return fixed(sixteen + 1, 4, size);
}

/** The 8-, 16- or 32-bit length form of binary data (0xc4) or an extension (0xc7). */
function sized(size: number, first: number): void {
  if (size < 0x100) return fixed(first, 1, size);
  if (size < 0x10000) return fixed(first + 1, 2, size);
  return fixed(first + 2, 4, size);
}

function u8(byte: number): void {
  reserve(1);
  scratch[pos++] = byte;
}

function raw(bytes: Uint8Array): void {
  reserve(bytes.length);
  scratch.set(bytes, pos);
  pos += bytes.length;
}

function reserve(bytes: number): void {
  if (pos + bytes <= scratch.length) return;
  const grown = Buffer.allocUnsafe(Math.max(scratch.length * 2, pos + bytes));
  scratch.copy(grown, 0, 0, pos);
  scratch = grown;
}
