/** Retry policy as data; names follow the official DigitalOcean provider's settings. */
export interface RetryPolicy {
  /** Retries after the first try (http_retry_max). */
  limit: number;
  /** Shortest and longest backoff, in ms (http_retry_wait_min / _max). */
  waitMinMs: number;
  waitMaxMs: number;
  statusCodes: readonly number[];
  /** Longest a 429 may make us wait for its window to reset. */
  rateLimitWaitMaxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  limit: 4,
  waitMinMs: 1000,
  waitMaxMs: 30_000,
  statusCodes: [429, 500, 502, 503, 504],
  rateLimitWaitMaxMs: 60_000,
};

export interface RetryHints {
  /** `retry-after` header, seconds. */
  retryAfter?: string;
  /** `ratelimit-reset` header, Unix seconds. */
  rateLimitReset?: string;
  status?: number;
  now: number;
  random: number;
}

/**
 * Delay before retry number `attempt` (1-based): a 429 waits what the server asks (`retry-after`,
 * else until `ratelimit-reset`); anything else backs off exponentially with full jitter between
 * waitMin and waitMax.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, hints: RetryHints): number {
  if (hints.status === 429) {
    const retryAfter = Number(hints.retryAfter);
    if (hints.retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
      return Math.min(retryAfter * 1000, policy.rateLimitWaitMaxMs);
    }
    const reset = Number(hints.rateLimitReset);
    if (hints.rateLimitReset !== undefined && Number.isFinite(reset) && reset * 1000 > hints.now) {
      return Math.min(reset * 1000 - hints.now, policy.rateLimitWaitMaxMs);
    }
  }
  const ceiling = Math.min(policy.waitMaxMs, policy.waitMinMs * 2 ** (attempt - 1));
  return policy.waitMinMs + hints.random * Math.max(0, ceiling - policy.waitMinMs);
}
