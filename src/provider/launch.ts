import { join } from 'node:path';
import { runWithCodeCache, writeCodeCache } from '../tfplugin/code-cache';

/**
 * Started by the plugin executable (executable.sh): the provider itself is `provider.js` beside it,
 * run through its V8 code cache. `make provider` runs this once with --write-code-cache to write it.
 */
const bundle = join(__dirname, 'provider.js');
if (process.argv[2] === '--write-code-cache') writeCodeCache(bundle);
else runWithCodeCache(bundle);
