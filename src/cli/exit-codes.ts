import { ApiError } from '../api/errors';
import { DodbError } from '../errors';

/** The CLI's exit codes: what a runbook branches on. Documented in `dodb help` and the README. */
export const EXIT = {
  /** Done: what was asked happened (the status was reached; the migration started or stopped). */
  ok: 0,
  /** The API failed or said no: credentials, network, server, no such cluster or migration. */
  api: 1,
  /** A flag is missing or wrong (also: `stop` of a syncing migration off a terminal without --yes); nothing was sent. */
  usage: 2,
  /** Timed out: the migration is still on its way; watch it again. */
  timeout: 3,
  /** Refused: nothing was started or stopped because of the cluster's state, or the cutover was not confirmed. */
  refused: 4,
  /** The migration ended without reaching the status waited for (`error`, `canceled`), or another replaced it. */
  failed: 5,
} as const;

export const EXIT_CODES_HELP = `Exit codes: 0 done; 1 API or credentials error (also no such cluster or migration);
2 usage error; 3 timed out (the migration is still on its way: watch it again); 4 refused (a migration
already active, a cluster cut over, a migration already ended, a cutover not confirmed: nothing was
started or stopped); 5 the migration failed or was replaced before reaching the status waited for.
With --json, an error is one JSON object on stdout: {"error": {"code", "message", "exit_code"}}.`;

/** The codes of the failures the commands themselves decide on (the API answered; the answer says no). */
export type CliCode = 'no_migration' | 'no_such_cluster' | 'already_ended' | 'confirmation_required' | 'not_confirmed';

export class CliError extends DodbError<CliCode> {}

export interface Failure {
  /** Stable: scripts branch on it. */
  code: string;
  exitCode: number;
  message: string;
  /** The HTTP status, for an API error that had one. */
  httpStatus?: number;
}

/**
 * The exit code of each code of the family that is not an API failure (`EXIT.api`): the client's
 * codes, `start_lock`, `mirror`, `no_migration` and `no_such_cluster` are.
 */
const EXIT_OF: Readonly<Record<string, number>> = {
  usage: EXIT.usage,
  confirmation_required: EXIT.usage,
  wait_timeout: EXIT.timeout,
  refused_active: EXIT.refused,
  refused_cutover: EXIT.refused,
  refused_raced: EXIT.refused,
  already_ended: EXIT.refused,
  not_confirmed: EXIT.refused,
  wait_failed: EXIT.failed,
  wait_superseded: EXIT.failed,
  wait_canceled: EXIT.failed,
};

export const exitCodeOf = (code: string): number => EXIT_OF[code] ?? EXIT.api;

/** What the CLI reports for an error, or undefined for one outside the family (a bug: it is thrown on). */
export function failureOf(error: unknown): Failure | undefined {
  if (!(error instanceof DodbError)) return undefined;
  const message =
    error.code === 'wait_timeout'
      ? `${error.message}: it is still on its way, run \`dodb migration watch\` again`
      : error.message;
  const httpStatus = error instanceof ApiError ? error.status : undefined;
  return { code: error.code, exitCode: exitCodeOf(error.code), message, httpStatus };
}
