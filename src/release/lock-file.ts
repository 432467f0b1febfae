import { PROVIDER_ADDRESS } from '../version';
import type { PlatformPackage } from './provider-package';

const HEADER =
  '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n';

/**
 * A version constraint in the normalized form Terraform requires of a lock file ("~> 0.1, < 1.0.0":
 * every version but a `~>` one written with three parts, `=` left out), or undefined when it is not
 * a constraint.
 */
export function normalizedConstraint(constraint: string): string | undefined {
  const parts = constraint
    .split(',')
    .map((part) => /^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+){0,2})(-[0-9a-z.-]+)?\s*$/i.exec(part));
  if (parts.some((m) => !m)) return undefined;
  return parts
    .map((m) => {
      const [, op = '=', version, prerelease = ''] = m!;
      const segments = version!.split('.');
      while (op !== '~>' && segments.length < 3) segments.push('0');
      return `${op === '=' ? '' : `${op} `}${segments.join('.')}${prerelease}`;
    })
    .join(', ');
}

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
