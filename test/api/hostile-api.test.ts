import test from 'ava';
import { CLIENT_RETRY } from '../../src/api/defaults';
import { ApiError } from '../../src/api/errors';
import { faultProxy } from '../helpers/fault-proxy';
import { CLUSTER, SOURCE } from '../helpers/constants';
import { clientFor, simulator } from '../helpers/simulator';
import { within } from '../helpers/until';

/** The client over real HTTP, through the fault proxy, in front of the simulator. */

const PATH = `/v2/databases/${CLUSTER}/online-migration`;
const TOO_MANY = { id: 'too_many_requests', message: 'API Rate limit exceeded.' };

test('a 429 with retry-after: 0 and no rate-limit headers is retried after the floor, never at once', async (t) => {
  const sim = await simulator(t);
  const proxy = await faultProxy(t, sim.url);
  proxy.add({
    method: 'GET',
    times: 3,
    fault: { kind: 'answer', status: 429, headers: { 'retry-after': '0' }, body: TOO_MANY },
  });
  const client = clientFor({ url: proxy.url, token: sim.token }, { retry: { floorMs: CLIENT_RETRY.floorMs } });
  t.is(await client.findMigration(CLUSTER), undefined);
  const gets = proxy.requests.filter((r) => r.method === 'GET');
  t.deepEqual(
    gets.map((r) => r.status),
    [429, 429, 429, 404],
  );
  const gaps = gets.slice(1).map((r, i) => r.at - gets[i]!.at);
  t.true(
    gaps.every((gap) => gap >= CLIENT_RETRY.floorMs),
    `gaps between tries ${gaps.join(', ')} ms`,
  );
});

test('under a gateway that counts the requests it refuses and says retry-after: 0, the client backs off until requests succeed', async (t) => {
  t.timeout(3 * 60_000);
  const sim = await simulator(t);
  const proxy = await faultProxy(t, sim.url, {
    limiter: { limit: 5, windowMs: 1000, window: 'sliding', countRefused: true, retryAfter: () => '0' },
  });
  const client = clientFor({ url: proxy.url, token: sim.token });
  const callers = Array.from({ length: 4 }, async () => {
    for (let i = 0; i < 4; i++) await client.findMigration(CLUSTER);
  });
  await t.notThrowsAsync(Promise.all(callers), 'every call succeeded within its deadline');
  const refused = proxy.requests.filter((r) => r.fault === 'limited').length;
  t.is(proxy.requests.length - refused, 16);
  t.true(refused < 16, `${refused} refused: fewer than the requests that went through`);
});

test("a hung GET or PUT ends with the operation's deadline, not the per-request timeout", async (t) => {
  const sim = await simulator(t);
  const proxy = await faultProxy(t, sim.url);
  const client = clientFor({ url: proxy.url, token: sim.token }, { requestTimeoutMs: 30_000 });

  proxy.add({ method: 'GET', times: 1, fault: { kind: 'hang' } });
  const get = client.getMigration(CLUSTER, { deadline: Date.now() + 5000 });
  const hungGet = await within('the hung GET to fail', t.throwsAsync(get, { instanceOf: ApiError }), 15_000);
  t.is(hungGet!.code, 'network');
  t.regex(hungGet!.message, /no answer within 5s, what was left of this operation's time limit/);

  proxy.add({ method: 'PUT', times: 1, fault: { kind: 'hang' } });
  const put = client.startMigration(CLUSTER, { source: SOURCE }, { deadline: Date.now() + 5000 });
  await within('the hung PUT to fail', t.throwsAsync(put, { instanceOf: ApiError }), 15_000);
  const puts = proxy.requests.filter((r) => r.method === 'PUT');
  t.is(puts.length, 1, `the uncertain PUT was not sent again: ${JSON.stringify(proxy.requests)}`);
});

test('a token and a password that the server quotes are redacted by value; the path stays readable', async (t) => {
  const token = 'plain-token-value-17';
  const password = 'correct horse battery staple';
  const sim = await simulator(t, { token });
  const proxy = await faultProxy(t, sim.url);
  const quoted = `could not connect to db.example.com using password ${password}: authentication failed (you sent ${token})`;
  proxy.add({
    method: 'PUT',
    fault: { kind: 'answer', status: 422, body: { id: 'unprocessable_entity', message: quoted } },
  });
  const lines: string[] = [];
  const client = clientFor(
    { url: proxy.url, token },
    { log: (level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`) },
  );
  const error = await t.throwsAsync(client.startMigration(CLUSTER, { source: { ...SOURCE, password } }), {
    instanceOf: ApiError,
  });
  t.regex(
    error!.message,
    /^PUT \/v2\/databases\/9cc10173-e9ea-4176-9dbc-a4cee4c4ff30\/online-migration failed 422: could not connect to db\.example\.com using password \[redacted\]: authentication failed \(you sent \[redacted\]\)/,
  );
  const text = [error!.message, JSON.stringify(error), ...lines].join('\n');
  t.false(text.includes(password));
  t.false(text.includes(token));
});

test('a migration answered without created_at is started and read, not lost', async (t) => {
  const sim = await simulator(t);
  const proxy = await faultProxy(t, sim.url);
  const withoutCreatedAt = (body: Record<string, unknown>) => {
    const { created_at: _, ...rest } = body;
    return rest;
  };
  proxy.add({ path: PATH, fault: { kind: 'rewrite', body: (b) => (b?.id ? withoutCreatedAt(b) : b) } });
  const client = clientFor({ url: proxy.url, token: sim.token });
  const { migration, adopted } = await client.startMigration(CLUSTER, { source: SOURCE });
  t.false(adopted);
  t.deepEqual(migration, { id: migration.id, status: 'running' });
  t.deepEqual(await client.getMigration(CLUSTER), migration);
  t.is(proxy.count('PUT'), 1);
});

test('a request aborted by its caller while it hangs gives its slot back: the next request of the process goes at once', async (t) => {
  const sim = await simulator(t);
  const proxy = await faultProxy(t, sim.url);
  proxy.add({ method: 'GET', times: 1, fault: { kind: 'hang' } });
  const client = clientFor({ url: proxy.url, token: sim.token });
  // As the plan's checks abort their reads at their bound: the first answer, which teaches the limiter, never came.
  const aborted = client.findMigration(CLUSTER, { signal: AbortSignal.timeout(300) });
  await t.throwsAsync(aborted, { instanceOf: ApiError });
  t.is(await client.findMigration(CLUSTER, { deadline: Date.now() + 10_000 }), undefined);
  t.deepEqual(
    proxy.requests.map((r) => r.method),
    ['GET', 'GET'],
  );
});
