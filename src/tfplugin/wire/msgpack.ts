import { decodeMsgpack, encodeMsgpack } from './msgpack-format';
import type { TerraformBlock, TerraformType } from './schema';
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

/** Terraform's JSON state read with the current schema. */
export function fromJsonState(json: Uint8Array | undefined, block: TerraformBlock): ObjectValue | null {
  return conformObject(parseJsonState(json), block) as ObjectValue | null;
}

/**
 * Shape a value to the schema: every attribute and block present (Terraform rejects a missing
 * key), unknown keys dropped, numbers that arrive as strings made numbers. A value of another
 * type throws a ValueTypeError naming where it is.
 */
export function conformObject(raw: unknown, block: TerraformBlock): Value {
  if (raw === null || raw === undefined) return null;
  if (isUnknown(raw)) return raw;
  if (!isPlainObject(raw)) throw new ValueTypeError('an object', describe(raw));
  const input = raw as Record<string, unknown>;
  const out: ObjectValue = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {}))
    out[name] = at(name, () => conformType(input[name], attribute.type));
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const value = input[name];
    out[name] = at(name, () => {
      if (nested.nesting_mode === 'single') return conformObject(value, nested.block);
      if (isUnknown(value) || value === null || value === undefined) return isUnknown(value) ? value : [];
      if (!Array.isArray(value)) throw new ValueTypeError('a list of blocks', describe(value));
      return value.map((item, index) => at(index, () => conformObject(item, nested.block)));
    });
  }
  return out;
}

function conformType(raw: unknown, type: TerraformType): Value {
  if (raw === null || raw === undefined) return null;
  if (isUnknown(raw)) return raw;
  if (Array.isArray(type)) {
    if (type[0] === 'map') {
      if (!isPlainObject(raw)) throw new ValueTypeError('a map', describe(raw));
      return Object.fromEntries(
        Object.entries(raw).map(([key, item]) => [key, at(key, () => conformType(item, type[1]))]),
      );
    }
    if (!Array.isArray(raw)) throw new ValueTypeError(`a ${type[0]}`, describe(raw));
    return raw.map((item, index) => at(index, () => conformType(item, type[1])));
  }
  if (type === 'number' && (typeof raw === 'number' || typeof raw === 'bigint')) return Number(raw);
  if (type === 'number' && typeof raw === 'string') return Number(raw);
  if (type === 'string' && typeof raw === 'string') return raw;
  if (type === 'bool' && typeof raw === 'boolean') return raw;
  throw new ValueTypeError(type === 'bool' ? 'a bool' : `a ${type}`, describe(raw));
}

/** Run a step of the walk, prefixing its path step to a type error from inside it. */
function at<T>(step: PathStep, fn: () => T): T {
  try {
    return fn();
  } catch (thrown) {
    if (thrown instanceof ValueTypeError) thrown.path.unshift(step);
    throw thrown;
  }
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
