/**
 * Terraform values as plain JavaScript: objects, arrays (lists and sets), strings, numbers,
 * booleans, null, and `Unknown` for values Terraform will only know at apply time.
 */
/** A step into a value: an attribute name, or a list index. */
export type PathStep = string | number;

export type Value = null | string | number | boolean | Unknown | Value[] | ObjectValue;
export interface ObjectValue {
  [name: string]: Value;
}

/** An unknown value; `refinement` keeps Terraform's refined-unknown payload so it can be returned unchanged. */
export class Unknown {
  constructor(readonly refinement?: Uint8Array) {}
}

export const UNKNOWN = new Unknown();

export const isUnknown = (value: unknown): value is Unknown => value instanceof Unknown;

/** Semantic equality: sets compare without order, unknown equals nothing. */
export function valuesEqual(a: Value, b: Value, unordered = false): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    if (!unordered) return a.every((item, i) => valuesEqual(item, b[i]!));
    return a.every((item) => b.some((other) => valuesEqual(item, other)));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    // Every key of either side, each once: an absent one is null. (No set of keys is built: plans compare often.)
    for (const k in a) if (!valuesEqual((a as ObjectValue)[k] ?? null, (b as ObjectValue)[k] ?? null)) return false;
    for (const k in b) if (!Object.hasOwn(a, k) && !valuesEqual(null, (b as ObjectValue)[k] ?? null)) return false;
    return true;
  }
  return a === b;
}

export function asObject(value: Value | undefined): ObjectValue | null {
  return value !== null &&
    value !== undefined &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !isUnknown(value)
    ? value
    : null;
}

/** A known string, or undefined for null and unknown. */
export function knownString(value: Value | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A value Terraform knows, or undefined while it is unknown (null stays null). */
export const known = <T>(value: T | Unknown): T | undefined => (isUnknown(value) ? undefined : value);
