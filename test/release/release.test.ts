import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MirrorError, platformPackages } from '../../src/release/provider-package';
import { VERSION } from '../helpers/built-provider';
import { ROOT, scratchDir } from '../helpers/project';

const PLATFORMS = ['darwin_amd64', 'darwin_arm64', 'linux_amd64', 'linux_arm64'];

/** `make release`'s script into a scratch folder. */
function release(t: Parameters<typeof scratchDir>[0], args: string[] = [], env: NodeJS.ProcessEnv = {}): string {
  const out = scratchDir(t, 'release');
  execFileSync(process.execPath, ['--import=tsx', join(ROOT, 'src/release/main.ts'), '--out', out, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  return out;
}

/** A GnuPG home of its own (a throwaway keyring), its agent stopped after the test. */
function gnupgHome(t: Parameters<typeof scratchDir>[0]): NodeJS.ProcessEnv {
  const env = { ...process.env, GNUPGHOME: scratchDir(t, 'gpg') };
  chmodSync(env.GNUPGHOME, 0o700);
  t.teardown(() => void spawnSync('gpgconf', ['--kill', 'all'], { env }));
  return env;
}

const lockHashes = (lock: string) => [...lock.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((m) => m[1]!).sort();

test('the release holds a zip per platform, SHA256SUMS, the registry manifest and a network-mirror layout', (t) => {
  const out = release(t);
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

test('with a GPG key, the release signs SHA256SUMS: gpg --verify accepts it with the exported public key, and refuses a changed file', (t) => {
  const signer = gnupgHome(t);
  const gpg = (env: NodeJS.ProcessEnv, args: string[]) =>
    spawnSync('gpg', ['--batch', ...args], { env, encoding: 'utf8' });
  const made = gpg(signer, [
    '--passphrase',
    '',
    '--quick-gen-key',
    'dodb release test <release@example.invalid>',
    'ed25519',
    'sign',
    'never',
  ]);
  t.is(made.status, 0, made.stderr);
  const out = release(t, ['--gpg-key', 'release@example.invalid'], { GNUPGHOME: signer.GNUPGHOME });
  const sums = join(out, `terraform-provider-dodb_${VERSION}_SHA256SUMS`);

  // A teammate's keyring: only the public key the release wrote.
  const teammate = gnupgHome(t);
  t.is(gpg(teammate, ['--import', join(out, 'signing-key.asc')]).status, 0);
  const verified = gpg(teammate, ['--verify', `${sums}.sig`, sums]);
  t.is(verified.status, 0, verified.stderr);
  t.regex(verified.stderr, /Good signature from "dodb release test <release@example.invalid>"/);

  appendFileSync(sums, `${'0'.repeat(64)}  extra.zip\n`);
  t.is(gpg(teammate, ['--verify', `${sums}.sig`, sums]).status, 1, 'a changed SHA256SUMS fails the check');
});

test('a GPG key with a passphrase signs with GPG_PASSPHRASE, given to gpg on its standard input', (t) => {
  const env = gnupgHome(t);
  const made = spawnSync(
    'gpg',
    [
      '--batch',
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      'release-pass',
      '--quick-gen-key',
      'dodb pp <pp@example.invalid>',
      'ed25519',
      'sign',
      'never',
    ],
    { env, encoding: 'utf8' },
  );
  t.is(made.status, 0, made.stderr);
  const out = release(t, ['--gpg-key', 'pp@example.invalid'], {
    GNUPGHOME: env.GNUPGHOME,
    GPG_PASSPHRASE: 'release-pass',
  });
  const sums = join(out, `terraform-provider-dodb_${VERSION}_SHA256SUMS`);
  const verified = spawnSync('gpg', ['--batch', '--verify', `${sums}.sig`, sums], { env, encoding: 'utf8' });
  t.is(verified.status, 0, verified.stderr);
});

test('a GPG key that is not in the keyring fails the release, naming GPG_KEY_ID', (t) => {
  const env = gnupgHome(t);
  const run = spawnSync(
    process.execPath,
    [
      '--import=tsx',
      join(ROOT, 'src/release/main.ts'),
      '--out',
      scratchDir(t, 'release'),
      '--gpg-key',
      'nobody@example.invalid',
    ],
    { cwd: ROOT, env, encoding: 'utf8' },
  );
  t.is(run.status, 1);
  t.regex(run.stderr, /^release: signing with GPG_KEY_ID=nobody@example.invalid failed: /);
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
