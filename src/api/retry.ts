/** Retry policy as data; names follow the official DigitalOcean provider's settings. */
export interface RetryPolicy {
  /** Retries after a 5xx or a network error (http_retry_max); a 429 is retried until the deadline. */
  limit: number;
  /**
   * Shortest wait before any retry, ms, whatever `retry-after` or http_retry_wait_min say: a 429
   * with `retry-after: 0` retried at once, by every request in flight, is a storm.
   */
  floorMs: number;
  /** Shortest and longest backoff, in ms (http_retry_wait_min / _max). */
  waitMinMs: number;
  waitMaxMs: number;
  statusCodes: readonly number[];
  /**
   * How long a call whose caller set no deadline (a refresh, a read, an import) may spend waiting
   * out rate limits and failures, ms: a refresh fails with a diagnostic instead of hanging.
   */
  callBoundMs: number;
  /** Waits at least this long are logged at info level, which `TF_LOG=info` shows. */
  logWaitMs: number;
}

export interface RetryHints {
  /** `retry-after` header, seconds. */
  retryAfter?: string;
  /** `ratelimit-remaining` header. */
  rateLimitRemaining?: string;
  /** `ratelimit-reset` header, Unix seconds. */
  rateLimitReset?: string;
  status?: number;
  now: number;
  random: number;
}

/**
 * How long a 429 asks to wait, from its headers: `retry-after`, else the reset of a window whose
 * budget is spent. Undefined when the headers do not explain the 429 (a burst limit the headers
 * do not show): then only backoff and slowing down help.
 */
export function serverWaitMs(hints: RetryHints): number | undefined {
  const retryAfter = Number(hints.retryAfter);
  const readable = hints.retryAfter !== undefined && hints.retryAfter.trim() !== '' && Number.isFinite(retryAfter);
  if (readable && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(hints.rateLimitReset);
  const spent = hints.rateLimitRemaining === undefined || Number(hints.rateLimitRemaining) <= 0;
  if (spent && hints.rateLimitReset !== undefined && Number.isFinite(reset) && reset * 1000 > hints.now)
    return reset * 1000 - hints.now;
  return undefined;
}

/**
 * Delay before retry number `attempt` (1-based): a 429 waits what the server asks; anything else
 * (and a 429 that does not say) backs off exponentially with full jitter between waitMin and
 * waitMax. Never less than the floor.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, hints: RetryHints): number {
  const asked = hints.status === 429 ? serverWaitMs(hints) : undefined;
  const ceiling = Math.min(policy.waitMaxMs, policy.waitMinMs * 2 ** (attempt - 1));
  const backoff = policy.waitMinMs + hints.random * Math.max(0, ceiling - policy.waitMinMs);
  return Math.max(policy.floorMs, asked ?? backoff);
}
