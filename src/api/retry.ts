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
  if (spent && Number.isFinite(reset) && reset * 1000 > hints.now) return reset * 1000 - hints.now;
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

export type Method = 'GET' | 'PUT' | 'DELETE';

/** What may be sent again as it is. A PUT's failures are resolved by looking first (client.ts). */
const IDEMPOTENT: readonly Method[] = ['GET', 'DELETE'];

/** Network failures worth another try: socket errors, and got's request errors that carry no code of their own. */
const RETRYABLE_NETWORK: readonly string[] = [
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'ERR_GOT_REQUEST_ERROR',
];

/**
 * One call's tries so far. Never changed: a decision to send the call again carries the record
 * the next try starts from.
 */
export interface Attempt {
  readonly method: Method;
  /** Epoch ms: no wait may end after it. */
  readonly deadline: number;
  /** Tries after 5xx and network errors, from 1, as error messages count them. */
  readonly tries: number;
  /** Refusals (429) so far: they back off on their own count and never use up `limit`. */
  readonly refused: number;
}

export function firstAttempt(method: Method, deadline: number): Attempt {
  return { method, deadline, tries: 1, refused: 0 };
}

/** How a try failed. */
export type Failure =
  /** The caller cancelled the call. */
  | { readonly kind: 'canceled' }
  /** The rate limiter would hold the try back past the deadline, until `untilMs`. */
  | { readonly kind: 'held'; readonly untilMs: number; readonly reason: string }
  /** An answer that is not a 2xx, and the headers that say how long to wait. */
  | ({ readonly kind: 'answer'; readonly status: number } & Readonly<
      Pick<RetryHints, 'retryAfter' | 'rateLimitRemaining' | 'rateLimitReset'>
    >)
  /** No answer to read (a reset, a timeout, an unreadable body): got's or the socket's error code. */
  | { readonly kind: 'no-answer'; readonly code: string };

/** What a 429 tells the process's limiter: whether the answer said how long to wait. */
export interface Refusal {
  readonly explained: boolean;
}

export type Decision =
  /** Send it again after `delayMs`, from `next`; every request of the process waits until `holdUntil` if set. */
  | {
      readonly action: 'retry';
      readonly delayMs: number;
      readonly next: Attempt;
      /** The end of the log line that announces the retry. */
      readonly why: string;
      readonly holdUntil?: number;
      readonly refusal?: Refusal;
    }
  /**
   * A PUT answered with a 5xx: it may have started something, so it is sent again (after
   * `delayMs`, from `next`) only once reads agree that it did not (client.ts).
   */
  | { readonly action: 'resend'; readonly delayMs: number; readonly next: Attempt; readonly why: string }
  /** Rate limited past the deadline: the next try could not be before `untilMs`. */
  | { readonly action: 'give-up'; readonly untilMs: number; readonly reason: string; readonly refusal?: Refusal }
  /** Not sent again: the failure stands. */
  | { readonly action: 'stop' };

export const STOP: Decision = { action: 'stop' };

/**
 * Whether and when a call is tried again after `failure`, from its tries so far: every retry rule
 * of the client in one place. A 429 is retried whatever the method and the limit, until the
 * deadline; a 5xx or a network error up to `limit` times, with backoff, within the deadline; a PUT
 * whose answer never came is never sent again (it may have worked), and one answered with a 5xx
 * only after looking.
 */
export function decideRetry(attempt: Attempt, failure: Failure, policy: RetryPolicy, clock: Clock): Decision {
  switch (failure.kind) {
    case 'canceled':
      return STOP;
    case 'held':
      return { action: 'give-up', untilMs: failure.untilMs, reason: failure.reason };
    case 'answer':
      if (failure.status === 429) return afterRefusal(attempt, failure, policy, clock);
      return afterError(attempt, failure.status, policy, clock);
    case 'no-answer':
      return afterError(attempt, failure.code, policy, clock);
  }
}

/**
 * An answer with status `cause`, or no answer (`cause` is the error code): retried with backoff
 * up to `limit` times, within the deadline, when the policy says it may pass.
 */
function afterError(attempt: Attempt, cause: number | string, policy: RetryPolicy, clock: Clock): Decision {
  const answered = typeof cause === 'number';
  const retryable = answered ? policy.statusCodes.includes(cause) : RETRYABLE_NETWORK.includes(cause);
  if (!retryable || attempt.tries > policy.limit) return STOP;
  const delayMs = retryDelay(attempt.tries, policy, clock);
  if (clock.now + delayMs > attempt.deadline) return STOP;
  const next = { ...attempt, tries: attempt.tries + 1 };
  const why = ` (${cause})`;
  if (IDEMPOTENT.includes(attempt.method)) return { action: 'retry', delayMs, next, why };
  // A PUT answered with an error did not finish; one whose answer never came may have worked.
  return answered ? { action: 'resend', delayMs, next, why } : STOP;
}

/** The moment of a decision, and the roll of the dice for its jitter (0 to 1). */
export interface Clock {
  readonly now: number;
  readonly random: number;
}

/**
 * A 429: wait what the headers ask, never less than the floor, and hold every other request of
 * the process as long; a 429 that does not say, or that comes although the last one's wait was
 * honoured (the limiter knows), spaces every request out more.
 */
function afterRefusal(
  attempt: Attempt,
  failure: Extract<Failure, { kind: 'answer' }>,
  policy: RetryPolicy,
  clock: Clock,
): Decision {
  const hints = { ...failure, ...clock };
  const asked = serverWaitMs(hints);
  const refusal = { explained: asked !== undefined };
  const next = { ...attempt, refused: attempt.refused + 1 };
  const delayMs = retryDelay(next.refused, policy, hints);
  const reason =
    asked === undefined ? 'the API refused it (429) without saying for how long' : 'the API asked to wait (429)';
  if (clock.now + delayMs > attempt.deadline)
    return { action: 'give-up', untilMs: clock.now + delayMs, reason, refusal };
  const holdUntil = clock.now + Math.max(policy.floorMs, asked ?? 0);
  return { action: 'retry', delayMs, next, why: `: ${reason}`, holdUntil, refusal };
}

/** A try's timeout: the per-request timeout, or less when the deadline is nearer (at least 1 ms). */
export function tryTimeoutMs(attempt: Attempt, requestTimeoutMs: number, now: number): number {
  return Math.max(1, Math.min(requestTimeoutMs, attempt.deadline - now));
}
