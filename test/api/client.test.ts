import test from 'ava';
import { ApiError, StartRefusedError } from '../../src/api/errors';
import { waitForStatus, WaitError } from '../../src/api/wait';
import { CLUSTER, SOURCE, TEST_TOKEN } from '../helpers/constants';
import { faultProxy } from '../helpers/fault-proxy';
import { serve } from '../helpers/http-server';
import { admin, clientFor, injectFaults, requests, simulator } from '../helpers/simulator';
import { within } from '../helpers/until';

test('start, status and stop round-trip against the simulator', async (t) => {
  const sim = await simulator(t);
  const client = clientFor(sim);
  const { migration, adopted } = await client.startMigration(CLUSTER, {
    source: SOURCE,
    disable_ssl: false,
    ignore_dbs: ['x'],
  });
  t.false(adopted);
  t.is(migration.status, 'running');
  t.regex(migration.created_at ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  t.deepEqual(await client.getMigration(CLUSTER), migration);
  t.true(await client.stopMigration(CLUSTER, migration.id), 'stopped');
  t.is((await client.getMigration(CLUSTER)).status, 'canceled');
  t.false(await client.stopMigration(CLUSTER, migration.id), 'nothing (more) to stop, and no error');
  t.deepEqual(
    (await requests(sim)).filter((r) => r.method === 'DELETE').map((r) => r.status),
    [204],
    'the second stop looked first and saw the migration canceled: no DELETE',
  );
});

test('the client sends bearer auth and its user agent', async (t) => {
  const sim = await simulator(t);
  const wrong = clientFor(sim, { token: 'not-the-token', retry: { limit: 0 } });
  const error = await t.throwsAsync(wrong.getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(error!.code, 'unauthorized');
  t.is(error!.status, 401);
  t.regex(
    error!.message,
    /^GET \/v2\/databases\/[0-9a-f-]+\/online-migration failed 401: Unable to authenticate you .*check the token /,
  );
  t.regex(error!.message, /database:read/);
  t.false(error!.message.includes('not-the-token'));
});

test("404, 422 and 500 errors carry DigitalOcean's id, message and request id", async (t) => {
  const sim = await simulator(t);
  const client = clientFor(sim, { retry: { limit: 1, waitMinMs: 1, waitMaxMs: 2 } });
  const missing = await t.throwsAsync(client.getMigration('00000000-0000-4000-8000-000000000000'), {
    instanceOf: ApiError,
  });
  t.is(missing!.code, 'not_found');
  t.is(missing!.doId, 'not_found');
  t.regex(missing!.requestId ?? '', /^[0-9a-f-]{36}$/);
  t.regex(missing!.message, /no such database cluster/);

  const invalid = await t.throwsAsync(client.startMigration(CLUSTER, { source: { ...SOURCE, port: 70000 } }), {
    instanceOf: ApiError,
  });
  t.is(invalid!.status, 422);
  t.is(invalid!.code, 'invalid_request');
  t.regex(invalid!.message, /source\.port must be <= 65535/);
  t.false(invalid!.message.includes(SOURCE.password));

  await injectFaults(sim, [
    { kind: 'status', status: 500 },
    { kind: 'status', status: 500 },
  ]);
  const server = await t.throwsAsync(client.getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(server!.code, 'server_error');
  t.is(server!.attempts, 2);
  t.regex(server!.message, /failed 500 after 2 tries: Unexpected server-side error/);
});

test("429s are retried for as long as the call's deadline allows, whatever http_retry_max says", async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  const lines: string[] = [];
  const log = (level: string, message: string) => lines.push(`${level} ${message}`);
  const client = clientFor(sim, { retry: { limit: 0, waitMinMs: 1, waitMaxMs: 2 }, log });
  await client.startMigration(CLUSTER, { source: SOURCE });
  await injectFaults(
    sim,
    Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429, retryAfter: 0 })),
  );
  t.is(
    (await client.getMigration(CLUSTER)).status,
    'running',
    'three 429s in a row, with no retries allowed for errors',
  );

  await injectFaults(sim, [{ kind: 'status', status: 429, retryAfter: 3600 }]);
  const error = await t.throwsAsync(client.getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(error!.code, 'rate_limited');
  t.regex(
    error!.message,
    /the API asked to wait \(429\); the next try would be at \S+Z \(in 60m\), after this operation's time limit/,
  );
  t.regex(error!.message, /time limit \(\d+s left\)/);
  t.regex(error!.message, /wait until it resets/);
  t.true(
    lines.some((l) => /^info giving up GET \S+: the API asked to wait/.test(l)),
    'the log says why it gave up',
  );

  await injectFaults(sim, [{ kind: 'status', status: 429, retryAfter: 3 }]);
  const waitedOut = await client.getMigration(CLUSTER, { deadline: Date.now() + 30_000 });
  t.is(waitedOut.status, 'running', 'a wait within the deadline is waited out');
  const logged = lines.some((l) => /^info waiting 3s before retrying GET \S+: the API asked to wait \(429\)/.test(l));
  t.true(logged, 'a wait of seconds is logged at info');
});

test('resets and slow answers are retried; a per-request timeout counts as a network error', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  // Ten times longer than an answer takes on a loaded machine, and far shorter than the stall.
  const client = clientFor(sim, { requestTimeoutMs: 2000 });
  await client.startMigration(CLUSTER, { source: SOURCE });
  await injectFaults(sim, [{ kind: 'reset' }, { kind: 'slow', delayMs: 30_000 }, { kind: 'status', status: 503 }]);
  t.is((await client.getMigration(CLUSTER)).status, 'running');
  const log = await requests(sim);
  t.deepEqual(
    log.slice(-4).map((r) => r.fault ?? String(r.status)),
    ['reset', 'slow', '503', '200'],
  );
});

test('a body that is not JSON, or not the documented shape, gives a clear error', async (t) => {
  const bodies = [
    '<html>oops</html>',
    '{"id": 5, "status": "running"}',
    '{"id":"m","status":"paused","created_at":"x"}',
  ];
  const { url } = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(bodies.shift());
  });
  const client = clientFor({ token: TEST_TOKEN, url } as never);
  for (const pattern of [
    /non-JSON body \(text\/html, 17 bytes\)/,
    /has no `id`/,
    /unknown migration status "paused"/,
  ]) {
    const error = await t.throwsAsync(client.getMigration(CLUSTER), { instanceOf: ApiError });
    t.is(error!.code, 'invalid_response');
    t.regex(error!.message, pattern);
  }
});

test('getCluster reads the engine under `database`; a body without it is invalid; clusterExists uses it', async (t) => {
  const sim = await simulator(t);
  const client = clientFor(sim);
  const kafka = await admin<{ id: string; name: string }>(sim, 'POST', 'clusters', { engine: 'kafka' });
  t.deepEqual(await client.getCluster(kafka.id), { id: kafka.id, name: kafka.name, engine: 'kafka' });
  t.true(await client.clusterExists(kafka.id));
  t.false(await client.clusterExists('c0ffee00-0000-4000-8000-000000000000'));
  const bare = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id": "x", "engine": "pg"}');
  });
  const unwrapped = clientFor({ token: 't', url: bare.url });
  const error = await t.throwsAsync(unwrapped.clusterExists(kafka.id), { instanceOf: ApiError });
  t.is(error!.code, 'invalid_response', 'an answer that is not a cluster is no proof that the cluster exists');
  t.regex(error!.message, /expected \{"database"/);
});

for (const kind of ['500', '503', 'reset'] as const) {
  test(`a PUT whose answer is lost (${kind} after applying) is adopted, not repeated`, async (t) => {
    const sim = await simulator(t);
    const client = clientFor(sim);
    const match = { method: 'PUT' };
    const fault = kind === 'reset' ? { kind: 'reset' as const } : { kind: 'status' as const, status: Number(kind) };
    await injectFaults(sim, [{ ...fault, after: true, match }]);
    const { migration, adopted } = await client.startMigration(CLUSTER, { source: SOURCE });
    t.true(adopted);
    const all = await admin<Array<{ id: string }>>(sim, 'GET', 'migrations');
    t.is(all.length, 1, 'exactly one migration was started');
    t.is(all[0]!.id, migration.id);
    t.deepEqual(
      (await requests(sim)).map((r) => r.method),
      ['GET', 'PUT', 'GET'],
      'look, start, look again: no second PUT',
    );
  });
}

test('a PUT answered 500 before being applied is sent again once three reads agree that nothing started', async (t) => {
  const sim = await simulator(t);
  const client = clientFor(sim);
  await injectFaults(sim, [{ kind: 'status', status: 500, match: { method: 'PUT' } }]);
  const { adopted } = await client.startMigration(CLUSTER, { source: SOURCE });
  t.false(adopted);
  t.is((await admin<unknown[]>(sim, 'GET', 'migrations')).length, 1);
  t.deepEqual(
    (await requests(sim)).map((r) => `${r.method} ${r.status}`),
    ['GET 404', 'PUT 500', 'GET 404', 'GET 404', 'GET 404', 'PUT 200', 'GET 200'],
  );
});

test('a PUT whose answer never came is never sent again: three reads that show nothing new end in start_unknown', async (t) => {
  const sim = await simulator(t);
  const client = clientFor(sim);
  await injectFaults(sim, [{ kind: 'reset', match: { method: 'PUT' } }]);
  const error = await t.throwsAsync(client.startMigration(CLUSTER, { source: SOURCE }), { instanceOf: ApiError });
  t.is(error!.code, 'start_unknown');
  t.regex(error!.message, /3 reads of GET \S+ showed no new migration/);
  t.is((await requests(sim)).filter((r) => r.method === 'PUT').length, 1);
});

test('a start looks first: refused with no PUT while a migration runs, and after a cutover unless asked', async (t) => {
  const sim = await simulator(t);
  const client = clientFor(sim);
  const foreign = await admin<{ id: string }>(sim, 'POST', `clusters/${CLUSTER}/migration`, {});
  const active = await t.throwsAsync(client.startMigration(CLUSTER, { source: SOURCE }), {
    instanceOf: StartRefusedError,
  });
  t.is(active!.reason, 'active');
  t.is(active!.latest.id, foreign.id);
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'done' });
  const cutover = await t.throwsAsync(client.startMigration(CLUSTER, { source: SOURCE }), {
    instanceOf: StartRefusedError,
  });
  t.is(cutover!.reason, 'cutover');
  t.deepEqual(
    (await requests(sim)).map((r) => r.method),
    ['GET', 'GET'],
    'nothing but reads',
  );
  const { migration } = await client.startMigration(CLUSTER, { source: SOURCE }, { afterCutover: true });
  t.not(migration.id, foreign.id);
});

test('a start whose own stop made the cluster done is no cutover: stop, then start, in one process', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 0 });
  const client = clientFor(sim);
  const { migration } = await client.startMigration(CLUSTER, { source: SOURCE });
  await client.stopMigration(CLUSTER, migration.id);
  t.is((await client.getMigration(CLUSTER)).status, 'done');
  await t.notThrowsAsync(client.startMigration(CLUSTER, { source: SOURCE }));
});

test('a PUT cancelled in flight is resolved by looking: the migration it started is adopted', async (t) => {
  const sim = await simulator(t);
  const client = clientFor(sim);
  await injectFaults(sim, [{ kind: 'slow', after: true, delayMs: 10_000, match: { method: 'PUT' } }]);
  const controller = new AbortController();
  const started = client.startMigration(CLUSTER, { source: SOURCE }, { signal: controller.signal });
  for (let i = 0; i < 100 && !(await requests(sim)).some((r) => r.method === 'PUT'); i++)
    await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  const { migration, adopted } = await started;
  t.true(adopted);
  t.is((await admin<Array<{ id: string }>>(sim, 'GET', 'migrations'))[0]!.id, migration.id);
});

test('an uncertain PUT that cannot be resolved before the deadline fails as start_unknown, never with a second PUT', async (t) => {
  const sim = await simulator(t);
  const proxy = await faultProxy(t, sim.url);
  const client = clientFor({ url: proxy.url, token: sim.token }, { retry: { limit: 1, waitMinMs: 5, waitMaxMs: 10 } });
  // The first GET (the baseline) passes untouched; the PUT's answer is lost; every GET after it fails.
  proxy.add({
    method: 'GET',
    skip: 1,
    fault: { kind: 'answer', status: 503, body: { id: 'unavailable', message: 'down' } },
  });
  await injectFaults(sim, [{ kind: 'reset', after: true, match: { method: 'PUT' } }]);
  // Each try's timeout is what is left of the deadline: room for the look and the PUT on a busy machine.
  const failing = client.startMigration(CLUSTER, { source: SOURCE }, { deadline: Date.now() + 8000 });
  const error = await t.throwsAsync(failing, { instanceOf: ApiError });
  t.is(error!.code, 'start_unknown');
  t.regex(error!.message, /could not tell whether the migration started/);
  t.is((await requests(sim)).filter((r) => r.method === 'PUT').length, 1);
});

test("the limiter keeps a burst of 500 calls under the simulator's limit: no 429 at all", async (t) => {
  const sim = await simulator(t, { rateLimit: 120, rateWindowMs: 1000 });
  const client = clientFor(sim, { retry: { limit: 0 } });
  await client.startMigration(CLUSTER, { source: SOURCE });
  const call = () =>
    client.getMigration(CLUSTER).then(
      () => 'ok',
      (e: ApiError) => e.code,
    );
  const results = await Promise.all(Array.from({ length: 500 }, call));
  t.is(results.filter((r) => r !== 'ok').length, 0);
  const log = await requests(sim);
  t.is(log.filter((r) => r.status === 429).length, 0, 'the simulator never had to refuse a request');
  t.is(log.length, 503, 'look, start, look after, then the 500 reads');
});

test('waiting follows the timeline to syncing, and cancellation stops a wait promptly', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 600_000 });
  const client = clientFor(sim);
  const { migration } = await client.startMigration(CLUSTER, { source: SOURCE });
  const seen: string[] = [];
  // The migration moves on once the wait has seen it running, however long that took.
  const onStatus = (m: { status: string }) => {
    seen.push(m.status);
    if (m.status === 'running') void admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'syncing' });
  };
  const reached = await waitForStatus(client, CLUSTER, migration.id, 'syncing', {
    timeoutMs: 5000,
    pollMinMs: 50,
    onStatus,
  });
  t.is(reached.status, 'syncing');
  t.deepEqual(seen, ['running', 'syncing']);

  const slow = await simulator(t, { syncDelayMs: 60_000 });
  const slowClient = clientFor(slow);
  const started = await slowClient.startMigration(CLUSTER, { source: SOURCE });
  const controller = new AbortController();
  // Cancelled once the first poll has answered: the next one is a minute away, so only the cancel can end the wait soon.
  const options = {
    timeoutMs: 600_000,
    pollMinMs: 60_000,
    signal: controller.signal,
    onStatus: () => controller.abort(),
  };
  const waiting = waitForStatus(slowClient, CLUSTER, started.migration.id, 'syncing', options);
  const error = await t.throwsAsync(within('the cancelled wait', waiting, 30_000), { instanceOf: WaitError });
  t.is(error!.reason, 'canceled');
});

test('a wait fails on error and canceled, and on time out', async (t) => {
  const sim = await simulator(t, { syncDelayMs: 60_000 });
  const client = clientFor(sim);
  const { migration } = await client.startMigration(CLUSTER, { source: SOURCE });
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'error' });
  const failing = waitForStatus(client, CLUSTER, migration.id, 'syncing', { timeoutMs: 2000, pollMinMs: 20 });
  const failed = await t.throwsAsync(failing, { instanceOf: WaitError });
  t.is(failed!.reason, 'failed');
  t.regex(failed!.message, /ended with status "error"/);
  const next = await client.startMigration(CLUSTER, { source: SOURCE });
  const timingOut = waitForStatus(client, CLUSTER, next.migration.id, 'syncing', { timeoutMs: 200, pollMinMs: 20 });
  const timedOut = await t.throwsAsync(timingOut, { instanceOf: WaitError });
  t.is(timedOut!.reason, 'timeout');
  await admin(sim, 'PATCH', `clusters/${CLUSTER}/migration`, { status: 'canceled' });
  const canceling = waitForStatus(client, CLUSTER, next.migration.id, 'syncing', { timeoutMs: 30_000, pollMinMs: 20 });
  const canceled = await t.throwsAsync(canceling, { instanceOf: WaitError });
  t.is(canceled!.reason, 'failed');
  t.regex(canceled!.message, /ended with status "canceled" before reaching "syncing"/);
});
