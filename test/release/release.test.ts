import test, { type ExecutionContext } from 'ava';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MirrorError, platformPackages } from '../../src/release/provider-package';
import { PLATFORMS, VERSION, releaseFile } from '../../src/version';
import { DODB } from '../helpers/built-provider';
import { run, runOk } from '../helpers/child';
import { NO_API } from '../helpers/constants';
import { ROOT, scratchDir } from '../helpers/project';
import { workspace } from '../helpers/terraform';

/** `make release`'s script into a scratch folder. */
async function release(
  t: Parameters<typeof scratchDir>[0],
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  const out = scratchDir(t, 'release');
  await runOk(process.execPath, ['--import=tsx', join(ROOT, 'src/release/main.ts'), '--out', out, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  return out;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A GnuPG home of its own (a throwaway keyring), its agent stopped after the test. */
function gnupgHome(t: Parameters<typeof scratchDir>[0]): NodeJS.ProcessEnv {
  const env = { ...process.env, GNUPGHOME: scratchDir(t, 'gpg') };
  chmodSync(env.GNUPGHOME, 0o700);
  t.teardown(async () => void (await run('gpgconf', ['--kill', 'all'], { env })));
  return env;
}

const gpg = (env: NodeJS.ProcessEnv, args: string[]) => run('gpg', ['--batch', ...args], { env });

/** A throwaway signing key in `env`'s keyring, with `passphrase` (none when empty). */
async function signingKey(t: ExecutionContext, env: NodeJS.ProcessEnv, uid: string, passphrase = '') {
  const ask = passphrase ? ['--pinentry-mode', 'loopback'] : [];
  const made = await gpg(env, [...ask, '--passphrase', passphrase, '--quick-gen-key', uid, 'ed25519', 'sign', 'never']);
  t.is(made.code, 0, made.stderr);
}

const lockHashes = (lock: string) => [...lock.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((m) => m[1]!).sort();

test('the release holds a zip per platform, SHA256SUMS, the registry manifest and a network-mirror layout', async (t) => {
  const out = await release(t);
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

test('with a GPG key, the release signs SHA256SUMS: gpg --verify accepts it with the exported public key, and refuses a changed file', async (t) => {
  const signer = gnupgHome(t);
  await signingKey(t, signer, 'dodb release test <release@example.invalid>');
  const out = await release(t, ['--gpg-key', 'release@example.invalid'], { GNUPGHOME: signer.GNUPGHOME });
  const sums = join(out, `terraform-provider-dodb_${VERSION}_SHA256SUMS`);

  // A teammate's keyring: only the public key the release wrote.
  const teammate = gnupgHome(t);
  t.is((await gpg(teammate, ['--import', join(out, 'signing-key.asc')])).code, 0);
  const verified = await gpg(teammate, ['--verify', `${sums}.sig`, sums]);
  t.is(verified.code, 0, verified.stderr);
  t.regex(verified.stderr, /Good signature from "dodb release test <release@example.invalid>"/);

  appendFileSync(sums, `${'0'.repeat(64)}  extra.zip\n`);
  t.is((await gpg(teammate, ['--verify', `${sums}.sig`, sums])).code, 1, 'a changed SHA256SUMS fails the check');
});

test('a GPG key with a passphrase signs with GPG_PASSPHRASE, given to gpg on its standard input', async (t) => {
  const env = gnupgHome(t);
  await signingKey(t, env, 'dodb pp <pp@example.invalid>', 'release-pass');
  const out = await release(t, ['--gpg-key', 'pp@example.invalid'], {
    GNUPGHOME: env.GNUPGHOME,
    GPG_PASSPHRASE: 'release-pass',
  });
  const sums = join(out, `terraform-provider-dodb_${VERSION}_SHA256SUMS`);
  const verified = await gpg(env, ['--verify', `${sums}.sig`, sums]);
  t.is(verified.code, 0, verified.stderr);
});

test('a GPG key that is not in the keyring fails the release, naming GPG_KEY_ID', async (t) => {
  const env = gnupgHome(t);
  const args = ['--out', scratchDir(t, 'release'), '--gpg-key', 'nobody@example.invalid'];
  const failed = await run(process.execPath, ['--import=tsx', join(ROOT, 'src/release/main.ts'), ...args], {
    cwd: ROOT,
    env,
  });
  t.is(failed.code, 1);
  t.regex(failed.stderr, /^release: signing with GPG_KEY_ID=nobody@example.invalid failed: /);
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
