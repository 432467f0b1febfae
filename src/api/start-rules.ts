import type { Migration } from '../../generated/types';
import { StartRefusedError } from './errors';
import { isActive } from '../vocabulary/status';

/**
 * The look-before-start rule, for the apply and the plan alike: no start while the cluster's most
 * recent migration is running or syncing, nor after one that is done (a cutover) unless
 * `afterCutover`. `stopping`: a migration this run stops first (a replacement), which counts as
 * neither.
 */
export function startRefusal(
  clusterId: string,
  latest: Migration | undefined,
  options: { afterCutover?: boolean; stopping?: (id: string) => boolean },
): StartRefusedError | undefined {
  if (!latest || options.stopping?.(latest.id)) return undefined;
  if (isActive(latest.status)) return new StartRefusedError('active', clusterId, latest);
  if (latest.status === 'done' && !options.afterCutover) return new StartRefusedError('cutover', clusterId, latest);
  return undefined;
}
