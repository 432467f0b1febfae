import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAGIC_COOKIE, MAGIC_COOKIE_KEY } from '../../src/tfplugin/wire/cookie';
import { ROOT } from './project';

/** The package's version: the one `make provider` puts in the provider's file name and mirror path. */
export const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** The built provider for this machine, where `make provider` lays it out in the checkout's mirror. */
export const PROVIDER = join(
  ROOT,
  `dist/mirror/registry.terraform.io/dodb/dodb/${VERSION}/${PLATFORM}/terraform-provider-dodb_v${VERSION}`,
);

/** The environment entry Terraform sets when it starts a plugin (go-plugin's magic cookie). */
export const COOKIE = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE };
