import { createHash } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type { Response } from 'got';
import type { Migration, StartMigrationRequest } from '../../generated/types';
import { refuseCleartextToken } from './cleartext';
import { CLIENT_RETRY, DEFAULT_REQUEST_TIMEOUT_MS, type RetrySettings } from './defaults';
import { ApiError, type ApiErrorCode, StartRefusedError, isTransient, mayHaveTakenEffect } from './errors';
import { type LogFn, type LogLevel, type Outcome, Transport } from './http';
import { type RateLimiter, sharedLimiter } from './limiter';
import { KnownSecrets } from './redact';
import { type Attempt, type Method, type RetryPolicy, STOP, firstAttempt } from './retry';
import { holdLock, lockAddress, startLockKey } from './start-lock';
import { startRefusal } from './start-rules';
import { mayHaveSuperseded } from './wait';
import { isActive, isMigrationStatus } from '../vocabulary/status';

export type { LogFn } from './http';

export interface ClientOptions {
  token: string;
  /** An origin. */
  endpoint: string;
  userAgent: string;
  /** The builder's http_retry_* settings, and any other part of the policy to override. */
  retry: Pick<RetryPolicy, RetrySettings> & Partial<RetryPolicy>;
  /** Per-request timeout, ms. */
  requestTimeoutMs?: number;
  log?: LogFn;
  /** Whether `log` keeps a line at `level`: one it would drop is neither redacted nor sent. Every level unless set. */
  logs?: (level: LogLevel) => boolean;
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

/** Reads that must all show no new migration before a failed PUT counts as having started nothing. */
const CONFIRMING_READS = 3;

/** Per process: the migrations this process stopped (a replacement stops, then starts: the stop is no cutover by someone else). */
const stoppedHere = new Set<string>();

/** Whether this process stopped the migration: a plan made after the stop (the apply's) counts it as neither running nor a cutover. */
export const stoppedByThisProcess = (migrationId: string) => stoppedHere.has(migrationId);

/**
 * The three online-migration operations. Retries 429, 5xx and network errors with backoff, paces
 * itself on the rate-limit headers (both through got, see http.ts), and never repeats a PUT blindly.
 */
export class DoClient {
  private readonly http: Transport;
  private readonly policy: RetryPolicy;
  private readonly log: LogFn;
  readonly endpoint: string;
  /** Which endpoint and token this client speaks with, as a hash that cannot give the token back. */
  readonly origin: string;

  constructor(options: ClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    refuseCleartextToken(this.endpoint);
    this.policy = { ...CLIENT_RETRY, ...options.retry };
    const secrets = new KnownSecrets([options.token]);
    const { log, logs = () => true } = options;
    // Log lines may quote what a server said: the same secrets are redacted from them as from errors.
    // A plan logs every request at debug level, which Terraform seldom shows: those cost nothing then.
    this.log = (level, message, fields) => {
      if (log && logs(level)) log(level, secrets.redact(message), fields && secrets.redactFields(fields));
    };
    const tokenKey = createHash('sha256').update(options.token).digest('hex').slice(0, 16);
    this.origin = createHash('sha256').update(`${this.endpoint}\n${options.token}`).digest('hex').slice(0, 16);
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

  /** The database cluster (`GET /v2/databases/{id}`): what a start depends on, its engine. */
  async getCluster(clusterId: string, options: CallOptions = {}): Promise<Cluster> {
    const path = `/v2/databases/${encodeURIComponent(clusterId)}`;
    return parseCluster(await this.send('GET', path, options), path);
  }

  /** Whether the database cluster exists. */
  clusterExists(clusterId: string, options: CallOptions = {}): Promise<boolean> {
    return unlessNotFound(
      this.getCluster(clusterId, options).then(() => true),
      false,
    );
  }

  /**
   * Start a migration, at most once: while holding this machine's start lock for the cluster (so
   * no other dodb process here starts one in between), read the cluster's most recent migration and
   * refuse (StartRefusedError, no PUT) while it is running or syncing, or when it is done unless
   * `afterCutover`; then a PUT; then a look that tells whether another migration started over it
   * (StartRefusedError `raced`). A PUT that fails in a way that may still have worked is resolved
   * by looking (`lookForStart`): a PUT whose answer never came is never sent again, one answered
   * with a 5xx only once several reads agree that it started nothing. Clocks play no part.
   */
  async startMigration(
    clusterId: string,
    body: StartMigrationRequest,
    options: StartOptions = {},
  ): Promise<StartResult> {
    const deadline = options.deadline ?? Date.now() + this.policy.callBoundMs;
    const release = await holdLock(lockAddress(startLockKey(this.endpoint, clusterId)), clusterId, {
      deadline,
      signal: options.signal,
      onWait: () =>
        this.log('info', 'waiting for another dodb process to finish its start on the cluster', {
          cluster_id: clusterId,
        }),
    });
    try {
      return await this.lookThenStart(clusterId, body, { ...options, deadline });
    } finally {
      await release();
    }
  }

  private async lookThenStart(
    clusterId: string,
    body: StartMigrationRequest,
    options: StartOptions & { deadline: number },
  ): Promise<StartResult> {
    const baseline = await this.findMigration(clusterId, options);
    const refusal = startRefusal(clusterId, baseline, { ...options, stopping: (id) => stoppedHere.has(id) });
    if (refusal) throw refusal;
    const path = migrationPath(clusterId);
    const look = { baselineId: baseline?.id ?? null, deadline: options.deadline, signal: options.signal };
    // got sends the PUT again only after a 429, which the API did not carry out. Any other failure
    // that may have started the migration is resolved by looking; the retry rules say whether it
    // may then be sent again (decideRetry: only one the API answered with a 5xx).
    for (let attempt = firstAttempt('PUT', options.deadline); ;) {
      const outcome = await this.put(path, attempt, body, options.signal);
      if ('started' in outcome) {
        await this.lookAfterStart(clusterId, outcome.started, look.baselineId, options);
        return { migration: outcome.started, adopted: false };
      }
      const { error, decision } = outcome;
      if (!mayHaveTakenEffect(error)) throw error;
      const found = await this.lookForStart(clusterId, look, error);
      if (found) {
        this.log('info', 'the PUT had started a migration: adopted it', {
          path,
          migration_id: found.id,
          attempt: attempt.tries,
        });
        return { migration: found, adopted: true };
      }
      if (decision.action !== 'resend') {
        // A 5xx past the retry limit stands as it is; any other answer that never came may have worked.
        if (error.code === 'server_error') throw error;
        throw startUnknown(path, error, `${CONFIRMING_READS} reads of GET ${path} showed no new migration`);
      }
      await setTimeout(decision.delayMs, undefined, { signal: options.signal }).catch(() => {
        throw this.http.canceled({ path, attempt });
      });
      attempt = decision.next;
    }
  }

  /** One PUT: the migration it started, or its error and what the retry rules decided after it. */
  private async put(
    path: string,
    attempt: Attempt,
    body: StartMigrationRequest,
    signal: AbortSignal | undefined,
  ): Promise<{ started: Migration } | Extract<Outcome, { error: unknown }>> {
    const outcome = await this.http.exchange({ path, attempt, signal }, body);
    if ('error' in outcome) return outcome;
    try {
      return { started: parseMigration(outcome.response, 'PUT', path) };
    } catch (error) {
      return { error: error as ApiError, decision: STOP };
    }
  }

  /**
   * The migration an uncertain PUT started, or undefined once CONFIRMING_READS reads agree that the
   * cluster still shows the baseline (or none). A new migration seen once is proof: no stale read
   * shows a migration that does not exist yet; one read of the baseline proves nothing. Asks
   * until the deadline (briefly after a cancel, whose signal is spent); when the API cannot be
   * asked, the outcome is unknown (`start_unknown`).
   */
  private async lookForStart(clusterId: string, look: LookOptions, cause: ApiError): Promise<Migration | undefined> {
    const { baselineId, deadline, signal } = look;
    const cancelled = signal?.aborted === true;
    const until = cancelled ? Math.min(deadline, Date.now() + LOOK_AFTER_CANCEL_MS) : deadline;
    const bound = AbortSignal.timeout(Math.max(1, until - Date.now()));
    const lookSignal = cancelled || !signal ? bound : AbortSignal.any([signal, bound]);
    const path = migrationPath(clusterId);
    let unchanged = 0;
    for (let poll = 1; ; poll++) {
      // undefined: this read failed in a way that may pass, and tells nothing.
      const read = await this.findMigration(clusterId, { signal: lookSignal }).then(
        (latest) => ({ latest }),
        (error: unknown) => {
          if (isTransient(error) && !lookSignal.aborted) return undefined;
          throw startUnknown(path, cause, `asking GET ${path} failed too: ${(error as Error).message}`);
        },
      );
      if (read?.latest && read.latest.id !== baselineId) return read.latest;
      if (read && ++unchanged >= CONFIRMING_READS) return undefined;
      const pauseMs = Math.min(this.policy.waitMaxMs, this.policy.waitMinMs * poll);
      await setTimeout(pauseMs, undefined, { signal: lookSignal }).catch(() => undefined);
    }
  }

  /**
   * After a PUT that answered: the cluster should show the migration it started. Another one that
   * may supersede it (see `mayHaveSuperseded`), seen on two reads in a row, means another machine
   * started one at the same moment: StartRefusedError `raced`. A look that fails decides nothing.
   */
  private async lookAfterStart(
    clusterId: string,
    started: Migration,
    baselineId: string | null,
    options: CallOptions,
  ): Promise<void> {
    let other: Migration | undefined;
    for (let read = 1; read <= 2; read++) {
      const latest = await this.findMigration(clusterId, options).catch(() => undefined);
      if (!latest || !mayHaveSuperseded(latest, started, baselineId)) return;
      if (other?.id === latest.id) throw new StartRefusedError('raced', clusterId, latest);
      other = latest;
    }
  }

  /**
   * Stop a migration, only if the cluster shows it running or syncing now: true when this call
   * stopped it; false when it has ended, another migration is the cluster's latest, or the API
   * answered 404 (nothing to stop: not an error). Nothing is stopped that was not seen running.
   */
  async stopMigration(clusterId: string, migrationId: string, options: CallOptions = {}): Promise<boolean> {
    const latest = await this.findMigration(clusterId, options);
    if (latest?.id !== migrationId || !isActive(latest.status)) {
      this.log('info', 'nothing to stop: the cluster does not show the migration running', {
        migration_id: migrationId,
        latest_id: latest?.id,
        latest_status: latest?.status,
      });
      return false;
    }
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
    const deadline = options.deadline ?? Date.now() + this.policy.callBoundMs;
    return this.http.send({ path, attempt: firstAttempt(method, deadline), signal: options.signal });
  }
}

interface LookOptions {
  baselineId: string | null;
  deadline: number;
  signal?: AbortSignal;
}

/** A PUT whose outcome could not be confirmed: `why` says what the looks after it found. */
function startUnknown(path: string, cause: ApiError, why: string): ApiError {
  const doMessage = `could not tell whether the migration started (${cause.message}); ${why}`;
  return new ApiError({ code: 'start_unknown', method: 'PUT', path, doMessage });
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

/** A database cluster as the client uses it: the API's `database` object has many more fields. */
export interface Cluster {
  id: string;
  name: string;
  /** A slug such as `pg` or `mongodb` (see start-rules.ts). */
  engine: string;
}

function parseCluster(response: Response<unknown>, path: string): Cluster {
  const database = (response.body as { database?: Partial<Cluster> } | null)?.database;
  const { id, name, engine } = database ?? {};
  if (typeof id === 'string' && typeof name === 'string' && typeof engine === 'string') return { id, name, engine };
  const doMessage = 'expected {"database": {"id", "name", "engine", ...}}';
  throw new ApiError({ code: 'invalid_response', method: 'GET', path, status: response.statusCode, doMessage });
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
