import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { selfSignedCertificate } from '../../../src/tfplugin/wire/certificate';
import { COOKIE, PROVIDER, startProvider } from '../../helpers/provider-process';

test('run by hand, the provider says what it is and exits 1', (t) => {
  const run = spawnSync(PROVIDER, { encoding: 'utf8', env: { PATH: process.env.PATH } });
  t.is(run.status, 1);
  t.is(run.stdout, '');
  t.regex(run.stderr, /This is a Terraform provider plugin \(dodb\)/);
});

test('offered only protocol 5, it prints a short message line and exits 1', (t) => {
  const run = spawnSync(PROVIDER, { encoding: 'utf8', env: { PATH: process.env.PATH, ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: '5' } });
  t.is(run.status, 1);
  t.true(run.stdout.trim().split('|').length < 4);
  t.regex(run.stdout, /protocol 6 only/);
});

test('handshake, mutual TLS, GetProviderSchema, then Shutdown exits promptly', async (t) => {
  const provider = await startProvider(t);
  const [core, version, network, , kind, cert] = provider.handshake;
  t.deepEqual([core, version, network, kind], ['1', '6', 'tcp', 'grpc']);
  t.regex(provider.address, /^127\.0\.0\.1:\d+$/);
  t.false(cert!.endsWith('='), 'no base64 padding');
  t.is(provider.serverCert.subjectAltName, 'DNS:localhost');

  const schema = await provider.call('tfplugin6.Provider', 'GetProviderSchema', {});
  t.deepEqual(Object.keys(schema.resource_schemas), ['dodb_online_migration']);
  t.true(schema.server_capabilities.get_provider_schema_optional);
  t.true(schema.server_capabilities.move_resource_state);
  const started = Date.now();
  await provider.call('plugin.GRPCController', 'Shutdown', {}, { types: { request: 'plugin.Empty', response: 'plugin.Empty' } });
  t.is(await provider.exited, 0);
  t.true(Date.now() - started < 1000, 'the provider exited within a second of Shutdown');
});

test('a client presenting another certificate than the one Terraform announced gets no answer', async (t) => {
  const provider = await startProvider(t);
  const refused = await t.throwsAsync(provider.call('tfplugin6.Provider', 'GetProviderSchema', {}, { as: selfSignedCertificate() }));
  t.regex(refused!.message, /UNAVAILABLE|DEADLINE_EXCEEDED/);
});

test('Node does not load NODE_EXTRA_CA_CERTS at start-up: the executable hands it on as TFPLUGIN_EXTRA_CA_CERTS', async (t) => {
  const env = { PATH: process.env.PATH, ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: '6', NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' };
  // Bare Node reads the file before any script runs, and says so when it cannot.
  t.regex(spawnSync(process.execPath, ['-e', ''], { env, encoding: 'utf8' }).stderr, /Ignoring extra certs from `\/nonexistent\/ca.pem`/);
  const child = spawn(PROVIDER, { env: { ...env, TF_LOG_PROVIDER: 'trace' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const line = await new Promise<string>((resolve) => child.stdout.once('data', (chunk) => resolve(String(chunk))));
  t.regex(line, /^1\|6\|tcp\|/);
  // The trace line written after the handshake: anything Node printed at start-up came before it.
  for (let i = 0; i < 100 && !stderr.includes('start-up timing'); i++) await new Promise((r) => setTimeout(r, 20));
  t.regex(stderr, /start-up timing/);
  t.notRegex(stderr, /Ignoring extra certs/);
});

test('a provider whose terraform was killed exits instead of lingering', async (t) => {
  const parent = spawn('bash', ['-c', `"${PROVIDER}" & echo $!; wait`], { env: { PATH: process.env.PATH, ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: '6' }, stdio: ['ignore', 'pipe', 'ignore'] });
  // The provider's PID from bash, then its handshake line: it runs and knows its parent before the kill.
  let out = '';
  await new Promise<void>((resolve) =>
    parent.stdout.on('data', (chunk) => {
      out += chunk;
      if (/^1\|6\|/m.test(out)) resolve();
    }),
  );
  const pid = Number(out.split('\n')[0]);
  parent.kill('SIGKILL');
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  t.false(alive(), 'the orphaned provider exited');
});
