import './check-node';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runWithCodeCache } from '../tfplugin/wire/code-cache';

/**
 * Started by the plugin executable (executable.sh): the provider itself is `provider.js` beside it,
 * run through a V8 code cache kept in the user's cache folder.
 */
const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dodb');
runWithCodeCache(join(__dirname, 'provider.js'), cacheDir);
