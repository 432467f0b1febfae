/**
 * Private state travels as JSON the provider itself wrote; bytes another provider wrote, or of
 * another shape than the resource declares (`fits`), or none, read as nothing.
 */
export function decodePrivate<P extends object>(
  bytes: Uint8Array | undefined,
  fits: ((value: object) => value is P & object) | undefined,
): P | null {
  if (!bytes || bytes.length === 0) return null;
  try {
    // A view, not a copy, of the bytes (Buffer.from of a Uint8Array would copy them).
    const value: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    return isObject && (fits === undefined || fits(value)) ? (value as P) : null;
  } catch {
    return null;
  }
}

/** undefined keeps the bytes Terraform sent; null (or an empty object) clears them. */
export function privateBytes(
  value: object | null | undefined,
  current: Uint8Array | undefined,
): Uint8Array | undefined {
  if (value === undefined) return current;
  return value === null || Object.keys(value).length === 0 ? undefined : Buffer.from(JSON.stringify(value));
}
