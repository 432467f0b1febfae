import { ApiError } from '../api/errors';
import { type Diagnostic, error } from '../tfplugin/framework/diagnostics';

/** An API failure as a diagnostic: the client's message already says what to do. */
export function apiDiagnostic(summary: string, thrown: unknown): Diagnostic {
  if (thrown instanceof ApiError) return error(summary, thrown.message);
  throw thrown;
}
