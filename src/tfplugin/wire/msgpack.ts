import { decodeMsgpack, encodeMsgpack } from './msgpack-format';
import { blockFields } from './block-fields';
import type { TerraformBlock, TerraformNestedBlock, TerraformType } from './schema';
import { type ObjectValue, type PathStep, type Value, isUnknown } from './values';

/** A value whose type is not the schema's: `path` names the attribute, `expected` its type. */
export class ValueTypeError extends Error {
  readonly path: PathStep[] = [];
  constructor(
    readonly expected: string,
    readonly got: string,
  ) {
    super(`expected ${expected}, got ${got}`);
    this.name = 'ValueTypeError';
  }
}

export function decodeValue(bytes: Uint8Array | undefined, block: TerraformBlock): ObjectValue | null {
  if (!bytes || bytes.length === 0) return null;
  let raw: unknown;
  try {
    raw = decodeMsgpack(bytes);
  } catch (thrown) {
    throw new ValueTypeError('a MessagePack value', `bytes that do not decode (${(thrown as Error).message})`);
  }
  return conformObject(raw, block) as ObjectValue | null;
}

export function encodeValue(value: ObjectValue | null, block: TerraformBlock): Uint8Array {
  return encodeMsgpack(conformObject(value, block));
}

/** Stored state that is not JSON: `position` (in UTF-16 units) says where, and nothing repeats the text. */
export class UnreadableStateError extends Error {
  constructor(readonly position: number | undefined) {
    super(`stored state is not valid JSON${position === undefined ? '' : ` (at position ${position})`}`);
    this.name = 'UnreadableStateError';
  }
}

/** Terraform's JSON form of a stored state (UpgradeResourceState, MoveResourceState), parsed. */
export function parseJsonState(json: Uint8Array | undefined): unknown {
  if (!json || json.length === 0) return null;
  try {
    return JSON.parse(Buffer.from(json).toString('utf8'));
  } catch (thrown) {
    // V8's message quotes the text around the mistake, which may be a secret: keep only the position.
    const position = /at position (\d+)/.exec((thrown as Error).message)?.[1];
    throw new UnreadableStateError(position === undefined ? undefined : Number(position));
  }
}

/**
 * Shape a value to the schema: every attribute and block present (Terraform rejects a missing
 * key), unknown keys dropped, numbers that arrive as strings made numbers. A value of another
 * type throws a ValueTypeError naming where it is.
 */
export function conformObject(raw: unknown, block: TerraformBlock): Value {
  path.length = 0;
  return conformBlock(raw, block, false);
}

/** A value as a provider may send it: conformed to the schema, write-only attributes nulled, in one walk. */
export function encodeState(value: ObjectValue | null, block: TerraformBlock): Uint8Array {
  return encodeMsgpack(conformState(value, block));
}

/**
 * A state read or moved by the provider, shaped as conformObject does, with write-only attributes
 * nulled (they are never in state): ready for encodeConformed, without a second walk.
 */
export function conformState(raw: unknown, block: TerraformBlock): Value {
  path.length = 0;
  return conformBlock(raw, block, true);
}

/** A value conformState returned, as MessagePack. */
export const encodeConformed = (state: Value): Uint8Array => encodeMsgpack(state);

/**
 * The steps from the root to the value being conformed. The walk is synchronous, so one stack
 * serves every call: a step is pushed before a field is entered and popped after it, and a type
 * error copies the stack as its path. A closure and a `try` per field, to add the path only on the
 * way out of an error, made conforming the largest allocator of a plan's RPCs.
 */
const path: PathStep[] = [];

function typeError(expected: string, raw: unknown): ValueTypeError {
  const error = new ValueTypeError(expected, describe(raw));
  error.path.push(...path);
  return error;
}

function conformBlock(raw: unknown, block: TerraformBlock, clearWriteOnly: boolean): Value {
  if (raw === null || raw === undefined) return null;
  if (isUnknown(raw)) return raw;
  if (!isPlainObject(raw)) throw typeError('an object', raw);
  const out: ObjectValue = {};
  const fields = blockFields(block);
  for (const { name, attribute } of fields.attributes) {
    if (clearWriteOnly && attribute.write_only) {
      out[name] = null;
      continue;
    }
    path.push(name);
    out[name] = conformType(raw[name], attribute.type);
    path.pop();
  }
  for (const { name, nested } of fields.blockTypes) {
    path.push(name);
    out[name] = conformNested(raw[name], nested, clearWriteOnly);
    path.pop();
  }
  return out;
}

function conformNested(value: unknown, nested: TerraformNestedBlock, clearWriteOnly: boolean): Value {
  if (nested.nesting_mode === 'single') return conformBlock(value, nested.block, clearWriteOnly);
  if (value === null || value === undefined) return [];
  if (isUnknown(value)) return value;
  if (!Array.isArray(value)) throw typeError('a list of blocks', value);
  const out: Value[] = new Array<Value>(value.length);
  for (let index = 0; index < value.length; index++) {
    path.push(index);
    out[index] = conformBlock(value[index], nested.block, clearWriteOnly);
    path.pop();
  }
  return out;
}

function conformType(raw: unknown, type: TerraformType): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof type === 'string') {
    if (type === 'string' ? typeof raw === 'string' : type === 'bool' && typeof raw === 'boolean') return raw as Value;
    if (type === 'number' && (typeof raw === 'number' || typeof raw === 'bigint')) return Number(raw);
    // cty sends a number too large for a float64 as its decimal text; other text is no number.
    if (type === 'number' && typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw)))
      return Number(raw);
    if (isUnknown(raw)) return raw;
    throw typeError(type === 'bool' ? 'a bool' : `a ${type}`, raw);
  }
  if (isUnknown(raw)) return raw;
  if (type[0] === 'map') {
    if (!isPlainObject(raw)) throw typeError('a map', raw);
    const out: ObjectValue = {};
    for (const key of Object.keys(raw)) {
      path.push(key);
      const item = conformType(raw[key], type[1]);
      path.pop();
      // A map's keys are the user's: `__proto__` among them is a key like any other, not the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true });
      else out[key] = item;
    }
    return out;
  }
  if (!Array.isArray(raw)) throw typeError(`a ${type[0]}`, raw);
  const out: Value[] = new Array<Value>(raw.length);
  for (let index = 0; index < raw.length; index++) {
    path.push(index);
    out[index] = conformType(raw[index], type[1]);
    path.pop();
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** The kind of a wrong value, never the value itself (it may be a secret). */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object' && value !== null)
    return isPlainObject(value) ? 'an object' : 'an extension value of an unknown type';
  if (typeof value === 'bigint') return 'a number';
  return `a ${typeof value === 'boolean' ? 'bool' : typeof value}`;
}
