import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

/**
 * The certificate authorities Node would have trusted with NODE_EXTRA_CA_CERTS, which the plugin
 * executable moves to TFPLUGIN_EXTRA_CA_CERTS (see executable.sh): Node's own roots and that file.
 * Undefined when there is no such file, and Node's defaults apply.
 */
export function extraCaCertificates(env: NodeJS.ProcessEnv, warn: (message: string) => void): string[] | undefined {
  const file = env.TFPLUGIN_EXTRA_CA_CERTS;
  if (!file) return undefined;
  try {
    return [...rootCertificates, readFileSync(file, 'utf8')];
  } catch (error) {
    // As Node does with a NODE_EXTRA_CA_CERTS it cannot read: say so, and go on with its roots.
    warn(`Ignoring extra certs from ${file}, load failed: ${(error as Error).message}`);
    return undefined;
  }
}
