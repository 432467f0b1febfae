import type { RetryPolicy } from './retry';

/**
 * What only the client decides. The endpoint and the http_retry_* settings come from whoever
 * builds the client (the provider and the CLI, from the provider schema's arguments and fallbacks).
 */

/** One request's bound, ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The parts of the retry policy that no provider argument sets. */
export const CLIENT_RETRY: Omit<RetryPolicy, RetrySettings> = {
  floorMs: 1000,
  statusCodes: [429, 500, 502, 503, 504],
  callBoundMs: 60_000,
  logWaitMs: 3000,
};

/** The parts the builder sets: http_retry_max, http_retry_wait_min and _max. */
export type RetrySettings = 'limit' | 'waitMinMs' | 'waitMaxMs';
