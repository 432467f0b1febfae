import test from 'ava';
import { readFileSync } from 'node:fs';
import { selfSignedCertificate } from '../../../src/tfplugin/wire/certificate';
import { PROVIDER } from '../../helpers/built-provider';
import { run as runChild, start } from '../../helpers/child';
import { COOKIE } from '../../helpers/constants';
import { startProvider } from '../../helpers/provider-process';
import { within } from '../../helpers/until';

test('run by hand, the provider says what it is and exits 1', async (t) => {
  const run = await runChild(PROVIDER, [], { env: { PATH: process.env.PATH } });
  t.is(run.code, 1);
  t.is(run.stdout, '');
  t.regex(run.stderr, /This is a Terraform provider plugin \(dodb\)/);
});

test('offered only protocol 5, it prints a short message line and exits 1', async (t) => {
  const run = await runChild(PROVIDER, [], {
    env: { PATH: process.env.PATH, ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: '5' },
  });
  t.is(run.code, 1);
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
  await provider.call(
    'plugin.GRPCController',
    'Shutdown',
    {},
    { types: { request: 'plugin.Empty', response: 'plugin.Empty' } },
  );
  // Nothing else would end it: a provider that lingers after Shutdown fails here.
  t.is(await within('the provider to exit after Shutdown', provider.exited, 10_000), 0);
});

test('a client presenting another certificate than the one Terraform announced gets no answer', async (t) => {
  const provider = await startProvider(t);
  const refused = await t.throwsAsync(
    provider.call('tfplugin6.Provider', 'GetProviderSchema', {}, { as: selfSignedCertificate() }),
  );
  t.regex(refused!.message, /UNAVAILABLE|DEADLINE_EXCEEDED/);
});

test('with PLUGIN_CLIENT_CERT empty or not a certificate, the provider refuses to serve: one message line, exit 1', async (t) => {
  const garbage = '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
  for (const [what, value, says] of [
    ['empty', '', /PLUGIN_CLIENT_CERT is empty/],
    ['not PEM', 'not a certificate', /PLUGIN_CLIENT_CERT is not a PEM X\.509 certificate/],
    ['PEM around bytes that are no certificate', garbage, /PLUGIN_CLIENT_CERT is not a PEM X\.509 certificate/],
  ] as const) {
    // A provider that serves anyway never exits: the bound turns that into a failure.
    const refused = await runChild(PROVIDER, [], {
      timeoutMs: 30_000,
      env: { PATH: process.env.PATH, ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: value },
    });
    t.is(refused.code, 1, what);
    const lines = refused.stdout.trim().split('\n');
    t.is(lines.length, 1, what);
    t.true(lines[0]!.split('|').length < 4, `${what}: Terraform shows a line of fewer than 4 fields as the message`);
    t.regex(lines[0]!, says, what);
    t.regex(lines[0]!, /will not serve/, what);
  }
});

test('Node does not load NODE_EXTRA_CA_CERTS at start-up: the executable hands it on as TFPLUGIN_EXTRA_CA_CERTS', async (t) => {
  const env = {
    PATH: process.env.PATH,
    ...COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: '6',
    NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem',
  };
  // Bare Node reads the file before any script runs, and says so when it cannot.
  t.regex(
    (await runChild(process.execPath, ['-e', ''], { env })).stderr,
    /Ignoring extra certs from `\/nonexistent\/ca.pem`/,
  );
  const provider = start(t, PROVIDER, [], { env: { ...env, TF_LOG_PROVIDER: 'trace' } });
  // The trace line written after the handshake: anything Node printed at start-up came before it.
  await provider.waitFor(/start-up timing/, { stream: 'stderr' });
  await provider.waitFor(/^1\|6\|tcp\|/, { stream: 'stdout' });
  t.notRegex(provider.stderr(), /Ignoring extra certs/);
});

test('a provider whose terraform was killed exits instead of lingering', async (t) => {
  const parent = start(t, 'bash', ['-c', `"${PROVIDER}" & echo $!; wait`], {
    env: { PATH: process.env.PATH, ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: '6' },
  });
  // The provider's PID from bash, then its handshake line: it runs and knows its parent before the kill.
  const [, pid] = await parent.waitFor(/^(\d+)\n[\s\S]*^1\|6\|/m, { stream: 'stdout' });
  // Once bash is gone, the provider alone holds the pipes: their close is the provider's exit.
  parent.kill('SIGKILL');
  await within('the orphaned provider to exit', parent.done, 10_000);
  t.true(exited(Number(pid)), 'the orphaned provider exited');
});

/** Gone, or a zombie that its new parent has not reaped yet: either way it runs no more. */
function exited(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}
