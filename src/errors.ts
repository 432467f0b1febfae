import { redactSecrets } from './api/redact';

/** What a cause keeps of a failure from outside the family: enough to tell what it was, and nothing secret. */
export interface RedactedCause {
  name?: string;
  code?: string;
  message: string;
}

/**
 * dodb's one family of errors, thrown by the API client, the wait, the start lock, the release
 * code and the CLI. `code` is stable and unique across the family: callers branch on it, the CLI
 * prints it with --json and maps it to an exit code (src/cli/exit-codes.ts). `cause` is the failure
 * that led to this one. The message and the cause are redacted here, once for all of them, since
 * each ends up in a diagnostic, a log line or stderr: no token or password reaches them in clear.
 */
export class DodbError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    cause?: unknown,
  ) {
    super(redactSecrets(message), cause === undefined ? undefined : { cause: redactedCause(cause) });
    this.name = new.target.name;
  }
}

/** One of the family is redacted already; anything else is kept as its name, code and redacted message. */
function redactedCause(cause: unknown): DodbError | RedactedCause {
  if (cause instanceof DodbError) return cause;
  if (typeof cause !== 'object' || cause === null) return { message: redactSecrets(String(cause)) };
  const { name, code, message } = cause as { name?: unknown; code?: unknown; message?: unknown };
  return {
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    message: redactSecrets(String(message ?? '')),
  };
}
