import test from 'ava';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MirrorError, platformPackages } from '../../src/release/provider-package';
import { PLATFORMS, VERSION, releaseFile } from '../../src/version';
import { ROOT, scratchDir } from '../helpers/project';

/** `make release`'s script into a scratch folder. */
function release(t: Parameters<typeof scratchDir>[0]): string {
  const out = scratchDir(t, 'release');
  execFileSync(process.execPath, ['--import=tsx', join(ROOT, 'src/release/main.ts'), '--out', out], { cwd: ROOT });
  return out;
}

const lockHashes = (lock: string) => [...lock.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((m) => m[1]!).sort();

test('the release holds a zip per platform, SHA256SUMS, the registry manifest and a network-mirror layout', (t) => {
  const out = release(t);
  const zips = PLATFORMS.map((p) => releaseFile(`${p}.zip`));
  t.deepEqual(
    readdirSync(out).sort(),
    [
      ...zips.slice(0, 2),
      `terraform-provider-dodb_${VERSION}_SHA256SUMS`,
      ...zips.slice(2),
      `terraform-provider-dodb_${VERSION}_manifest.json`,
      'mirror',
    ].sort(),
  );
  const sums = readFileSync(join(out, `terraform-provider-dodb_${VERSION}_SHA256SUMS`), 'utf8')
    .trim()
    .split('\n');
  t.is(sums.length, 5);
  for (const line of sums) {
    const [sum, name] = line.split('  ');
    t.is(
      createHash('sha256')
        .update(readFileSync(join(out, name!)))
        .digest('hex'),
      sum,
      name,
    );
  }
  t.deepEqual(JSON.parse(readFileSync(join(out, `terraform-provider-dodb_${VERSION}_manifest.json`), 'utf8')), {
    version: 1,
    metadata: { protocol_versions: ['6.0'] },
  });
  const mirror = join(out, 'mirror/registry.terraform.io/dodb/dodb');
  t.deepEqual(JSON.parse(readFileSync(join(mirror, 'index.json'), 'utf8')), { versions: { [VERSION]: {} } });
  const archives = JSON.parse(readFileSync(join(mirror, `${VERSION}.json`), 'utf8')).archives;
  t.deepEqual(Object.keys(archives).sort(), PLATFORMS);
  for (const p of PLATFORMS) {
    const zip = readFileSync(join(mirror, archives[p].url));
    t.deepEqual(archives[p].hashes, [`zh:${createHash('sha256').update(zip).digest('hex')}`]);
  }
});

test("dodb lock records the h1: of every platform's package and the zh: of every zip the release serves", (t) => {
  const out = release(t);
  const mine = scratchDir(t, 'dodb-lock');
  execFileSync(join(ROOT, 'dist/dodb.js'), ['lock', '--dir', mine]);
  const archives = JSON.parse(
    readFileSync(join(out, `mirror/registry.terraform.io/dodb/dodb/${VERSION}.json`), 'utf8'),
  ).archives;
  const h1 = platformPackages(join(ROOT, 'dist/mirror'), VERSION).map((p) => p.h1);
  const zh = PLATFORMS.map((p) => archives[p].hashes[0] as string);
  t.deepEqual(lockHashes(readFileSync(join(mine, '.terraform.lock.hcl'), 'utf8')), [...new Set([...h1, ...zh])].sort());
});

test('a mirror without a platform is reported with what to do, before anything is written', (t) => {
  const mirror = scratchDir(t, 'partial-mirror');
  mkdirSync(join(mirror, `registry.terraform.io/dodb/dodb/${VERSION}/linux_amd64`), { recursive: true });
  const error = t.throws(() => platformPackages(mirror, VERSION), { instanceOf: MirrorError });
  t.regex(error!.message, /no darwin_amd64 package at .*: build it with `make provider`/);
});
