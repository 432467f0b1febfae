import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { DoClient } from '../../src/api/client';
import { RateLimiter } from '../../src/api/limiter';
import { CLUSTER, SOURCE, injectFaults, simulator } from '../helpers/simulator';
import { ROOT } from '../helpers/project';

const SPEC = join(ROOT, '../shared/do-openapi/specification');
const official = (path: string) => {
  if (!existsSync(SPEC)) {
    throw new Error(`the official OpenAPI files are not at ${SPEC}: this contract test needs ../shared/do-openapi beside the project`);
  }
  return parse(readFileSync(join(SPEC, path), 'utf8'));
};
const ajv = new Ajv({ strict: false, allErrors: true });

test('every request body the client sends validates against the official request schema', async (t) => {
  const validate = ajv.compile(official('resources/databases/models/source_database.yml'));
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      // The client looks at the cluster before each start: this one has never had a migration.
      if (req.method === 'GET') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'not_found', message: 'not found' }));
        return;
      }
      bodies.push(JSON.parse(text));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `m${bodies.length}`, status: 'running', created_at: '2026-01-01T00:00:00Z' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const client = new DoClient({ token: 't', endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, userAgent: 'test', limiter: new RateLimiter() });
  await client.startMigration(CLUSTER, { source: SOURCE, disable_ssl: true, ignore_dbs: ['a', 'b'] });
  await client.startMigration(CLUSTER, { source: { host: 'h', port: 6379 } });
  t.is(bodies.length, 2);
  for (const body of bodies) t.true(validate(body), ajv.errorsText(validate.errors));
});

test('every simulator response validates against the official response schemas', async (t) => {
  const migration = ajv.compile(official('resources/databases/models/online_migration.yml'));
  const error = ajv.compile(official('shared/models/error.yml'));
  const headers = parse(readFileSync(join(SPEC, 'resources/databases/responses/online_migration.yml'), 'utf8')).headers as Record<string, unknown>;
  const sim = await simulator(t);
  const call = async (method: string, path: string, body?: unknown, token = sim.token) => {
    const response = await fetch(`${sim.url}${path}`, { method, headers: { authorization: `Bearer ${token}` }, body: body ? JSON.stringify(body) : undefined });
    return { status: response.status, headers: response.headers, body: response.status === 204 ? undefined : await response.json() };
  };
  const path = `/v2/databases/${CLUSTER}/online-migration`;
  const started = await call('PUT', path, { source: SOURCE });
  const status = await call('GET', path);
  for (const ok of [started, status]) {
    t.is(ok.status, 200);
    t.true(migration(ok.body), ajv.errorsText(migration.errors));
    for (const name of Object.keys(headers)) t.truthy(ok.headers.get(name), `header ${name}`);
  }
  t.is((await call('DELETE', `${path}/${(started.body as { id: string }).id}`)).status, 204);
  const failures = [
    await call('GET', path, undefined, 'wrong'),
    await call('GET', `/v2/databases/00000000-0000-4000-8000-000000000000/online-migration`),
    await injectFaults(sim, [{ kind: 'status', status: 500 }, { kind: 'status', status: 429 }]).then(() => call('GET', path)),
    await call('GET', path),
    await call('PUT', path, { source: { host: 'h' } }),
  ];
  t.deepEqual(failures.map((f) => f.status), [401, 404, 500, 429, 422]);
  for (const failure of failures) t.true(error(failure.body), ajv.errorsText(error.errors));
});
