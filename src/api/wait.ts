import { setTimeout } from 'node:timers/promises';
import type { Migration } from '../../generated/types';
import type { DoClient } from './client';
import { type ApiError, isTransient } from './errors';
import { type WaitTarget, hasReached } from '../vocabulary/status';

export type WaitErrorCode = 'timeout' | 'failed' | 'canceled' | 'superseded';

export class WaitError extends Error {
  constructor(
    readonly code: WaitErrorCode,
    message: string,
    readonly migration?: Migration,
  ) {
    super(message);
    this.name = 'WaitError';
  }
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** First poll interval; it grows by half each poll up to pollMaxMs. */
  pollMinMs?: number;
  pollMaxMs?: number;
  onStatus?: (migration: Migration) => void;
  /** A poll failed in a way that may pass (outage, 5xx, 429): the wait goes on. */
  onUnreachable?: (error: ApiError) => void;
}

/**
 * Poll the cluster's latest migration until `migrationId` reaches `target`, fails, or time runs
 * out. API outages and rate limits only slow the polls down: within the timeout they never end
 * the wait.
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
  let interval = options.pollMinMs ?? 1000;
  let last: Migration | undefined;
  try {
    for (;;) {
      const migration = await client.getMigration(clusterId, { signal, deadline }).catch((error: unknown) => {
        if (!isTransient(error) || signal.aborted) throw error;
        options.onUnreachable?.(error);
        return undefined;
      });
      if (migration) {
        if (last?.status !== migration.status) options.onStatus?.(migration);
        last = migration;
        if (migration.id !== migrationId) {
          const message = `migration ${migrationId} was superseded by migration ${migration.id} on cluster ${clusterId}`;
          throw new WaitError('superseded', message, migration);
        }
        if (hasReached(migration.status, target)) return migration;
        if (migration.status === 'error' || migration.status === 'canceled') {
          const message = `migration ${migrationId} ended with status "${migration.status}" before reaching "${target}"`;
          throw new WaitError('failed', message, migration);
        }
      }
      await setTimeout(Math.min(interval, Math.max(0, deadline - Date.now())), undefined, { signal });
      interval = Math.min(interval * 1.5, options.pollMaxMs ?? 10_000);
    }
  } catch (error) {
    if (error instanceof WaitError) throw error;
    const lastStatus = `last status "${last?.status ?? 'unknown'}"`;
    if (options.signal?.aborted)
      throw new WaitError('canceled', `stopped waiting for migration ${migrationId} (${lastStatus})`, last);
    if (timeout.aborted) {
      const within = `within ${Math.round(options.timeoutMs / 1000)}s`;
      throw new WaitError(
        'timeout',
        `migration ${migrationId} did not reach "${target}" ${within} (${lastStatus})`,
        last,
      );
    }
    throw error;
  }
}
