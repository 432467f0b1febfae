import type { Got, Options, RequestError, Response, RetryOptions } from 'got';
import { ApiError, codeForStatus } from './errors';
import { type RateLimiter, RateLimitWait } from './limiter';
import type { KnownSecrets } from './redact';
import { type RetryPolicy, retryDelay, serverWaitMs } from './retry';

export type LogFn = (level: 'debug' | 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;

export type Method = 'GET' | 'PUT' | 'DELETE';

/** What got may send again by itself. A PUT's failures are resolved by looking first (client.ts). */
const IDEMPOTENT: Method[] = ['GET', 'DELETE'];

/** Network failures worth another try: socket errors, and got's request errors that carry no code of their own. */
const RETRYABLE_NETWORK = [
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'ERR_GOT_REQUEST_ERROR',
];

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

/**
 * One call (a GET, a DELETE, or one PUT) across got's retries: its bounds, and what its tries said.
 * The hooks find it in the request's `context`.
 */
export class Call {
  /** Refusals (429) so far: they back off on their own count and never use up `limit`. */
  refused = 0;
  /** When the limiter let the latest try go, epoch ms. */
  sentAt = 0;
  /** The latest try's timeout: the per-request timeout, or less when the deadline is nearer. */
  tryTimeoutMs = 0;
  holdsSlot = false;
  /** For a PUT, which got does not retry: in how long the policy would send it again, if it would. */
  resendInMs?: number;
  /** Why the call stopped waiting out a rate limit, saying until when. */
  gaveUp?: ApiError;

  constructor(
    readonly method: Method,
    readonly path: string,
    /** Epoch ms: no wait may end after it. */
    readonly deadline: number,
    readonly signal?: AbortSignal,
    /** Tries after 5xx and network errors, from 1, as error messages count them. */
    public attempt = 1,
  ) {}
}

/**
 * The HTTP side of the client, on got: its hooks take and give back the rate limiter's slots, its
 * retry re-sends GET and DELETE (and any 429), its timeout bounds each try, and it sends and
 * parses JSON. What got cannot decide itself is decided in `delayBeforeRetry`. The limiter stays
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
    const { Agent: HttpsAgent } = require('node:https') as typeof import('node:https');
    this.got = got.extend({
      prefixUrl: options.endpoint,
      // One connection per request in flight, reused: a plan reads hundreds of migrations.
      agent: { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
      headers: {
        authorization: `Bearer ${options.token}`,
        'user-agent': options.userAgent,
        accept: 'application/json',
      },
      // A redirect would carry the token to another address: it is answered as an error instead.
      followRedirect: false,
      timeout: { request: options.requestTimeoutMs },
      responseType: 'json',
      // got 14's defaults spelt out where they matter: calculateDelay decides every retry (a 429 PUT
      // included, which got's own rules would not retry), and no retry-after is capped by got.
      retry: {
        enforceRetryRules: false,
        maxRetryAfter: Number.POSITIVE_INFINITY,
        limit: this.policy.limit,
        methods: IDEMPOTENT,
        statusCodes: [...this.policy.statusCodes],
        errorCodes: RETRYABLE_NETWORK,
        calculateDelay: ({ error, retryOptions }) => this.delayBeforeRetry(callOf(error.options), error, retryOptions),
      },
      hooks: {
        beforeRequest: [(request) => this.takeSlot(callOf(request), request)],
        afterResponse: [
          (response) => {
            this.answered(callOf(response.request.options), response);
            return response;
          },
        ],
      },
      ...(options.certificateAuthorities ? { https: { certificateAuthority: options.certificateAuthorities } } : {}),
    });
  }

  /** The call's 2xx response, its body parsed; anything else is an ApiError. */
  async send(call: Call, body?: unknown): Promise<Response<unknown>> {
    this.secrets.addFrom(body);
    let response: Response<unknown>;
    try {
      response = await this.got(call.path.slice(1), {
        method: call.method,
        json: body,
        signal: call.signal,
        context: { call },
      });
    } catch (error) {
      // A try aborted by the caller's signal never reaches got's retry hook, which frees slots otherwise.
      this.freeSlot(call, (error as RequestError).response?.headers);
      throw this.failure(call, error as RequestError);
    }
    // got resolves a redirect it was told not to follow.
    if (response.statusCode >= 300) throw this.statusError(call, response);
    return response;
  }

  canceled(call: Call): ApiError {
    return new ApiError({ code: 'canceled', ...failedCall(call) });
  }

  private async takeSlot(call: Call, options: Pick<Options, 'timeout'>): Promise<void> {
    const { method, path, signal, deadline } = call;
    const onWait = (ms: number, reason: string) =>
      this.log('info', `waiting ${Math.round(ms / 1000)}s before ${method} ${path}: ${reason}`, {
        method,
        path,
        wait_ms: Math.round(ms),
      });
    try {
      call.sentAt = await this.limiter.acquire({ signal, deadline, onWait, noticeMs: this.policy.logWaitMs });
    } catch (thrown) {
      if (thrown instanceof RateLimitWait)
        call.gaveUp = this.rateLimited(call, thrown.untilMs - Date.now(), thrown.reason, undefined);
      throw thrown;
    }
    call.holdsSlot = true;
    // No try outlives the call's deadline: a hung request ends with the operation's time limit.
    call.tryTimeoutMs = Math.max(1, Math.min(this.requestTimeoutMs, call.deadline - Date.now()));
    options.timeout = { request: call.tryTimeoutMs };
    // A cancel that came as the slot was granted has already been through delayBeforeRetry, which frees slots.
    if (call.signal?.aborted) {
      this.freeSlot(call);
      call.signal.throwIfAborted();
    }
  }

  private answered(call: Call, response: Response<unknown>): void {
    this.freeSlot(call, response.headers);
    if (response.statusCode !== 429) this.limiter.accepted(call.sentAt);
    this.log('debug', 'request', { ...loggedCall(call), status: response.statusCode, ms: Date.now() - call.sentAt });
  }

  private freeSlot(call: Call, headers?: Response['headers']): void {
    if (!call.holdsSlot) return;
    call.holdsSlot = false;
    this.limiter.release(headers);
  }

  /**
   * got calls this after every failed try; 0 means no retry. got's own delay cannot keep the
   * policy: it counts 429s against `limit`, knows no `ratelimit-reset` and no deadline, and backs
   * off from a fixed second rather than between waitMin and waitMax.
   */
  private delayBeforeRetry(call: Call, error: RequestError, retry: RetryOptions): number {
    // A try that ended without an answer to read (reset, timeout, unparsable body) never reached afterResponse.
    this.freeSlot(call, error.response?.headers);
    if (call.signal?.aborted || call.gaveUp) return 0;
    const status = error.code === HTTP_ERROR ? error.response?.statusCode : undefined;
    if (status === 429) return this.throttled(call, error.response!);
    if (status === undefined && error.code !== PARSE_ERROR) {
      this.log('debug', 'request failed', { ...loggedCall(call), error: error.code, ms: Date.now() - call.sentAt });
    }
    const retryable = status === undefined ? retry.errorCodes.includes(error.code) : retry.statusCodes.includes(status);
    if (!retryable || call.attempt > retry.limit) return 0;
    const delayMs = retryDelay(call.attempt, this.policy, { status, now: Date.now(), random: Math.random() });
    if (Date.now() + delayMs > call.deadline) return 0;
    this.announceRetry(call, delayMs, ` (${status ?? error.code})`, { ...loggedCall(call), status });
    if (!retry.methods.includes(call.method)) {
      call.resendInMs = delayMs;
      return 0;
    }
    call.attempt++;
    return asGotDelay(delayMs);
  }

  /**
   * A 429: wait what the headers ask, never less than the floor, and hold every other request of
   * the process as long; a 429 that does not say, or that comes although the last one's wait was
   * honoured (the API counts differently than it says), spaces every request out more.
   */
  private throttled(call: Call, response: Response<unknown>): number {
    call.refused++;
    const hints = {
      status: 429,
      retryAfter: header(response, 'retry-after'),
      rateLimitRemaining: header(response, 'ratelimit-remaining'),
      rateLimitReset: header(response, 'ratelimit-reset'),
      now: Date.now(),
      random: Math.random(),
    };
    const asked = serverWaitMs(hints);
    this.limiter.refused(call.sentAt, asked !== undefined);
    const delayMs = retryDelay(call.refused, this.policy, hints);
    const reason =
      asked === undefined ? 'the API refused it (429) without saying for how long' : 'the API asked to wait (429)';
    if (Date.now() + delayMs > call.deadline) {
      call.gaveUp = this.rateLimited(call, delayMs, reason, 429);
      return 0;
    }
    this.limiter.holdUntil(Date.now() + Math.max(this.policy.floorMs, asked ?? 0));
    this.announceRetry(call, delayMs, `: ${reason}`, {
      method: call.method,
      path: call.path,
      status: 429,
      refused: call.refused,
    });
    return asGotDelay(delayMs);
  }

  private announceRetry(call: Call, delayMs: number, why: string, fields: Record<string, unknown>): void {
    const withDelay = { ...fields, delay_ms: Math.round(delayMs) };
    if (delayMs < this.policy.logWaitMs) return this.log('debug', 'retrying', withDelay);
    this.log(
      'info',
      `waiting ${Math.round(delayMs / 1000)}s before retrying ${call.method} ${call.path}${why}`,
      withDelay,
    );
  }

  /**
   * The ApiError for a call got gave up on. Made here rather than in a beforeError hook: got
   * rejects a cancel during its retry wait without running that hook.
   */
  private failure(call: Call, error: RequestError): ApiError {
    if (call.signal?.aborted) return this.canceled(call);
    if (call.gaveUp) return call.gaveUp;
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

  private statusError(call: Call, response: Response<unknown>): ApiError {
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
  private rateLimited(call: Call, waitMs: number, reason: string, status: 429 | undefined): ApiError {
    const until = new Date(Date.now() + waitMs).toISOString().replace(/\.\d+Z$/, 'Z');
    const left = Math.max(0, Math.round((call.deadline - Date.now()) / 1000));
    const next = `the next try would be at ${until} (in ${formatWait(waitMs)})`;
    const doMessage = `${reason}; ${next}, after this operation's time limit (${left}s left)`;
    const { method, path } = call;
    this.log('info', `giving up ${method} ${path}: ${doMessage}`, { method, path, wait_ms: Math.round(waitMs) });
    return new ApiError({ code: 'rate_limited', ...failedCall(call), status, doMessage });
  }

  /** Our own token and passwords, and anything token-shaped, out of text a server sent. */
  private redact(text: string): string {
    return this.secrets.redact(text);
  }
}

/** Which call an ApiError is about, and after how many tries. */
function failedCall({ method, path, attempt }: Call) {
  return { method, path, attempts: attempt };
}

/** What a log line says of a call. */
function loggedCall({ method, path, attempt }: Call) {
  return { method, path, attempt };
}

function callOf(options: Pick<Options, 'context'>): Call {
  return options.context.call as Call;
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
