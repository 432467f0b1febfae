import { createHash } from 'node:crypto';

/** A file of a provider package: its path inside the package (slash-separated) and its bytes. */
export interface PackageFile {
  name: string;
  content: Buffer;
}

/**
 * Terraform's `h1:` package hash: the "Hash1" scheme of Go's module checksums (dirhash). A summary
 * has one line per file, sorted by name, `<sha256 hex>  <name>\n`; the hash is the base64 of the
 * summary's SHA-256. The same files give the same hash as a folder or inside a zip, which is why
 * one lock file entry can be checked against an unpacked mirror and a downloaded archive alike.
 */
export function packageHashV1(files: PackageFile[]): string {
  const names = files.map((f) => f.name);
  for (const name of names) {
    if (name.includes('\n')) throw new Error(`dirhash: file name contains a newline: ${JSON.stringify(name)}`);
  }
  const byName = new Map(files.map((f) => [f.name, f.content]));
  const summary = [...byName.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => `${createHash('sha256').update(byName.get(name)!).digest('hex')}  ${name}\n`)
    .join('');
  return `h1:${createHash('sha256').update(summary).digest('base64')}`;
}

/** Terraform's `zh:` hash: the SHA-256 of the archive a registry or network mirror serves. */
export function zipHash(zip: Buffer): string {
  return `zh:${createHash('sha256').update(zip).digest('hex')}`;
}
