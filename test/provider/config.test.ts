import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../src/api/errors';
import { configureProvider } from '../../src/provider/config';
import { selfSignedCertificate } from '../../src/tfplugin/wire/certificate';

const CLUSTER = '9cc10173-e9ea-4176-9dbc-a4cee4c4ff30';

test('the API client trusts the certificate authorities the plugin executable handed on as TFPLUGIN_EXTRA_CA_CERTS', async (t) => {
  const certificate = selfSignedCertificate();
  const server = createServer({ key: certificate.keyPem, cert: certificate.certPem }, (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: 'm-1', status: 'running', created_at: '2026-01-01T00:00:00Z' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'extra-ca-'));
  t.teardown(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certificate.certPem);
  const warnings: string[] = [];
  const logger = { log: (level: string, message: string) => void (level === 'warn' && warnings.push(message)) };
  const config = { token: 'dop_v1_test', api_endpoint: `https://localhost:${(server.address() as AddressInfo).port}`, http_retry_max: 0, http_retry_wait_min: 1, http_retry_wait_max: 30 };
  const clientWith = (env: NodeJS.ProcessEnv) => configureProvider(config, env, logger).client();

  t.is((await clientWith({ TFPLUGIN_EXTRA_CA_CERTS: caFile }).getMigration(CLUSTER)).id, 'm-1');
  const untrusted = await t.throwsAsync(clientWith({}).getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(untrusted!.code, 'network');
  const unreadable = await t.throwsAsync(clientWith({ TFPLUGIN_EXTRA_CA_CERTS: join(dir, 'missing.pem') }).getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(unreadable!.code, 'network');
  t.deepEqual(warnings.map((w) => w.replace(dir, '<dir>').replace(/:.*$/, '')), ['Ignoring extra certs from <dir>/missing.pem, load failed']);
});
