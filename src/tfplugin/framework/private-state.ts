/**
 * Private state travels as JSON the provider itself wrote; bytes another provider wrote (or none)
 * read as nothing.
 */
export function decodePrivate(bytes: Uint8Array | undefined): object | null {
  if (!bytes || bytes.length === 0) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
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
