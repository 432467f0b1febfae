import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROVIDER_ADDRESS, VERSION, releaseFile } from '../version';
import { mirrorDir, packageRoot, platformPackages } from './provider-package';

/**
 * `make release`: what a provider registry or a network mirror serves, from the built filesystem
 * mirror. Top level, as providers publish them: one zip per platform,
 * terraform-provider-dodb_<version>_manifest.json (terraform-registry-manifest.json) and
 * terraform-provider-dodb_<version>_SHA256SUMS. Under mirror/, the provider network mirror protocol's
 * layout: <hostname>/<namespace>/<type>/index.json and <version>.json, with the zips beside them.
 */
function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist/release' } } });
  const out = resolve(values.out);
  const root = packageRoot();
  const packages = platformPackages(mirrorDir(root), VERSION);
  rmSync(out, { recursive: true, force: true });
  const networkMirror = join(out, 'mirror', PROVIDER_ADDRESS);
  mkdirSync(networkMirror, { recursive: true });

  const manifestName = releaseFile('manifest.json');
  const artifacts = [
    ...packages.map((p) => ({ name: p.zipName, content: p.zip })),
    { name: manifestName, content: readFileSync(join(root, 'terraform-registry-manifest.json')) },
  ].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const a of artifacts) writeFileSync(join(out, a.name), a.content);
  for (const p of packages) writeFileSync(join(networkMirror, p.zipName), p.zip);
  const sums = artifacts.map((a) => `${createHash('sha256').update(a.content).digest('hex')}  ${a.name}\n`).join('');
  writeFileSync(join(out, releaseFile('SHA256SUMS')), sums);

  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(join(networkMirror, 'index.json'), json({ versions: { [VERSION]: {} } }));
  writeFileSync(
    join(networkMirror, `${VERSION}.json`),
    json({ archives: Object.fromEntries(packages.map((p) => [p.platform, { url: p.zipName, hashes: [p.zh] }])) }),
  );
  console.log(
    `release: ${packages.length} platforms of ${PROVIDER_ADDRESS} ${VERSION} in ${out} (network mirror under ${join(out, 'mirror')})`,
  );
}

main();
