import { join } from 'node:path';
import { MAGIC_COOKIE, MAGIC_COOKIE_KEY } from '../../src/tfplugin/wire/cookie';
import { PROVIDER_ADDRESS, VERSION, providerBinary } from '../../src/version';
import { ROOT } from './project';

const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** The built provider for this machine, where `make provider` lays it out in the checkout's mirror. */
export const PROVIDER = join(ROOT, 'dist/mirror', PROVIDER_ADDRESS, VERSION, PLATFORM, providerBinary());

/** The environment entry Terraform sets when it starts a plugin (go-plugin's magic cookie). */
export const COOKIE = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE };
