import type { MessageOf } from './proto';
import type { PathStep } from './values';

/** What a user sees: a one-sentence summary, a detail that says what to do, and where. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  path?: PathStep[];
}

export function toProtoDiagnostic(d: Diagnostic): MessageOf<'Diagnostic'> {
  return {
    severity: d.severity === 'error' ? 1 : 2,
    summary: d.summary,
    detail: d.detail ?? '',
    ...(d.path ? { attribute: toProtoPath(d.path) } : {}),
  };
}

export function toProtoPath(path: PathStep[]): MessageOf<'AttributePath'> {
  return {
    steps: path.map((step) => (typeof step === 'number' ? { element_key_int: step } : { attribute_name: step })),
  };
}
