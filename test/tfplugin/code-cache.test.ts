import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MODULE = join(__dirname, '../../src/tfplugin/code-cache.ts');

/** In a fresh node, as the plugin executable runs: the script's stdout. */
function node(script: string): string {
  const run = spawnSync(process.execPath, ['--import=tsx', '-e', `const cache = require(${JSON.stringify(MODULE)}); ${script}`], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout;
}

test('a bundle runs as a CommonJS module through the cache written after its first output, and without a usable cache', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = join(dir, 'bundle.js');
  writeFileSync(bundle, "const { basename } = require('node:path');\nmodule.exports = 1;\nprocess.stdout.write(`ran ${basename(__filename)} ${typeof exports}\\n`);\n");

  t.is(node(`console.log(cache.runWithCodeCache(${JSON.stringify(bundle)}))`), 'ran bundle.js object\nnone\n');
  t.is(node(`cache.writeCodeCache(${JSON.stringify(bundle)})`), 'ran bundle.js object\n');
  t.true(existsSync(`${bundle}.cache`));
  t.is(node(`console.log(cache.runWithCodeCache(${JSON.stringify(bundle)}))`), 'ran bundle.js object\nused\n');

  writeFileSync(`${bundle}.cache`, 'written by some other node');
  t.is(node(`console.log(cache.runWithCodeCache(${JSON.stringify(bundle)}))`), 'ran bundle.js object\nrejected\n');
});
