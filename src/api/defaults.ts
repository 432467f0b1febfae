import planRules from '../../generated/plan-rules.json';
import type { RetryPolicy } from './retry';

// The provider schema's fallbacks are the client's defaults: schema/ is the one place they are written.
const { api_endpoint, http_retry_max, http_retry_wait_min, http_retry_wait_max } = planRules.provider;

export const DEFAULT_ENDPOINT: string = api_endpoint.fallback;

/** One request's bound, ms: what only the client decides. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** http_retry_* as the schema sets them (its waits are in seconds), and what only the client decides. */
export const DEFAULT_RETRY: RetryPolicy = {
  limit: http_retry_max.fallback,
  waitMinMs: http_retry_wait_min.fallback * 1000,
  waitMaxMs: http_retry_wait_max.fallback * 1000,
  floorMs: 1000,
  statusCodes: [429, 500, 502, 503, 504],
  callBoundMs: 60_000,
  logWaitMs: 3000,
};
