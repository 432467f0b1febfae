import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { type PackageFile, packageHashV1, zipHash } from './dirhash';
import { PLATFORMS, PROVIDER_ADDRESS, releaseFile } from '../version';
import { storedZip } from './zip';
import { DodbError } from '../errors';

export interface PlatformPackage {
  platform: string;
  files: PackageFile[];
  /** Hash of the unpacked package (filesystem mirror, .terraform/providers). */
  h1: string;
  /** The archive a registry or network mirror serves, `terraform-provider-dodb_<version>_<platform>.zip`. */
  zipName: string;
  zip: Buffer;
  zh: string;
}

/** The mirror is not built or not installed: said plainly, with what to do. */
export class MirrorError extends DodbError<'mirror'> {
  constructor(message: string) {
    super('mirror', message);
  }
}

/**
 * The folder of the installed dodb package (or of the checkout): the nearest package.json named dodb
 * above this module: dist/ once bundled into dist/dodb.js, src/release/ when run from source.
 */
export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'dodb') return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json of dodb above ${from}`);
  }
}

export const mirrorDir = (root = packageRoot()) => join(root, 'dist', 'mirror');

/** The packages of the given version, read from a filesystem mirror laid out the way Terraform reads one. */
export function platformPackages(mirrorDir: string, version: string): PlatformPackage[] {
  return PLATFORMS.map((platform) => {
    const dir = join(mirrorDir, PROVIDER_ADDRESS, version, platform);
    if (!existsSync(dir)) {
      throw new MirrorError(
        `the provider mirror has no ${platform} package at ${dir}: build it with \`make provider\` (in a checkout) or reinstall the dodb package`,
      );
    }
    const files = listFiles(dir).map((path) => ({
      name: relative(dir, path).split(sep).join('/'),
      content: readFileSync(path),
    }));
    const zip = storedZip(files);
    return {
      platform,
      files,
      h1: packageHashV1(files),
      zipName: releaseFile(`${platform}.zip`, version),
      zip,
      zh: zipHash(zip),
    };
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}
