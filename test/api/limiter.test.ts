import test from 'ava';
import { RateLimiter, sharedLimiter } from '../../src/api/limiter';

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
  const third = limiter.acquire(controller.signal);
  setTimeout(() => controller.abort(), 30);
  await t.throwsAsync(third, { any: true, name: 'AbortError' }, 'a third request waits for the window, until it is canceled');
});

test('the same token and endpoint share one limiter in a process', (t) => {
  t.is(sharedLimiter('a'), sharedLimiter('a'));
  t.not(sharedLimiter('a'), sharedLimiter('b'));
});

test('below a tenth of the limit, requests are spread over the rest of the window', async (t) => {
  const limiter = new RateLimiter();
  await limiter.acquire();
  limiter.release(headers(5, 1000, 100));
  const began = Date.now();
  for (let i = 0; i < 3; i++) {
    await limiter.acquire();
    limiter.release();
  }
  t.true(Date.now() - began >= 150, 'three requests with five left in a second are paced, not sent at once');
});

test('an API that sends no rate-limit headers is not paced', async (t) => {
  const limiter = new RateLimiter();
  await limiter.acquire();
  limiter.release({ 'content-type': 'application/json' });
  await limiter.acquire();
  await limiter.acquire();
  await limiter.acquire();
  t.pass('three requests in flight at once');
});
