/**
 * Client-side pacing from the server's `ratelimit-remaining` / `ratelimit-reset` headers, shared
 * by every call in the process that uses the same token and endpoint: requests in flight count
 * against what remains, so a burst never spends more than the window holds.
 */
export class RateLimiter {
  private remaining?: number;
  private limit?: number;
  private resetAtMs?: number;
  private inFlight = 0;
  private nextSendAt = 0;
  /** Set once a response came without rate-limit headers: there is nothing to pace on. */
  private unpaced = false;
  private readonly waiters = new Set<() => void>();

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      if (this.resetAtMs !== undefined && now >= this.resetAtMs) this.forgetWindow();
      if (this.unpaced) {
        this.inFlight++;
        return;
      }
      const allowance = this.remaining === undefined ? (this.inFlight === 0 ? 1 : 0) : this.remaining - this.inFlight;
      if (allowance > 0 && now >= this.nextSendAt) {
        this.inFlight++;
        this.nextSendAt = now + this.spacing(now);
        return;
      }
      const until = allowance > 0 ? this.nextSendAt : this.resetAtMs;
      await this.waitForChange(until === undefined ? undefined : until - now + 5, signal);
    }
  }

  /** Record what a response said, and free its slot. */
  release(headers?: Record<string, string | string[] | undefined>): void {
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
    for (const wake of this.waiters) wake();
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
