import test, { type ExecutionContext } from 'ava';
import { type ClientOptions, DoClient } from '../../src/api/client';
import { ApiError } from '../../src/api/errors';
import { RateLimiter } from '../../src/api/limiter';
import { CLIENT_DEFAULTS } from '../../src/provider/config';
import { CLUSTER, SOURCE } from '../helpers/constants';
import { serve } from '../helpers/http-server';
import type { ClientOverrides } from '../helpers/simulator';

type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | 'reset';
interface Seen {
  method: string;
  at: number;
}

const MIGRATION = { id: 'b1f4c3a0-0000-4000-8000-000000000001', status: 'running', created_at: '2026-01-01T00:00:00Z' };
const ok = (headers?: Record<string, string>): Reply => ({ status: 200, headers, body: MIGRATION });
const OK = ok();
const NOT_FOUND: Reply = { status: 404, body: { id: 'not_found', message: 'not found' } };
const UNAVAILABLE: Reply = { status: 503, body: { id: 'service_unavailable', message: 'down for maintenance' } };

/** A server on 127.0.0.1 that answers the nth request (from 0) as `reply` says, and notes when each came. */
async function scripted(
  t: ExecutionContext,
  reply: (method: string, n: number) => Reply,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const { url } = await serve(t, (req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = reply(req.method!, seen.length);
      seen.push({ method: req.method!, at: Date.now() });
      if (answer === 'reset') return req.socket.resetAndDestroy();
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  return { url, seen };
}

interface Logged {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

function client(url: string, options: ClientOverrides = {}): { client: DoClient; logged: Logged[] } {
  const logged: Logged[] = [];
  const log: ClientOptions['log'] = (level, message, fields) => logged.push({ level, message, fields });
  return {
    client: new DoClient({
      token: 't',
      endpoint: url,
      userAgent: 'test',
      limiter: new RateLimiter(),
      log,
      ...options,
      retry: { ...CLIENT_DEFAULTS.retry, floorMs: 1, ...options.retry },
    }),
    logged,
  };
}

const retries = (logged: Logged[]) => logged.filter((l) => l.fields?.delay_ms !== undefined).map((l) => l.fields!);

test('a 429 is sent again after what retry-after asks, whatever the retry limit', async (t) => {
  const { url, seen } = await scripted(t, (_, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : OK));
  const { client: c, logged } = client(url, { retry: { limit: 0, waitMinMs: 1, waitMaxMs: 2 } });
  t.deepEqual(await c.getMigration(CLUSTER), MIGRATION);
  t.is(seen.length, 2);
  t.like(retries(logged), [{ status: 429, refused: 1, delay_ms: 1000 }]);
  t.true(seen[1]!.at - seen[0]!.at >= 950, `sent again ${seen[1]!.at - seen[0]!.at} ms later`);
});

test('a 429 with the window spent waits until ratelimit-reset', async (t) => {
  let reset = 0;
  const { url, seen } = await scripted(t, (_, n) => {
    if (n > 0) return OK;
    reset = Math.ceil(Date.now() / 1000) + 2;
    return {
      status: 429,
      headers: { 'ratelimit-limit': '250', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) },
    };
  });
  const { client: c, logged } = client(url, { retry: { limit: 0, waitMinMs: 1, waitMaxMs: 2 } });
  await c.getMigration(CLUSTER);
  const [retry] = retries(logged);
  t.is(retry!.status, 429);
  t.true(
    (retry!.delay_ms as number) > 1000 && (retry!.delay_ms as number) <= 3000,
    `waited ${retry!.delay_ms} ms, until the reset`,
  );
  t.true(seen[1]!.at >= reset * 1000 - 50, 'sent again once the window had reset');
});

test('a 5xx is retried `limit` times, then fails with a clear error', async (t) => {
  const { url, seen } = await scripted(t, () => UNAVAILABLE);
  // A wait of 0 is allowed (http_retry_wait_min = 0): got must still retry.
  const { client: c } = client(url, { retry: { limit: 2, waitMinMs: 0, waitMaxMs: 0 } });
  const error = await t.throwsAsync(c.getMigration(CLUSTER), { instanceOf: ApiError });
  t.is(seen.length, 3);
  t.is(error!.code, 'server_error');
  t.is(error!.attempts, 3);
  t.regex(
    error!.message,
    /^GET \/v2\/databases\/\S+\/online-migration failed 503 after 3 tries: down for maintenance; DigitalOcean/,
  );
});

test('a connection reset is retried `limit` times, then fails as a network error', async (t) => {
  const { url, seen } = await scripted(t, (method) => (method === 'GET' ? OK : 'reset'));
  const { client: c } = client(url, { retry: { limit: 1, waitMinMs: 1, waitMaxMs: 2 } });
  const error = await t.throwsAsync(c.stopMigration(CLUSTER, MIGRATION.id), { instanceOf: ApiError });
  t.deepEqual(
    seen.map((s) => s.method),
    ['GET', 'DELETE', 'DELETE'],
    'a stop looks first, and only then stops what it saw running',
  );
  t.is(error!.code, 'network');
  t.regex(error!.message, /^DELETE \S+ failed after 2 tries: ECONNRESET .*check api_endpoint/);
});

test('a cancel during a retry wait ends the call at once, with nothing sent again', async (t) => {
  const { url, seen } = await scripted(t, () => UNAVAILABLE);
  const controller = new AbortController();
  const { client: c, logged } = client(url, {
    retry: { limit: 3, waitMinMs: 60_000, waitMaxMs: 60_000 },
    log: (level, message) => {
      if (/^waiting 60s before retrying GET \S+ \(503\)$/.test(message)) setImmediate(() => controller.abort());
      logged.push({ level, message });
    },
  });
  const call = c
    .getMigration(CLUSTER, { signal: controller.signal, deadline: Date.now() + 600_000 })
    .catch((error: unknown) => error);
  const still = new Promise((resolve) => setTimeout(resolve, 20_000, 'still waiting').unref());
  const outcome = await Promise.race([call, still]);
  t.true(outcome instanceof ApiError, String(outcome));
  t.is((outcome as ApiError).code, 'canceled');
  t.true(
    logged.some((l) => l.level === 'info' && l.message.startsWith('waiting 60s')),
    'the wait was logged at info',
  );
  t.is(seen.length, 1);
});

test('a PUT that fails is never sent again blindly: a 5xx only after three reads agree nothing started, a lost answer never', async (t) => {
  const looks = ['GET', 'GET', 'GET'];
  const cases = [
    [UNAVAILABLE, 'server_error', ['GET', 'PUT', ...looks, 'PUT', ...looks, 'PUT', ...looks]],
    ['reset', 'start_unknown', ['GET', 'PUT', ...looks]],
  ] as const;
  for (const [failing, code, methods] of cases) {
    const { url, seen } = await scripted(t, (method) => (method === 'GET' ? NOT_FOUND : failing));
    const { client: c } = client(url, { retry: { limit: 2, waitMinMs: 1, waitMaxMs: 2 } });
    const error = await t.throwsAsync(c.startMigration(CLUSTER, { source: SOURCE }), { instanceOf: ApiError });
    t.is(error!.code, code);
    t.deepEqual(
      seen.map((s) => s.method),
      [...methods],
      'look, start, look until the reads agree, and so on',
    );
  }
});

test("a PUT answered 429 is sent again without looking: the API did not carry it out (our rule; got's, which would not retry it, stay off)", async (t) => {
  const refused: Reply = { status: 429, headers: { 'retry-after': '0' } };
  const { url, seen } = await scripted(t, (method, n) => (method === 'GET' ? NOT_FOUND : n === 1 ? refused : OK));
  const { client: c } = client(url, { retry: { limit: 0 } });
  const { migration, adopted } = await c.startMigration(CLUSTER, { source: SOURCE });
  t.false(adopted);
  t.is(migration.id, MIGRATION.id);
  t.deepEqual(
    seen.map((s) => s.method),
    ['GET', 'PUT', 'PUT', 'GET'],
    'look, start (twice: the 429 was not carried out), look after',
  );
});

test('the rate-limit headers of an answer hold the next request back until the window resets', async (t) => {
  let reset = 0;
  const { url, seen } = await scripted(t, (_, n) => {
    reset ||= Math.ceil(Date.now() / 1000) + 1;
    return ok({
      'ratelimit-limit': '250',
      'ratelimit-remaining': n === 0 ? '0' : '249',
      'ratelimit-reset': String(reset),
    });
  });
  const { client: c, logged } = client(url);
  await c.getMigration(CLUSTER);
  await c.getMigration(CLUSTER);
  t.is(seen.length, 2);
  t.true(seen[1]!.at >= reset * 1000 - 50, 'the second request waited for the reset');
  t.deepEqual(retries(logged), [], 'held back by the limiter, not retried');
});

test('after a 429 every waiting request is held as long as it asked: none slips out between the answer and the hold', async (t) => {
  const HOLD_MS = 300;
  // No rate-limit headers, so nothing but 429s paces requests; the first three requests after the
  // first are refused, and so is the one sent alone when their hold ends.
  const { url, seen } = await scripted(t, (_, n) =>
    n >= 1 && n <= 4 ? { status: 429, headers: { 'retry-after': '0' }, body: { id: 'too_many_requests' } } : OK,
  );
  const { client: c } = client(url, { retry: { floorMs: HOLD_MS } });
  await c.getMigration(CLUSTER);
  await Promise.all([c.getMigration(CLUSTER), c.getMigration(CLUSTER), c.getMigration(CLUSTER)]);
  t.is(seen.length, 8, 'one read, three refused at once, one of them refused again alone, then the three reads');
  for (let n = 4; n < seen.length; n++) {
    const waited = seen[n]!.at - seen[n - 1]!.at;
    t.true(waited >= HOLD_MS - 20, `request ${n} came ${waited} ms after the 429 before it`);
  }
});

test('a call the limiter would hold past its deadline fails at once as rate_limited, saying until when, with nothing sent', async (t) => {
  const reset = Math.ceil(Date.now() / 1000) + 3600;
  const spent = { 'ratelimit-limit': '250', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) };
  const { url, seen } = await scripted(t, () => ok(spent));
  const { client: c, logged } = client(url);
  await c.getMigration(CLUSTER);
  const error = await t.throwsAsync(c.getMigration(CLUSTER, { deadline: Date.now() + 60_000 }), {
    instanceOf: ApiError,
  });
  t.is(error!.code, 'rate_limited');
  t.is(error!.status, undefined, 'no answer: the limiter held it back');
  t.regex(
    error!.message,
    /the API rate limit is used up; the next try would be at \S+Z \(in 60m\), after this operation's time limit \(\d+s left\)/,
  );
  t.is(seen.length, 1);
  t.true(logged.some((l) => l.level === 'info' && /^giving up GET \S+: the API rate limit is used up/.test(l.message)));
});
