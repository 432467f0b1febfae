import type { Migration, OnlineMigrationState } from '../../../generated/types';
import type { DoClient } from '../../api/client';
import { waitForStatus } from '../../api/wait';
import { type Diagnostic, hasErrors, warning } from '../../tfplugin/framework/diagnostics';
import type { Context, PlanRequest, PlanResponse } from '../../tfplugin/framework/provider';
import { UNKNOWN, known } from '../../tfplugin/wire/values';
import type { ProviderData } from '../config';
import * as message from './cutover-messages';
import { beforeStopFailed, endOf, endedBeforeCutover, isCutOver, lastSeen, refusalsAfterCutover } from './lifecycle';
import { type MigrationPrivate, type MigrationResult, type MigrationState, durationOf } from './state';

/**
 * `cutover = true`: the stop of a `syncing` migration as a reviewed, planned change. The record is
 * `cutover_at`, not the API's status word (a stopped migration may show `done`, `canceled` or a 404).
 */

type Plan = PlanResponse<OnlineMigrationState, MigrationPrivate>;

/**
 * The plan rules of `cutover`, applied after the others: after a cutover, `false` and a
 * replacement (unless `allow_overwrite_after_cutover`) are refused; flipping it to `true` plans
 * the new status and time as unknown, with a warning that says what will stop.
 */
export function planCutover(request: PlanRequest<OnlineMigrationState, MigrationPrivate>, plan: Plan): Plan {
  const { prior } = request;
  const wanted = known(plan.planned.cutover);
  const noRecord = { ...plan, planned: { ...plan.planned, cutover_at: null } };
  if (!prior) return wanted === false ? noRecord : plan;
  if (isCutOver(prior)) {
    const allowed = known(plan.planned.allow_overwrite_after_cutover) === true;
    const refusals = refusalsAfterCutover(wanted, plan.requiresReplace.length > 0, allowed).map((refusal) =>
      refusal === 'undo'
        ? message.cannotUndo(prior.cutover_at)
        : message.replaceAfterCutover(prior.cluster_id, prior.cutover_at, plan.requiresReplace[0]!),
    );
    // A status the API no longer shows (null) is planned as it is: nothing after the cutover changes it.
    const planned = { ...plan.planned, status: known(plan.planned.status) ?? prior.status };
    return { ...plan, planned, diagnostics: [...(plan.diagnostics ?? []), ...refusals] };
  }
  if (wanted === false) return noRecord;
  if (plan.requiresReplace.length > 0) return plan;
  const planned = { ...plan.planned, status: UNKNOWN, cutover_at: UNKNOWN };
  if (wanted === undefined) return { ...plan, planned };
  const detail = message.cutoverPlanned(prior.cluster_id, sourceOf(plan, prior), prior.id, prior.status);
  const planWarning = warning('Cutover planned', detail, ['cutover']);
  return { ...plan, planned, diagnostics: [...(plan.diagnostics ?? []), planWarning] };
}

/** `host:port` of the source as planned (after an import it comes from the configuration), else as stored. */
function sourceOf(plan: Plan, prior: MigrationState): string {
  const planned = known(known(plan.planned.source)?.[0] ?? null);
  const host = (planned && known(planned.host)) ?? prior.source[0]?.host;
  const port = (planned && known(planned.port)) ?? prior.source[0]?.port;
  return host ? `source host ${host}${port ? `:${port}` : ''}` : 'its source';
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The cutover at apply: wait until the migration is `syncing` (at most `timeouts.update`), stop it
 * (one DELETE, only after a GET in this operation saw it `syncing`), then wait until the API shows
 * it ended. Before the stop, any failure (a timeout, Ctrl-C, an API error) returns `unchanged`
 * with an error: nothing stopped, nothing recorded. Once the API has accepted the stop, the
 * cutover is recorded whatever the wait for its end sees. Never throws.
 */
export async function cutOver(
  client: DoClient,
  unchanged: MigrationState,
  planned: MigrationState,
  ctx: Context<ProviderData>,
  afterStart = false,
): Promise<MigrationResult> {
  const { cluster_id: clusterId } = planned;
  const id = unchanged.id!;
  const recorded = (status: Migration['status'] | null, diagnostics: Diagnostic[] = []): MigrationResult => ({
    state: { ...planned, status, cutover: true, cutover_at: now() },
    private: null,
    diagnostics,
  });
  const notNow = (diagnostic: Diagnostic): MigrationResult => ({ state: unchanged, diagnostics: [diagnostic] });
  const log = (m: Migration) =>
    ctx.log.log('info', 'online migration status', { migration_id: m.id, status: m.status });

  // Ended outside Terraform, as the refresh saw (a migration never becomes active again): only the record is missing.
  if (endedBeforeCutover(unchanged.status)) return recorded(unchanged.status);
  let seen: Migration;
  try {
    seen = await waitForStatus(client, clusterId, id, 'syncing', {
      timeoutMs: durationOf(planned, 'update'),
      signal: ctx.signal,
      onStatus: log,
      onUnreachable: (e) => ctx.log.log('warn', 'API unreachable before the cutover; still waiting', { error: e.code }),
    });
  } catch (thrown) {
    // Stopped outside Terraform (any end but a failure): the cutover happened; record it, send nothing.
    const seenEnd = beforeStopFailed(thrown, id);
    if (seenEnd === 'not_now') return notNow(message.notCutOver(thrown, id, afterStart));
    return recorded(seenEnd.record, [message.endedBeforeCutover(id, seenEnd.record)]);
  }
  if (seen.status !== 'syncing') return recorded(seen.status, [message.endedBeforeCutover(id, seen.status)]);

  const stopMs = durationOf(planned, 'delete');
  try {
    ctx.log.log('info', 'cutover: stopping the syncing online migration', { migration_id: id });
    await client.stopMigration(clusterId, id, {
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(stopMs)]),
      deadline: Date.now() + stopMs,
    });
  } catch (thrown) {
    return notNow(message.stopFailed(thrown, id));
  }
  try {
    const end = await waitForStatus(client, clusterId, id, 'done', {
      timeoutMs: stopMs,
      signal: ctx.signal,
      onStatus: log,
    });
    return recorded(end.status);
  } catch (thrown) {
    const ended = endOf(thrown, id);
    if (ended !== undefined) return recorded(ended);
    const last = lastSeen(thrown, id, 'syncing');
    const why = thrown instanceof Error ? thrown.message : String(thrown);
    return recorded(last, [message.endNotSeen(id, last, why)]);
  }
}

/** Create with `cutover = true`: after the start's own wait succeeded, the cutover, in the same apply. */
export async function cutOverAfterStart(
  client: DoClient,
  started: MigrationResult,
  ctx: Context<ProviderData>,
): Promise<MigrationResult> {
  if (!started.state || hasErrors(started.diagnostics ?? [])) return started;
  const waitedFor = { ...started.state, cutover_at: null };
  return cutOver(client, waitedFor, started.state, ctx, true);
}
