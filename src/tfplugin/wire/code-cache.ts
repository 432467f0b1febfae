import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** How long after start-up the cache is written: by then the functions every start needs have run. */
const WRITE_AFTER_MS = 300;

/**
 * A start writes the cache again as it exits when it worked more after its start-up (CPU ms) than
 * this, and half as much again as the start that wrote the cache it read: a plan's refresh, an
 * apply (one migration's plan: 110-140 ms before its functions are cached, 70-80 after). Starts that
 * only answer a schema or validate a configuration take 30-60 ms.
 */
const WORK_CPU_MS = 100;
const MORE_WORK = 1.5;

/** A cache file begins with the CPU ms its writer had worked after start-up (0: written at start-up). */
const HEADER_BYTES = 4;

/** V8 flags a process changes once its cache is dealt with, and takes back before it writes one. */
export interface RunTimeFlags {
  set(): void;
  reset(): void;
}

const NO_FLAGS: RunTimeFlags = { set() {}, reset() {} };

/**
 * A CommonJS bundle run through V8's code cache: the plugin starts several times per terraform
 * command, and compiling the bundle is a good part of each start. The cache is not part of the
 * package (V8 writes different bytes on every build, and the package's h1: hash must not change):
 * the first start on a machine writes it into `cacheDir`, named by the Node version and the
 * bundle's content (every copy of one bundle shares it), and later starts use it. Any problem with
 * it only means compiling as usual.
 *
 * A cache holds the functions compiled by the time it is written. The one written shortly after
 * start-up holds what every start runs; a working start (see WORK_CPU_MS) writes it again as it
 * exits, with the functions its work compiled too (the API client, the resource calls), which later
 * working starts then do not compile. Each such write needs more work than the last, so a machine
 * sees a few of them at most, and then none.
 *
 * `flags.set` runs once the cache is dealt with (used, or written), after the start-up's own work;
 * `flags.reset` before a write at exit. V8 stamps every code cache with a hash of all its flags, so
 * a cache written, or read, under changed flags would be rejected by every later start.
 */
export function runWithCodeCache(
  bundle: string,
  cacheDir: string,
  flags: RunTimeFlags = NO_FLAGS,
): 'used' | 'rejected' | 'none' {
  // Hashed as read: hashing the decoded text would encode all of it to UTF-8 again, at every start.
  const bytes = readFileSync(bundle);
  const file = join(
    cacheDir,
    `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}-${process.version}.cache`,
  );
  const source = bytes.toString('utf8');
  let cache: Buffer | undefined;
  try {
    cache = readFileSync(file);
  } catch {
    // No cache yet.
  }
  const cachedData = cache && cache.length > HEADER_BYTES ? cache.subarray(HEADER_BYTES) : undefined;
  const script = compile(source, bundle, cachedData);
  run(script, bundle);
  const used = cachedData !== undefined && !script.cachedDataRejected;
  writeAtExitAfterWork(file, script, flags, used ? cache!.readUInt32LE(0) : 0);
  if (used) {
    setImmediate(flags.set);
    return 'used';
  }
  setTimeout(() => {
    writeQuietly(file, script, 0);
    flags.set();
  }, WRITE_AFTER_MS).unref();
  return cachedData ? 'rejected' : 'none';
}

function writeAtExitAfterWork(file: string, script: Script, flags: RunTimeFlags, cacheWork: number): void {
  const startedUp = process.cpuUsage();
  process.once('exit', () => {
    const { user, system } = process.cpuUsage(startedUp);
    const work = Math.round((user + system) / 1000);
    if (work < Math.max(WORK_CPU_MS, cacheWork * MORE_WORK)) return;
    flags.reset();
    writeQuietly(file, script, work);
  });
}

/** Written whole or not at all: a start that reads it half-written would only lose the cache. */
function writeQuietly(file: string, script: Script, work: number): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(Math.min(work, 0xffffffff));
    writeFileSync(temp, Buffer.concat([header, script.createCachedData()]));
    renameSync(temp, file);
  } catch {
    // A read-only or full disk costs the next start its cache, nothing else.
  }
}

/** The bundle wrapped as Node wraps a module, so that it sees the usual CommonJS names. */
function compile(source: string, bundle: string, cachedData: Buffer | undefined): Script {
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
}

function run(script: Script, bundle: string): void {
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, bundle, dirname(bundle));
}
