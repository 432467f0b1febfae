import test from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from '../helpers/child';
import { ROOT } from '../helpers/project';
import { NPM_FLAGS, outsideDir, sh } from '../helpers/package';
import { PLATFORMS, PROVIDER_ADDRESS, providerBinary } from '../../src/version';

test('installed from git, the package is built on install: bindings, CLI and every platform of the provider', async (t) => {
  t.timeout(10 * 60_000);
  const commit = (await runOk('git', ['rev-parse', 'HEAD'], { cwd: ROOT })).stdout.trim();
  const dir = outsideDir(t, 'git-install');
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  await sh(dir, 'npm', ['install', ...NPM_FLAGS, `git+file://${ROOT}#${commit}`]);
  const pkg = join(dir, 'node_modules/dodb');
  const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version as string;
  for (const platform of PLATFORMS) {
    t.true(
      existsSync(join(pkg, `dist/mirror/${PROVIDER_ADDRESS}/${version}/${platform}/${providerBinary(version)}`)),
      platform,
    );
  }
  for (const file of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/online-migration/index.d.ts'])
    t.true(existsSync(join(pkg, file)), file);
  t.false(existsSync(join(pkg, 'src')), 'sources stay out of the package');
  t.regex(await sh(dir, 'npx', ['dodb', 'terraformrc']), new RegExp(`path\\s+= "${join(pkg, 'dist/mirror')}"`));
  t.regex(await sh(dir, 'npx', ['dodb', 'lock']), /with h1: and zh: hashes/);
});
