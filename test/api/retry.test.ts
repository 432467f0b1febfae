import test from 'ava';
import { CLIENT_RETRY } from '../../src/api/defaults';
import {
  type Attempt,
  type Failure,
  type RetryPolicy,
  decideRetry,
  firstAttempt,
  retryDelay,
  serverWaitMs,
  tryTimeoutMs,
} from '../../src/api/retry';

/** The provider's defaults: http_retry_wait_min 1 s and http_retry_wait_max 30 s. */
const POLICY: RetryPolicy = { ...CLIENT_RETRY, limit: 4, waitMinMs: 1000, waitMaxMs: 30_000 };

const at = (attempt: number, hints: Partial<Parameters<typeof retryDelay>[2]> = {}) =>
  retryDelay(attempt, POLICY, { now: 1_700_000_000_000, random: 1, ...hints });

test('backoff doubles from the minimum and stops at the maximum', (t) => {
  t.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((n) => at(n)),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000],
  );
});

test('jitter stays between the minimum and the ceiling', (t) => {
  t.is(at(3, { random: 0 }), 1000);
  t.is(at(3, { random: 0.5 }), 2500);
});

test('a 429 waits what retry-after says, else until the reset of a spent window', (t) => {
  t.is(at(1, { status: 429, retryAfter: '7' }), 7000);
  t.is(
    at(1, { status: 429, retryAfter: '3600' }),
    3_600_000,
    'the deadline, not the policy, decides whether that is too long',
  );
  t.is(at(1, { status: 429, rateLimitReset: String(1_700_000_000 + 12) }), 12_000);
  t.is(at(1, { status: 429, rateLimitRemaining: '0', rateLimitReset: String(1_700_000_000 + 12) }), 12_000);
  t.is(at(1, { status: 429, retryAfter: 'soon' }), 1000, 'an unreadable header falls back to backoff');
  t.is(at(1, { status: 429, retryAfter: '' }), 1000);
});

test('a 429 the headers do not explain (budget left in the window they show) has no server wait', (t) => {
  const reset = String(1_700_000_000 + 3000);
  const hints = { status: 429, rateLimitRemaining: '4000', rateLimitReset: reset, now: 1_700_000_000_000, random: 0 };
  t.is(serverWaitMs(hints), undefined);
  t.is(at(1, hints), 1000, 'backoff instead of waiting for a reset that is not the reason');
});

test('retry-after on a 5xx does not shorten the backoff', (t) => {
  t.is(at(2, { status: 503, retryAfter: '0' }), 2000);
});

test('retry-after that is blank, negative or not a number, and a reset already past, ask for no wait', (t) => {
  const now = 1_700_000_000_000;
  const base = { status: 429, now, random: 0 };
  t.is(serverWaitMs({ ...base, retryAfter: ' ' }), undefined);
  t.is(serverWaitMs({ ...base, retryAfter: '-5' }), undefined);
  t.is(serverWaitMs({ ...base, retryAfter: 'Infinity' }), undefined);
  t.is(serverWaitMs({ ...base, retryAfter: '0' }), 0, 'zero is an answer (the floor applies later)');
  t.is(serverWaitMs({ ...base, rateLimitRemaining: '0', rateLimitReset: String(now / 1000) }), undefined);
  t.is(serverWaitMs({ ...base, rateLimitRemaining: '0', rateLimitReset: 'soon' }), undefined);
  t.is(serverWaitMs({ ...base, rateLimitRemaining: '1', rateLimitReset: String(now / 1000 + 9) }), undefined);
  t.is(serverWaitMs({ ...base, rateLimitRemaining: '-1', rateLimitReset: String(now / 1000 + 9) }), 9000);
});

test('a minimum above the maximum backs off by the minimum', (t) => {
  const policy = { ...POLICY, waitMinMs: 2000, waitMaxMs: 1500 };
  t.is(retryDelay(1, policy, { now: 0, random: 1 }), 2000);
});

/** Not sent again: the failure stands. */
const STOP = { action: 'stop' };
const NOW = 1_700_000_000_000;
const CLOCK = { now: NOW, random: 1 };
const GET = firstAttempt('GET', NOW + 60_000);
const PUT = firstAttempt('PUT', NOW + 60_000);
const answer = (
  status: number,
  headers: Partial<Record<'retryAfter' | 'rateLimitRemaining' | 'rateLimitReset', string>> = {},
) => ({ kind: 'answer', status, ...headers }) as const;
const decide = (attempt: Attempt, failure: Failure, policy: Partial<RetryPolicy> = {}) =>
  decideRetry(attempt, failure, { ...POLICY, ...policy }, CLOCK);

test('a call starts at its first try, with no refusal', (t) => {
  t.deepEqual(firstAttempt('DELETE', 5), { method: 'DELETE', deadline: 5, tries: 1, refused: 0 });
});

test('a 5xx or a lost connection is retried with backoff, counting tries, until `limit` retries', (t) => {
  t.deepEqual(decide(GET, answer(503)), {
    action: 'retry',
    delayMs: 1000,
    next: { ...GET, tries: 2 },
    why: ' (503)',
  });
  const third = { ...GET, tries: 3, refused: 2 };
  t.deepEqual(decide(third, { kind: 'no-answer', code: 'ECONNRESET' }), {
    action: 'retry',
    delayMs: 4000,
    next: { ...third, tries: 4 },
    why: ' (ECONNRESET)',
  });
  t.is(decide({ ...GET, tries: 4 }, answer(500)).action, 'retry', 'the fourth retry of four');
  t.deepEqual(decide({ ...GET, tries: 5 }, answer(500)), STOP, 'no fifth');
  t.deepEqual(decide(GET, answer(500), { limit: 0 }), STOP, 'http_retry_max = 0');
  t.is(decide(firstAttempt('DELETE', NOW + 60_000), answer(502)).action, 'retry');
  t.like(decide(third, answer(503, { retryAfter: '0' })), { delayMs: 4000 }, 'retry-after does not shorten it');
});

test('what is retried: the policy status codes and the network failures worth another try', (t) => {
  for (const status of [500, 502, 503, 504]) t.is(decide(GET, answer(status)).action, 'retry', String(status));
  for (const status of [400, 401, 404, 409, 422, 501]) t.deepEqual(decide(GET, answer(status)), STOP, String(status));
  t.deepEqual(decide(GET, answer(503), { statusCodes: [500] }), STOP, 'the codes come from the policy');
  const codes = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED'];
  for (const code of [...codes, 'ERR_GOT_REQUEST_ERROR'])
    t.is(decide(GET, { kind: 'no-answer', code }).action, 'retry', code);
  for (const code of ['ERR_BODY_PARSE_FAILURE', 'ERR_TOO_MANY_REDIRECTS', 'EPROTO'])
    t.deepEqual(decide(GET, { kind: 'no-answer', code }), STOP, `${code}: an unreadable body is no failure to retry`);
});

test('no retry wait ends after the deadline: a 5xx then stands', (t) => {
  t.is(decide({ ...GET, deadline: NOW + 1000 }, answer(503)).action, 'retry', 'a wait that ends at the deadline');
  t.deepEqual(decide({ ...GET, deadline: NOW + 999 }, answer(503)), STOP);
});

test('a PUT is never sent again blindly: after a 5xx only once reads agree (resend), after a lost answer never', (t) => {
  t.deepEqual(decide(PUT, answer(503)), { action: 'resend', delayMs: 1000, next: { ...PUT, tries: 2 }, why: ' (503)' });
  for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ERR_GOT_REQUEST_ERROR'])
    t.deepEqual(decide(PUT, { kind: 'no-answer', code }), STOP, code);
  t.deepEqual(decide({ ...PUT, tries: 5 }, answer(503)), STOP, 'nor past the limit');
  t.deepEqual(decide({ ...PUT, deadline: NOW + 999 }, answer(503)), STOP, 'nor past the deadline');
});

test('a 429 is retried whatever the method and the limit, after what it asks, never less than the floor', (t) => {
  /** A retry after a 429 that asked for `delayMs`: every request of the process waits as long. */
  const asked = (attempt: Attempt, delayMs: number) => ({
    action: 'retry',
    delayMs,
    next: { ...attempt, refused: attempt.refused + 1 },
    why: ': the API asked to wait (429)',
    holdUntil: NOW + delayMs,
    refusal: { explained: true },
  });
  for (const attempt of [GET, PUT, { ...GET, tries: 9 }])
    t.deepEqual(decide(attempt, answer(429, { retryAfter: '7' }), { limit: 0 }), asked(attempt, 7000));
  const refused = { ...GET, refused: 3 };
  t.deepEqual(decide(refused, answer(429, { retryAfter: '0' })), asked(refused, 1000), 'the floor');
});

test('a 429 that does not say how long backs off on its own count, and holds every request for the floor', (t) => {
  t.deepEqual(decide({ ...GET, tries: 2, refused: 2 }, answer(429)), {
    action: 'retry',
    delayMs: 4000,
    next: { ...GET, tries: 2, refused: 3 },
    why: ': the API refused it (429) without saying for how long',
    holdUntil: NOW + 1000,
    refusal: { explained: false },
  });
});

test('a 429 whose wait would end after the deadline gives up, saying until when', (t) => {
  t.deepEqual(decide(GET, answer(429, { retryAfter: '3600' })), {
    action: 'give-up',
    untilMs: NOW + 3_600_000,
    reason: 'the API asked to wait (429)',
    refusal: { explained: true },
  });
  t.deepEqual(decide({ ...GET, deadline: NOW + 999 }, answer(429)), {
    action: 'give-up',
    untilMs: NOW + 1000,
    reason: 'the API refused it (429) without saying for how long',
    refusal: { explained: false },
  });
  t.is(decide({ ...GET, deadline: NOW + 1000 }, answer(429)).action, 'retry', 'a wait that ends at the deadline');
});

test('a call the limiter would hold past its deadline gives up; a cancelled one stops', (t) => {
  const held = { kind: 'held', untilMs: NOW + 5000, reason: 'the API rate limit is used up' } as const;
  t.deepEqual(decide(GET, held), { action: 'give-up', untilMs: NOW + 5000, reason: 'the API rate limit is used up' });
  t.deepEqual(decide(GET, { kind: 'canceled' }), STOP);
});

test("a try's timeout is the request timeout, cut to what is left before the deadline, at least 1 ms", (t) => {
  t.is(tryTimeoutMs(GET, 30_000, NOW), 30_000);
  t.is(tryTimeoutMs(GET, 30_000, NOW + 45_000), 15_000);
  t.is(tryTimeoutMs(GET, 30_000, NOW + 60_000), 1);
  t.is(tryTimeoutMs(GET, 30_000, NOW + 61_000), 1);
});
