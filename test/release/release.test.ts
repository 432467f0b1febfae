import test from 'ava';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { platformPackages } from '../../src/release/provider-package';
import { ROOT, scratchDir } from '../helpers/project';
import { workspace } from '../helpers/terraform';

const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
const PLATFORMS = ['darwin_amd64', 'darwin_arm64', 'linux_amd64', 'linux_arm64'];
const CONFIG = `terraform {\n  required_providers {\n    dodb = {\n      source  = "dodb/dodb"\n      version = "${VERSION}"\n    }\n  }\n}\n`;
const NO_API = { url: 'http://127.0.0.1:9', token: 'unused' };

/** `make release`'s script into a scratch folder. */
function release(t: Parameters<typeof scratchDir>[0]): string {
  const out = scratchDir(t, 'release');
  execFileSync(process.execPath, ['--import=tsx', join(ROOT, 'src/release/main.ts'), '--out', out], { cwd: ROOT });
  return out;
}

/** A test CA and a certificate for 127.0.0.1 signed by it (openssl), as a team's internal mirror has. */
function testCertificates(dir: string) {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=dodb test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext');
  return { ca: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) };
}

const lockHashes = (lock: string) => [...lock.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((m) => m[1]!).sort();

test('the release holds a zip per platform, SHA256SUMS, the registry manifest and a network-mirror layout', (t) => {
  const out = release(t);
  const zips = PLATFORMS.map((p) => `terraform-provider-dodb_${VERSION}_${p}.zip`);
  t.deepEqual(readdirSync(out).sort(), [...zips.slice(0, 2), `terraform-provider-dodb_${VERSION}_SHA256SUMS`, ...zips.slice(2), `terraform-provider-dodb_${VERSION}_manifest.json`, 'mirror'].sort());
  const sums = readFileSync(join(out, `terraform-provider-dodb_${VERSION}_SHA256SUMS`), 'utf8').trim().split('\n');
  t.is(sums.length, 5);
  for (const line of sums) {
    const [sum, name] = line.split('  ');
    t.is(createHash('sha256').update(readFileSync(join(out, name!))).digest('hex'), sum, name);
  }
  t.deepEqual(JSON.parse(readFileSync(join(out, `terraform-provider-dodb_${VERSION}_manifest.json`), 'utf8')), { version: 1, metadata: { protocol_versions: ['6.0'] } });
  const mirror = join(out, 'mirror/registry.terraform.io/dodb/dodb');
  t.deepEqual(JSON.parse(readFileSync(join(mirror, 'index.json'), 'utf8')), { versions: { [VERSION]: {} } });
  const archives = JSON.parse(readFileSync(join(mirror, `${VERSION}.json`), 'utf8')).archives;
  t.deepEqual(Object.keys(archives).sort(), PLATFORMS);
  for (const p of PLATFORMS) {
    const zip = readFileSync(join(mirror, archives[p].url));
    t.deepEqual(archives[p].hashes, [`zh:${createHash('sha256').update(zip).digest('hex')}`]);
  }
});

test('terraform providers lock against the release served over HTTPS records every platform; init then installs with nothing missing', async (t) => {
  const out = release(t);
  const certs = testCertificates(scratchDir(t, 'ca'));
  const served: string[] = [];
  const server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    served.push(req.url!);
    try {
      const body = readFileSync(join(out, 'mirror', decodeURIComponent(new URL(req.url!, 'https://x').pathname).replace(/\.\./g, '')));
      res.writeHead(200, { 'content-type': req.url!.endsWith('.json') ? 'application/json' : 'application/zip' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/`;

  const scratch = scratchDir(t, 'netmirror-rc');
  const cliConfig = join(scratch, 'terraformrc');
  writeFileSync(cliConfig, `provider_installation {\n  network_mirror {\n    url = "${url}"\n  }\n}\n`);
  const ws = workspace(t, NO_API, { cliConfig });
  ws.write({ 'main.tf': CONFIG });
  const env = { SSL_CERT_FILE: certs.ca };
  const locked = await ws.run(['providers', 'lock', `-net-mirror=${url}`, ...PLATFORMS.map((p) => `-platform=${p}`)], env);
  t.is(locked.code, 0, locked.output);
  for (const p of PLATFORMS) t.true(served.includes(`/registry.terraform.io/dodb/dodb/terraform-provider-dodb_${VERSION}_${p}.zip`), `${p} fetched`);
  // A mirror's zips are not signed, so Terraform records the h1: it computed from each platform's
  // zip (one and the same: the provider is one Node script) and verified against the mirror's zh:.
  const lock = readFileSync(join(ws.dir, '.terraform.lock.hcl'), 'utf8');
  const mirrored = platformPackages(join(ROOT, 'dist/mirror'), VERSION);
  t.deepEqual(lockHashes(lock), [...new Set(mirrored.map((p) => p.h1))]);

  const init = await ws.run(['init'], env);
  t.is(init.code, 0, init.output);
  t.true(init.output.includes(`Installed dodb/dodb v${VERSION}`), init.output);
  t.false(init.output.includes('Incomplete lock file information'), init.output);
  t.is(readFileSync(join(ws.dir, '.terraform.lock.hcl'), 'utf8'), lock, 'init found nothing to add');

  // `dodb lock` computes, offline, the h1: terraform recorded, and the zh: of every zip the mirror serves.
  const mine = scratchDir(t, 'dodb-lock');
  execFileSync(join(ROOT, 'dist/dodb.js'), ['lock', '--dir', mine]);
  const archives = JSON.parse(readFileSync(join(out, `mirror/registry.terraform.io/dodb/dodb/${VERSION}.json`), 'utf8')).archives;
  const zh = PLATFORMS.map((p) => archives[p].hashes[0] as string);
  t.deepEqual(lockHashes(readFileSync(join(mine, '.terraform.lock.hcl'), 'utf8')), [...new Set([...lockHashes(lock), ...zh])].sort());
});
