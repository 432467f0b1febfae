import type { Diagnostic } from '../wire/diagnostics';
import type { PathStep } from '../wire/values';

export type { Diagnostic } from '../wire/diagnostics';

export const error = (summary: string, detail?: string, path?: PathStep[]): Diagnostic => ({
  severity: 'error',
  summary,
  detail,
  path,
});
export const warning = (summary: string, detail?: string, path?: PathStep[]): Diagnostic => ({
  severity: 'warning',
  summary,
  detail,
  path,
});

export const hasErrors = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.severity === 'error');

/** `source[0].host` */
export function formatPath(path: PathStep[]): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

/**
 * Thrown by provider code that cannot go on (no configured client, say): the framework reports the
 * diagnostic and keeps the state as it was, as for any failed operation.
 */
export class DiagnosticError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.summary);
    this.name = 'DiagnosticError';
  }
}
