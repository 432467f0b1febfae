import { stoppedByThisProcess } from '../../api/client';
import { ApiError } from '../../api/errors';
import { startRefusal } from '../../api/start-rules';
import { canMigrate } from '../../vocabulary/engines';
import { isActive } from '../../vocabulary/status';
import type { OnlineMigrationState } from '../../../generated/types';
import { type Diagnostic, DiagnosticError } from '../../tfplugin/framework/diagnostics';
import type { Context, PlanRequest, PlanResponse, Planned } from '../../tfplugin/framework/provider';
import { UNKNOWN, known } from '../../tfplugin/wire/values';
import { type ProviderData, clientOf } from '../config';
import { replacementCutsOver, replacementStands, resumesWait } from './lifecycle';
import * as message from './messages';
import { DEFAULT_WAIT, type MigrationPrivate } from './state';

/**
 * How long a plan may ask the API about one planned start (both requests, retries included), ms.
 * A few seconds: a plan is read by a person waiting for it, and past this bound the plan goes on
 * with a warning while the apply keeps its own look before the start.
 */
export const PLAN_CHECK_MS = 5000;

/**
 * The migrations in the state this provider process serves (Terraform hands it each object before
 * planning). A replacement is planned in two halves, and the start half (no prior) sees the cluster
 * still running the migration that the apply stops first: that one is no refusal. For a tainted
 * object Terraform plans only the start half, so this is all that tells.
 */
const inState = new Set<string>();

export const noteInState = (id: string | null) => {
  if (id) inState.add(id);
};

type MigrationPlan = PlanResponse<OnlineMigrationState, MigrationPrivate>;

/**
 * The declared plan, adjusted where the rules depend on the prior state: after an import or a
 * move the unobserved arguments are adopted from the configuration; an untainted migration whose
 * wait failed is waited for again. A start (a new object, or a replacement's new half) is checked
 * against the cluster as the apply would check it; a replacement that stops a syncing migration
 * says that it cuts it over.
 */
export async function planMigration(
  request: PlanRequest<OnlineMigrationState, MigrationPrivate>,
  ctx: Context<ProviderData>,
): Promise<MigrationPlan> {
  const { prior, planned, requiresReplace, private: priv } = request;
  if (!prior) return { planned, requiresReplace, diagnostics: await startChecks(planned, ctx) };
  const replace = requiresReplace.filter((path) => replacementStands(path, priv));
  const replacing = replace.length > 0;
  const resume = resumesWait(prior, priv, known(planned.wait_for) ?? DEFAULT_WAIT, replacing);
  // Terraform shows only the errors of a replacement's second half: its warning is given here.
  const cutover = replacementCutsOver(prior, replacing);
  return {
    planned: resume ? { ...planned, status: UNKNOWN } : planned,
    requiresReplace: replace,
    diagnostics: cutover ? [message.cutoverByReplacement(prior.cluster_id, prior.id)] : [],
  };
}

/**
 * The apply's look before a start, made at plan: the cluster exists, its engine can migrate, and
 * its most recent migration allows a start. Two requests at most; whatever keeps the plan from
 * asking (an argument known only at apply, the API out of reach within PLAN_CHECK_MS) is a
 * warning, never a refusal.
 */
async function startChecks(planned: Planned<OnlineMigrationState>, ctx: Context<ProviderData>): Promise<Diagnostic[]> {
  const clusterId = known(planned.cluster_id);
  if (clusterId === undefined)
    return [
      message.notCheckedAtPlan('`cluster_id` is known only at apply, so this plan could not look at its cluster.'),
    ];
  let client;
  try {
    client = clientOf(ctx);
  } catch (thrown) {
    if (!(thrown instanceof DiagnosticError)) throw thrown;
    const { summary, detail } = thrown.diagnostic;
    return [message.notCheckedAtPlan(`${summary}: ${detail}`)];
  }
  const timeout = AbortSignal.timeout(PLAN_CHECK_MS);
  const options = { signal: AbortSignal.any([ctx.signal, timeout]), deadline: Date.now() + PLAN_CHECK_MS };
  try {
    const cluster = await client.getCluster(clusterId, options);
    if (!canMigrate(cluster.engine)) return [message.cannotMigrate(cluster)];
    const latest = await client.findMigration(clusterId, options);
    // The migration a replacement stops before its start: still running or syncing in the state at plan (see
    // inState; a done one is not stopped), or already stopped when the apply plans the start again after the stop.
    const replaced =
      latest !== undefined && (stoppedByThisProcess(latest.id) || (isActive(latest.status) && inState.has(latest.id)));
    if (replaced) return latest.status === 'syncing' ? [message.cutoverByReplacement(clusterId, latest.id)] : [];
    const afterCutover = known(planned.allow_overwrite_after_cutover);
    if (latest?.status === 'done' && afterCutover === undefined) {
      const why = 'is known only at apply, so this plan cannot tell whether the apply may start over it';
      return [
        message.notCheckedAtPlan(`Cluster ${clusterId} was cut over, and \`allow_overwrite_after_cutover\` ${why}.`),
      ];
    }
    const refusal = startRefusal(clusterId, latest, { afterCutover: afterCutover === true });
    if (refusal) return [message.startFailed(refusal, clusterId)];
    return latest?.status === 'done' ? [message.overwriteAfterCutover(clusterId, latest)] : [];
  } catch (thrown) {
    if (!(thrown instanceof ApiError)) throw thrown;
    if (thrown.code === 'not_found') return [message.clusterNotFound(clusterId)];
    const reason = timeout.aborted
      ? `The API did not answer about cluster ${clusterId} within ${PLAN_CHECK_MS / 1000} s.`
      : `The API could not be asked about cluster ${clusterId}: ${thrown.message}.`;
    return [message.notCheckedAtPlan(reason)];
  }
}
