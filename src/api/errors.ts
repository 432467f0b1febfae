import { DodbError } from '../errors';
import { redactSecrets } from './redact';

/** What went wrong, as callers branch on it. */
export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid_request'
  | 'conflict'
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'invalid_response'
  | 'http_error'
  | 'canceled'
  | 'start_unknown';

export interface ApiErrorDetails {
  code: ApiErrorCode;
  method: string;
  path: string;
  status?: number;
  /** DigitalOcean's short error id, such as `not_found`. */
  doId?: string;
  doMessage?: string;
  requestId?: string;
  attempts?: number;
  cause?: { code?: string; message: string };
}

/**
 * The one error the client throws. Its message names the method and the path (never the token,
 * never a request body) and tells a person what to do next.
 */
export class ApiError extends DodbError<ApiErrorCode> {
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly doId?: string;
  readonly doMessage?: string;
  readonly requestId?: string;
  readonly attempts: number;

  constructor(given: ApiErrorDetails) {
    // Server text may echo a request back, headers included. The message and the cause are
    // redacted by DodbError; these two are kept as fields of their own.
    const details = {
      ...given,
      doMessage: given.doMessage === undefined ? undefined : redactSecrets(given.doMessage),
      requestId: given.requestId === undefined ? undefined : redactSecrets(given.requestId),
    };
    super(details.code, describe(details), details.cause);
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.doId = details.doId;
    this.doMessage = details.doMessage;
    this.requestId = details.requestId;
    this.attempts = details.attempts ?? 1;
  }
}

const ADVICE: Record<ApiErrorCode, string> = {
  unauthorized:
    "check the token (DIGITALOCEAN_TOKEN or the provider's `token`) and that it has the database:read, database:update " +
    'and database:delete scopes',
  forbidden: 'the token lacks a scope this call needs: database:read, database:update or database:delete',
  not_found: 'no such database cluster (or it has no online migration); check the cluster UUID',
  invalid_request: 'the API rejected the request; fix the argument it names',
  conflict:
    'the cluster is busy, for instance a migration is already running: import it (terraform import, or dodb migration ' +
    'status to see it) or stop it first',
  rate_limited:
    'the API rate limit (250 requests a minute, 5,000 an hour per token, shared by every tool using it) is used up: ' +
    'wait until it resets and run the command again; for apply and destroy, a longer `timeouts` block lets dodb wait it out',
  server_error: 'DigitalOcean answered with a server error; retry later',
  network: 'the API could not be reached; check api_endpoint and the network',
  invalid_response: 'the API answered with a body that is not the documented shape',
  http_error: 'the API answered with an unexpected status',
  canceled: 'the request was canceled',
  start_unknown:
    'whether the start worked could not be confirmed, and the PUT is never sent twice; check with `dodb migration ' +
    'status`, and adopt a migration it started with `terraform import`',
};

/** Failures that may pass: a later try or poll can succeed. */
const TRANSIENT: ReadonlySet<ApiErrorCode> = new Set(['network', 'server_error', 'rate_limited', 'invalid_response']);

export const isTransient = (error: unknown): error is ApiError =>
  error instanceof ApiError && TRANSIENT.has(error.code);

/**
 * A failed request that may still have taken effect on the server: a 5xx, a lost connection, a
 * request cancelled in flight, or a 2xx whose body could not be read.
 */
export const mayHaveTakenEffect = (error: unknown): error is ApiError =>
  error instanceof ApiError &&
  (error.code === 'server_error' ||
    error.code === 'network' ||
    error.code === 'canceled' ||
    error.code === 'invalid_response');

function describe(d: ApiErrorDetails): string {
  const status = d.status !== undefined ? ` ${d.status}` : '';
  const reason = d.doMessage ? `: ${d.doMessage}` : d.cause ? `: ${d.cause.message}` : '';
  const tries = (d.attempts ?? 1) > 1 ? ` after ${d.attempts} tries` : '';
  const request = d.requestId ? ` (request id ${d.requestId})` : '';
  return `${d.method} ${d.path} failed${status}${tries}${reason}${request}; ${ADVICE[d.code]}`;
}

export function codeForStatus(status: number): ApiErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status === 400 || status === 422) return 'invalid_request';
  return 'http_error';
}

export type RefusalReason = 'active' | 'cutover' | 'raced';

/**
 * A start that was refused before any PUT: the cluster's most recent migration still runs, or
 * finished with a cutover. Not an API failure: nothing was asked of the API but a read. `raced`:
 * the PUT was sent, and another start (from another machine) landed right after it.
 */
export class StartRefusedError extends DodbError<`refused_${RefusalReason}`> {
  constructor(
    readonly reason: RefusalReason,
    readonly clusterId: string,
    readonly latest: { id: string; status: string; created_at?: string },
  ) {
    // The API does not promise `created_at`: the message says when only if it knows.
    const when = latest.created_at ? ` (started ${latest.created_at})` : '';
    const messages: Record<RefusalReason, string> = {
      active:
        `cluster ${clusterId} already has online migration ${latest.id}, which is "${latest.status}"${when}; ` +
        'no second migration is started on a cluster',
      cutover:
        `the most recent online migration on cluster ${clusterId}, ${latest.id}, is "done": the cluster was cut ` +
        "over and may hold data written since, which a new migration would overwrite with the source's",
      raced:
        `another online migration, ${latest.id} ("${latest.status}")${when}, was started on ` +
        `cluster ${clusterId} at the same moment as this one and is now the cluster's most recent`,
    };
    super(`refused_${reason}`, messages[reason]);
  }
}
