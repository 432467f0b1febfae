import { createHash } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type { Got, Response } from 'got';
import type { Migration, MigrationStatus, StartMigrationRequest } from '../../generated/types';
import { ApiError, type ApiErrorCode, StartRefusedError, codeForStatus, isTransient, mayHaveTakenEffect } from './errors';
import { type RateLimiter, RateLimitWait, sharedLimiter } from './limiter';
import { redactSecrets } from './redact';
import { DEFAULT_ENDPOINT, DEFAULT_RETRY } from './defaults';
import { type RetryHints, type RetryPolicy, retryDelay, serverWaitMs } from './retry';
import { MIGRATION_STATUSES, isActive } from './status';

export type LogFn = (level: 'debug' | 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;

export interface ClientOptions {
  token: string;
  /** An origin; without one, the provider schema's default for `api_endpoint`. */
  endpoint?: string;
  userAgent: string;
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout, ms. */
  requestTimeoutMs?: number;
  log?: LogFn;
  limiter?: RateLimiter;
  /** PEM certificates to trust instead of Node's defaults, for an HTTPS endpoint. */
  certificateAuthorities?: string[];
}

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Epoch ms by which the operation must be done (its Terraform timeout): 429s are retried until
   * then. Without one, a call is bounded by the policy's callBoundMs.
   */
  deadline?: number;
}

/** `deadline` also bounds how long the client keeps asking whether an uncertain start worked. */
export interface StartOptions extends CallOptions {
  /** Start even when the cluster's most recent migration is `done` (a cutover). */
  afterCutover?: boolean;
}

export interface StartResult {
  migration: Migration;
  /** True when the PUT's own answer was lost and the client found the migration it started. */
  adopted: boolean;
}

/** After a PUT cancelled in flight, how long to keep asking whether it started anyway, ms. */
const LOOK_AFTER_CANCEL_MS = 10_000;

/**
 * Per process: the migrations this process stopped (a replacement stops, then starts: the stop
 * is no cutover by someone else), and one start at a time per cluster, so that two starts never
 * both see an idle cluster.
 */
const stoppedHere = new Set<string>();
const startsInFlight = new Map<string, Promise<unknown>>();

/** Network failures worth another try: socket errors, plus got's own request errors (ERR_GOT_...). */
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/**
 * The three online-migration operations. Retries 429, 5xx and network errors with backoff, paces
 * itself on the rate-limit headers, and never repeats a PUT blindly.
 */
export class DoClient {
  private readonly http: Got;
  private readonly policy: RetryPolicy;
  private readonly limiter: RateLimiter;
  private readonly log: LogFn;
  private readonly token: string;
  readonly endpoint: string;

  constructor(options: ClientOptions) {
    this.endpoint = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.token = options.token;
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.log = options.log ?? (() => {});
    const tokenKey = createHash('sha256').update(options.token).digest('hex').slice(0, 16);
    this.limiter = options.limiter ?? sharedLimiter(`${this.endpoint} ${tokenKey}`);
    // Loaded on first use: the provider starts several times per terraform command, mostly without calling the API.
    const { default: got } = require('got') as typeof import('got');
    const { Agent: HttpAgent } = require('node:http') as typeof import('node:http');
    const { Agent: HttpsAgent } = require('node:https') as typeof import('node:https');
    this.http = got.extend({
      prefixUrl: this.endpoint,
      // One connection per request in flight, reused: a plan reads hundreds of migrations.
      agent: { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
      headers: { authorization: `Bearer ${options.token}`, 'user-agent': options.userAgent, accept: 'application/json' },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      timeout: { request: options.requestTimeoutMs ?? 30_000 },
      responseType: 'text',
      ...(options.certificateAuthorities ? { https: { certificateAuthority: options.certificateAuthorities } } : {}),
    });
  }

  /** The cluster's most recent migration (also a finished one). */
  async getMigration(clusterId: string, options: CallOptions = {}): Promise<Migration> {
    const response = await this.send('GET', migrationPath(clusterId), undefined, options);
    return parseMigration(response, 'GET', migrationPath(clusterId));
  }

  /** Like getMigration, but undefined when the cluster has none (or does not exist). */
  findMigration(clusterId: string, options: CallOptions = {}): Promise<Migration | undefined> {
    return unlessNotFound(this.getMigration(clusterId, options), undefined);
  }

  /** Whether the database cluster exists (`GET /v2/databases/{id}`). */
  clusterExists(clusterId: string, options: CallOptions = {}): Promise<boolean> {
    return unlessNotFound(this.send('GET', `/v2/databases/${encodeURIComponent(clusterId)}`, undefined, options).then(() => true), false);
  }

  /**
   * Start a migration: read the cluster's most recent migration first and refuse (StartRefusedError,
   * no PUT) while it is running or syncing, or when it is done unless `afterCutover`; then one PUT.
   * A PUT that fails in a way that may still have worked (5xx, lost connection, cancelled in
   * flight, unreadable 2xx) is resolved by looking: a most recent migration other than the one
   * read first is the one it started. Only when the cluster still shows that one is the PUT sent
   * again; when the API cannot be asked before the deadline, it throws `start_unknown`. Clocks
   * play no part.
   */
  async startMigration(clusterId: string, body: StartMigrationRequest, options: StartOptions = {}): Promise<StartResult> {
    const previous = startsInFlight.get(clusterId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.lookThenStart(clusterId, body, options));
    startsInFlight.set(clusterId, run);
    try {
      return await run;
    } finally {
      if (startsInFlight.get(clusterId) === run) startsInFlight.delete(clusterId);
    }
  }

  private async lookThenStart(clusterId: string, body: StartMigrationRequest, options: StartOptions): Promise<StartResult> {
    const baseline = await this.findMigration(clusterId, options);
    if (baseline && !stoppedHere.has(baseline.id)) {
      if (isActive(baseline.status)) throw new StartRefusedError('active', clusterId, baseline);
      if (baseline.status === 'done' && !options.afterCutover) throw new StartRefusedError('cutover', clusterId, baseline);
    }
    const deadline = options.deadline ?? Date.now() + this.policy.callBoundMs;
    const look = { baselineId: baseline?.id ?? null, deadline, signal: options.signal };
    const path = migrationPath(clusterId);
    let uncertain = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt('PUT', path, body, { signal: options.signal, deadline }, attempt);
      let failure: ApiError | undefined;
      if (outcome.kind === 'response') {
        try {
          return { migration: parseMigration(outcome.response, 'PUT', path), adopted: false };
        } catch (error) {
          failure = error as ApiError;
        }
      } else if (outcome.kind === 'final') {
        failure = outcome.error;
      } else if (!outcome.ambiguous) {
        await setTimeout(outcome.delayMs, undefined, { signal: options.signal });
        continue;
      }
      if (failure && !uncertain && !mayHaveTakenEffect(failure)) throw failure;
      uncertain = true;
      const started = await this.lookForStart(clusterId, look, failure);
      if (started) {
        this.log('info', 'the PUT had started a migration: adopted it', { path, migration_id: started.id, attempt });
        return { migration: started, adopted: true };
      }
      if (failure) throw failure;
      await setTimeout((outcome as { delayMs: number }).delayMs, undefined, { signal: options.signal });
    }
  }

  /**
   * The migration an uncertain PUT started, or undefined when the cluster still shows the
   * baseline. Asks until the deadline (briefly after a cancel, whose signal is spent).
   */
  private async lookForStart(clusterId: string, { baselineId, deadline, signal }: LookOptions, cause: ApiError | undefined): Promise<Migration | undefined> {
    const cancelled = signal?.aborted === true;
    const until = cancelled ? Math.min(deadline, Date.now() + LOOK_AFTER_CANCEL_MS) : deadline;
    const bound = AbortSignal.timeout(Math.max(1, until - Date.now()));
    const lookSignal = cancelled || !signal ? bound : AbortSignal.any([signal, bound]);
    for (let poll = 1; ; poll++) {
      try {
        const latest = await this.findMigration(clusterId, { signal: lookSignal });
        return latest && latest.id !== baselineId ? latest : undefined;
      } catch (error) {
        if (!isTransient(error) || lookSignal.aborted) {
          const why = cause ? cause.message : 'the PUT was answered with a server error';
          throw new ApiError({
            code: 'start_unknown', method: 'PUT', path: migrationPath(clusterId), attempts: poll,
            doMessage: `could not tell whether the migration started (${why}); asking GET ${migrationPath(clusterId)} failed too: ${(error as Error).message}`,
          });
        }
        await setTimeout(Math.min(this.policy.waitMaxMs, this.policy.waitMinMs * poll), undefined, { signal: lookSignal }).catch(() => undefined);
      }
    }
  }

  /** Stop a migration; a 404 (already gone) counts as stopped. */
  async stopMigration(clusterId: string, migrationId: string, options: CallOptions = {}): Promise<void> {
    const path = `${migrationPath(clusterId)}/${encodeURIComponent(migrationId)}`;
    // Only a stop seen to work counts as this process's: a 404 may be a migration someone else had already cut over.
    if (await unlessNotFound(this.send('DELETE', path, undefined, options).then(() => true), false)) stoppedHere.add(migrationId);
  }

  private async send(method: string, path: string, body: unknown, options: CallOptions): Promise<Response<string>> {
    const bounded = { ...options, deadline: options.deadline ?? Date.now() + this.policy.callBoundMs };
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(method, path, body, bounded, attempt);
      if (outcome.kind === 'response') return outcome.response;
      if (outcome.kind === 'final') throw outcome.error;
      await setTimeout(outcome.delayMs, undefined, { signal: options.signal });
    }
  }

  /**
   * One try: a 2xx response, a final error, or a retry with its delay. A 429 is retried here until
   * the deadline: the server did not carry the request out, so there is nothing to look for.
   */
  private async attempt(method: string, path: string, body: unknown, options: CallOptions, attempt: number): Promise<Outcome> {
    const deadline = options.deadline ?? Date.now() + this.policy.callBoundMs;
    for (let refused = 1; ; refused++) {
      const outcome = await this.tryOnce(method, path, body, options.signal, attempt, refused, deadline);
      if (outcome.kind !== 'throttled') return outcome;
      await setTimeout(outcome.delayMs, undefined, { signal: options.signal }).catch(() => {
        throw this.canceled(method, path, attempt);
      });
    }
  }

  private async tryOnce(method: string, path: string, body: unknown, signal: AbortSignal | undefined, attempt: number, refused: number, deadline: number): Promise<Outcome | Throttled> {
    const announce = (ms: number, reason: string) => this.log('info', `waiting ${Math.round(ms / 1000)}s before ${method} ${path}: ${reason}`, { method, path, wait_ms: Math.round(ms) });
    let sentAt: number;
    try {
      sentAt = await this.limiter.acquire({ signal, deadline, onWait: announce, noticeMs: this.policy.logWaitMs });
    } catch (thrown) {
      if (!(thrown instanceof RateLimitWait)) throw this.canceled(method, path, attempt);
      return { kind: 'final', error: this.rateLimited(method, path, attempt, thrown.untilMs - Date.now(), deadline, thrown.reason, undefined) };
    }
    const started = Date.now();
    let response: Response<string>;
    try {
      response = await this.http(path.slice(1), { method: method as 'GET', json: body, signal });
      this.limiter.release(response.headers);
    } catch (error) {
      this.limiter.release();
      if (signal?.aborted) return { kind: 'final', error: this.canceled(method, path, attempt) };
      const code = (error as { code?: string }).code ?? 'ERR_UNKNOWN';
      const cause = { code, message: this.redact(`${code} ${(error as Error).message.replace(/https?:\/\/\S+/g, '<endpoint>')}`) };
      this.log('debug', 'request failed', { method, path, attempt, error: code, ms: Date.now() - started });
      if (!RETRYABLE_NETWORK.has(code) && !code.startsWith('ERR_GOT')) {
        return { kind: 'final', error: new ApiError({ code: 'network', method, path, attempts: attempt, cause }) };
      }
      return this.retryOrFail({ code: 'network', method, path, attempts: attempt, cause }, attempt, { now: Date.now(), random: Math.random() }, true, deadline);
    }
    const { statusCode } = response;
    this.log('debug', 'request', { method, path, status: statusCode, attempt, ms: Date.now() - started });
    if (statusCode !== 429) this.limiter.recover();
    if (statusCode >= 200 && statusCode < 300) return { kind: 'response', response };
    const error = errorBody(response.body);
    const details = {
      code: codeForStatus(statusCode), method, path, status: statusCode, attempts: attempt,
      doId: error?.id && this.redact(error.id), doMessage: error?.message !== undefined ? this.redact(error.message) : error ? undefined : `non-JSON body (${describeBody(response)})`,
      requestId: error?.request_id ?? header(response, 'x-request-id'),
    };
    if (!this.policy.statusCodes.includes(statusCode)) return { kind: 'final', error: new ApiError(details) };
    const hints = {
      status: statusCode, retryAfter: header(response, 'retry-after'), rateLimitRemaining: header(response, 'ratelimit-remaining'),
      rateLimitReset: header(response, 'ratelimit-reset'), now: Date.now(), random: Math.random(),
    };
    if (statusCode === 429) return this.throttled(method, path, attempt, refused, hints, sentAt, deadline);
    return this.retryOrFail(details, attempt, hints, statusCode >= 500, deadline);
  }

  /** A 429: wait what the headers ask, or back off and slow every request down when they do not say. */
  private throttled(method: string, path: string, attempt: number, refused: number, hints: RetryHints, sentAt: number, deadline: number): Outcome | Throttled {
    const asked = serverWaitMs(hints);
    if (asked === undefined) this.limiter.slowDown(sentAt);
    const delayMs = asked ?? retryDelay(refused, this.policy, { ...hints, status: undefined });
    const reason = asked === undefined ? 'the API refused it (429) without saying for how long' : 'the API asked to wait (429)';
    if (Date.now() + delayMs > deadline) return { kind: 'final', error: this.rateLimited(method, path, attempt, delayMs, deadline, reason, 429) };
    const fields = { method, path, status: 429, refused, delay_ms: Math.round(delayMs) };
    if (delayMs >= this.policy.logWaitMs) this.log('info', `waiting ${Math.round(delayMs / 1000)}s before retrying ${method} ${path}: ${reason}`, fields);
    else this.log('debug', 'retrying', fields);
    return { kind: 'throttled', delayMs };
  }

  private retryOrFail(details: ConstructorParameters<typeof ApiError>[0], attempt: number, hints: RetryHints, ambiguous: boolean, deadline: number): Outcome {
    if (attempt > this.policy.limit) return { kind: 'final', error: new ApiError(details) };
    const delayMs = retryDelay(attempt, this.policy, hints);
    if (Date.now() + delayMs > deadline) return { kind: 'final', error: new ApiError(details) };
    const fields = { method: details.method, path: details.path, status: details.status, attempt, delay_ms: Math.round(delayMs) };
    if (delayMs >= this.policy.logWaitMs) this.log('info', `waiting ${Math.round(delayMs / 1000)}s before retrying ${details.method} ${details.path} (${details.status ?? details.cause?.code})`, fields);
    else this.log('debug', 'retrying', fields);
    return { kind: 'retry', delayMs, ambiguous };
  }

  /** Rate limited for longer than the call may wait (held back by the limiter, or answered 429): say until when, and log it. */
  private rateLimited(method: string, path: string, attempt: number, waitMs: number, deadline: number, reason: string, status: 429 | undefined): ApiError {
    const until = new Date(Date.now() + waitMs).toISOString().replace(/\.\d+Z$/, 'Z');
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    const doMessage = `${reason}; the next try would be at ${until} (in ${formatWait(waitMs)}), after this operation's time limit (${left}s left)`;
    this.log('info', `giving up ${method} ${path}: ${doMessage}`, { method, path, wait_ms: Math.round(waitMs) });
    return new ApiError({ code: 'rate_limited', method, path, status, attempts: attempt, doMessage });
  }

  /** Our own token, and anything token-shaped, out of text a server sent. */
  private redact(text: string): string {
    return redactSecrets(text, [this.token]);
  }

  private canceled(method: string, path: string, attempt: number): ApiError {
    return new ApiError({ code: 'canceled', method, path, attempts: attempt });
  }
}

interface LookOptions {
  baselineId: string | null;
  deadline: number;
  signal?: AbortSignal;
}

type Outcome =
  | { kind: 'response'; response: Response<string> }
  | { kind: 'final'; error: ApiError }
  | { kind: 'retry'; delayMs: number; ambiguous: boolean };
/** A 429 to wait out and send again; never seen outside `attempt`. */
type Throttled = { kind: 'throttled'; delayMs: number };

function formatWait(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds}s` : seconds < 7200 ? `${Math.round(seconds / 60)}m` : `${Math.round(seconds / 3600)}h`;
}

/** The call's result, or `fallback` when the API answers 404. */
async function unlessNotFound<T>(call: Promise<T>, fallback: T): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') return fallback;
    throw error;
  }
}

function migrationPath(clusterId: string): string {
  return `/v2/databases/${encodeURIComponent(clusterId)}/online-migration`;
}

function header(response: Response<string>, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorBody(text: string): { id?: string; message?: string; request_id?: string } | undefined {
  try {
    const value = JSON.parse(text);
    if (typeof value === 'object' && value !== null && (typeof value.message === 'string' || typeof value.id === 'string')) return value;
  } catch {
    // not JSON: described from the content type and length instead
  }
  return undefined;
}

function describeBody(response: Response<string>): string {
  return `${header(response, 'content-type') ?? 'no content type'}, ${response.body.length} bytes`;
}

function parseMigration(response: Response<string>, method: string, path: string): Migration {
  const invalid = (why: string): never => {
    throw new ApiError({ code: 'invalid_response' satisfies ApiErrorCode, method, path, status: response.statusCode, doMessage: why });
  };
  let value: unknown;
  try {
    value = JSON.parse(response.body);
  } catch {
    return invalid(`expected a migration object, got a non-JSON body (${describeBody(response)})`);
  }
  const m = value as Partial<Migration> | null;
  if (typeof m !== 'object' || m === null) return invalid('expected a migration object');
  if (typeof m.id !== 'string' || m.id === '') return invalid('the migration has no `id`');
  if (!MIGRATION_STATUSES.includes(m.status as MigrationStatus)) return invalid(`unknown migration status ${JSON.stringify(m.status)}`);
  if (typeof m.created_at !== 'string') return invalid('the migration has no `created_at`');
  return { id: m.id, status: m.status as MigrationStatus, created_at: m.created_at };
}
