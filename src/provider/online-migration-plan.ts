import { hasReached, isActive } from '../vocabulary/status';
import type { OnlineMigrationState } from '../../generated/types';
import type { PlanRequest, PlanResponse } from '../tfplugin/framework/provider';
import { type PathStep, UNKNOWN, known } from '../tfplugin/wire/values';
import { DEFAULT_WAIT, type MigrationPrivate } from './online-migration-state';

/** The arguments the API cannot read back: after an import or a move they come from the configuration. */
const UNOBSERVED = new Set<PathStep>(['source', 'disable_ssl', 'ignore_dbs']);

const isVersionPath = (path: PathStep[]) => path[0] === 'source' && path[2] === 'password_wo_version';

/**
 * The declared plan, adjusted where the rules depend on the prior state: after an import or a
 * move the unobserved arguments are adopted from the configuration; a first `password_wo_version`
 * (switching from `password`) or its removal is no new password; an untainted migration whose
 * wait failed is waited for again.
 */
export function planMigration({
  prior,
  planned,
  requiresReplace,
  private: priv,
}: PlanRequest<OnlineMigrationState, MigrationPrivate>): PlanResponse<OnlineMigrationState, MigrationPrivate> {
  if (!prior) return { planned, requiresReplace };
  const priorVersion = prior.source[0]?.password_wo_version ?? null;
  const plannedVersion = known(known(planned.source)?.[0] ?? null)?.password_wo_version ?? null;
  const replace = requiresReplace.filter((path) => {
    if (priv?.adopt && UNOBSERVED.has(path[0]!)) return false;
    return !(isVersionPath(path) && (priorVersion === null || plannedVersion === null));
  });
  const target = known(planned.wait_for) ?? DEFAULT_WAIT;
  const resume =
    priv?.resumeWait &&
    replace.length === 0 &&
    target !== 'none' &&
    isActive(prior.status) &&
    !hasReached(prior.status, target);
  return { planned: resume ? { ...planned, status: UNKNOWN } : planned, requiresReplace: replace };
}
