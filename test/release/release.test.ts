import test from 'ava';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MirrorError, platformPackages } from '../../src/release/provider-package';
import { DODB, PLATFORMS, VERSION } from '../helpers/built-provider';
import { runOk } from '../helpers/child';
import { NO_API } from '../helpers/constants';
import { ROOT, scratchDir } from '../helpers/project';
import { workspace } from '../helpers/terraform';

/** `make release`'s script into a scratch folder. */
async function release(t: Parameters<typeof scratchDir>[0]): Promise<string> {
  const out = scratchDir(t, 'release');
  await runOk(process.execPath, ['--import=tsx', join(ROOT, 'src/release/main.ts'), '--out', out], { cwd: ROOT });
  return out;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const lockHashes = (lock: string) => [...lock.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((m) => m[1]!).sort();

test('the release holds a zip per platform, SHA256SUMS, the registry manifest and a network-mirror layout', async (t) => {
  const out = await release(t);
  const zips = PLATFORMS.map((p) => `terraform-provider-dodb_${VERSION}_${p}.zip`);
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
    t.is(sha256(join(out, name!)), sum, name);
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
    t.deepEqual(archives[p].hashes, [`zh:${sha256(join(mirror, archives[p].url))}`]);
  }
});

test("dodb lock records the h1: terraform computes for every platform's package and the zh: of every zip the release serves", async (t) => {
  const out = await release(t);
  const mine = scratchDir(t, 'dodb-lock');
  await runOk(DODB, ['lock', '--dir', mine]);
  // Terraform's own reading of the same mirror: the h1: of each platform's package.
  const ws = workspace(t, NO_API);
  ws.write({ 'main.tf': `terraform {\n  required_providers {\n    dodb = { source = "dodb/dodb" }\n  }\n}\n` });
  const platforms = PLATFORMS.map((p) => `-platform=${p}`);
  const locked = await ws.run(['providers', 'lock', `-fs-mirror=${join(ROOT, 'dist/mirror')}`, ...platforms]);
  t.is(locked.code, 0, locked.output);
  const h1 = lockHashes(readFileSync(join(ws.dir, '.terraform.lock.hcl'), 'utf8'));
  t.true(h1.length > 0 && h1.every((hash) => hash.startsWith('h1:')), h1.join(' '));
  const zh = PLATFORMS.map((p) => `zh:${sha256(join(out, `terraform-provider-dodb_${VERSION}_${p}.zip`))}`);
  t.deepEqual(lockHashes(readFileSync(join(mine, '.terraform.lock.hcl'), 'utf8')), [...new Set([...h1, ...zh])].sort());
});

test('a mirror without a platform is reported with what to do, before anything is written', (t) => {
  const mirror = scratchDir(t, 'partial-mirror');
  mkdirSync(join(mirror, `registry.terraform.io/dodb/dodb/${VERSION}/linux_amd64`), { recursive: true });
  const error = t.throws(() => platformPackages(mirror, VERSION), { instanceOf: MirrorError });
  t.regex(error!.message, /no darwin_amd64 package at .*: build it with `make provider`/);
});
