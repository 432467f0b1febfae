import { PROVIDER_ADDRESS } from '../version';
import type { PlatformPackage } from './provider-package';

const HEADER =
  '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n';

/**
 * The lock file entry for every platform's package: `h1:` of the unpacked package and `zh:` of each
 * archive, as `terraform providers lock` records them from a registry. With both, `terraform init`
 * has nothing to look up and no platform is missing, and CDKTF's deploy skips its own lock step
 * (which would ask the public registry) because the entry's constraints match the stack's.
 */
export function lockEntry(version: string, constraints: string, packages: PlatformPackage[]): string {
  const hashes = [...new Set(packages.flatMap((p) => [p.h1, p.zh]))].sort();
  return [
    `provider "${PROVIDER_ADDRESS}" {`,
    `  version     = "${version}"`,
    `  constraints = "${constraints}"`,
    '  hashes = [',
    ...hashes.map((h) => `    "${h}",`),
    '  ]',
    '}',
    '',
  ].join('\n');
}

/** The lock file with our provider's entry set, every other provider's entry kept as it was. */
export function mergeLockFile(existing: string | undefined, entry: string): string {
  const blocks = [...(existing ?? '').matchAll(/^provider "([^"]+)" \{\n[\s\S]*?^\}\n/gm)]
    .filter((m) => m[1] !== PROVIDER_ADDRESS)
    .map((m) => ({ address: m[1]!, text: m[0] }));
  blocks.push({ address: PROVIDER_ADDRESS, text: entry });
  blocks.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return `${HEADER}\n${blocks.map((b) => b.text).join('\n')}`;
}
