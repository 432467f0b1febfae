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
 * Adaptive spacing after 429s the headers do not explain: it doubles from the first step up to
 * the most, and halves after each quiet spell with answers and no such 429, down to none.
 */
const SLOW_FIRST_MS = 500;
const SLOW_MOST_MS = 10_000;
const QUIET_SPELL_MS = 5000;

/**
 * Client-side pacing shared by every call in the process that uses the same token and endpoint.
 * From the `ratelimit-remaining` / `ratelimit-reset` headers: requests in flight count against
 * what remains, so a burst never spends more than the window holds. From 429s the headers do not
 * explain (a burst limit they do not show): every request is spaced out, more after each such 429
 * and less after each answer that is not one.
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
  private readonly waiters = new Set<() => void>();

  /** Waits for a slot and takes it; returns when the request may go (epoch ms), for `slowDown`. */
  async acquire(options: AcquireOptions = {}): Promise<number> {
    const { signal, deadline } = options;
    let announced = false;
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      if (this.resetAtMs !== undefined && now >= this.resetAtMs) this.forgetWindow();
      const allowance = this.allowance();
      if (allowance > 0 && now >= this.nextSendAt) {
        this.inFlight++;
        this.nextSendAt = now + Math.max(this.spacing(now), this.slowMs);
        return now;
      }
      // Without a window to wait for, a request waits for an answer to another one.
      const until = allowance > 0 ? this.nextSendAt : this.resetAtMs;
      const reason =
        allowance > 0
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

  /** Record what a response said, and free its slot. */
  release(headers?: Headers): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const remaining = Number(headers?.['ratelimit-remaining']);
    const limit = Number(headers?.['ratelimit-limit']);
    const reset = Number(headers?.['ratelimit-reset']);
    if (headers && headers['ratelimit-remaining'] === undefined) this.unpaced = true;
    if (headers?.['ratelimit-remaining'] !== undefined && Number.isFinite(remaining)) {
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
   * A request sent at `sentAt` got a 429 its headers do not explain: space every request out
   * more. Refusals of requests sent before the last slow-down say nothing about the new pace.
   */
  slowDown(sentAt: number, now = Date.now()): void {
    if (sentAt < this.slowedAt) return;
    this.slowMs = Math.min(SLOW_MOST_MS, Math.max(SLOW_FIRST_MS, this.slowMs * 2));
    this.slowedAt = this.changedAt = now;
    this.nextSendAt = Math.max(this.nextSendAt, now + this.slowMs);
  }

  /** An answer that was not a 429: after a quiet spell, halve the spacing. */
  recover(now = Date.now()): void {
    if (this.slowMs === 0 || now - this.changedAt < QUIET_SPELL_MS) return;
    this.slowMs = this.slowMs / 2 < SLOW_FIRST_MS / 2 ? 0 : this.slowMs / 2;
    this.changedAt = now;
  }

  /** Current spacing from 429s, ms (0 when none). */
  get slowDownMs(): number {
    return this.slowMs;
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
