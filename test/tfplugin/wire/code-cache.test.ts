import test from 'ava';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROVIDER } from '../../helpers/built-provider';
import { runOk } from '../../helpers/child';

const MODULE = join(__dirname, '../../../src/tfplugin/wire/code-cache.ts');

/** In a fresh node, as the plugin executable runs: the script's stdout, once the process has ended. */
async function node(script: string): Promise<string> {
  const args = ['--import=tsx', '-e', `const cache = require(${JSON.stringify(MODULE)}); ${script}`];
  return (await runOk(process.execPath, args)).stdout;
}

test('a bundle runs as a CommonJS module; the first start writes the cache outside the package, later starts use it, a foreign one is replaced', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'bundle.js');
  const cacheDir = join(dir, 'cache');
  // Alive past the cache's write, as a provider is while Terraform talks to it.
  writeFileSync(
    bundle,
    "const { basename } = require('node:path');\nmodule.exports = 1;\nprocess.stdout.write(`ran ${basename(__filename)} ${typeof exports}\\n`);\nsetTimeout(() => {}, 600);\n",
  );
  // `settled` says what the cache folder holds when it runs: V8's flags may change only from then on.
  const settled = `() => console.log('settled', require('node:fs').readdirSync(${JSON.stringify(cacheDir)}).length)`;
  const start = () =>
    node(`console.log(cache.runWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}, ${settled}))`);

  t.is(await start(), 'ran bundle.js object\nnone\nsettled 1\n', 'settled once the cache is written');
  const [file] = readdirSync(cacheDir);
  t.regex(file!, new RegExp(`^[0-9a-f]{32}-${process.version}\\.cache$`));
  t.deepEqual(readdirSync(dir).sort(), ['bundle.js', 'cache'], 'nothing is written beside the bundle');
  t.is(await start(), 'ran bundle.js object\nused\nsettled 1\n');

  writeFileSync(join(cacheDir, file!), 'written by some other node');
  t.is(await start(), 'ran bundle.js object\nrejected\nsettled 1\n');
  t.is(await start(), 'ran bundle.js object\nused\nsettled 1\n', 'the rejected cache was written anew');
});

test('the provider bundle is ASCII, which V8 holds as one byte per character', (t) => {
  const bundle = readFileSync(join(dirname(PROVIDER), 'provider.js'));
  const first = bundle.findIndex((byte) => byte > 0x7f);
  t.is(first, -1, `non-ASCII at ${bundle.subarray(Math.max(0, first - 40), first + 10).toString()}`);
});
