import type { MigrationStatus } from '../../generated/types';

/** Every status the API reports, in the order a migration can move through them. */
export const MIGRATION_STATUSES: readonly MigrationStatus[] = ['running', 'syncing', 'canceled', 'error', 'done'];

export const isMigrationStatus = (value: unknown): value is MigrationStatus =>
  MIGRATION_STATUSES.includes(value as MigrationStatus);

/** Running or syncing: the migration still replicates, and stopping it is possible. */
export const isActive = (status: unknown): status is 'running' | 'syncing' =>
  status === 'running' || status === 'syncing';

export type WaitTarget = 'running' | 'syncing' | 'done';

/** Which statuses count as having reached a target: a migration only moves forward. */
export const REACHED: Record<WaitTarget, readonly MigrationStatus[]> = {
  running: ['running', 'syncing', 'done'],
  syncing: ['syncing', 'done'],
  done: ['done'],
};

export const hasReached = (status: unknown, target: WaitTarget): boolean =>
  REACHED[target].includes(status as MigrationStatus);
