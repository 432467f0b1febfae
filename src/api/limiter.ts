type Headers = Record<string, string | string[] | undefined>;

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Epoch ms after which the request is no use to its caller: a longer wait throws RateLimitWait at once. */
  deadline?: number;
  /** Called once when the request will wait at least `noticeMs` before being sent. */
  onWait?: (ms: number, reason: string) => void;
  noticeMs?: number;
}

/** The limiter would hold a request past its caller's deadline. */
export class RateLimitWait extends Error {
  constructor(
    readonly untilMs: number,
    readonly reason: string,
  ) {
    super(`${reason} until ${new Date(untilMs).toISOString()}`);
    this.name = 'RateLimitWait';
  }
}

/**
 * Adaptive spacing after 429s: it doubles from the first step up to the most (a request a minute,
 * below any limit a gateway sets), and shrinks by a fifth after each quiet spell with answers and
 * no 429, down to none. Doubling on refusal and shrinking slowly converges whether or not the
 * server counts the requests it refuses: refused requests that count keep its window full, and
 * only a rate below its limit ever empties it.
 */
const SLOW_FIRST_MS = 500;
const SLOW_MOST_MS = 60_000;
const QUIET_SPELL_MS = 5000;
const RECOVERY = 0.8;

/**
 * Client-side pacing shared by every call in the process that uses the same token and endpoint.
 * From the `ratelimit-remaining` / `ratelimit-reset` headers: requests in flight count against
 * what remains, so a burst never spends more than the window holds. From 429s: every request
 * waits out what the 429 asked (`holdUntil`), and is spaced out, more after each 429 that comes
 * although the earlier ones were honoured, and less after a spell of answers that are not 429s.
 */
export class RateLimiter {
  private remaining?: number;
  private limit?: number;
  private resetAtMs?: number;
  private inFlight = 0;
  private nextSendAt = 0;
  /** Set once a response came without rate-limit headers: there is nothing to pace on but 429s. */
  private unpaced = false;
  private slowMs = 0;
  private slowedAt = 0;
  private changedAt = 0;
  /**
   * When the latest 429 came, and whether no answer to a request sent since has been anything else.
   * While it is so, one request at a time goes (the probe, sent at `probeSentAt`): when a hold ends,
   * a single request finds out whether the window has room, rather than every held request at once
   * into a window still full.
   */
  private refusedAt = 0;
  private refusing = false;
  private probeSentAt?: number;
  private readonly waiters = new Set<() => void>();

  /** `clock` tells the time, epoch ms: a test may pass its own, so that waits are read, not waited. */
  constructor(private readonly clock: () => number = Date.now) {}

  /** Waits for a slot and takes it; returns when the request may go (epoch ms), for `slowDown`. */
  async acquire(options: AcquireOptions = {}): Promise<number> {
    const { signal, deadline } = options;
    let announced = false;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock();
      if (this.resetAtMs !== undefined && now >= this.resetAtMs) this.forgetWindow();
      // Only set while refusing, and cleared when refusing ends.
      const probing = this.probeSentAt !== undefined;
      const allowance = this.allowance();
      if (!probing && allowance > 0 && now >= this.nextSendAt) {
        this.inFlight++;
        if (this.refusing) this.probeSentAt = now;
        this.nextSendAt = now + Math.max(this.spacing(now), this.slowMs);
        return now;
      }
      const until = this.heldUntil(probing, allowance, now);
      const reason = probing
        ? 'waiting for an answer to the request sent after the API refused some (429)'
        : allowance > 0
          ? 'pacing requests after the API refused some (429)'
          : this.remaining === undefined
            ? 'no answer yet to learn the API rate limit from'
            : 'the API rate limit is used up';
      if (deadline !== undefined && (until ?? now) > deadline) throw new RateLimitWait(until ?? now, reason);
      if (!announced && until !== undefined && until - now >= (options.noticeMs ?? Infinity)) {
        announced = true;
        options.onWait?.(until - now, reason);
      }
      const wakeAt = Math.min(until === undefined ? Infinity : until + 5, deadline ?? Infinity);
      await this.waitForChange(Number.isFinite(wakeAt) ? wakeAt - now : undefined, signal);
    }
  }

  /** Record what a response said, and free the slot of the request sent at `sentAt`. */
  release(headers?: Headers, sentAt?: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (sentAt !== undefined && this.probeSentAt !== undefined && sentAt >= this.probeSentAt)
      this.probeSentAt = undefined;
    const remaining = Number(headers?.['ratelimit-remaining']);
    const limit = Number(headers?.['ratelimit-limit']);
    const reset = Number(headers?.['ratelimit-reset']);
    if (headers && headers['ratelimit-remaining'] === undefined) this.unpaced = true;
    if (Number.isFinite(remaining)) {
      const resetAtMs = Number.isFinite(reset) ? reset * 1000 : undefined;
      // Responses from an older window arrive late; the lowest figure of the newest window wins.
      if (this.resetAtMs === undefined || resetAtMs === undefined || resetAtMs > this.resetAtMs) {
        this.remaining = remaining;
      } else if (resetAtMs === this.resetAtMs) {
        this.remaining = Math.min(this.remaining ?? remaining, remaining);
      }
      if (resetAtMs !== undefined) this.resetAtMs = Math.max(this.resetAtMs ?? 0, resetAtMs);
      if (Number.isFinite(limit)) this.limit = limit;
    }
    this.wakeAll();
  }

  /**
   * A request sent at `sentAt` was refused (429); `explained` when the answer said how long to
   * wait, which `holdUntil` honours. A refusal that does not say, or that comes although the last
   * one's wait was honoured, slows every request down. Refusals of requests sent before the
   * latest one came say nothing new.
   */
  refused(sentAt: number, explained: boolean, now = this.clock()): void {
    if (sentAt < this.refusedAt) return;
    if (!explained || this.refusing) this.slowDown(sentAt, now);
    this.refusing = true;
    this.refusedAt = now;
  }

  /** An answer that was not a 429, to a request sent at `sentAt`. */
  accepted(sentAt: number, now = this.clock()): void {
    if (sentAt >= this.refusedAt) {
      this.refusing = false;
      this.probeSentAt = undefined;
    }
    this.recover(now);
  }

  /**
   * Space every request out more (a request sent at `sentAt` was refused). Refusals of requests
   * sent before the last slow-down say nothing about the new pace.
   */
  slowDown(sentAt: number, now = this.clock()): void {
    if (sentAt < this.slowedAt) return;
    this.slowMs = Math.min(SLOW_MOST_MS, Math.max(SLOW_FIRST_MS, this.slowMs * 2));
    this.slowedAt = this.changedAt = now;
    this.nextSendAt = Math.max(this.nextSendAt, now + this.slowMs);
  }

  /** The API asked every request to wait until `at` (epoch ms): none is sent before. */
  holdUntil(at: number): void {
    this.nextSendAt = Math.max(this.nextSendAt, at);
  }

  /** An answer that was not a 429: after a quiet spell, shorten the spacing a little. */
  recover(now = this.clock()): void {
    if (this.slowMs === 0 || now - this.changedAt < QUIET_SPELL_MS) return;
    const shorter = this.slowMs * RECOVERY;
    this.slowMs = shorter < SLOW_FIRST_MS / 2 ? 0 : shorter;
    this.changedAt = now;
  }

  /** Current spacing from 429s, ms (0 when none). */
  get slowDownMs(): number {
    return this.slowMs;
  }

  /** Until when a request that may not go now waits; undefined: until another request is answered. */
  private heldUntil(probing: boolean, allowance: number, now: number): number | undefined {
    // The probe's answer frees the next request, but not before the spacing lets it go.
    if (probing) return this.nextSendAt > now ? this.nextSendAt : undefined;
    // Without a window to wait for, a request waits for an answer to another one.
    return allowance > 0 ? this.nextSendAt : this.resetAtMs;
  }

  /** How many more requests may go now; before the first answer, one at a time (it tells the window). */
  private allowance(): number {
    if (this.unpaced) return 1;
    if (this.remaining === undefined) return this.inFlight === 0 ? 1 : 0;
    return this.remaining - this.inFlight;
  }

  /** Below a tenth of the limit, spread what remains evenly over the rest of the window. */
  private spacing(now: number): number {
    if (this.remaining === undefined || this.limit === undefined || this.resetAtMs === undefined) return 0;
    if (this.remaining - this.inFlight > this.limit / 10) return 0;
    return Math.max(0, (this.resetAtMs - now) / Math.max(1, this.remaining - this.inFlight));
  }

  private forgetWindow(): void {
    this.remaining = undefined;
    this.resetAtMs = undefined;
  }

  private wakeAll(): void {
    for (const wake of this.waiters) wake();
  }

  private waitForChange(ms: number | undefined, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, Math.max(1, ms));
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

const shared = new Map<string, RateLimiter>();
/** One limiter per token and endpoint for the whole process. */
export function sharedLimiter(key: string): RateLimiter {
  let limiter = shared.get(key);
  if (!limiter) shared.set(key, (limiter = new RateLimiter()));
  return limiter;
}
