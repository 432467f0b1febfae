import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './project';

/** The package's version: the one `make provider` puts in the provider's file name and mirror path. */
export const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

/** The platforms the package ships the provider for (the Makefile's PLATFORMS), sorted. */
export const PLATFORMS = ['darwin_amd64', 'darwin_arm64', 'linux_amd64', 'linux_arm64'];

const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** The built provider for this machine, where `make provider` lays it out in the checkout's mirror. */
export const PROVIDER = join(
  ROOT,
  `dist/mirror/registry.terraform.io/dodb/dodb/${VERSION}/${PLATFORM}/terraform-provider-dodb_v${VERSION}`,
);

/** The built CLI (`make build`), an executable script run by the `node` on the PATH. */
export const DODB = join(ROOT, 'dist/dodb.js');
