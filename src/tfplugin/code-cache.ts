import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Script } from 'node:vm';
import { MAGIC_COOKIE, MAGIC_COOKIE_KEY } from './cookie';

/**
 * A CommonJS bundle run through V8's code cache, kept beside it as `<bundle>.cache`: the plugin
 * starts several times per terraform command, and compiling the bundle is a good part of each
 * start. A cache written by another Node version is rejected by V8, and the bundle is then simply
 * compiled as usual.
 */
export function runWithCodeCache(bundle: string): 'used' | 'rejected' | 'none' {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${bundle}.cache`);
  } catch {
    // No cache: compile as Node would.
  }
  const script = compile(bundle, cachedData);
  run(script, bundle);
  if (!cachedData) return 'none';
  return script.cachedDataRejected ? 'rejected' : 'used';
}

/**
 * Build time: run the bundle as Terraform would until its start-up has written to stdout (the
 * plugin's handshake line) and done what it does right after (building its message types), so
 * that the functions all this needs are in the cache too; then write the cache and exit.
 */
export function writeCodeCache(bundle: string): void {
  process.env[MAGIC_COOKIE_KEY] = MAGIC_COOKIE;
  const script = compile(bundle, undefined);
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((...args: Parameters<typeof write>) => {
    setTimeout(() => {
      writeFileSync(`${bundle}.cache`, script.createCachedData());
      process.exit(0);
    }, 200);
    return write(...args);
  }) as typeof process.stdout.write;
  run(script, bundle);
}

/** The bundle wrapped as Node wraps a module, so that it sees the usual CommonJS names. */
function compile(bundle: string, cachedData: Buffer | undefined): Script {
  const source = readFileSync(bundle, 'utf8');
  // Named without its folder: the cache then does not depend on where the package was built or installed.
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: basename(bundle), cachedData });
}

function run(script: Script, bundle: string): void {
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, bundle, dirname(bundle));
}
