/**
 * The statuses of a migration and what they mean, from the API's contract alone
 * (schema/api/migration-status.schema.json): shared by the client, the simulator, the provider and
 * the CLI, and depending on none of them.
 */
import type { MigrationStatus } from '../../generated/types';
import { closedSet } from './closed-set';

/**
 * Every status the API reports, in the order a migration can move through them. Keyed by the
 * generated type, so a status the schema adds or drops does not compile here until it is placed.
 */
const STATUSES: Record<MigrationStatus, true> = {
  running: true,
  syncing: true,
  canceled: true,
  error: true,
  done: true,
};

export const { values: MIGRATION_STATUSES, has: isMigrationStatus } = closedSet(STATUSES);

/** Running or syncing: the migration still replicates, and stopping it is possible. */
export const isActive = (status: unknown): status is 'running' | 'syncing' =>
  status === 'running' || status === 'syncing';

/** What a wait can wait for: a status on the way to the end, not a failure. */
export type WaitTarget = Exclude<MigrationStatus, 'canceled' | 'error'>;

/** Which statuses count as having reached a target: a migration only moves forward. */
export const REACHED: Record<WaitTarget, readonly MigrationStatus[]> = {
  running: ['running', 'syncing', 'done'],
  syncing: ['syncing', 'done'],
  done: ['done'],
};

export const hasReached = (status: unknown, target: WaitTarget): boolean =>
  REACHED[target].includes(status as MigrationStatus);
