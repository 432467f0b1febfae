import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/project';
import { NPM_FLAGS, outsideDir, sh } from '../helpers/package';

test('npm pack of a fresh clone with nothing installed installs the tools, builds and writes the tarball', async (t) => {
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const clone = join(outsideDir(t, 'fresh-clone'), 'dodb');
  await sh(ROOT, 'git', ['clone', '--quiet', ROOT, clone]);
  await sh(clone, 'git', ['checkout', '--quiet', commit]);
  t.false(existsSync(join(clone, 'node_modules')), 'the clone starts with nothing installed');

  // The README's line, run from the user's project folder.
  const project = outsideDir(t, 'pack-user');
  const output = await sh(project, 'npm', ['pack', clone]);
  t.false(output.includes('npx'), `no tool runs through npx (which would fetch the wrong tsc):\n${output}`);
  const tarballs = readdirSync(project).filter((f) => f.endsWith('.tgz'));
  t.deepEqual(tarballs, [
    `dodb-${JSON.parse(execFileSync('git', ['show', `${commit}:package.json`], { cwd: ROOT, encoding: 'utf8' })).version}.tgz`,
  ]);

  const listing = execFileSync('tar', ['-tzf', join(project, tarballs[0]!)], { encoding: 'utf8' });
  for (const file of [
    'package/dist/lib/index.js',
    'package/dist/lib/index.d.ts',
    'package/dist/dodb.js',
    'package/LICENSE',
  ])
    t.true(listing.includes(file), file);
  writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
  await sh(project, 'npm', ['install', ...NPM_FLAGS, `./${tarballs[0]}`]);
  t.regex(await sh(project, 'npx', ['dodb', 'version']), /^dodb \d+\.\d+\.\d+/);
});
