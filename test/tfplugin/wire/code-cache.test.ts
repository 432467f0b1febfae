import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildSync } from 'esbuild';
import { dirname, join } from 'node:path';
import { PROVIDER } from '../../helpers/built-provider';
import { runOk } from '../../helpers/child';

/**
 * The module as the plugin runs it, bundled into plain JavaScript: run through tsx, a start would
 * spend tens of milliseconds of CPU in tsx's own loader after start-up, which counts as work.
 */
const MODULE = join(mkdtempSync(join(tmpdir(), 'code-cache-module-')), 'code-cache.js');
test.before(() => {
  buildSync({
    entryPoints: [join(__dirname, '../../../src/tfplugin/wire/code-cache.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: MODULE,
    logLevel: 'warning',
  });
});
test.after.always(() => rmSync(dirname(MODULE), { recursive: true, force: true }));

/** In a fresh node, as the plugin executable runs: the script's stdout, once the process has ended. */
async function node(script: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const args = ['-e', `const cache = require(${JSON.stringify(MODULE)}); ${script}`];
  return (await runOk(process.execPath, args, { env: { ...process.env, ...env } })).stdout;
}

/**
 * A start of `bundle` whose flags say when they are set (with the number of files in the cache folder
 * then) and reset: V8's flags may change only once the cache is dealt with, and must be V8's defaults
 * again when a cache is written at exit.
 */
function starter(bundle: string, cacheDir: string) {
  const flags = `{
    set: () => { console.log('set', require('node:fs').readdirSync(${JSON.stringify(cacheDir)}).length); require('node:v8').setFlagsFromString('--no-opt'); },
    reset: () => { console.log('reset'); require('node:v8').setFlagsFromString('--opt'); },
  }`;
  return (env: NodeJS.ProcessEnv = {}) =>
    node(`console.log(cache.runWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}, ${flags}))`, env);
}

/** A bundle of this source in a temporary folder, its cache folder beside it, and a start of it. */
function bundleOf(t: ExecutionContext, source: string) {
  const dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'bundle.js');
  const cacheDir = join(dir, 'cache');
  writeFileSync(bundle, source);
  return { dir, cacheDir, start: starter(bundle, cacheDir) };
}

test('a bundle runs as a CommonJS module; the first start writes the cache outside the package, later starts use it, a foreign one is replaced', async (t) => {
  // Alive past the cache's write, as a provider is while Terraform talks to it.
  const { dir, cacheDir, start } = bundleOf(
    t,
    "const { basename } = require('node:path');\nmodule.exports = 1;\nprocess.stdout.write(`ran ${basename(__filename)} ${typeof exports}\\n`);\nsetTimeout(() => {}, 600);\n",
  );

  t.is(await start(), 'ran bundle.js object\nnone\nset 1\n', 'flags set once the cache is written');
  const [file] = readdirSync(cacheDir);
  t.regex(file!, new RegExp(`^[0-9a-f]{32}-${process.version}\\.cache$`));
  t.deepEqual(readdirSync(dir).sort(), ['bundle.js', 'cache'], 'nothing is written beside the bundle');
  t.is(await start(), 'ran bundle.js object\nused\nset 1\n');

  writeFileSync(join(cacheDir, file!), 'written by some other node');
  t.is(await start(), 'ran bundle.js object\nrejected\nset 1\n');
  t.is(await start(), 'ran bundle.js object\nused\nset 1\n', 'the rejected cache was written anew');
});

test('a working start writes the cache again at its exit, with the functions its work compiled, under V8 default flags; only more work writes it again', async (t) => {
  // Alive until the cache is there (bounded), then WORK=<ms> makes it a working start, whose calls take
  // that much CPU in a function that a short start never runs.
  const { cacheDir, start } = bundleOf(
    t,
    `function work(ms) {
      const from = process.cpuUsage();
      for (let spent = 0; spent < ms * 1000; ) spent = process.cpuUsage(from).user + process.cpuUsage(from).system;
    }
    let polls = 0;
    const poll = setInterval(() => {
      const cached = require('node:fs').existsSync(require('node:path').join(__dirname, 'cache'));
      if (!cached && ++polls < 500) return;
      clearInterval(poll);
      if (process.env.WORK) work(Number(process.env.WORK));
    }, 20);
    `,
  );
  const cacheFile = () => readFileSync(join(cacheDir, readdirSync(cacheDir)[0]!));

  t.is(await start(), 'none\nset 1\n', 'a short start writes it after start-up, not at its exit');
  const afterStartUp = cacheFile();
  t.is(await start(), 'used\nset 1\n');
  t.deepEqual(cacheFile(), afterStartUp, 'a start that used it and did little leaves it');

  t.is(await start({ WORK: '200' }), 'used\nset 1\nreset\n');
  const afterWork = cacheFile();
  t.true(afterWork.length > afterStartUp.length, 'it holds the functions the work compiled too');
  t.is(await start({ WORK: '200' }), 'used\nset 1\n', 'written under the default flags: used, and kept');
  t.deepEqual(cacheFile(), afterWork);
  t.is(await start(), 'used\nset 1\n');
  t.deepEqual(cacheFile(), afterWork);
  t.is(await start({ WORK: '500' }), 'used\nset 1\nreset\n', 'more than half as much again: written again');
  t.is(await start({ WORK: '500' }), 'used\nset 1\n');
});

test('the provider bundle is ASCII, which V8 holds as one byte per character', (t) => {
  const bundle = readFileSync(join(dirname(PROVIDER), 'provider.js'));
  const first = bundle.findIndex((byte) => byte > 0x7f);
  t.is(first, -1, `non-ASCII at ${bundle.subarray(Math.max(0, first - 40), first + 10).toString()}`);
});
