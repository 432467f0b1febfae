import test from 'ava';
import { CLIENT_RETRY } from '../../src/api/defaults';
import { type RetryPolicy, retryDelay, serverWaitMs } from '../../src/api/retry';

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
