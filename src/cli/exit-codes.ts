import { ApiError, StartRefusedError } from '../api/errors';
import { StartLockError } from '../api/start-lock';
import { WaitError } from '../api/wait';
import { MirrorError } from '../release/provider-package';
import { UsageError } from './command';

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

/** A failure the commands themselves decide on (the API answered; the answer says no). */
export class CliError extends Error {
  constructor(
    readonly code: string,
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Failure {
  /** Stable: scripts branch on it. */
  code: string;
  exitCode: number;
  message: string;
  /** The HTTP status, for an API error that had one. */
  httpStatus?: number;
}

const WAIT_FAILURES = { timeout: EXIT.timeout, failed: EXIT.failed, superseded: EXIT.failed, canceled: EXIT.failed };

/** What the CLI reports for an error, or undefined for one it does not expect (a bug: it is thrown on). */
export function failureOf(error: unknown): Failure | undefined {
  if (error instanceof UsageError) return { code: 'usage', exitCode: EXIT.usage, message: error.message };
  if (error instanceof CliError) return { code: error.code, exitCode: error.exitCode, message: error.message };
  if (error instanceof StartRefusedError) {
    return { code: `refused_${error.reason}`, exitCode: EXIT.refused, message: error.message };
  }
  if (error instanceof WaitError) {
    const message =
      error.code === 'timeout'
        ? `${error.message}: it is still on its way, run \`dodb migration watch\` again`
        : error.message;
    return { code: `wait_${error.code}`, exitCode: WAIT_FAILURES[error.code], message };
  }
  if (error instanceof ApiError) {
    return { code: error.code, exitCode: EXIT.api, message: error.message, httpStatus: error.status };
  }
  if (error instanceof StartLockError) return { code: 'start_lock', exitCode: EXIT.api, message: error.message };
  if (error instanceof MirrorError) return { code: 'mirror', exitCode: EXIT.api, message: error.message };
  return undefined;
}
