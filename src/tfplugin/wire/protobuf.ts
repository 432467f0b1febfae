/**
 * A protobuf codec that reads the protocol table itself (proto.ts) rather than generated code: each
 * message is prepared on its first use, so a start pays only for the messages it codes. Decoded
 * messages are the plain objects the handlers are typed for: int64 and enums as numbers, bytes as
 * Buffers (views of the request), absent scalars and messages left out, repeated fields always an
 * array, maps only when they have entries.
 */

/** A field: its number, its type (a scalar, or a message or enum named in the table), and its label. */
export type Field = readonly [id: number, type: string, rule?: 'repeated' | `map<${string}>`];
export type Fields = Readonly<Record<string, Field>>;
export interface MessageSpec {
  readonly fields: Fields;
  readonly nested?: Readonly<Record<string, Spec>>;
  readonly oneofs?: Readonly<Record<string, { oneof: readonly string[] }>>;
}
export interface EnumSpec {
  readonly values: Readonly<Record<string, number>>;
}
/** A message, an enum, or a message used only as a namespace (an RPC's Request and Response). */
export type Spec = MessageSpec | EnumSpec | { readonly nested: Readonly<Record<string, Spec>> };
/** Where a type name is looked up: the message's own nested types first, then outwards. */
type Scopes = readonly Readonly<Record<string, Spec>>[];

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

/** How a value is coded: scalars by their protobuf type, enums as int32, messages by their own plan. */
type Kind = 'string' | 'bytes' | 'int64' | 'bool' | 'enum' | Message;

interface PreparedField {
  readonly name: string;
  readonly id: number;
  readonly kind: Kind;
  readonly repeated: boolean;
  /** A map<string, …>: entries of key 1 and value 2. */
  readonly map: boolean;
  /** The wire type this field is read from and written with, and its tag. */
  readonly wireType: number;
  readonly tag: number;
}

/** How a message of the table is coded, as plain objects of type `T`. */
export interface MessageCodec<T> {
  decode(bytes: Uint8Array): T;
  encode(message: T): Uint8Array;
}

/** One message of the table, prepared on first use. */
class Message {
  #fields: PreparedField[] | undefined;
  #byId: Map<number, PreparedField> | undefined;
  #repeated: string[] | undefined;

  constructor(
    private readonly spec: MessageSpec,
    private readonly scopes: Scopes,
  ) {}

  decode(bytes: Uint8Array): Record<string, unknown> {
    return this.read(new Reader(bytes), bytes.length);
  }

  encode(message: object): Uint8Array {
    const writer = new Writer();
    this.write(writer, message as Record<string, unknown>);
    return writer.finish();
  }

  /** Fields in the order of their numbers, as protobuf encoders write them. */
  private fields(): PreparedField[] {
    if (this.#fields) return this.#fields;
    const inner = this.spec.nested ? [this.spec.nested, ...this.scopes] : this.scopes;
    this.#fields = Object.entries(this.spec.fields)
      .map(([name, [id, type, rule]]): PreparedField => {
        const kind = kindOf(type, inner);
        const map = rule?.startsWith('map<') ?? false;
        if (map && rule !== 'map<string>') throw new Error(`map keys other than strings are not supported: ${rule}`);
        const wireType = map ? LENGTH_DELIMITED : wireTypeOf(kind);
        return { name, id, kind, repeated: rule === 'repeated', map, wireType, tag: id * 8 + wireType };
      })
      .sort((a, b) => a.id - b.id);
    this.#byId = new Map(this.#fields.map((field) => [field.id, field]));
    this.#repeated = this.#fields.filter((field) => field.repeated).map((field) => field.name);
    return this.#fields;
  }

  /** The fields up to `end`. */
  read(reader: Reader, end: number): Record<string, unknown> {
    this.fields();
    const message: Record<string, unknown> = {};
    for (const name of this.#repeated!) message[name] = [];
    while (reader.pos < end) {
      const tag = reader.uint32();
      const wireType = tag & 7;
      const field = this.#byId!.get(tag >>> 3);
      // A field this table does not know (a newer Terraform), or sent in a form it cannot have: skipped.
      if (!field || wireType !== field.wireType) {
        reader.skip(wireType, tag >>> 3);
        continue;
      }
      if (field.map) {
        const [key, value] = readEntry(reader, field.kind);
        const entries = (message[field.name] ??= {}) as Record<string, unknown>;
        if (key === '__proto__') Object.defineProperty(entries, key, { value, enumerable: true, writable: true });
        else entries[key] = value;
      } else if (field.repeated) (message[field.name] as unknown[]).push(readValue(reader, field.kind));
      else message[field.name] = readValue(reader, field.kind);
    }
    if (reader.pos !== end) throw new Error('invalid protobuf: a field runs past the end of its message');
    return message;
  }

  write(writer: Writer, message: Record<string, unknown>): void {
    for (const field of this.fields()) {
      const value = message[field.name];
      if (value === undefined || value === null) continue;
      if (field.map) {
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          writer.uint32(field.tag);
          const start = writer.begin();
          writer.uint32(1 * 8 + LENGTH_DELIMITED);
          writer.string(key);
          writer.uint32(2 * 8 + wireTypeOf(field.kind));
          writeValue(writer, field.kind, item);
          writer.end(start);
        }
      } else if (field.repeated) {
        for (const item of value as unknown[]) {
          writer.uint32(field.tag);
          writeValue(writer, field.kind, item);
        }
      } else {
        writer.uint32(field.tag);
        writeValue(writer, field.kind, value);
      }
    }
  }
}

/** A message of the table, resolved from its name in `scopes` (innermost first). */
export function messageOf<T>(name: string, scopes: Scopes): MessageCodec<T> {
  const kind = kindOf(name, scopes);
  if (!(kind instanceof Message)) throw new Error(`${name} is not a message`);
  return kind as unknown as MessageCodec<T>;
}

/** One Message per table entry, however many fields name it. */
const prepared = new WeakMap<MessageSpec, Message>();

function kindOf(type: string, scopes: Scopes): Kind {
  if (type === 'string' || type === 'bytes' || type === 'int64' || type === 'bool') return type;
  const index = scopes.findIndex((scope) => Object.hasOwn(scope, type));
  const spec = scopes[index]?.[type];
  if (!spec) throw new Error(`unknown protobuf type ${type}`);
  if ('values' in spec) return 'enum';
  if (!('fields' in spec)) throw new Error(`${type} is a namespace, not a message`);
  let message = prepared.get(spec);
  if (!message) prepared.set(spec, (message = new Message(spec, scopes.slice(index))));
  return message;
}

function wireTypeOf(kind: Kind): number {
  return kind === 'int64' || kind === 'bool' || kind === 'enum' ? VARINT : LENGTH_DELIMITED;
}

function readValue(reader: Reader, kind: Kind): unknown {
  switch (kind) {
    case 'string':
      return reader.string();
    case 'bytes':
      return reader.bytes();
    case 'int64':
      return reader.int64();
    case 'bool':
      return reader.uint32() !== 0;
    case 'enum':
      return reader.uint32() | 0;
    default:
      return kind.read(reader, reader.end(reader.uint32()));
  }
}

function writeValue(writer: Writer, kind: Kind, value: unknown): void {
  switch (kind) {
    case 'string':
      return writer.string(value as string);
    case 'bytes':
      return writer.bytes(value as Uint8Array);
    case 'int64':
    case 'enum':
      return writer.int64(value as number);
    case 'bool':
      return writer.uint32(value ? 1 : 0);
    default: {
      const start = writer.begin();
      kind.write(writer, value as Record<string, unknown>);
      return writer.end(start);
    }
  }
}

/** A map entry: key 1 (a string), value 2; either may be absent, and then is its type's default. */
function readEntry(reader: Reader, kind: Kind): [string, unknown] {
  const end = reader.end(reader.uint32());
  let key = '';
  let value: unknown;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === 1 * 8 + LENGTH_DELIMITED) key = reader.string();
    else if (tag === 2 * 8 + wireTypeOf(kind)) value = readValue(reader, kind);
    else reader.skip(tag & 7, tag >>> 3);
  }
  if (reader.pos !== end) throw new Error('invalid protobuf: a field runs past the end of its map entry');
  return [key, value ?? defaultOf(kind)];
}

function defaultOf(kind: Kind): unknown {
  if (kind === 'string') return '';
  if (kind === 'bytes') return Buffer.alloc(0);
  if (kind === 'bool') return false;
  if (kind === 'int64' || kind === 'enum') return 0;
  return {};
}

const TRUNCATED = 'invalid protobuf: the message ends in the middle of a field';

class Reader {
  readonly #buffer: Buffer;
  pos = 0;

  constructor(bytes: Uint8Array) {
    this.#buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The end of a length-delimited field of `length` bytes starting here. */
  end(length: number): number {
    const end = this.pos + length;
    if (end > this.#buffer.length) throw new Error(TRUNCATED);
    return end;
  }

  /** A varint's low 32 bits, unsigned (the rest of a longer varint is read and dropped). */
  uint32(): number {
    const buffer = this.#buffer;
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= buffer.length) throw new Error(TRUNCATED);
      const byte = buffer[this.pos++]!;
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
    }
    throw new Error('invalid protobuf: a varint longer than 10 bytes');
  }

  /** A two's complement int64, as the nearest number (exact up to 2^53). */
  int64(): number {
    const buffer = this.#buffer;
    let low = 0;
    let high = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= buffer.length) throw new Error(TRUNCATED);
      const byte = buffer[this.pos++]!;
      if (shift < 28) low |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        low |= (byte & 0x0f) << 28;
        high |= (byte & 0x7f) >>> 4;
      } else high |= (byte & 0x7f) << (shift - 32);
      if (byte < 0x80) {
        if (high >> 31 === 0) return (high >>> 0) * 0x1_0000_0000 + (low >>> 0);
        // Negative: the magnitude is the complement plus one.
        low = ~low + 1;
        high = ~high + (low === 0 ? 1 : 0);
        return -((high >>> 0) * 0x1_0000_0000 + (low >>> 0));
      }
    }
    throw new Error('invalid protobuf: a varint longer than 10 bytes');
  }

  string(): string {
    const end = this.end(this.uint32());
    const text = this.#buffer.toString('utf8', this.pos, end);
    this.pos = end;
    return text;
  }

  bytes(): Buffer {
    const end = this.end(this.uint32());
    const bytes = this.#buffer.subarray(this.pos, end);
    this.pos = end;
    return bytes;
  }

  /** Past a field of `wireType` whose tag was just read. */
  skip(wireType: number, id: number): void {
    if (wireType === VARINT) this.uint32();
    else if (wireType === FIXED64) this.pos = this.end(8);
    else if (wireType === LENGTH_DELIMITED) this.pos = this.end(this.uint32());
    else if (wireType === FIXED32) this.pos = this.end(4);
    else if (wireType === START_GROUP) {
      for (;;) {
        const tag = this.uint32();
        if ((tag & 7) === END_GROUP) {
          if (tag >>> 3 !== id) throw new Error('invalid protobuf: a group ends with another group number');
          return;
        }
        this.skip(tag & 7, tag >>> 3);
      }
    } else throw new Error(`invalid protobuf: wire type ${wireType}`);
  }
}

/** Writes into one growing buffer; a nested message's length is written in front once it is known. */
class Writer {
  #buffer = Buffer.allocUnsafe(256);
  #pos = 0;

  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#pos);
  }

  uint32(value: number): void {
    this.reserve(5);
    this.#pos = writeVarint(this.#buffer, this.#pos, value);
  }

  /** A number as a two's complement int64 varint: ten bytes when negative, as protobuf has it. */
  int64(value: number): void {
    if (value >= 0 && value <= 0xffff_ffff) return this.uint32(value);
    this.reserve(10);
    let low: number;
    let high: number;
    const magnitude = Math.abs(value);
    low = magnitude >>> 0;
    high = Math.floor(magnitude / 0x1_0000_0000) >>> 0;
    if (value < 0) {
      low = ~low + 1;
      high = ~high + (low >>> 0 === 0 ? 1 : 0);
    }
    const buffer = this.#buffer;
    while (high !== 0 || low >>> 0 >= 0x80) {
      buffer[this.#pos++] = (low & 0x7f) | 0x80;
      low = (low >>> 7) | (high << 25);
      high >>>= 7;
    }
    buffer[this.#pos++] = low;
  }

  string(value: string): void {
    const length = Buffer.byteLength(value);
    this.uint32(length);
    this.reserve(length);
    this.#pos += this.#buffer.write(value, this.#pos);
  }

  bytes(value: Uint8Array): void {
    this.uint32(value.length);
    this.reserve(value.length);
    this.#buffer.set(value, this.#pos);
    this.#pos += value.length;
  }

  /** Start a length-delimited body: one byte is kept for its length, the usual size of a short one. */
  begin(): number {
    this.reserve(1);
    return this.#pos++;
  }

  end(start: number): void {
    const length = this.#pos - start - 1;
    const size = varintSize(length);
    if (size > 1) {
      this.reserve(size - 1);
      this.#buffer.copyWithin(start + size, start + 1, this.#pos);
      this.#pos += size - 1;
    }
    writeVarint(this.#buffer, start, length);
  }

  private reserve(bytes: number): void {
    if (this.#pos + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#pos + bytes));
    this.#buffer.copy(grown, 0, 0, this.#pos);
    this.#buffer = grown;
  }
}

function writeVarint(buffer: Buffer, pos: number, value: number): number {
  while (value >= 0x80) {
    buffer[pos++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buffer[pos++] = value;
  return pos;
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value >>>= 7;
    size++;
  }
  return size;
}
