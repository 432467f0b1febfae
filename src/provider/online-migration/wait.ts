import type { DoClient } from '../../api/client';
import { waitForStatus } from '../../api/wait';
import type { Context } from '../../tfplugin/framework/provider';
import type { ProviderData } from '../config';
import { afterWaitFailed } from './lifecycle';
import { interrupted, waitFailed } from './messages';
import { DEFAULT_WAIT, LONGEST_TIMER_MS, type MigrationResult, type MigrationState } from './state';

/**
 * Poll until the migration reaches `wait_for`. Never throws: whatever goes wrong, the started
 * migration is returned with the diagnostic, so Terraform keeps it (tainted after a create).
 */
export async function waitUntil(
  client: DoClient,
  state: MigrationState,
  id: string,
  deadline: number,
  ctx: Context<ProviderData>,
): Promise<MigrationResult> {
  const target = state.wait_for ?? DEFAULT_WAIT;
  if (target === 'none') return { state, private: null };
  try {
    const reached = await waitForStatus(client, state.cluster_id, id, target, {
      timeoutMs: Math.min(LONGEST_TIMER_MS, Math.max(0, deadline - Date.now())),
      signal: ctx.signal,
      createdAt: state.created_at,
      onStatus: (m) => ctx.log.log('info', 'online migration status', { migration_id: m.id, status: m.status }),
      onUnreachable: (e) =>
        ctx.log.log('warn', 'API unreachable while waiting; still waiting', {
          migration_id: id,
          error: e.code,
          status: e.status,
        }),
    });
    return { state: { ...state, status: reached.status }, private: null };
  } catch (thrown) {
    const { last, healthy, interrupted: canceled } = afterWaitFailed(thrown, id, state.status);
    const resume = healthy ? { resumeWait: true as const } : null;
    // Ctrl-C stops the waiting, not the migration: it stays in state as it is, and the next apply waits again.
    const diagnostic = canceled ? interrupted(id, target) : waitFailed(thrown, target, id, healthy);
    return { state: { ...state, status: last }, diagnostics: [diagnostic], private: resume };
  }
}
