import type { Got, Options, RequestError, Response } from 'got';
import { createSecureContext } from 'node:tls';
import { ApiError, codeForStatus } from './errors';
import { type RateLimiter, RateLimitWait } from './limiter';
import type { KnownSecrets } from './redact';
import { type Attempt, type Decision, type Failure, type RetryPolicy, STOP, decideRetry, tryTimeoutMs } from './retry';

export type LogLevel = 'debug' | 'info' | 'warn';
export type LogFn = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** got's codes for the two failures that come with a response. */
const HTTP_ERROR = 'ERR_NON_2XX_3XX_RESPONSE';
const PARSE_ERROR = 'ERR_BODY_PARSE_FAILURE';

export interface TransportOptions {
  endpoint: string;
  token: string;
  /** The token and the passwords sent so far: redacted by value from every message. */
  secrets: KnownSecrets;
  userAgent: string;
  policy: RetryPolicy;
  requestTimeoutMs: number;
  limiter: RateLimiter;
  log: LogFn;
  certificateAuthorities?: string[];
}

/** One call (a GET, a DELETE, or one PUT, which got may send again after a 429). */
export interface CallRequest {
  readonly path: string;
  /** The tries so far: the first (`firstAttempt`), or the one a `resend` decision gave. */
  readonly attempt: Attempt;
  readonly signal?: AbortSignal;
}

/** What a call came to: its 2xx response, or its error and what the retry rules decided after it. */
export type Outcome = { response: Response<unknown> } | { error: ApiError; decision: Decision };

/**
 * A call across got's tries, as the hooks find it in the request's `context`; only Transport sees
 * it. The retry state is `attempt`, replaced (never changed) by each decision to retry.
 */
interface Exchange {
  readonly path: string;
  readonly signal?: AbortSignal;
  attempt: Attempt;
  /** What the retry rules decided after the latest try's failure. */
  decision?: Decision;
  /** When the limiter let the latest try go, epoch ms. */
  sentAt: number;
  /** The latest try's timeout (see `tryTimeoutMs`). */
  tryTimeoutMs: number;
  holdsSlot: boolean;
}

/**
 * The HTTP side of the client, on got: its hooks take and give back the rate limiter's slots, its
 * retry re-sends what `decideRetry` (retry.ts) says, after the delay it says, its timeout bounds
 * each try, and it sends and parses JSON. The limiter stays
 * our own: got paces nothing across requests, and every call in the process shares one window.
 */
export class Transport {
  private readonly got: Got;
  private readonly policy: RetryPolicy;
  private readonly limiter: RateLimiter;
  private readonly log: LogFn;
  private readonly secrets: KnownSecrets;
  private readonly requestTimeoutMs: number;

  constructor(options: TransportOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.policy = options.policy;
    this.limiter = options.limiter;
    this.log = options.log;
    this.secrets = options.secrets;
    // Loaded on first use: the provider starts several times per terraform command, mostly without calling the API.
    const { default: got } = require('got') as typeof import('got');
    const { Agent: HttpAgent } = require('node:http') as typeof import('node:http');
    const instance = got.extend({
      // Mutable only until the cache options are emptied below; frozen again then, as got's defaults are.
      mutableDefaults: true,
      prefixUrl: options.endpoint,
      // One connection per request in flight, reused: a plan reads hundreds of migrations.
      agent: { http: new HttpAgent({ keepAlive: true }), https: httpsAgent(options) },
      headers: {
        authorization: `Bearer ${options.token}`,
        'user-agent': options.userAgent,
        accept: 'application/json',
      },
      // A redirect would carry the token to another address: it is answered as an error instead.
      followRedirect: false,
      timeout: { request: options.requestTimeoutMs },
      responseType: 'json',
      // Every retry is decided by decideRetry (retry.ts), through calculateDelay. got's own rules
      // (limit, methods, status and error codes) would refuse some it must make: a 429 PUT, more
      // 429s than `limit`. got 15 enforces them by default, so they are turned off here; and got's
      // lists are empty, so that were they enforced no retry at all would happen, and the tests of
      // retries (test/api/http.test.ts: a 429 PUT, 429s past the limit) would fail at once.
      retry: {
        enforceRetryRules: false,
        limit: 0,
        methods: [],
        statusCodes: [],
        errorCodes: [],
        calculateDelay: ({ error }) => this.afterFailure(exchangeOf(error.options), error),
      },
      hooks: {
        beforeRequest: [(request) => this.takeSlot(exchangeOf(request), request)],
        afterResponse: [
          (response) => {
            this.answered(exchangeOf(response.request.options), response);
            return response;
          },
        ],
      },
    });
    // got builds node's request options by spreading `cacheOptions` (four keys, all unset: we use no
    // cache) into a literal of thirty more; V8 makes that object slowly when the spread one has keys,
    // about 60 µs of CPU per request. Empty, it spreads into nothing at no cost; node reads none of them.
    instance.defaults.options.cacheOptions = {};
    instance.defaults.options.freeze();
    this.got = instance;
  }

  /** The call's 2xx response, its body parsed; anything else is an ApiError. */
  async send(call: CallRequest, body?: unknown): Promise<Response<unknown>> {
    const outcome = await this.exchange(call, body);
    if ('error' in outcome) throw outcome.error;
    return outcome.response;
  }

  /** The call's 2xx response, its body parsed, or its ApiError and what the retry rules decided after it. */
  async exchange(call: CallRequest, body?: unknown): Promise<Outcome> {
    this.secrets.addFrom(body);
    const { path, attempt, signal } = call;
    // Field by field: V8 builds an object spread and then extended by more keys slowly (µs, not ns).
    const exchange: Exchange = { path, attempt, signal, sentAt: 0, tryTimeoutMs: 0, holdsSlot: false };
    let response: Response<unknown>;
    try {
      response = await this.got(path.slice(1), { method: attempt.method, json: body, signal, context: { exchange } });
    } catch (error) {
      // A try aborted by the caller's signal never reaches got's retry hook, which frees slots otherwise.
      this.freeSlot(exchange, (error as RequestError).response?.headers);
      const decision = call.signal?.aborted ? STOP : (exchange.decision ?? STOP);
      return { error: this.failure(exchange, decision, error as RequestError), decision };
    }
    // got resolves a redirect it was told not to follow.
    if (response.statusCode >= 300) return { error: this.statusError(exchange, response), decision: STOP };
    return { response };
  }

  canceled(call: Pick<CallRequest, 'path' | 'attempt'>): ApiError {
    return new ApiError({ code: 'canceled', ...failedCall(call) });
  }

  private async takeSlot(exchange: Exchange, options: Pick<Options, 'timeout'>): Promise<void> {
    const { path, signal } = exchange;
    const { method, deadline } = exchange.attempt;
    exchange.decision = undefined;
    const onWait = (ms: number, reason: string) =>
      this.log('info', `waiting ${Math.round(ms / 1000)}s before ${method} ${path}: ${reason}`, {
        method,
        path,
        wait_ms: Math.round(ms),
      });
    // A RateLimitWait thrown here reaches afterFailure as the cause of got's error.
    exchange.sentAt = await this.limiter.acquire({ signal, deadline, onWait, noticeMs: this.policy.logWaitMs });
    exchange.holdsSlot = true;
    // No try outlives the call's deadline: a hung request ends with the operation's time limit.
    exchange.tryTimeoutMs = tryTimeoutMs(exchange.attempt, this.requestTimeoutMs, Date.now());
    options.timeout = { request: exchange.tryTimeoutMs };
    // A cancel that came as the slot was granted has already been through afterFailure, which frees slots.
    if (signal?.aborted) {
      this.freeSlot(exchange);
      signal.throwIfAborted();
    }
  }

  private answered(exchange: Exchange, response: Response<unknown>): void {
    // A 429's slot is freed by afterFailure, with the refusal and the hold it records: freed here, it
    // would wake the waiting requests before the limiter knew of the 429.
    if (response.statusCode !== 429) {
      this.freeSlot(exchange, response.headers);
      this.limiter.accepted(exchange.sentAt);
    }
    const { path, attempt, sentAt } = exchange;
    // Not `...loggedCall(exchange)`: on every request, and a spread extended by more keys is slow to build.
    const ms = Date.now() - sentAt;
    this.log('debug', 'request', {
      method: attempt.method,
      path,
      attempt: attempt.tries,
      status: response.statusCode,
      ms,
    });
  }

  private freeSlot(exchange: Exchange, headers?: Response['headers']): void {
    if (!exchange.holdsSlot) return;
    exchange.holdsSlot = false;
    this.limiter.release(headers, exchange.sentAt);
  }

  /**
   * got calls this after every failed try, and sends again after the delay it returns (0: no
   * retry). decideRetry decides; this carries it out: the limiter hears of a 429 and holds every
   * request as long as it asked, the retry is logged, and the next try starts from the new record.
   */
  private afterFailure(exchange: Exchange, error: RequestError): number {
    // A try that ended without an answer to read (reset, timeout, unparsable body) never reached afterResponse.
    this.freeSlot(exchange, error.response?.headers);
    const failure = failureOf(error, exchange.signal);
    if (failure.kind === 'no-answer' && failure.code !== PARSE_ERROR) {
      const ms = Date.now() - exchange.sentAt;
      this.log('debug', 'request failed', { ...loggedCall(exchange), error: failure.code, ms });
    }
    const clock = { now: Date.now(), random: Math.random() };
    const decision = decideRetry(exchange.attempt, failure, this.policy, clock);
    exchange.decision = decision;
    if ('refusal' in decision && decision.refusal) this.limiter.refused(exchange.sentAt, decision.refusal.explained);
    if (decision.action !== 'retry' && decision.action !== 'resend') return 0;
    const status = failure.kind === 'answer' ? failure.status : undefined;
    const fields =
      status === 429
        ? { method: exchange.attempt.method, path: exchange.path, status, refused: decision.next.refused }
        : { ...loggedCall(exchange), status };
    this.announceRetry(exchange, decision.delayMs, decision.why, fields);
    if (decision.action === 'resend') return 0;
    if (decision.holdUntil !== undefined) this.limiter.holdUntil(decision.holdUntil);
    exchange.attempt = decision.next;
    return asGotDelay(decision.delayMs);
  }

  private announceRetry(exchange: Exchange, delayMs: number, why: string, fields: Record<string, unknown>): void {
    const withDelay = { ...fields, delay_ms: Math.round(delayMs) };
    if (delayMs < this.policy.logWaitMs) return this.log('debug', 'retrying', withDelay);
    const { method } = exchange.attempt;
    this.log(
      'info',
      `waiting ${Math.round(delayMs / 1000)}s before retrying ${method} ${exchange.path}${why}`,
      withDelay,
    );
  }

  /**
   * The ApiError for a call got gave up on. Made here rather than in a beforeError hook: got
   * rejects a cancel during its retry wait without running that hook.
   */
  private failure(call: Exchange, decision: Decision, error: RequestError): ApiError {
    if (call.signal?.aborted) return this.canceled(call);
    if (decision.action === 'give-up') return this.rateLimited(call, decision);
    const { response } = error;
    if (response && error.code === HTTP_ERROR) return this.statusError(call, response);
    if (response && error.code === PARSE_ERROR) {
      const doMessage = `expected JSON, got a non-JSON body (${describeBody(response)})`;
      return new ApiError({ code: 'invalid_response', ...failedCall(call), status: response.statusCode, doMessage });
    }
    const message =
      error.name === 'TimeoutError'
        ? `no answer within ${formatWait(call.tryTimeoutMs)}${call.tryTimeoutMs < this.requestTimeoutMs ? ", what was left of this operation's time limit" : ''}`
        : error.message.replace(/https?:\/\/\S+/g, '<endpoint>');
    const cause = { code: error.code, message: this.redact(`${error.code} ${message}`) };
    return new ApiError({ code: 'network', ...failedCall(call), cause });
  }

  private statusError(call: Exchange, response: Response<unknown>): ApiError {
    const error = errorBody(response.body);
    const doMessage = error ? error.message : `non-JSON body (${describeBody(response)})`;
    return new ApiError({
      code: codeForStatus(response.statusCode),
      ...failedCall(call),
      status: response.statusCode,
      doId: error?.id && this.redact(error.id),
      doMessage: doMessage === undefined ? undefined : this.redact(doMessage),
      requestId: error?.request_id ?? header(response, 'x-request-id'),
    });
  }

  /** Rate limited for longer than the call may wait (held back by the limiter, or answered 429): say until when, and log it. */
  private rateLimited(call: Exchange, decision: Extract<Decision, { action: 'give-up' }>): ApiError {
    const waitMs = decision.untilMs - Date.now();
    const until = new Date(decision.untilMs).toISOString().replace(/\.\d+Z$/, 'Z');
    const left = Math.max(0, Math.round((call.attempt.deadline - Date.now()) / 1000));
    const next = `the next try would be at ${until} (in ${formatWait(waitMs)})`;
    const doMessage = `${decision.reason}; ${next}, after this operation's time limit (${left}s left)`;
    const { path } = call;
    const { method } = call.attempt;
    this.log('info', `giving up ${method} ${path}: ${doMessage}`, { method, path, wait_ms: Math.round(waitMs) });
    const status = decision.refusal ? 429 : undefined;
    return new ApiError({ code: 'rate_limited', ...failedCall(call), status, doMessage });
  }

  /** Our own token and passwords, and anything token-shaped, out of text a server sent. */
  private redact(text: string): string {
    return this.secrets.redact(text);
  }
}

/**
 * Kept-alive HTTPS connections that trust `certificateAuthorities` when set. Given as `ca`, each
 * connection would build a TLS context of its own from them (Node's roots and the extra file: about
 * 40 ms of CPU); one context, built once, serves every connection instead.
 */
function httpsAgent({ endpoint, certificateAuthorities }: TransportOptions): import('node:https').Agent {
  const { Agent } = require('node:https') as typeof import('node:https');
  if (!certificateAuthorities || new URL(endpoint).protocol !== 'https:') return new Agent({ keepAlive: true });
  return new Agent({ keepAlive: true, secureContext: createSecureContext({ ca: certificateAuthorities }) });
}

/** Which call an ApiError is about, and after how many tries. */
function failedCall({ path, attempt }: Pick<CallRequest, 'path' | 'attempt'>) {
  return { method: attempt.method, path, attempts: attempt.tries };
}

/** What a log line says of a call. */
function loggedCall({ path, attempt }: Exchange) {
  return { method: attempt.method, path, attempt: attempt.tries };
}

function exchangeOf(options: Pick<Options, 'context'>): Exchange {
  return options.context.exchange as Exchange;
}

/** What the retry rules need to know of a failed try. */
function failureOf(error: RequestError, signal?: AbortSignal): Failure {
  if (signal?.aborted) return { kind: 'canceled' };
  if (error.cause instanceof RateLimitWait) {
    return { kind: 'held', untilMs: error.cause.untilMs, reason: error.cause.reason };
  }
  const { response } = error;
  if (!response || error.code !== HTTP_ERROR) return { kind: 'no-answer', code: error.code };
  return {
    kind: 'answer',
    status: response.statusCode,
    retryAfter: header(response, 'retry-after'),
    rateLimitRemaining: header(response, 'ratelimit-remaining'),
    rateLimitReset: header(response, 'ratelimit-reset'),
  };
}

/** got reads a delay of 0 as "do not retry"; a wait of 0 (`retry-after: 0`, http_retry_wait_min = 0) still retries. */
function asGotDelay(ms: number): number {
  return Math.max(1, ms);
}

function formatWait(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120
    ? `${seconds}s`
    : seconds < 7200
      ? `${Math.round(seconds / 60)}m`
      : `${Math.round(seconds / 3600)}h`;
}

function header(response: Response<unknown>, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

type ErrorBody = { id?: string; message?: string; request_id?: string };

/** An error body as DigitalOcean documents it; got has parsed it when it was JSON, and left the text when not. */
function errorBody(body: unknown): ErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const { id, message, request_id } = body as Record<string, unknown>;
  if (text(id) === undefined && text(message) === undefined) return undefined;
  return { id: text(id), message: text(message), request_id: text(request_id) };
}

function describeBody(response: Response<unknown>): string {
  return `${header(response, 'content-type') ?? 'no content type'}, ${response.rawBody.length} bytes`;
}
