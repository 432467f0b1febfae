import { ExtensionCodec, decode, encode } from '@msgpack/msgpack';
import type { TerraformBlock, TerraformType } from './schema';
import { type ObjectValue, Unknown, type Value, isUnknown } from './values';

/** cty's msgpack form: any extension is an unknown (0 plain, 12 refined); refinements travel back unchanged. */
const extensions = new ExtensionCodec();
for (const type of [0, 12]) {
  extensions.register({
    type,
    encode: (value: unknown) => (isUnknown(value) && (value.refinement ? type === 12 : type === 0) ? (value.refinement ?? new Uint8Array([0])) : null),
    decode: (data: Uint8Array) => new Unknown(type === 12 ? data.slice() : undefined),
  });
}

export function decodeValue(bytes: Uint8Array | undefined, block: TerraformBlock): ObjectValue | null {
  if (!bytes || bytes.length === 0) return null;
  const raw = decode(bytes, { extensionCodec: extensions }) as unknown;
  return conformObject(raw, block) as ObjectValue | null;
}

export function encodeValue(value: ObjectValue | null, block: TerraformBlock): Uint8Array {
  return encode(conformObject(value, block), { extensionCodec: extensions, ignoreUndefined: false });
}

/** Terraform's JSON state (UpgradeResourceState, MoveResourceState) read with the current schema. */
export function fromJsonState(json: Uint8Array | undefined, block: TerraformBlock): ObjectValue | null {
  if (!json || json.length === 0) return null;
  return conformObject(JSON.parse(Buffer.from(json).toString('utf8')), block) as ObjectValue | null;
}

/**
 * Shape a value to the schema: every attribute and block present (Terraform rejects a missing
 * key), unknown keys dropped, numbers that arrive as strings made numbers.
 */
export function conformObject(raw: unknown, block: TerraformBlock): Value {
  if (raw === null || raw === undefined) return null;
  if (isUnknown(raw)) return raw;
  const input = raw as Record<string, unknown>;
  const out: ObjectValue = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) out[name] = conformType(input[name], attribute.type);
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const value = input[name];
    if (nested.nesting_mode === 'single') out[name] = conformObject(value, nested.block);
    else if (isUnknown(value)) out[name] = value;
    else out[name] = Array.isArray(value) ? value.map((item) => conformObject(item, nested.block)) : [];
  }
  return out;
}

function conformType(raw: unknown, type: TerraformType): Value {
  if (raw === null || raw === undefined) return null;
  if (isUnknown(raw)) return raw;
  if (Array.isArray(type)) return Array.isArray(raw) ? raw.map((item) => conformType(item, type[1])) : null;
  if (type === 'number' && typeof raw === 'string') return Number(raw);
  if (type === 'number' && typeof raw === 'bigint') return Number(raw);
  return raw as Value;
}
