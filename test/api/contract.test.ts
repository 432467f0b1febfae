import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { DoClient } from '../../src/api/client';
import { RateLimiter } from '../../src/api/limiter';
import { CLIENT_DEFAULTS } from '../../src/provider/config';
import { CLUSTER, SOURCE, TEST_TOKEN } from '../helpers/constants';
import { bodyOf, serve } from '../helpers/http-server';
import { api, injectFaults, simulator } from '../helpers/simulator';
import { ROOT } from '../helpers/project';

/**
 * The project's own contract, schema/api/ (written from DigitalOcean's OpenAPI files), closed: every
 * object schema rejects keys it does not name, so a `db_name` sent for `dbname`, or a field the API
 * does not return, fails here (the official files leave objects open).
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === 'properties'
        ? Object.fromEntries(Object.entries(v as object).map(([name, sub]) => [name, closed(sub)]))
        : closed(v),
    ]),
  );
  if ('properties' in copy && !('additionalProperties' in copy)) copy.additionalProperties = false;
  return copy;
}
const ajv = new Ajv2020({ strict: true, allErrors: true });
const read = (name: string) => JSON.parse(readFileSync(join(ROOT, 'schema/api', name), 'utf8')) as object;
// Referenced from the others by its $id.
ajv.addSchema(read('migration-status.schema.json'));
const contract = (name: string) => ajv.compile(closed(read(name)) as object);
const startRequest = contract('start-request.schema.json');
const migrationBody = contract('migration.schema.json');
const errorBody = contract('error.schema.json');
/** The rate-limit headers DigitalOcean sends with every response (DO-API.md). */
const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];

test('the contract is strict enough to catch a misspelt field or a missing host', (t) => {
  t.true(startRequest({ source: { host: 'h', port: 5432, dbname: 'app' } }));
  t.false(
    startRequest({ source: { host: 'h', port: 5432, db_name: 'app' } }),
    "db_name is the Terraform name, dbname the API's",
  );
  t.false(startRequest({ source: { port: 5432 } }), 'host is required');
  t.false(startRequest({ source: { host: 'h', port: '5432' } }), 'port is a number');
  t.true(migrationBody({ id: 'm1', status: 'running', created_at: '2026-01-01T00:00:00Z' }));
  t.true(migrationBody({ id: 'm1', status: 'running' }), "created_at is optional: the API's model requires no field");
  t.false(migrationBody({ id: 'm1', created_at: 'x' }), 'dodb cannot follow a migration without its status');
  t.false(
    migrationBody({ id: 'm1', status: 'running', created_at: 'x', source: {} }),
    'no field the API does not return',
  );
  t.false(migrationBody({ id: 'm1', status: 'paused', created_at: 'x' }), "statuses are the API's");
  t.false(errorBody({ id: 'not_found' }), 'message is required');
});

test('every request body the client sends validates against the contract', async (t) => {
  const bodies: unknown[] = [];
  const { url } = await serve(t, async (req, res) => {
    const text = await bodyOf(req);
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
  const client = new DoClient({
    token: TEST_TOKEN,
    endpoint: url,
    userAgent: 'test',
    limiter: new RateLimiter(),
    retry: CLIENT_DEFAULTS.retry,
  });
  await client.startMigration(CLUSTER, { source: SOURCE, disable_ssl: true, ignore_dbs: ['a', 'b'] });
  await client.startMigration(CLUSTER, { source: { host: 'h', port: 6379 } });
  t.is(bodies.length, 2);
  for (const body of bodies) t.true(startRequest(body), ajv.errorsText(startRequest.errors));
});

test('every simulator response validates against the contract, with the rate-limit headers', async (t) => {
  const sim = await simulator(t);
  const call = async (method: string, path: string, body?: unknown, token = sim.token) => {
    const response = await api(sim, method, path, body, token);
    return {
      status: response.status,
      headers: response.headers,
      body: response.status === 204 ? undefined : await response.json(),
    };
  };
  const path = `/v2/databases/${CLUSTER}/online-migration`;
  const started = await call('PUT', path, { source: SOURCE });
  const status = await call('GET', path);
  for (const ok of [started, status]) {
    t.is(ok.status, 200);
    t.true(migrationBody(ok.body), ajv.errorsText(migrationBody.errors));
    for (const name of RATE_LIMIT_HEADERS) t.truthy(ok.headers.get(name), `header ${name}`);
  }
  t.is((await call('DELETE', `${path}/${(started.body as { id: string }).id}`)).status, 204);
  const failures = [
    await call('GET', path, undefined, 'wrong'),
    await call('GET', `/v2/databases/00000000-0000-4000-8000-000000000000/online-migration`),
    await injectFaults(sim, [
      { kind: 'status', status: 500 },
      { kind: 'status', status: 429 },
    ]).then(() => call('GET', path)),
    await call('GET', path),
    await call('PUT', path, { source: { host: 'h' } }),
  ];
  t.deepEqual(
    failures.map((f) => f.status),
    [401, 404, 500, 429, 422],
  );
  for (const failure of failures) t.true(errorBody(failure.body), ajv.errorsText(errorBody.errors));
});
