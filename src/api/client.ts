import { createHash } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type { Response } from 'got';
import type { Migration, StartMigrationRequest } from '../../generated/types';
import { DEFAULT_ENDPOINT, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_RETRY } from './defaults';
import { ApiError, type ApiErrorCode, StartRefusedError, isTransient, mayHaveTakenEffect } from './errors';
import { Call, type LogFn, type Method, Transport } from './http';
import { type RateLimiter, sharedLimiter } from './limiter';
import { KnownSecrets } from './redact';
import type { RetryPolicy } from './retry';
import { isActive, isMigrationStatus } from './status';

export type { LogFn } from './http';

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

/**
 * The three online-migration operations. Retries 429, 5xx and network errors with backoff, paces
 * itself on the rate-limit headers (both through got, see http.ts), and never repeats a PUT blindly.
 */
export class DoClient {
  private readonly http: Transport;
  private readonly policy: RetryPolicy;
  private readonly log: LogFn;
  readonly endpoint: string;

  constructor(options: ClientOptions) {
    this.endpoint = (options.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    const secrets = new KnownSecrets([options.token]);
    const log = options.log ?? (() => {});
    // Log lines may quote what a server said: the same secrets are redacted from them as from errors.
    this.log = (level, message, fields) => log(level, secrets.redact(message), fields && secrets.redactFields(fields));
    const tokenKey = createHash('sha256').update(options.token).digest('hex').slice(0, 16);
    this.http = new Transport({
      endpoint: this.endpoint,
      token: options.token,
      secrets,
      userAgent: options.userAgent,
      policy: this.policy,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      limiter: options.limiter ?? sharedLimiter(`${this.endpoint} ${tokenKey}`),
      log: this.log,
      certificateAuthorities: options.certificateAuthorities,
    });
  }

  /** The cluster's most recent migration (also a finished one). */
  async getMigration(clusterId: string, options: CallOptions = {}): Promise<Migration> {
    const response = await this.send('GET', migrationPath(clusterId), options);
    return parseMigration(response, 'GET', migrationPath(clusterId));
  }

  /** Like getMigration, but undefined when the cluster has none (or does not exist). */
  findMigration(clusterId: string, options: CallOptions = {}): Promise<Migration | undefined> {
    return unlessNotFound(this.getMigration(clusterId, options), undefined);
  }

  /** Whether the database cluster exists (`GET /v2/databases/{id}`). */
  clusterExists(clusterId: string, options: CallOptions = {}): Promise<boolean> {
    return unlessNotFound(
      this.send('GET', `/v2/databases/${encodeURIComponent(clusterId)}`, options).then(() => true),
      false,
    );
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
  async startMigration(
    clusterId: string,
    body: StartMigrationRequest,
    options: StartOptions = {},
  ): Promise<StartResult> {
    const previous = startsInFlight.get(clusterId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.lookThenStart(clusterId, body, options));
    startsInFlight.set(clusterId, run);
    try {
      return await run;
    } finally {
      if (startsInFlight.get(clusterId) === run) startsInFlight.delete(clusterId);
    }
  }

  private async lookThenStart(
    clusterId: string,
    body: StartMigrationRequest,
    options: StartOptions,
  ): Promise<StartResult> {
    const baseline = await this.findMigration(clusterId, options);
    if (baseline && !stoppedHere.has(baseline.id)) {
      if (isActive(baseline.status)) throw new StartRefusedError('active', clusterId, baseline);
      if (baseline.status === 'done' && !options.afterCutover)
        throw new StartRefusedError('cutover', clusterId, baseline);
    }
    const deadline = options.deadline ?? Date.now() + this.policy.callBoundMs;
    const look = { baselineId: baseline?.id ?? null, deadline, signal: options.signal };
    const path = migrationPath(clusterId);
    let uncertain = false;
    // Not got's retry, which would send the PUT again at once: a PUT whose answer was lost may have started
    // the migration, so a resend comes only after a look. got still retries a 429, which the API did not carry out.
    for (let attempt = 1; ; attempt++) {
      const call = new Call('PUT', path, deadline, options.signal, attempt);
      let failure: ApiError;
      try {
        return { migration: parseMigration(await this.http.send(call, body), 'PUT', path), adopted: false };
      } catch (error) {
        failure = error as ApiError;
      }
      if (!uncertain && !mayHaveTakenEffect(failure)) throw failure;
      uncertain = true;
      const started = await this.lookForStart(clusterId, look, failure);
      if (started) {
        this.log('info', 'the PUT had started a migration: adopted it', { path, migration_id: started.id, attempt });
        return { migration: started, adopted: true };
      }
      if (call.resendInMs === undefined) throw failure;
      await setTimeout(call.resendInMs, undefined, { signal: options.signal }).catch(() => {
        throw this.http.canceled(call);
      });
    }
  }

  /**
   * The migration an uncertain PUT started, or undefined when the cluster still shows the
   * baseline. Asks until the deadline (briefly after a cancel, whose signal is spent).
   */
  private async lookForStart(clusterId: string, look: LookOptions, cause: ApiError): Promise<Migration | undefined> {
    const { baselineId, deadline, signal } = look;
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
          const path = migrationPath(clusterId);
          const asking = `asking GET ${path} failed too: ${(error as Error).message}`;
          const doMessage = `could not tell whether the migration started (${cause.message}); ${asking}`;
          throw new ApiError({ code: 'start_unknown', method: 'PUT', path, attempts: poll, doMessage });
        }
        const pauseMs = Math.min(this.policy.waitMaxMs, this.policy.waitMinMs * poll);
        await setTimeout(pauseMs, undefined, { signal: lookSignal }).catch(() => undefined);
      }
    }
  }

  /** Stop a migration: true when this call stopped it, false when the API answered 404 (nothing to stop: not an error). */
  async stopMigration(clusterId: string, migrationId: string, options: CallOptions = {}): Promise<boolean> {
    const path = `${migrationPath(clusterId)}/${encodeURIComponent(migrationId)}`;
    const stopped = await unlessNotFound(
      this.send('DELETE', path, options).then(() => true),
      false,
    );
    // Only a stop seen to work counts as this process's: a 404 may be a migration someone else had already cut over.
    if (stopped) stoppedHere.add(migrationId);
    return stopped;
  }

  /** A GET or DELETE, which got retries by itself. */
  private send(method: 'GET' | 'DELETE', path: string, options: CallOptions): Promise<Response<unknown>> {
    return this.http.send(
      new Call(method, path, options.deadline ?? Date.now() + this.policy.callBoundMs, options.signal),
    );
  }
}

interface LookOptions {
  baselineId: string | null;
  deadline: number;
  signal?: AbortSignal;
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

function parseMigration(response: Response<unknown>, method: Method, path: string): Migration {
  const invalid = (why: string): never => {
    throw new ApiError({
      code: 'invalid_response' satisfies ApiErrorCode,
      method,
      path,
      status: response.statusCode,
      doMessage: why,
    });
  };
  const m = response.body as Partial<Migration> | null;
  if (typeof m !== 'object' || m === null) return invalid('expected a migration object');
  if (typeof m.id !== 'string' || m.id === '') return invalid('the migration has no `id`');
  if (!isMigrationStatus(m.status)) return invalid(`unknown migration status ${JSON.stringify(m.status)}`);
  // The API's model requires no field; without `id` and `status` there is nothing to follow, but `created_at` is only shown.
  return { id: m.id, status: m.status, ...(typeof m.created_at === 'string' ? { created_at: m.created_at } : {}) };
}
