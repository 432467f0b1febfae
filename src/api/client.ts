import { createHash } from 'node:crypto';
import type { Got, Response } from 'got';
import type { Migration, MigrationStatus, StartMigrationRequest } from '../../generated/types';
import { ApiError, type ApiErrorCode, codeForStatus } from './errors';
import { type RateLimiter, sharedLimiter } from './limiter';
import { DEFAULT_RETRY, type RetryPolicy, retryDelay } from './retry';
import { sleep } from './sleep';

export const DEFAULT_ENDPOINT = 'https://api.digitalocean.com';

export type LogFn = (level: 'debug' | 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;

export interface ClientOptions {
  token: string;
  endpoint?: string;
  userAgent: string;
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout, ms. */
  requestTimeoutMs?: number;
  /** How far before the PUT a migration's created_at may be and still be ours (clock skew), ms. */
  adoptSkewMs?: number;
  log?: LogFn;
  limiter?: RateLimiter;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface StartResult {
  migration: Migration;
  /** True when a failed PUT had in fact started the migration and the client adopted it. */
  adopted: boolean;
}

/** Network failures worth another try: socket errors, plus got's own request errors (ERR_GOT_...). */
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
const STATUSES: readonly MigrationStatus[] = ['running', 'syncing', 'canceled', 'error', 'done'];

/**
 * The three online-migration operations. Retries 429, 5xx and network errors with backoff, paces
 * itself on the rate-limit headers, and never repeats a PUT blindly.
 */
export class DoClient {
  private readonly http: Got;
  private readonly policy: RetryPolicy;
  private readonly limiter: RateLimiter;
  private readonly log: LogFn;
  private readonly adoptSkewMs: number;
  readonly endpoint: string;

  constructor(options: ClientOptions) {
    this.endpoint = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.log = options.log ?? (() => {});
    this.adoptSkewMs = options.adoptSkewMs ?? 5_000;
    const tokenKey = createHash('sha256').update(options.token).digest('hex').slice(0, 16);
    this.limiter = options.limiter ?? sharedLimiter(`${this.endpoint} ${tokenKey}`);
    // Loaded on first use: the provider starts several times per terraform command, mostly without calling the API.
    const { default: got } = require('got') as typeof import('got');
    this.http = got.extend({
      prefixUrl: this.endpoint,
      headers: { authorization: `Bearer ${options.token}`, 'user-agent': options.userAgent, accept: 'application/json' },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      timeout: { request: options.requestTimeoutMs ?? 30_000 },
      responseType: 'text',
    });
  }

  /** The cluster's most recent migration (also a finished one). */
  async getMigration(clusterId: string, options: CallOptions = {}): Promise<Migration> {
    const response = await this.send('GET', migrationPath(clusterId), undefined, options);
    return parseMigration(response, 'GET', migrationPath(clusterId));
  }

  /** Like getMigration, but undefined when the cluster has none (or does not exist). */
  async findMigration(clusterId: string, options: CallOptions = {}): Promise<Migration | undefined> {
    try {
      return await this.getMigration(clusterId, options);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found') return undefined;
      throw error;
    }
  }

  /**
   * One PUT. After a 5xx or a network error the request may still have started the migration, so
   * the client reads the cluster's latest migration first and adopts one that this request made;
   * only when there is none does it send the PUT again.
   */
  async startMigration(clusterId: string, body: StartMigrationRequest, options: CallOptions = {}): Promise<StartResult> {
    const path = migrationPath(clusterId);
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt('PUT', path, body, options, attempt);
      if (outcome.kind === 'response') return { migration: parseMigration(outcome.response, 'PUT', path), adopted: false };
      if (outcome.kind === 'final') throw outcome.error;
      if (outcome.ambiguous) {
        const latest = await this.findMigration(clusterId, options);
        if (latest && this.isFromRequestAt(latest, startedAt)) {
          this.log('info', 'adopted the migration a failed PUT had started', { path, migration_id: latest.id, attempt });
          return { migration: latest, adopted: true };
        }
      }
      await sleep(outcome.delayMs, options.signal);
    }
  }

  /** Stop a migration; a 404 (already gone) counts as stopped. */
  async stopMigration(clusterId: string, migrationId: string, options: CallOptions = {}): Promise<void> {
    try {
      await this.send('DELETE', `${migrationPath(clusterId)}/${encodeURIComponent(migrationId)}`, undefined, options);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found') return;
      throw error;
    }
  }

  private isFromRequestAt(migration: Migration, startedAt: number): boolean {
    const created = Date.parse(migration.created_at);
    const active = migration.status === 'running' || migration.status === 'syncing';
    return active && Number.isFinite(created) && created >= Math.floor(startedAt / 1000) * 1000 - this.adoptSkewMs;
  }

  private async send(method: string, path: string, body: unknown, options: CallOptions): Promise<Response<string>> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(method, path, body, options, attempt);
      if (outcome.kind === 'response') return outcome.response;
      if (outcome.kind === 'final') throw outcome.error;
      await sleep(outcome.delayMs, options.signal);
    }
  }

  /** One try: a 2xx response, a final error, or a retry with its delay. */
  private async attempt(method: string, path: string, body: unknown, { signal }: CallOptions, attempt: number): Promise<Outcome> {
    const started = Date.now();
    await this.limiter.acquire(signal).catch(() => {
      throw this.canceled(method, path, attempt);
    });
    let response: Response<string>;
    try {
      response = await this.http(path.slice(1), { method: method as 'GET', json: body, signal });
      this.limiter.release(response.headers);
    } catch (error) {
      this.limiter.release();
      if (signal?.aborted) return { kind: 'final', error: this.canceled(method, path, attempt) };
      const code = (error as { code?: string }).code ?? 'ERR_UNKNOWN';
      const cause = { code, message: `${code} ${(error as Error).message.replace(/https?:\/\/\S+/g, '<endpoint>')}` };
      this.log('debug', 'request failed', { method, path, attempt, error: code, ms: Date.now() - started });
      if (!RETRYABLE_NETWORK.has(code) && !code.startsWith('ERR_GOT')) {
        return { kind: 'final', error: new ApiError({ code: 'network', method, path, attempts: attempt, cause }) };
      }
      return this.retryOrFail({ code: 'network', method, path, attempts: attempt, cause }, attempt, { now: Date.now(), random: Math.random() }, true);
    }
    const { statusCode } = response;
    this.log('debug', 'request', { method, path, status: statusCode, attempt, ms: Date.now() - started });
    if (statusCode >= 200 && statusCode < 300) return { kind: 'response', response };
    const error = errorBody(response.body);
    const details = {
      code: codeForStatus(statusCode), method, path, status: statusCode, attempts: attempt,
      doId: error?.id, doMessage: error?.message ?? (error ? undefined : `non-JSON body (${describeBody(response)})`),
      requestId: error?.request_id ?? header(response, 'x-request-id'),
    };
    if (!this.policy.statusCodes.includes(statusCode)) return { kind: 'final', error: new ApiError(details) };
    const hints = { status: statusCode, retryAfter: header(response, 'retry-after'), rateLimitReset: header(response, 'ratelimit-reset'), now: Date.now(), random: Math.random() };
    return this.retryOrFail(details, attempt, hints, statusCode >= 500);
  }

  private retryOrFail(details: ConstructorParameters<typeof ApiError>[0], attempt: number, hints: Parameters<typeof retryDelay>[2], ambiguous: boolean): Outcome {
    if (attempt > this.policy.limit) return { kind: 'final', error: new ApiError(details) };
    const delayMs = retryDelay(attempt, this.policy, hints);
    this.log('debug', 'retrying', { method: details.method, path: details.path, status: details.status, attempt, delay_ms: Math.round(delayMs) });
    return { kind: 'retry', delayMs, ambiguous };
  }

  private canceled(method: string, path: string, attempt: number): ApiError {
    return new ApiError({ code: 'canceled', method, path, attempts: attempt });
  }
}

type Outcome =
  | { kind: 'response'; response: Response<string> }
  | { kind: 'final'; error: ApiError }
  | { kind: 'retry'; delayMs: number; ambiguous: boolean };

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
  if (!STATUSES.includes(m.status as MigrationStatus)) return invalid(`unknown migration status ${JSON.stringify(m.status)}`);
  if (typeof m.created_at !== 'string') return invalid('the migration has no `created_at`');
  return { id: m.id, status: m.status as MigrationStatus, created_at: m.created_at };
}
