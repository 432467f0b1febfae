import './check-node';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runWithCodeCache } from '../tfplugin/wire/code-cache';

/**
 * V8's defaults are made for processes that live long; a provider lives for one terraform command.
 * Each flag is set beside the value that takes it back to V8's default. They are set at run time,
 * once the code cache is dealt with, not on node's command line: any V8 flag there makes Node
 * compile its own modules without their built-in code cache, which costs more than the whole
 * start-up of the provider.
 */
const SHORT_LIFE_FLAGS: [set: string, reset: string][] = [
  // V8 lets the young generation grow to 32 MB when a process allocates fast, as the start that
  // serves a plan's hundreds of calls does: most of its peak RSS. Kept at its starting 2 MB, the
  // short garbage collections it takes instead cost no measurable CPU.
  ['--semi-space-growth-factor=1', '--semi-space-growth-factor=2'],
  // No optimizing compiler (TurboFan): in the start that serves a 200-migration plan, compiling its
  // hot functions cost more CPU than the optimized code saved (1.3 s with it, 1.1 s without), and
  // ~7 MB of peak RSS. Functions still tier up to Sparkplug's baseline code.
  ['--no-opt', '--opt'],
];

/**
 * Started by the plugin executable (executable.sh): the provider itself is `provider.js` beside it,
 * run through a V8 code cache kept in the user's cache folder.
 */
const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dodb');
runWithCodeCache(join(__dirname, 'provider.js'), cacheDir, {
  set: () => setFlags(SHORT_LIFE_FLAGS.map(([set]) => set)),
  reset: () => setFlags(SHORT_LIFE_FLAGS.map(([, reset]) => reset)),
});

function setFlags(flags: string[]): void {
  const v8 = require('node:v8') as typeof import('node:v8');
  for (const flag of flags) v8.setFlagsFromString(flag);
}
