import test from 'ava';
import { getEventListeners } from 'node:events';
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

/** A limiter on a clock the test sets: what it would do is read at once, never waited for. */
function onClock(start = 1_800_000_000_000) {
  const clock = { now: start };
  return { clock, limiter: new RateLimiter(() => clock.now) };
}

/** 'sent' when a request would go at once (it takes the slot), else the RateLimitWait a caller that cannot wait gets. */
const next = (limiter: RateLimiter): Promise<'sent' | RateLimitWait> =>
  limiter.acquire({ deadline: 0 }).then(
    () => 'sent' as const,
    (error: RateLimitWait) => error,
  );

/** How many requests would go at once, their slots given back afterwards. */
async function room(limiter: RateLimiter): Promise<number> {
  let sent = 0;
  while (sent < 50 && (await next(limiter)) === 'sent') sent++;
  for (let i = 0; i < sent; i++) limiter.release();
  return sent;
}

const window = (remaining: number, resetAtMs?: number, limit?: number) => ({
  'ratelimit-remaining': String(remaining),
  ...(resetAtMs === undefined ? {} : { 'ratelimit-reset': String(resetAtMs / 1000) }),
  ...(limit === undefined ? {} : { 'ratelimit-limit': String(limit) }),
});

test('what holds a request back, and until when: no answer yet, a spent window, then a new window', async (t) => {
  const { clock, limiter } = onClock();
  t.is(await next(limiter), 'sent');
  const first = (await next(limiter)) as RateLimitWait;
  t.like(first, { untilMs: clock.now, reason: 'no answer yet to learn the API rate limit from' });
  t.is(first.message, `no answer yet to learn the API rate limit from until ${new Date(clock.now).toISOString()}`);
  t.is(first.name, 'RateLimitWait');
  const resetAt = clock.now + 30_000;
  limiter.release(window(0, resetAt));
  t.like(await next(limiter), { untilMs: resetAt, reason: 'the API rate limit is used up' });
  clock.now = resetAt - 1;
  t.like(await next(limiter), { untilMs: resetAt }, 'not a moment before the reset');
  clock.now = resetAt;
  t.is(
    await next(limiter),
    'sent',
    'at the reset the spent window is forgotten: one request goes to learn the new one',
  );
  t.like(await next(limiter), { reason: 'no answer yet to learn the API rate limit from' });
});

test("the newest window's lowest figure wins; answers from an older window change nothing", async (t) => {
  const { clock, limiter } = onClock();
  const [older, current, newer] = [10_000, 20_000, 30_000].map((ms) => clock.now + ms);
  await limiter.acquire();
  limiter.release(window(5, current));
  t.is(await room(limiter), 5);
  limiter.release(window(7, current));
  t.is(await room(limiter), 5, 'a higher figure of the same window came late');
  limiter.release(window(3, current));
  t.is(await room(limiter), 3);
  limiter.release(window(1, older));
  t.is(await room(limiter), 3, 'an older window');
  limiter.release(window(8, newer));
  t.is(await room(limiter), 8, 'a newer window');
  limiter.release(window(2));
  t.is(await room(limiter), 2, 'a figure without a reset is taken as it is');
  limiter.release(window(6, newer + 1000));
  t.is(await room(limiter), 6);
  limiter.release({ 'ratelimit-remaining': 'many', 'ratelimit-reset': String(newer / 1000) });
  t.is(await room(limiter), 6, 'a figure that is not a number is ignored, and does not stop the pacing');
});

test('a request given back twice frees one slot, not two; an answer without headers keeps pacing', async (t) => {
  const { limiter } = onClock();
  await limiter.acquire();
  limiter.release();
  limiter.release();
  t.is(await next(limiter), 'sent');
  t.like(await next(limiter), { reason: 'no answer yet to learn the API rate limit from' }, 'still one at a time');
  limiter.release(window(1));
  limiter.release();
  t.is(await room(limiter), 1);
});

test('below a tenth of the limit, what remains is spread evenly over the rest of the window', async (t) => {
  const now = 1_800_000_000_000;
  const resetAt = now + 9000;
  /** When the request after one sent with `remaining` left of `limit` may go. */
  const after = async (remaining: number, limit?: number) => {
    const { limiter } = onClock(now);
    await limiter.acquire();
    limiter.release(window(remaining, resetAt, limit));
    await limiter.acquire();
    limiter.release();
    return next(limiter);
  };
  t.like(await after(11, 100), { untilMs: now + 900, reason: 'pacing requests after the API refused some (429)' });
  t.is(await after(12, 100), 'sent', 'above a tenth, no spacing');
  t.like(await after(1, 100), { untilMs: resetAt }, 'the last request of the window: the next one waits for the reset');
  t.is(await after(1), 'sent', 'without a limit, no spacing');
  const { limiter: noReset } = onClock(now);
  await noReset.acquire();
  noReset.release(window(1, undefined, 100));
  await noReset.acquire();
  noReset.release();
  t.is(await next(noReset), 'sent', 'without a reset, no spacing');
});

test('a refusal that said how long slows nothing; one that did not, or that comes after an honoured one, does', (t) => {
  const { clock, limiter } = onClock();
  const at = clock.now;
  limiter.refused(at, true, at);
  t.is(limiter.slowDownMs, 0, 'its wait is honoured (holdUntil)');
  limiter.refused(at, true, at + 1);
  t.is(limiter.slowDownMs, 500, 'a second one, for a request sent after the first came');
  limiter.refused(at, false, at + 2);
  t.is(limiter.slowDownMs, 500, 'a request sent before the latest refusal came says nothing new');
  limiter.accepted(at + 1, at + 3);
  limiter.refused(at + 3, true, at + 4);
  t.is(
    limiter.slowDownMs,
    500,
    'an answer to a request sent since the refusal came: the next explained one is honoured',
  );
  limiter.accepted(at + 3, at + 5);
  limiter.refused(at + 4, true, at + 6);
  t.is(limiter.slowDownMs, 1000, 'an answer to a request sent before it does not count');
  limiter.refused(at + 6, false, at + 7);
  t.is(limiter.slowDownMs, 2000, 'a refusal that does not say');
  limiter.accepted(at + 7, at + 7 + 5000);
  t.is(limiter.slowDownMs, 1600, 'an answer after a quiet spell brings the pace back');
});

test('when a hold after a 429 ends, one request goes alone; the rest wait for its answer, whatever it is', async (t) => {
  const { clock, limiter } = onClock();
  const at = clock.now;
  // An API without rate-limit headers: nothing paces requests but 429s.
  await limiter.acquire();
  limiter.release({}, at);
  const sent = await limiter.acquire();
  limiter.release({}, sent);
  limiter.refused(sent, true, at);
  limiter.holdUntil(at + 1000);
  clock.now = at + 1000;
  const probe = await limiter.acquire();
  t.is(probe, at + 1000, 'the probe goes when the hold ends');
  const held = await next(limiter);
  t.true(held instanceof RateLimitWait, 'a second request does not go with it');
  t.regex((held as RateLimitWait).reason, /answer to the request sent after the API refused/);
  limiter.release({}, sent - 1);
  t.true((await next(limiter)) instanceof RateLimitWait, 'the answer to a request sent before the probe frees nothing');
  limiter.release({}, probe);
  t.is(await next(limiter), 'sent', 'the probe was not answered (a reset): another may go');
  t.true((await next(limiter)) instanceof RateLimitWait, 'alone');
  limiter.release({}, clock.now);
  limiter.accepted(clock.now);
  t.is(await room(limiter), 50, 'an answer that is not a 429: every request goes again');
});

test('a request waiting for the probe, whose spacing ends past its deadline, is refused at once, saying until when', async (t) => {
  const { clock, limiter } = onClock();
  const at = clock.now;
  await limiter.acquire();
  limiter.release({}, at);
  // A 429 that does not say how long: requests go 500 ms apart, one at a time until one is answered.
  limiter.refused(at, false, at);
  clock.now = at + 500;
  const probe = await limiter.acquire();
  const waiting = limiter.acquire({ deadline: at + 600 }).catch((error: unknown) => error);
  const outcome = await Promise.race([waiting, new Promise((r) => setTimeout(() => r('still waiting'), 500))]);
  t.true(outcome instanceof RateLimitWait, String(outcome));
  t.is((outcome as RateLimitWait).untilMs, at + 1000, "the earliest it could go: the probe's time and the spacing");
  limiter.release({}, probe);
});

test('slowing down and holding move the next send later, never earlier', async (t) => {
  const { clock, limiter } = onClock();
  const at = clock.now;
  limiter.slowDown(at, at);
  t.like(await next(limiter), { untilMs: at + 500 });
  limiter.slowDown(at - 1, at);
  t.is(limiter.slowDownMs, 500, 'a refusal of a request sent before the last slow-down');
  limiter.slowDown(at, at);
  t.is(limiter.slowDownMs, 1000, 'one sent at that moment counts');
  limiter.holdUntil(at + 10_000);
  limiter.holdUntil(at + 2000);
  limiter.slowDown(at, at);
  t.like(await next(limiter), { untilMs: at + 10_000 });
  clock.now = at + 10_000;
  t.is(await next(limiter), 'sent');
  limiter.release();
  t.like(await next(limiter), { untilMs: at + 10_000 + 2000 }, 'and every request after it is spaced out');
});

test('the pace comes back only after a full quiet spell', (t) => {
  const { limiter } = onClock();
  limiter.recover(0);
  t.is(limiter.slowDownMs, 0);
  limiter.slowDown(1000, 1000);
  limiter.recover(5999);
  t.is(limiter.slowDownMs, 500);
  limiter.recover(6000);
  t.is(limiter.slowDownMs, 400);
  limiter.recover(10_999);
  t.is(limiter.slowDownMs, 400, 'a spell counts from the last change');
});

test('a request that waits is announced once, and leaves no listener on the signal', async (t) => {
  const { clock, limiter } = onClock();
  limiter.holdUntil(clock.now + 5000);
  const noticed: Array<[number, string]> = [];
  const controller = new AbortController();
  const waiting = limiter.acquire({
    signal: controller.signal,
    noticeMs: 5000,
    onWait: (ms, reason) => noticed.push([ms, reason]),
  });
  await new Promise(setImmediate);
  limiter.release();
  await new Promise(setImmediate);
  limiter.release();
  await new Promise(setImmediate);
  controller.abort();
  await t.throwsAsync(waiting, { any: true, name: 'AbortError' });
  t.deepEqual(noticed, [[5000, 'pacing requests after the API refused some (429)']]);
  t.is(getEventListeners(controller.signal, 'abort').length, 0);

  limiter.holdUntil(clock.now + 5000);
  const quiet = new AbortController();
  const unnoticed = limiter.acquire({ signal: quiet.signal, noticeMs: 5001, onWait: () => noticed.push([0, '']) });
  await new Promise(setImmediate);
  clock.now += 5000;
  limiter.release();
  await unnoticed;
  t.is(noticed.length, 1, 'a wait shorter than noticeMs is not announced');
  t.is(getEventListeners(quiet.signal, 'abort').length, 0, 'a request that went leaves no listener behind');
});

test('a request waiting for an answer to another gives up at its deadline', async (t) => {
  const { clock, limiter } = onClock();
  await limiter.acquire();
  const waiting = limiter.acquire({ deadline: clock.now + 20 });
  clock.now += 21;
  const error = await t.throwsAsync(waiting, { instanceOf: RateLimitWait });
  t.is(error!.reason, 'no answer yet to learn the API rate limit from');
});

test('a request held until its deadline or before waits and goes; one held past it is refused at once', async (t) => {
  const { clock, limiter } = onClock();
  const at = clock.now;
  limiter.holdUntil(at + 5000);
  await t.throwsAsync(limiter.acquire({ deadline: at + 4999 }), { instanceOf: RateLimitWait });
  const waiting = limiter.acquire({ deadline: at + 5000, noticeMs: 0 });
  await new Promise(setImmediate);
  clock.now = at + 5000;
  limiter.release();
  t.is(await waiting, at + 5000, 'it went at the end of the hold, announced to no one (no onWait)');
});
