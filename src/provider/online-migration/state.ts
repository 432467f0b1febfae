import type { WaitTarget } from '../../vocabulary/status';
import type { OnlineMigrationState } from '../../../generated/types';
import { parseDuration } from '../../vocabulary/duration';
import type { ApplyResult, State, UpgradeRequest } from '../../tfplugin/framework/provider';
import { resourceSchema } from '../schema';

export type MigrationState = State<OnlineMigrationState>;
export type MigrationResult = ApplyResult<OnlineMigrationState, MigrationPrivate>;

/**
 * What this provider keeps beside a migration in state. `adopt`: imported or moved, so the
 * arguments the API cannot show (the source, disable_ssl, ignore_dbs) were never observed and
 * the next plan takes them from the configuration, in place. `resumeWait`: the wait after the
 * start failed while the migration was healthy; an apply of the untainted object waits again.
 */
export interface MigrationPrivate {
  adopt?: true;
  resumeWait?: true;
  /**
   * The endpoint and token that started or imported the migration, as DoClient.origin (a hash,
   * never the token): only they may say that its cluster is gone.
   */
  origin?: string;
}

/** Private state of this shape only: each key one of MigrationPrivate's, the flags `true`, the origin a string. */
export const isMigrationPrivate = (value: object): value is MigrationPrivate =>
  Object.entries(value).every(([key, held]) =>
    key === 'origin' ? typeof held === 'string' : (key === 'adopt' || key === 'resumeWait') && held === true,
  );

export const migrationSchema = resourceSchema('dodb_online_migration');

/**
 * A stored state in the current shape. Schema version 0 is this resource's only one so far. Its
 * state is read as it is, except that `cutover`, which 0.1.0 did not have, is absent from a state
 * that release wrote: that migration was never cut over through dodb, so it reads as false (as null
 * it would plan a change of every such migration to the default). A new schema version adds here
 * the step from the one before, keyed by the stored version, so that no state is read wrongly.
 */
export function upgradeMigrationState({ version, state }: UpgradeRequest): { state: Record<string, unknown> } {
  if (version !== migrationSchema.schema.version)
    throw new Error(`no upgrade of dodb_online_migration state from schema version ${version}`);
  return { state: 'cutover' in state ? state : { ...state, cutover: false } };
}

/** `wait_for` when unset: the schema's default, planned for every configured migration (not for an imported one). */
export const DEFAULT_WAIT = migrationSchema.rules.wait_for!.default as WaitTarget;

/** Node's timers hold at most 2^31-1 ms (about 24 days). */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * A timeout in ms: the configured one (validation has bounded it), else the schema's fallback. The
 * clamp only guards a state edited by hand, so that no timer can throw after a start.
 */
export function durationOf(state: MigrationState, which: 'create' | 'update' | 'delete'): number {
  const fallback = String(migrationSchema.rules[`timeouts.${which}`]!.fallback);
  const ms = parseDuration(state.timeouts?.[which] ?? fallback) ?? parseDuration(fallback)!;
  return Math.min(LONGEST_TIMER_MS, ms);
}

/** A migration this configuration did not start: what the API shows, and nothing it cannot show. */
export function adopted(
  clusterId: string,
  migration: Pick<MigrationState, 'id' | 'status'> & { created_at?: string | null },
  waitFor: MigrationState['wait_for'],
): MigrationState {
  return {
    id: migration.id,
    status: migration.status,
    // The API's model does not promise it: unknown is null in the state.
    created_at: migration.created_at ?? null,
    cluster_id: clusterId,
    source: [],
    disable_ssl: null,
    ignore_dbs: null,
    wait_for: waitFor,
    allow_overwrite_after_cutover: null,
    cutover: null,
    cutover_at: null,
    timeouts: null,
  };
}

/** `result` with the origin kept beside whatever private state it sets. */
export function withOrigin(result: MigrationResult, origin: string | undefined): MigrationResult {
  if (!origin) return result;
  return { ...result, private: { ...result.private, origin } };
}

/** The private state without `resumeWait`, or undefined (keep it as it is) when it has none. */
export function withoutResume(priv: MigrationPrivate | null): MigrationPrivate | undefined {
  if (!priv?.resumeWait) return undefined;
  const { resumeWait: _, ...rest } = priv;
  return rest;
}
