import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../src/simulator/server';
import type { Simulator } from '../../src/simulator/server';
import { DODB } from '../helpers/built-provider';
import { start } from '../helpers/child';
import { CLUSTER, SOURCE, VALKEY_CLUSTER } from '../helpers/constants';
import { admin, api, clientFor, injectFaults, migrations, requests, simulator } from '../helpers/simulator';
import { until } from '../helpers/until';
import { scratchDir } from '../helpers/project';

test('migrations survive a restart from the state file, written atomically', async (t) => {
  const file = join(scratchDir(t, 'sim-state'), 'state.json');
  const first = await startSimulator({ stateFile: file, syncDelayMs: 60_000 });
  const { migration } = await clientFor(first).startMigration(CLUSTER, { source: SOURCE });
  await first.close();
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  t.is(snapshot.migrations[0].id, migration.id);
  t.false(readFileSync(file, 'utf8').includes(SOURCE.password), 'the state keeps no password');
  const second = await startSimulator({ stateFile: file, token: first.token });
  t.teardown(() => second.close());
  t.deepEqual(await clientFor(second).getMigration(CLUSTER), migration);
});

const put = (sim: Simulator, body: unknown) => api(sim, 'PUT', `/v2/databases/${CLUSTER}/online-migration`, body);

test('the timeline moves running to syncing; a second PUT gets 409; stopping a syncing migration is the cutover (done)', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 150 });
  const client = clientFor(sim);
  const { migration } = await client.startMigration(CLUSTER, { source: SOURCE });
  const again = await put(sim, { source: SOURCE });
  t.is(again.status, 409);
  t.regex(((await again.json()) as { message: string }).message, /already has a migration in progress/);
  const syncing = await until('the timeline to reach syncing', async () => {
    const { status } = await client.getMigration(CLUSTER);
    return status === 'running' ? undefined : status;
  });
  t.is(syncing, 'syncing');
  await client.stopMigration(CLUSTER, migration.id);
  t.is((await client.getMigration(CLUSTER)).status, 'done');
});

test('stopping a running migration cancels it', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  const client = clientFor(sim);
  const { migration } = await client.startMigration(CLUSTER, { source: SOURCE });
  await client.stopMigration(CLUSTER, migration.id);
  t.is((await client.getMigration(CLUSTER)).status, 'canceled');
});

test('clock skew shows in created_at; a truncated answer, a stall after applying, an outage; a removed cluster is gone', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000, clockSkewMs: -600_000 });
  const before = Date.now();
  const first = (await (await put(sim, { source: SOURCE })).json()) as { id: string; created_at: string };
  const after = Date.now();
  // Ten minutes behind a moment of the request (created_at is in whole seconds), however long it took.
  const unskewed = Date.parse(first.created_at) + 600_000;
  t.true(
    unskewed > before - 1000 && unskewed <= after,
    `created_at ${first.created_at} is 10 minutes behind a moment between ${new Date(before).toISOString()} and ${new Date(after).toISOString()}`,
  );
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });

  await injectFaults(sim, [{ kind: 'truncate', match: { method: 'PUT' } }]);
  const truncated = await put(sim, { source: SOURCE });
  t.is(truncated.status, 200);
  await t.throwsAsync(truncated.json(), undefined, 'the body is cut off');
  const [, second] = await admin<Array<{ id: string }>>(sim, 'GET', 'migrations');
  t.truthy(second, 'the truncated answer still started a migration');
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });

  // The stall outlasts any wait below: the answer cannot come first, however slow the machine.
  await injectFaults(sim, [{ kind: 'slow', after: true, delayMs: 120_000, match: { method: 'PUT' } }]);
  let answered = false;
  void put(sim, { source: SOURCE }).then(
    () => (answered = true),
    () => undefined,
  );
  await until('the stalled PUT to start a migration', async () =>
    (await migrations(sim)).length === 3 ? true : undefined,
  );
  t.false(answered, 'a stall after applying starts the migration before answering');

  await admin(sim, 'POST', 'outage', { ms: 60_000 });
  await t.throwsAsync(api(sim, 'GET', `/v2/databases/${CLUSTER}`));
  await admin(sim, 'POST', 'outage', { ms: 0 });
  await admin(sim, 'DELETE', `clusters/${CLUSTER}`);
  const gone = await api(sim, 'GET', `/v2/databases/${CLUSTER}`);
  t.is(gone.status, 404);
});

test('the admin API forces a status, starts a migration out of band and keeps a request log', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  const client = clientFor(sim);
  const { migration } = await client.startMigration(CLUSTER, { source: SOURCE });
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'error' });
  t.is((await client.getMigration(CLUSTER)).status, 'error');
  const other = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  t.not(other.id, migration.id);
  t.is((await client.getMigration(CLUSTER)).id, other.id);
  const log = await admin<Array<{ method: string }>>(sim, 'GET', 'requests');
  t.deepEqual(
    log.map((r) => r.method),
    ['GET', 'PUT', 'GET', 'GET', 'GET'],
  );
  const cluster = await admin<{ id: string }>(sim, 'POST', 'clusters', { engine: 'valkey' });
  const database = await api(sim, 'GET', `/v2/databases/${cluster.id}`);
  t.like(await database.json(), { database: { id: cluster.id, engine: 'valkey', status: 'online' } });
});

test('clusters of any engine the API documents: set through the admin API, shown by GET, and a PUT on one that cannot migrate is a 422', async (t) => {
  const sim = await simulator(t);
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sim.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const changed = await admin<{ engine: string }>(sim, 'PATCH', `clusters/${CLUSTER}`, { engine: 'opensearch' });
  t.is(changed.engine, 'opensearch');
  t.like(await (await api('GET', `/v2/databases/${CLUSTER}`)).json(), {
    database: { id: CLUSTER, name: 'pg-target', engine: 'opensearch' },
  });
  const put = await api('PUT', `/v2/databases/${CLUSTER}/online-migration`, { source: SOURCE });
  t.is(put.status, 422);
  t.like(await put.json(), { id: 'unprocessable_entity' });
  t.deepEqual(await admin(sim, 'GET', 'migrations'), [], 'nothing was started');
  await admin(sim, 'PATCH', `clusters/${CLUSTER}`, { engine: 'mysql' });
  t.is((await api('PUT', `/v2/databases/${CLUSTER}/online-migration`, { source: SOURCE })).status, 200);
  const bad = await fetch(`${sim.url}/_sim/clusters`, { method: 'POST', body: JSON.stringify({ engine: 'postgres' }) });
  t.is(bad.status, 400);
  t.regex(
    ((await bad.json()) as { message: string }).message,
    /engine must be one of mysql, pg, redis, valkey, mongodb, .*; got "postgres"/,
  );
  const missing = await fetch(`${sim.url}/_sim/clusters/c0ffee00-0000-4000-8000-000000000000`, {
    method: 'PATCH',
    body: JSON.stringify({ engine: 'pg' }),
  });
  t.is(missing.status, 404);
});

test('POST /_sim/config refuses a setting it cannot apply, naming it and what it accepts, and changes nothing', async (t) => {
  const sim = await simulator(t);
  const before = await admin(sim, 'POST', 'config', {});
  for (const [input, message] of [
    [{ syncingStopsAs: 'deleted' }, /^syncingStopsAs must be done, canceled, gone; got "deleted"$/],
    [{ syncDelayMs: -1 }, /^syncDelayMs must be a whole number of ms, 0 or more; got -1$/],
    [{ rateLimit: 0 }, /^rateLimit must be a whole number of requests, 1 or more; got 0$/],
    [{ burstLimit: 0 }, /^burstLimit must be a whole number of requests, 1 or more, or null; got 0$/],
    [{ refuseConcurrent: 'yes' }, /^refuseConcurrent must be true or false; got "yes"$/],
    [
      { syncDelayMs: 5, clockSkewMs: 1.5 },
      /^clockSkewMs must be a whole number of ms, negative for a clock behind; got 1.5$/,
    ],
  ] as const) {
    const answer = await fetch(`${sim.url}/_sim/config`, { method: 'POST', body: JSON.stringify(input) });
    t.is(answer.status, 400, JSON.stringify(input));
    t.regex(((await answer.json()) as { message: string }).message, message);
  }
  t.deepEqual(await admin(sim, 'POST', 'config', {}), before, 'no setting changed');
  t.like(await admin(sim, 'POST', 'config', { syncingStopsAs: 'gone', clockSkewMs: -500 }), {
    syncingStopsAs: 'gone',
    clockSkewMs: -500,
  });
});

test('routes: 404 for an unknown path or cluster (before the method), 405 for a method the path does not take, admin 404s', async (t) => {
  const sim = await simulator(t);
  const call = async (method: string, path: string) => {
    const response = await api(sim, method, path);
    return [response.status, ((await response.json()) as { id: string }).id];
  };
  const other = 'c0ffee00-0000-4000-8000-000000000000';
  t.deepEqual(await call('GET', '/v2/databases'), [404, 'not_found']);
  t.deepEqual(await call('GET', '/v2/databases/not-a-uuid'), [404, 'not_found']);
  t.deepEqual(await call('POST', `/v2/databases/${other}`), [404, 'not_found']);
  t.deepEqual(await call('POST', `/v2/databases/${CLUSTER}`), [405, 'method_not_allowed']);
  t.deepEqual(await call('DELETE', `/v2/databases/${CLUSTER}/online-migration`), [405, 'method_not_allowed']);
  t.deepEqual(await call('GET', `/v2/databases/${CLUSTER}/online-migration/${other}`), [405, 'method_not_allowed']);
  t.deepEqual(await call('GET', `/v2/databases/${CLUSTER}/online-migration`), [404, 'not_found'], 'no migration yet');
  t.deepEqual(await call('DELETE', `/v2/databases/${CLUSTER}/online-migration/${other}`), [404, 'not_found']);
  t.deepEqual(
    (await requests(sim)).map((r) => r.status),
    [404, 404, 404, 405, 405, 405, 404, 404],
  );
  t.deepEqual(await call('GET', '/_sim/nothing'), [404, 'not_found']);
  t.deepEqual(await call('PATCH', `/_sim/clusters/${CLUSTER}/migration`), [404, 'not_found'], 'no migration to force');
  t.deepEqual(await call('POST', `/_sim/clusters/${other}/migration`), [404, 'not_found']);
  t.deepEqual(await call('DELETE', `/_sim/clusters/${other}`), [404, 'not_found']);
  t.is((await requests(sim)).length, 8, 'admin requests are not logged');
});

test('rate-limit headers on every answer, and a 429 with retry-after past the limit', async (t) => {
  const sim = await simulator(t, { rateLimit: 3, rateWindowMs: 60_000 });
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 4; i++) {
    last = await api(sim, 'GET', `/v2/databases/${CLUSTER}`);
    statuses.push(last.status);
    t.truthy(last.headers.get('ratelimit-reset'));
  }
  t.deepEqual(statuses, [200, 200, 200, 429]);
  t.is(last!.headers.get('ratelimit-remaining'), '0');
  t.truthy(Number(last!.headers.get('retry-after')) >= 1);
});

test('a burst limit the headers do not show: a 429 with budget left and no retry-after, switchable at run time', async (t) => {
  const sim = await simulator(t, { burstLimit: 2, rateLimit: 5000, rateWindowMs: 3_600_000 });
  const get = () => api(sim, 'GET', `/v2/databases/${CLUSTER}`);
  const answers = [await get(), await get(), await get()];
  t.deepEqual(
    answers.map((r) => r.status),
    [200, 200, 429],
  );
  const refused = answers[2]!;
  t.is(refused.headers.get('ratelimit-remaining'), '4998', 'the headers show the hourly budget, not the burst');
  t.is(refused.headers.get('retry-after'), null);
  t.true(
    Number(refused.headers.get('ratelimit-reset')) * 1000 > Date.now() + 3_500_000,
    'the window opened with the first request',
  );
  t.is((await requests(sim))[2]!.fault, 'burst-limit');
  await admin(sim, 'POST', 'config', { burstLimit: null });
  t.is((await get()).status, 200, 'turned off');
  await admin(sim, 'POST', 'config', { burstLimit: 1 });
  t.is((await get()).status, 429, 'turned on again: one a minute, and the last minute had three');
});

test('dodb simulator prints its URL, token and clusters, and stops cleanly on SIGTERM', async (t) => {
  const child = start(t, DODB, ['simulator', '--token', 'sim-token', '--burst-limit', '1']);
  // The last line it prints on start: the seeded Valkey cluster's.
  await child.waitFor(new RegExp(`cluster ${VALKEY_CLUSTER} .*\n`), { stream: 'stdout' });
  const out = child.stdout();
  t.regex(out, /listening on http:\/\/127\.0\.0\.1:\d+/);
  t.regex(out, /DIGITALOCEAN_TOKEN=sim-token/);
  t.regex(out, new RegExp(`cluster ${CLUSTER} pg`));
  const url = /listening on (\S+)/.exec(out)![1]!;
  const get = () => api({ url: url!, token: 'sim-token' }, 'GET', `/v2/databases/${CLUSTER}`).then((r) => r.status);
  t.deepEqual([await get(), await get()], [200, 429], '--burst-limit 1');
  child.kill('SIGTERM');
  const stopped = await child.done;
  t.is(stopped.code, 0, stopped.stderr);
  t.regex(stopped.stdout, /stopped\n$/);
});
