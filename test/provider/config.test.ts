import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../src/api/errors';
import type { ProviderConfig } from '../../generated/types';
import { configureProvider } from '../../src/provider/config';
import { dodbProvider } from '../../src/provider/provider';
import { DiagnosticError } from '../../src/tfplugin/framework/diagnostics';
import { resolveProviderConfig } from '../../src/tfplugin/framework/environment';
import type { State } from '../../src/tfplugin/framework/provider';
import { selfSignedCertificate } from '../../src/tfplugin/wire/certificate';
import type { ObjectValue } from '../../src/tfplugin/wire/values';
import { CLUSTER, TEST_TOKEN } from '../helpers/constants';
import { serve } from '../helpers/http-server';
import { scratchDir } from '../helpers/project';
import { injectFaults, requests, simulator } from '../helpers/simulator';

test('the API client trusts the certificate authorities the plugin executable handed on as TFPLUGIN_EXTRA_CA_CERTS', async (t) => {
  const certificate = selfSignedCertificate();
  const { port } = await serve(
    t,
    (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: 'm-1', status: 'running', created_at: '2026-01-01T00:00:00Z' }));
    },
    { key: certificate.keyPem, cert: certificate.certPem },
  );
  const dir = scratchDir(t, 'extra-ca');
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certificate.certPem);
  const warnings: string[] = [];
  const logger = { log: (level: string, message: string) => void (level === 'warn' && warnings.push(message)) };
  const config = {
    token: TEST_TOKEN,
    // The certificate is for localhost.
    api_endpoint: `https://localhost:${port}`,
    http_retry_max: 0,
    http_retry_wait_min: 1,
    http_retry_wait_max: 30,
  };
  const clientWith = (env: NodeJS.ProcessEnv) => configureProvider(config, new Set(), env, logger).client();

  t.is((await clientWith({ TFPLUGIN_EXTRA_CA_CERTS: caFile }).getMigration(CLUSTER)).id, 'm-1');
  const untrusted = await t.throwsAsync(clientWith({}).getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(untrusted!.code, 'network');
  const unreadable = await t.throwsAsync(
    clientWith({ TFPLUGIN_EXTRA_CA_CERTS: join(dir, 'missing.pem') }).getMigration(CLUSTER),
    { instanceOf: ApiError },
  );
  t.is(unreadable!.code, 'network');
  t.deepEqual(
    warnings.map((w) => w.replace(dir, '<dir>').replace(/:.*$/, '')),
    ['Ignoring extra certs from <dir>/missing.pem, load failed'],
  );
});

const providerBlock = dodbProvider.schema.block;
/** What ConfigureProvider hands the provider: the configuration (unset arguments null) resolved against `env`. */
const resolve = (config: ObjectValue, env: NodeJS.ProcessEnv = {}) => {
  const nulls = Object.fromEntries(Object.keys(providerBlock.attributes ?? {}).map((name) => [name, null]));
  const { resolved, problems } = resolveProviderConfig(providerBlock, dodbProvider.rules, { ...nulls, ...config }, env);
  return { resolved: resolved as State<ProviderConfig>, problems };
};

test('the token comes from the configuration, else DIGITALOCEAN_TOKEN, else DIGITALOCEAN_ACCESS_TOKEN', (t) => {
  const both = { DIGITALOCEAN_TOKEN: 'dop_v1_env', DIGITALOCEAN_ACCESS_TOKEN: 'dop_v1_access' };
  t.is(resolve({ token: 'dop_v1_config' }, both).resolved.token, 'dop_v1_config');
  t.is(resolve({}, both).resolved.token, 'dop_v1_env');
  t.is(resolve({}, { DIGITALOCEAN_ACCESS_TOKEN: 'dop_v1_access' }).resolved.token, 'dop_v1_access');
  const emptyFirst = { DIGITALOCEAN_TOKEN: '', DIGITALOCEAN_ACCESS_TOKEN: 'dop_v1_access' };
  t.is(resolve({}, emptyFirst).resolved.token, 'dop_v1_access', 'an empty variable is unset');
  const none = resolve({});
  t.is(none.resolved.token, null);
  const refused = t.throws(() => configureProvider(none.resolved, new Set(), {}, { log: () => undefined }).client(), {
    instanceOf: DiagnosticError,
  });
  t.like(refused!.diagnostic, { summary: 'No DigitalOcean API token' });
  t.regex(refused!.diagnostic.detail!, /DIGITALOCEAN_TOKEN environment variable \(or DIGITALOCEAN_ACCESS_TOKEN\)/);
});

test('api_endpoint comes from the configuration, else DIGITALOCEAN_API_URL, else the public API', (t) => {
  const env = { DIGITALOCEAN_API_URL: 'http://127.0.0.1:8080' };
  t.is(resolve({ api_endpoint: 'https://api.example.com' }, env).resolved.api_endpoint, 'https://api.example.com');
  t.is(resolve({}, env).resolved.api_endpoint, 'http://127.0.0.1:8080');
  t.is(resolve({}).resolved.api_endpoint, 'https://api.digitalocean.com');
});

test("unset http_retry_* arguments take the schema's fallbacks; set ones are kept", (t) => {
  t.like(resolve({}).resolved, { http_retry_max: 4, http_retry_wait_min: 1, http_retry_wait_max: 30 });
  const set = { http_retry_max: 0, http_retry_wait_min: 0.5, http_retry_wait_max: 2 };
  t.like(resolve(set).resolved, set);
});

test('a bad value from the environment is a problem that names the variable and does not repeat the value', (t) => {
  const endpoint = resolve({}, { DIGITALOCEAN_API_URL: 'http://127.0.0.1:8080/v2' }).problems;
  t.is(endpoint.length, 1);
  t.regex(
    endpoint[0]!.detail!,
    /api_endpoint must be an https:\/\/ origin[\s\S]*DIGITALOCEAN_API_URL environment variable/,
  );
  const token = resolve({}, { DIGITALOCEAN_ACCESS_TOKEN: 'dop_v1_secret value' }).problems;
  t.is(token.length, 1);
  t.regex(token[0]!.detail!, /token must be one word[\s\S]*DIGITALOCEAN_ACCESS_TOKEN environment variable/);
  t.false(JSON.stringify(token).includes('secret'), 'the token is not repeated');
  const overridden = resolve({ token: 'dop_v1_ok' }, { DIGITALOCEAN_TOKEN: 'not one word' });
  t.deepEqual(overridden.problems, [], 'a variable the configuration overrides is not read');
});

test('the client uses the fallbacks: http_retry_max 4 retries a 500 four times, the first after http_retry_wait_min (1 s)', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  await injectFaults(
    sim,
    Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 500, match: { method: 'GET' } })),
  );
  const retries: unknown[] = [];
  const log = {
    log: (_level: string, message: string, fields?: Record<string, unknown>) => {
      if (message === 'retrying') retries.push(fields?.delay_ms);
    },
  };
  const clientWith = (config: ObjectValue) =>
    configureProvider(
      resolve({ token: sim.token, api_endpoint: sim.url, ...config }).resolved,
      new Set(),
      {},
      log,
    ).client();

  // Short waits set, the number of retries left to its fallback.
  const shortWaits = clientWith({ http_retry_wait_min: 0.01, http_retry_wait_max: 0.02 });
  const failed = await t.throwsAsync(shortWaits.getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(failed!.attempts, 5);
  t.is((await requests(sim)).length, 5, 'one request and 4 retries');

  // One retry, its wait left to the fallbacks: the first backoff step is the minimum wait.
  retries.length = 0;
  await t.throwsAsync(clientWith({ http_retry_max: 1 }).getMigration(CLUSTER), { instanceOf: ApiError });
  t.deepEqual(retries, [1000]);
});

test("the client logs only what the provider's logger keeps: a line at a level it drops is never made", async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const linesWith = async (shows?: (level: string) => boolean) => {
    const lines: string[] = [];
    const logger = { log: (level: string, message: string) => void lines.push(`${level} ${message}`), shows };
    const config = resolve({ token: sim.token, api_endpoint: sim.url }).resolved;
    await configureProvider(config, new Set(), {}, logger).client().findMigration(CLUSTER);
    return lines;
  };
  t.deepEqual(await linesWith((level) => level !== 'debug'), []);
  t.deepEqual(await linesWith(), ['debug request'], 'a logger that does not say keeps every level');
});
