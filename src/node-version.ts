import { engines } from '../package.json';

/** The oldest Node.js dodb runs on: `engines.node` of package.json (">=20.19"). */
export const MINIMUM_NODE = engines.node.replace(/^>=\s*/, '');

const parts = (version: string) => version.split('.').map((part) => Number.parseInt(part, 10) || 0);

/**
 * Why this Node.js is too old for `what`, or undefined when it is recent enough. Checked before
 * anything else runs: on an older Node the first symptom would otherwise be a crash deep inside, or
 * for the provider a Terraform error that blames the architecture.
 */
export function nodeTooOld(what: string, version = process.versions.node): string | undefined {
  const [have, need] = [parts(version), parts(MINIMUM_NODE)];
  const first = need.findIndex((n, i) => (have[i] ?? 0) !== n);
  if (first === -1 || (have[first] ?? 0) > need[first]!) return undefined;
  return (
    `${what} needs Node.js ${MINIMUM_NODE} or later, but the node on the PATH (${process.execPath}) is ${version}: ` +
    `put a newer node first on the PATH`
  );
}
