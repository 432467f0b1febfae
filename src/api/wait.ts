import { setTimeout } from 'node:timers/promises';
import type { Migration } from '../../generated/types';
import type { DoClient } from './client';
import { DodbError } from '../errors';
import { type ApiError, isTransient } from './errors';
import { type WaitTarget, hasReached } from '../vocabulary/status';

export type WaitReason = 'timeout' | 'failed' | 'canceled' | 'superseded';

/** A wait that ended short of its target; `migration` is the last one it saw (the superseding one for `superseded`). */
export class WaitError extends DodbError<`wait_${WaitReason}`> {
  constructor(
    readonly reason: WaitReason,
    message: string,
    readonly migration?: Migration,
    cause?: unknown,
  ) {
    super(`wait_${reason}`, message, cause);
  }
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** First poll interval; it grows by half each poll up to pollMaxMs. */
  pollMinMs?: number;
  pollMaxMs?: number;
  /** The awaited migration's `created_at`, when known: a migration created before it never supersedes it. */
  createdAt?: string | null;
  onStatus?: (migration: Migration) => void;
  /** A poll failed in a way that may pass (outage, 5xx, 429): the wait goes on. */
  onUnreachable?: (error: ApiError) => void;
}

/**
 * Whether `latest`, read while following `ours`, may be a migration that replaced it. Not when a
 * read can show it only by being stale: the migration that was the cluster's latest before ours
 * was started (`baselineId`), a canceled one, or one created before ours (when both say when).
 */
export function mayHaveSuperseded(
  latest: Migration,
  ours: { id: string; created_at?: string | null },
  baselineId: string | null = null,
): boolean {
  if (latest.id === ours.id || latest.id === baselineId || latest.status === 'canceled') return false;
  const [theirs, mine] = [Date.parse(latest.created_at ?? ''), Date.parse(ours.created_at ?? '')];
  return !(theirs < mine);
}

/**
 * Poll the cluster's latest migration until `migrationId` reaches `target`, fails, or time runs
 * out. API outages and rate limits only slow the polls down: within the timeout they never end
 * the wait. No single read ends it either: another migration counts as superseding this one only
 * when it may (`mayHaveSuperseded`) and a second read in a row shows it too.
 */
export async function waitForStatus(
  client: DoClient,
  clusterId: string,
  migrationId: string,
  target: WaitTarget,
  options: WaitOptions,
): Promise<Migration> {
  const deadline = Date.now() + options.timeoutMs;
  const timeout = AbortSignal.timeout(Math.max(1, options.timeoutMs));
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const ours = { id: migrationId, created_at: options.createdAt };
  let interval = options.pollMinMs ?? 1000;
  let last: Migration | undefined;
  let other: Migration | undefined;
  try {
    for (;;) {
      const migration = await client.getMigration(clusterId, { signal, deadline }).catch((error: unknown) => {
        if (!isTransient(error) || signal.aborted) throw error;
        options.onUnreachable?.(error);
        return undefined;
      });
      if (migration?.id === migrationId) {
        other = undefined;
        if (last?.status !== migration.status) options.onStatus?.(migration);
        last = migration;
        if (hasReached(migration.status, target)) return migration;
        if (migration.status === 'error' || migration.status === 'canceled') {
          const message = `migration ${migrationId} ended with status "${migration.status}" before reaching "${target}"`;
          throw new WaitError('failed', message, migration);
        }
      } else if (migration) {
        // A read that failed (undefined) breaks no row; one that shows ours or a stale migration does.
        const candidate = mayHaveSuperseded(migration, ours) ? migration : undefined;
        if (candidate && other?.id === candidate.id) {
          const message = `migration ${migrationId} was superseded by migration ${candidate.id} on cluster ${clusterId}`;
          throw new WaitError('superseded', message, candidate);
        }
        other = candidate;
      }
      await setTimeout(Math.min(interval, Math.max(0, deadline - Date.now())), undefined, { signal });
      interval = Math.min(interval * 1.5, options.pollMaxMs ?? 10_000);
    }
  } catch (error) {
    if (error instanceof WaitError) throw error;
    const lastStatus = `last status "${last?.status ?? 'unknown'}"`;
    if (options.signal?.aborted)
      throw new WaitError('canceled', `stopped waiting for migration ${migrationId} (${lastStatus})`, last, error);
    if (timeout.aborted) {
      const within = `within ${Math.round(options.timeoutMs / 1000)}s`;
      throw new WaitError(
        'timeout',
        `migration ${migrationId} did not reach "${target}" ${within} (${lastStatus})`,
        last,
        error,
      );
    }
    throw error;
  }
}
