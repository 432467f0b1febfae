import type { Migration } from '../../../generated/types';
import { ApiError } from '../../api/errors';
import { WaitError } from '../../api/wait';
import { hasReached, isActive } from '../../vocabulary/status';
import type { PathStep } from '../../tfplugin/wire/values';
import { DEFAULT_WAIT, type MigrationPrivate, type MigrationState } from './state';

/**
 * What dodb_online_migration decides from what it read: start, adopt, refuse, follow, drop, stop or
 * cut over. The handlers (index.ts, plan.ts, cutover.ts, wait.ts) make the requests and word the
 * outcome; the decisions are these pure functions, each tested alone (`make mutation MODULES=lifecycle`).
 */

type Status = Migration['status'] | null;

/** Whether this resource has cut its migration over: the record, whatever the API shows since. */
export const isCutOver = (state: Pick<MigrationState, 'cutover_at'>): boolean => state.cutover_at !== null;

/** An update or create that must cut over: `cutover = true` planned on a migration with no record yet. */
export const cutoverDue = (prior: MigrationState | null, planned: Pick<MigrationState, 'cutover'>): boolean =>
  planned.cutover === true && (prior === null || !isCutOver(prior));

/**
 * A refresh that finds no migration on the cluster. `kept`: the state stays as it is (after a
 * cutover the API may show the migration no more, and the record is what counts); `not_shown`:
 * kept, with a warning; `not_found_here`: the cluster looks gone, but to another endpoint or token
 * than the one that started the migration, which may just not see it: kept, with a warning;
 * `drop`: the cluster is gone, as its own origin says, so the object leaves the state.
 */
export type Unseen = 'kept' | 'not_shown' | 'not_found_here' | 'drop';

export function whenNoneShown(state: MigrationState, clusterExists: boolean, sameOrigin: boolean): Unseen {
  if (clusterExists) return isCutOver(state) ? 'kept' : 'not_shown';
  return sameOrigin ? 'drop' : 'not_found_here';
}

/**
 * A refresh that finds the cluster's most recent migration. Another one than the state's: it was
 * superseded outside Terraform, and the state stays so that no apply starts over it. The same one:
 * followed; `warnEnded` when it ended without this resource's cutover (dodb never restarts one),
 * `waitOver` when no later apply has to wait for it again.
 */
export type Seen = { superseded: true } | { superseded: false; warnEnded: boolean; waitOver: boolean };

export function whenShown(state: MigrationState, latest: Pick<Migration, 'id' | 'status'>): Seen {
  if (latest.id !== state.id) return { superseded: true };
  const active = isActive(latest.status);
  const target = state.wait_for ?? DEFAULT_WAIT;
  return {
    superseded: false,
    warnEnded: !active && !isCutOver(state),
    waitOver: !active || target === 'none' || hasReached(latest.status, target),
  };
}

/**
 * What an in-place update does: the cutover when `cutover` turns true; the wait again when the
 * one after the start failed on a healthy migration (`resumeWait`); otherwise only the state changes.
 */
export type UpdateAction = 'cutover' | 'wait_again' | 'in_place';

export function updateAction(
  prior: MigrationState,
  planned: Pick<MigrationState, 'cutover'>,
  priv: MigrationPrivate | null,
): UpdateAction {
  if (cutoverDue(prior, planned)) return 'cutover';
  return priv?.resumeWait === true && prior.id !== null ? 'wait_again' : 'in_place';
}

/**
 * Whether a destroy asks the API to stop the migration: not one cut over (that would count as
 * stopped here), not one the state already knows ended. A null status (not seen yet) is asked about:
 * the client stops only what the cluster shows running now.
 */
export const stopsOnDelete = (prior: MigrationState): boolean =>
  prior.id !== null && !isCutOver(prior) && (prior.status === null || isActive(prior.status));

/** The arguments the API cannot read back: after an import or a move they come from the configuration. */
const UNOBSERVED: ReadonlySet<PathStep> = new Set(['source', 'disable_ssl', 'ignore_dbs']);

/**
 * Whether a declared replacement stands: after an import or a move (`adopt`) the arguments never
 * observed are adopted from the configuration in place, not a new migration.
 */
export const replacementStands = (path: PathStep[], priv: MigrationPrivate | null): boolean =>
  !(priv?.adopt === true && UNOBSERVED.has(path[0]!));

/**
 * Whether the plan of an untainted object promises the wait again: its wait failed (`resumeWait`)
 * while the migration was healthy and short of the target, and nothing replaces it.
 */
export const resumesWait = (
  prior: MigrationState,
  priv: MigrationPrivate | null,
  target: NonNullable<MigrationState['wait_for']>,
  replacing: boolean,
): boolean =>
  priv?.resumeWait === true &&
  !replacing &&
  target !== 'none' &&
  isActive(prior.status) &&
  !hasReached(prior.status, target);

/** A replacement stops the prior migration first: stopping a syncing one is its cutover, which the plan says. */
export const replacementCutsOver = (prior: Pick<MigrationState, 'status'>, replacing: boolean): boolean =>
  replacing && prior.status === 'syncing';

/**
 * What a plan refuses after this resource's cutover: `undo`, turning `cutover` back to false (it
 * cannot be undone); `replace`, a new migration over the cut-over cluster unless allowed.
 */
export function refusalsAfterCutover(
  wanted: boolean | null | undefined,
  replacing: boolean,
  allowOverwrite: boolean,
): Array<'undo' | 'replace'> {
  const refusals: Array<'undo' | 'replace'> = [];
  if (wanted === false) refusals.push('undo');
  if (replacing && !allowOverwrite) refusals.push('replace');
  return refusals;
}

/** A migration that ended outside Terraform before the cutover: only the record is missing, nothing is sent. */
export const endedBeforeCutover = (status: Status): boolean => status === 'done' || status === 'canceled';

/**
 * The end a failed wait shows: the status it ended with other than the one waited for (`canceled`,
 * `error`), or null for a migration the API no longer shows (404); undefined when it shows no end.
 */
export function endOf(thrown: unknown, id: string): Status | undefined {
  if (thrown instanceof ApiError && thrown.code === 'not_found') return null;
  const failed = thrown instanceof WaitError && thrown.reason === 'failed' && thrown.migration?.id === id;
  return failed ? thrown.migration!.status : undefined;
}

/**
 * The wait for `syncing` before a cutover failed: `record` when the migration ended any way but a
 * failure (it was stopped outside Terraform: that is the cutover), else `not_now` (nothing stopped).
 */
export function beforeStopFailed(thrown: unknown, id: string): { record: Status } | 'not_now' {
  const ended = endOf(thrown, id);
  return ended !== undefined && ended !== 'error' ? { record: ended } : 'not_now';
}

/** The status a failed wait last saw of this migration, else what was known before. */
export const lastSeen = (thrown: unknown, id: string, known: Status): Status =>
  thrown instanceof WaitError && thrown.migration?.id === id ? thrown.migration.status : known;

/**
 * After a wait that failed past the start: a healthy migration (still running or syncing) is waited
 * for again by the next apply of the untainted object (`resume`); Ctrl-C on a healthy one is an
 * interruption, not a failure.
 */
export function afterWaitFailed(thrown: unknown, id: string, known: Status) {
  const last = lastSeen(thrown, id, known);
  const healthy = isActive(last);
  return { last, healthy, interrupted: healthy && thrown instanceof WaitError && thrown.reason === 'canceled' };
}
