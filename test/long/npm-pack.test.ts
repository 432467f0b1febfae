import test from 'ava';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from '../helpers/child';
import { ROOT } from '../helpers/project';
import { NPM_FLAGS, outsideDir, sh } from '../helpers/package';

test('npm pack of a fresh clone with nothing installed installs the tools, builds and writes the tarball', async (t) => {
  const commit = (await sh(ROOT, 'git', ['rev-parse', 'HEAD'])).trim();
  const clone = join(outsideDir(t, 'fresh-clone'), 'dodb');
  await sh(ROOT, 'git', ['clone', '--quiet', ROOT, clone]);
  await sh(clone, 'git', ['checkout', '--quiet', commit]);
  t.false(existsSync(join(clone, 'node_modules')), 'the clone starts with nothing installed');

  // The README's line, run from the user's project folder.
  const project = outsideDir(t, 'pack-user');
  const output = await sh(project, 'npm', ['pack', clone]);
  t.false(output.includes('npx'), `no tool runs through npx (which would fetch the wrong tsc):\n${output}`);
  const tarballs = readdirSync(project).filter((f) => f.endsWith('.tgz'));
  const { version } = JSON.parse((await runOk('git', ['show', `${commit}:package.json`], { cwd: ROOT })).stdout);
  t.deepEqual(tarballs, [`dodb-${version}.tgz`]);

  const listing = (await sh(project, 'tar', ['-tzf', tarballs[0]!])).split('\n');
  const shipped = [
    'package/dist/lib/index.js',
    'package/dist/lib/index.d.ts',
    'package/dist/dodb.js',
    'package/LICENSE',
  ];
  t.deepEqual(
    shipped.filter((file) => !listing.includes(file)),
    [],
    'missing from the tarball',
  );
  writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
  await sh(project, 'npm', ['install', ...NPM_FLAGS, `./${tarballs[0]}`]);
  t.regex(await sh(project, 'npx', ['dodb', 'version']), /^dodb \d+\.\d+\.\d+/);
});
