import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { selfSignedCertificate } from '../../src/tfplugin/certificate';
import { protocol } from '../../src/tfplugin/proto';
import { ROOT } from '../helpers/project';

const PROVIDER = join(ROOT, 'dist/mirror/registry.terraform.io/dodb/dodb/0.1.0/linux_amd64/terraform-provider-dodb_v0.1.0');
const COOKIE = { TF_PLUGIN_MAGIC_COOKIE: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2' };

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

type Certificate = ReturnType<typeof selfSignedCertificate>;

/** The provider started as Terraform starts it, trusting `client`, and its parsed handshake line. */
async function startProvider(client: Certificate) {
  const child = spawn(PROVIDER, { env: { PATH: process.env.PATH, ...COOKIE, PLUGIN_PROTOCOL_VERSIONS: '6,5', PLUGIN_CLIENT_CERT: client.certPem }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const line = await new Promise<string>((resolve) => child.stdout.once('data', (chunk) => resolve(String(chunk))));
  const [core, version, network, address, kind, cert] = line.trim().split('|');
  return { child, exited, core, version, network, address: address!, kind, cert: cert! };
}

/** One unary call over mutual TLS, presenting `client`'s certificate. */
function call(address: string, serverCert: X509Certificate, client: Certificate, service: string, method: string, request: string, response: string) {
  const Req = protocol().lookupType(request);
  const Res = protocol().lookupType(response);
  const Client = makeGenericClientConstructor({
    [method]: {
      path: `/${service}/${method}`, requestStream: false, responseStream: false,
      requestSerialize: (v: object) => Buffer.from(Req.encode(Req.fromObject(v)).finish()),
      requestDeserialize: (b: Buffer) => Req.decode(b),
      responseSerialize: (v: object) => Buffer.from(Res.encode(Res.fromObject(v)).finish()),
      responseDeserialize: (b: Buffer) => Res.toObject(Res.decode(b), { longs: Number, enums: Number }),
    },
  }, service);
  const tls = credentials.createSsl(Buffer.from(serverCert.toString()), Buffer.from(client.keyPem), Buffer.from(client.certPem));
  const stub = new Client(address, tls, { 'grpc.ssl_target_name_override': 'localhost' }) as unknown as Record<string, (req: object, options: object, cb: (e: Error | null, r: any) => void) => void>;
  return new Promise<any>((resolve, reject) => stub[method]!({}, { deadline: Date.now() + 10_000 }, (error, result) => (error ? reject(error) : resolve(result))));
}

test('handshake, mutual TLS, GetProviderSchema, then Shutdown exits promptly', async (t) => {
  const client = selfSignedCertificate();
  const { core, version, network, address, kind, cert, exited } = await startProvider(client);
  t.deepEqual([core, version, network, kind], ['1', '6', 'tcp', 'grpc']);
  t.regex(address, /^127\.0\.0\.1:\d+$/);
  t.false(cert.endsWith('='), 'no base64 padding');
  const serverCert = new X509Certificate(Buffer.from(cert, 'base64'));
  t.is(serverCert.subjectAltName, 'DNS:localhost');

  const schema = await call(address, serverCert, client, 'tfplugin6.Provider', 'GetProviderSchema', 'tfplugin6.GetProviderSchema.Request', 'tfplugin6.GetProviderSchema.Response');
  t.deepEqual(Object.keys(schema.resource_schemas), ['dodb_online_migration']);
  t.true(schema.server_capabilities.get_provider_schema_optional);
  t.true(schema.server_capabilities.move_resource_state);
  const started = Date.now();
  await call(address, serverCert, client, 'plugin.GRPCController', 'Shutdown', 'plugin.Empty', 'plugin.Empty');
  t.is(await exited, 0);
  t.true(Date.now() - started < 1000, 'the provider exited within a second of Shutdown');
});

test('a client presenting another certificate than the one Terraform announced gets no answer', async (t) => {
  const { address, cert, child } = await startProvider(selfSignedCertificate());
  t.teardown(() => child.kill('SIGKILL'));
  const serverCert = new X509Certificate(Buffer.from(cert, 'base64'));
  const stranger = selfSignedCertificate();
  const refused = await t.throwsAsync(call(address, serverCert, stranger, 'tfplugin6.Provider', 'GetProviderSchema', 'tfplugin6.GetProviderSchema.Request', 'tfplugin6.GetProviderSchema.Response'));
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
