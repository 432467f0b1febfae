import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** How long after start-up the cache is written: by then the functions every start needs have run. */
const WRITE_AFTER_MS = 300;

/**
 * A CommonJS bundle run through V8's code cache: the plugin starts several times per terraform
 * command, and compiling the bundle is a good part of each start. The cache is not part of the
 * package (V8 writes different bytes on every build, and the package's h1: hash must not change):
 * the first start on a machine writes it into `cacheDir`, named by the Node version and the
 * bundle's content (every copy of one bundle shares it), and later starts use it. Any problem with
 * it only means compiling as usual.
 *
 * `settled` runs once the cache is dealt with (used, or written), after the start-up's own work:
 * from then on V8's flags may change. V8 stamps every code cache with a hash of all its flags, so a
 * flag changed earlier would make every later start reject the cache it reads.
 */
export function runWithCodeCache(
  bundle: string,
  cacheDir: string,
  settled: () => void = () => {},
): 'used' | 'rejected' | 'none' {
  // Hashed as read: hashing the decoded text would encode all of it to UTF-8 again, at every start.
  const bytes = readFileSync(bundle);
  const file = join(
    cacheDir,
    `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}-${process.version}.cache`,
  );
  const source = bytes.toString('utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    // No cache yet.
  }
  const script = compile(source, bundle, cachedData);
  run(script, bundle);
  if (cachedData && !script.cachedDataRejected) {
    setImmediate(settled);
    return 'used';
  }
  setTimeout(() => {
    writeQuietly(file, script);
    settled();
  }, WRITE_AFTER_MS).unref();
  return cachedData ? 'rejected' : 'none';
}

/** Written whole or not at all: a start that reads it half-written would only lose the cache. */
function writeQuietly(file: string, script: Script): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData());
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
