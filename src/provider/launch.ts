import { join } from 'node:path';
import { runWithCodeCache, writeCodeCache } from '../tfplugin/code-cache';

/**
 * The plugin executable: the provider itself is `provider.js` beside it, started through its V8
 * code cache. `make provider` runs it once with --write-code-cache to write that cache.
 */
const bundle = join(__dirname, 'provider.js');
if (process.argv[2] === '--write-code-cache') writeCodeCache(bundle);
else runWithCodeCache(bundle);
