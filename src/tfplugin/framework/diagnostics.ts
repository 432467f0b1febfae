import type { PathStep } from '../wire/values';

/** What a user sees: a one-sentence summary, a detail that says what to do, and where. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  path?: PathStep[];
}

export const error = (summary: string, detail?: string, path?: PathStep[]): Diagnostic => ({ severity: 'error', summary, detail, path });
export const warning = (summary: string, detail?: string, path?: PathStep[]): Diagnostic => ({ severity: 'warning', summary, detail, path });

export const hasErrors = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.severity === 'error');

/** `source[0].host` */
export function formatPath(path: PathStep[]): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}
