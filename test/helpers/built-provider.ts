import { join } from 'node:path';
import { PROVIDER_ADDRESS, VERSION, providerBinary } from '../../src/version';
import { ROOT } from './project';

const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** The built provider for this machine, where `make provider` lays it out in the checkout's mirror. */
export const PROVIDER = join(ROOT, 'dist/mirror', PROVIDER_ADDRESS, VERSION, PLATFORM, providerBinary());

/** The built CLI (`make build`), an executable script run by the `node` on the PATH. */
export const DODB = join(ROOT, 'dist/dodb.js');
