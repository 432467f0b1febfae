import test from 'ava';
import { RateLimitWait, RateLimiter, sharedLimiter } from '../../src/api/limiter';

const headers = (remaining: number, resetInMs: number, limit = 10) => ({
  'ratelimit-remaining': String(remaining),
  'ratelimit-limit': String(limit),
  'ratelimit-reset': String(Math.ceil((Date.now() + resetInMs) / 1000)),
});

test('before the first answer only one request is in flight', async (t) => {
  const limiter = new RateLimiter();
  await limiter.acquire();
  let second = false;
  const pending = limiter.acquire().then(() => (second = true));
  await new Promise((r) => setTimeout(r, 20));
  t.false(second);
  limiter.release(headers(9, 5000));
  await pending;
  t.true(second);
});

test('requests in flight count against what remains', async (t) => {
  const limiter = new RateLimiter();
  await limiter.acquire();
  limiter.release(headers(2, 60_000, 2));
  await limiter.acquire();
  await limiter.acquire();
  const controller = new AbortController();
  const third = limiter.acquire({ signal: controller.signal });
  setTimeout(() => controller.abort(), 30);
  await t.throwsAsync(
    third,
    { any: true, name: 'AbortError' },
    'a third request waits for the window, until it is canceled',
  );
});

test('the same token and endpoint share one limiter in a process', (t) => {
  t.is(sharedLimiter('a'), sharedLimiter('a'));
  t.not(sharedLimiter('a'), sharedLimiter('b'));
});

test('below a tenth of the limit, requests are spread over the rest of the window', async (t) => {
  const limiter = new RateLimiter();
  await limiter.acquire();
  // Three seconds: on a busy machine a window of one could be spent before the first acquire.
  limiter.release(headers(5, 3000, 100));
  const began = Date.now();
  for (let i = 0; i < 3; i++) {
    await limiter.acquire();
    limiter.release();
  }
  t.true(Date.now() - began >= 150, 'three requests with five left in three seconds are paced, not sent at once');
});

test('an API that sends no rate-limit headers is not paced', async (t) => {
  const limiter = new RateLimiter();
  await limiter.acquire();
  limiter.release({ 'content-type': 'application/json' });
  const heldBack = new Promise<string>((resolve) => setTimeout(() => resolve('held back'), 2000).unref());
  const sent = Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]).then(() => 'sent');
  t.is(await Promise.race([sent, heldBack]), 'sent', 'three requests in flight at once, none held back');
});

test("a wait past the caller's deadline is refused at once, saying until when", async (t) => {
  const limiter = new RateLimiter();
  await limiter.acquire();
  limiter.release(headers(0, 3_600_000, 250));
  const noticed: number[] = [];
  const error = await t.throwsAsync(
    limiter.acquire({ deadline: Date.now() + 60_000, onWait: (ms) => noticed.push(ms), noticeMs: 3000 }),
    { instanceOf: RateLimitWait },
  );
  t.true(error!.untilMs > Date.now() + 3_500_000, 'the reset an hour away');
  t.regex(error!.reason, /rate limit is used up/);
  t.deepEqual(noticed, [], 'nothing to announce: it does not wait');
});

test('429s space every request out, doubling, and answers bring the pace back a little at a time', async (t) => {
  const limiter = new RateLimiter();
  const sentAt = await limiter.acquire();
  limiter.release({});
  limiter.slowDown(sentAt);
  limiter.slowDown(sentAt - 1);
  const noticed: string[] = [];
  const began = Date.now();
  await limiter.acquire({ onWait: (_, reason) => noticed.push(reason), noticeMs: 100 });
  limiter.release({});
  t.true(Date.now() - began >= 450, 'the next request waited the first step (500 ms)');
  t.deepEqual(noticed, ['pacing requests after the API refused some (429)']);
  const second = await limiter.acquire();
  limiter.release({});
  limiter.slowDown(second);
  const doubled = Date.now();
  await limiter.acquire();
  limiter.release({});
  t.true(Date.now() - doubled >= 950, 'a second refusal doubles the spacing; a stale one did not count');
  t.is(limiter.slowDownMs, 1000);
  // Right after the 429, however late the wait above ended on a busy machine.
  limiter.recover(doubled);
  t.is(limiter.slowDownMs, 1000, 'no recovery right after a 429');
  const later = Date.now() + 5000;
  limiter.recover(later);
  t.is(limiter.slowDownMs, 800, 'an answer after a quiet spell shortens the spacing by a fifth');
  limiter.recover(later + 1000);
  t.is(limiter.slowDownMs, 800, 'once per spell');
  const spells = [2, 3, 4, 5, 6, 7, 8].map((n) => (limiter.recover(later + n * 5000), Math.round(limiter.slowDownMs)));
  t.deepEqual(spells, [640, 512, 410, 328, 262, 0, 0], 'below half the first step, requests go without spacing');
});

test('the spacing doubles on each refusal up to a request a minute, below any limit a gateway sets', async (t) => {
  const limiter = new RateLimiter();
  let now = Date.now();
  const steps: number[] = [];
  for (let i = 0; i < 9; i++) {
    limiter.slowDown(now, now);
    steps.push(limiter.slowDownMs);
    now += 1;
  }
  t.deepEqual(steps, [500, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
});
