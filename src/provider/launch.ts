import './check-node';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runWithCodeCache } from '../tfplugin/wire/code-cache';

/**
 * Started by the plugin executable (executable.sh): the provider itself is `provider.js` beside it,
 * run through a V8 code cache kept in the user's cache folder.
 */
const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dodb');
runWithCodeCache(join(__dirname, 'provider.js'), cacheDir, tuneV8ForAShortLife);

/**
 * V8's defaults are made for processes that live long; a provider lives for one terraform command.
 * Set here, once the start-up is done, not on node's command line: any V8 flag there makes Node
 * compile its own modules without their built-in code cache, which costs more than the whole
 * start-up of the provider.
 */
function tuneV8ForAShortLife(): void {
  const v8 = require('node:v8') as typeof import('node:v8');
  // V8 lets the young generation grow to 32 MB when a process allocates fast, as the start that
  // serves a plan's hundreds of calls does: most of its peak RSS. Kept at its starting 2 MB, the
  // short garbage collections it takes instead cost no measurable CPU.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  // No optimizing compiler (TurboFan): in the start that serves a 200-migration plan, compiling its
  // hot functions cost more CPU than the optimized code saved (1.3 s without this, 1.1 s with), and
  // its compilations ~7 MB of peak RSS. Functions still tier up to Sparkplug's baseline code.
  v8.setFlagsFromString('--no-opt');
}
