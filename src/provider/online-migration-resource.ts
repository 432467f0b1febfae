import { DoClient } from '../api/client';
import { ApiError, StartRefusedError } from '../api/errors';
import { type WaitTarget, hasReached, isActive } from '../api/status';
import { WaitError, waitForStatus } from '../api/wait';
import planRules from '../../generated/plan-rules.json';
import type { Migration, StartMigrationRequest } from '../../generated/types';
import { type Diagnostic, error, warning } from '../tfplugin/framework/diagnostics';
import { parseDuration } from '../tfplugin/framework/duration';
import { isUuid } from '../tfplugin/framework/formats';
import type { ApplyResult, Context, MoveRequest, PlanRequest, PlanResponse, PrivateState, ResourceType } from '../tfplugin/framework/provider';
import { type ObjectValue, type PathStep, UNKNOWN, asObject, knownString } from '../tfplugin/wire/values';
import { apiDiagnostic } from './api-diagnostics';
import { type ProviderData, clientOf } from './config';

const OFFICIAL_PROVIDER = 'registry.terraform.io/digitalocean/digitalocean';
const OFFICIAL_TYPE = 'digitalocean_database_online_migration';
/** Node's timers hold at most 2^31-1 ms (about 24 days). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * What this provider keeps beside a migration in state. `adopt`: imported or moved, so the
 * arguments the API cannot show (the source, disable_ssl, ignore_dbs) were never observed and
 * the next plan takes them from the configuration, in place. `resumeWait`: the wait after the
 * start failed while the migration was healthy; an apply of the untainted object waits again.
 */
interface MigrationPrivate {
  adopt?: true;
  resumeWait?: true;
}

/** The arguments the API cannot read back: after an import or a move they come from the configuration. */
const UNOBSERVED = new Set(['source', 'disable_ssl', 'ignore_dbs']);

/**
 * `dodb_online_migration`: create looks at the cluster, starts the migration (one PUT) and waits
 * for `wait_for`; read follows its status and never restarts it; delete stops it while it runs.
 */
export const onlineMigrationResource: ResourceType<ProviderData> = {
  modifyPlan: planMigration,

  async create(planned, config, ctx) {
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return { state: null, diagnostics: [client] };
    const clusterId = planned.cluster_id as string;
    const deadline = Date.now() + durationOf(planned, 'create');
    let migration: Migration;
    try {
      const started = await client.startMigration(clusterId, startRequest(planned, config), {
        signal: ctx.signal,
        deadline,
        afterCutover: planned.allow_overwrite_after_cutover === true,
      });
      migration = started.migration;
      ctx.log.log('info', 'started online migration', { cluster_id: clusterId, migration_id: migration.id, adopted: started.adopted });
    } catch (thrown) {
      return { state: null, diagnostics: [startDiagnostic(thrown, clusterId)] };
    }
    const state = { ...planned, id: migration.id, status: migration.status, created_at: migration.created_at };
    return waitUntil(client, state, deadline, ctx);
  },

  async read(state, ctx, priv) {
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return { state, diagnostics: [client] };
    const clusterId = state.cluster_id as string;
    const id = state.id as string;
    try {
      const latest = await client.findMigration(clusterId, { signal: ctx.signal });
      if (!latest) {
        if (await client.clusterExists(clusterId, { signal: ctx.signal })) {
          return { state, diagnostics: [warning('Online migration not shown by the API', `The API shows no online migration on cluster ${clusterId}, which exists, so migration ${id} stays in the state and nothing is started or stopped. Check api_endpoint (or DIGITALOCEAN_API_URL); if the migration is really gone, remove it with \`terraform state rm\`.`)] };
        }
        return { state: null, diagnostics: [warning('Database cluster not found', `Cluster ${clusterId} no longer exists, so online migration ${id} was removed from the state.`)] };
      }
      if (latest.id !== id) {
        return {
          state,
          private: withoutResume(priv),
          diagnostics: [warning('Online migration superseded', `Cluster ${clusterId} now reports migration ${latest.id} ("${latest.status}"), started outside Terraform, instead of ${id}. Migration ${id} stays in the state so that no apply starts a migration over the other one. To manage ${latest.id} instead, run \`terraform state rm\` and \`terraform import\` for this resource with ID ${clusterId}.`)],
        };
      }
      const refreshed = { ...state, status: latest.status, created_at: latest.created_at };
      const target = (knownString(state.wait_for) ?? 'syncing') as WaitTarget | 'none';
      if (isActive(latest.status)) return { state: refreshed, private: target === 'none' || hasReached(latest.status, target) ? withoutResume(priv) : undefined };
      return {
        state: refreshed,
        private: withoutResume(priv),
        diagnostics: [warning(`Online migration ${latest.status}`, `Migration ${id} on cluster ${clusterId} is "${latest.status}". dodb never restarts a migration by itself, since replicating the old source after a cutover would overwrite new data. To start a new one, run \`terraform apply -replace=<address>\`; to stop tracking it, \`terraform state rm <address>\`.`)],
      };
    } catch (thrown) {
      return { state, diagnostics: [apiDiagnostic('Could not read the online migration', thrown)] };
    }
  },

  async update(prior, planned, _config, ctx, priv) {
    const state = { ...planned, status: prior.status };
    if (!(priv as MigrationPrivate | null)?.resumeWait) return { state, private: null };
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return { state, diagnostics: [client] };
    ctx.log.log('info', 'waiting again for the online migration', { migration_id: prior.id });
    return waitUntil(client, state, Date.now() + durationOf(planned, 'create'), ctx);
  },

  async delete(prior, ctx) {
    const status = knownString(prior.status);
    if (status !== undefined && !isActive(status)) {
      ctx.log.log('info', 'online migration already ended: nothing to stop', { migration_id: prior.id, status });
      return [];
    }
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return [client];
    const timeoutMs = durationOf(prior, 'delete');
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      await client.stopMigration(prior.cluster_id as string, prior.id as string, { signal: AbortSignal.any([ctx.signal, timeout]), deadline: Date.now() + timeoutMs });
      return [];
    } catch (thrown) {
      return [apiDiagnostic('Could not stop the online migration', thrown)];
    }
  },

  async import(id, ctx) {
    if (!isUuid(id)) {
      return { state: null, diagnostics: [error('Invalid import ID', `Import a migration by its target cluster's UUID, such as 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30; got "${id}".`)] };
    }
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return { state: null, diagnostics: [client] };
    try {
      const migration = await client.getMigration(id, { signal: ctx.signal });
      return {
        state: {
          id: migration.id, cluster_id: id, status: migration.status, created_at: migration.created_at,
          source: [], disable_ssl: null, ignore_dbs: null, wait_for: null, allow_overwrite_after_cutover: null, timeouts: null,
        },
        private: { adopt: true } satisfies MigrationPrivate,
      };
    } catch (thrown) {
      if (thrown instanceof ApiError && thrown.code === 'not_found') {
        return { state: null, diagnostics: [error('Nothing to import', `Cluster ${id} does not exist or has never had an online migration.`)] };
      }
      return { state: null, diagnostics: [apiDiagnostic('Could not import the online migration', thrown)] };
    }
  },

  move: moveFromOfficialProvider,
};

/**
 * The declared plan, adjusted where the rules depend on the prior state: after an import or a
 * move the unobserved arguments are adopted from the configuration; a first `password_wo_version`
 * (switching from `password`) or its removal is no new password; an untainted migration whose
 * wait failed is waited for again.
 */
function planMigration({ prior, planned, requiresReplace, private: priv }: PlanRequest): PlanResponse {
  if (!prior) return { planned, requiresReplace };
  const state = priv as MigrationPrivate | null;
  const priorVersion = asObject((prior.source as ObjectValue[] | null)?.[0] ?? null)?.password_wo_version ?? null;
  const plannedVersion = asObject((planned.source as ObjectValue[] | null)?.[0] ?? null)?.password_wo_version ?? null;
  const replace = requiresReplace.filter((path) => {
    if (state?.adopt && UNOBSERVED.has(path[0] as string)) return false;
    return !(isVersionPath(path) && (priorVersion === null || plannedVersion === null));
  });
  const target = knownString(planned.wait_for) ?? 'syncing';
  const resume = state?.resumeWait && replace.length === 0 && target !== 'none' && isActive(prior.status) && !hasReached(prior.status, target as WaitTarget);
  return { planned: resume ? { ...planned, status: UNKNOWN } : planned, requiresReplace: replace };
}

const isVersionPath = (path: PathStep[]) => path[0] === 'source' && path[2] === 'password_wo_version';

function withoutResume(priv: PrivateState): PrivateState | undefined {
  const state = priv as MigrationPrivate | null;
  if (!state?.resumeWait) return undefined;
  const { resumeWait: _, ...rest } = state;
  return rest;
}

/**
 * Poll until the migration reaches `wait_for`. Never throws: whatever goes wrong, the started
 * migration is returned with the diagnostic, so Terraform keeps it (tainted after a create).
 */
async function waitUntil(client: DoClient, state: ObjectValue, deadline: number, ctx: Context<ProviderData>): Promise<ApplyResult> {
  const target = (knownString(state.wait_for) ?? 'syncing') as WaitTarget | 'none';
  if (target === 'none') return { state, private: null };
  try {
    const reached = await waitForStatus(client, state.cluster_id as string, state.id as string, target, {
      timeoutMs: Math.min(LONGEST_TIMER_MS, Math.max(0, deadline - Date.now())),
      signal: ctx.signal,
      onStatus: (m) => ctx.log.log('info', 'online migration status', { migration_id: m.id, status: m.status }),
      onUnreachable: (e) => ctx.log.log('warn', 'API unreachable while waiting; still waiting', { migration_id: state.id, error: e.code, status: e.status }),
    });
    return { state: { ...state, status: reached.status }, private: null };
  } catch (thrown) {
    const last = thrown instanceof WaitError && thrown.migration?.id === state.id ? thrown.migration.status : state.status;
    const healthy = isActive(last);
    const resume = healthy ? ({ resumeWait: true } satisfies MigrationPrivate) : null;
    if (healthy && thrown instanceof WaitError && thrown.code === 'canceled') {
      // Ctrl-C stops the waiting, not the migration: it stays in state as it is, and the next apply waits again.
      return { state: { ...state, status: last }, diagnostics: [interruptedWarning(state.id as string, target)], private: resume };
    }
    return { state: { ...state, status: last }, diagnostics: [waitDiagnostic(thrown, target, state.id as string, healthy)], private: resume };
  }
}

function interruptedWarning(id: string, target: string): Diagnostic {
  return warning('Stopped waiting for the online migration', `Terraform was interrupted while migration ${id} was on its way to "${target}". The migration goes on and is kept in the state; the next \`terraform apply\` waits for "${target}" again and starts nothing. \`terraform destroy\` stops it.`);
}

function waitDiagnostic(thrown: unknown, target: string, id: string, healthy: boolean): Diagnostic {
  const kept = healthy
    ? `Migration ${id} was started and is kept in the state, tainted. To keep this same migration, run \`terraform untaint <address>\`: the next apply then waits for "${target}" again and starts nothing. A plain \`terraform apply\` instead replaces it: it stops this migration and starts a new one. \`terraform destroy\` stops it.`
    : `Migration ${id} is kept in the state, tainted: the next apply replaces it with a new migration, and \`terraform destroy\` removes it.`;
  if (!(thrown instanceof WaitError)) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    return error(`Could not follow the online migration to "${target}"`, `${reason}\n\n${kept}`);
  }
  const summaries = {
    timeout: `Online migration did not reach "${target}" in time`,
    failed: `Online migration failed before reaching "${target}"`,
    canceled: 'Stopped waiting for the online migration',
    superseded: 'Online migration superseded while waiting',
  };
  const hint = thrown.code === 'timeout' ? ' Raise `timeouts.create` or set `wait_for = "running"` to return sooner.' : '';
  return error(summaries[thrown.code], `${thrown.message}.${hint}\n\n${kept}`);
}

function startDiagnostic(thrown: unknown, clusterId: string): Diagnostic {
  if (thrown instanceof StartRefusedError) {
    const detail = thrown.reason === 'active'
      ? `${capitalize(thrown.message)}. To manage it with this resource, import it: \`terraform import <address> ${clusterId}\` (or an \`import\` block). To start a new one instead, stop it first (\`dodb migration stop --cluster ${clusterId}\`).`
      : `${capitalize(thrown.message)}. Nothing was started. If replicating the source over the cluster again is what you want, set \`allow_overwrite_after_cutover = true\`.`;
    return error(thrown.reason === 'active' ? 'Cluster already has an online migration' : 'Cluster was cut over', detail, ['cluster_id']);
  }
  if (thrown instanceof ApiError && thrown.code === 'start_unknown') {
    return error('Could not tell whether the online migration started', `${thrown.message}\n\nIf \`dodb migration status --cluster ${clusterId}\` shows a new migration, adopt it with \`terraform import <address> ${clusterId}\`; a plain apply will not start a second one while it runs.`, ['cluster_id']);
  }
  return apiDiagnostic('Could not start the online migration', thrown);
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function startRequest(planned: ObjectValue, config: ObjectValue): StartMigrationRequest {
  const source = asObject((planned.source as ObjectValue[])[0])!;
  const configured = asObject((config.source as ObjectValue[] | null)?.[0] ?? null);
  const password = knownString(configured?.password_wo) ?? knownString(source.password);
  const ignore = planned.ignore_dbs as string[] | null;
  return {
    source: {
      host: source.host as string,
      port: source.port as number,
      ...(knownString(source.db_name) ? { dbname: source.db_name as string } : {}),
      ...(knownString(source.username) ? { username: source.username as string } : {}),
      ...(password ? { password } : {}),
    },
    disable_ssl: planned.disable_ssl === true,
    ...(ignore ? { ignore_dbs: ignore } : {}),
  };
}

/**
 * A timeout in ms: the configured one (validation has bounded it), else the schema's fallback. The
 * clamp only guards a state edited by hand, so that no timer can throw after a start.
 */
function durationOf(state: ObjectValue, which: 'create' | 'delete'): number {
  const fallback = planRules.resources.dodb_online_migration[`timeouts.${which}`].fallback;
  const ms = parseDuration(knownString(asObject(state.timeouts)?.[which]) ?? fallback) ?? parseDuration(fallback)!;
  return Math.min(LONGEST_TIMER_MS, ms);
}

/**
 * `moved {}` from the official provider's resource: same names, so a running migration changes
 * hands without an API call. Its state holds the source (password in clear) as it was configured,
 * not as the API shows it (it cannot): the move keeps none of it, and the next plan adopts the
 * configuration's in place.
 */
function moveFromOfficialProvider(request: MoveRequest): { state: Record<string, unknown> | null; diagnostics: Diagnostic[]; private?: PrivateState } {
  if (request.sourceProviderAddress !== OFFICIAL_PROVIDER || request.sourceTypeName !== OFFICIAL_TYPE) {
    return { state: null, diagnostics: [error('Unsupported move', `dodb_online_migration can be moved only from ${OFFICIAL_PROVIDER}'s ${OFFICIAL_TYPE}, not from ${request.sourceProviderAddress}'s ${request.sourceTypeName}.`)] };
  }
  const old = (request.sourceState ?? {}) as Record<string, unknown>;
  if (typeof old.cluster_id !== 'string' || typeof old.id !== 'string') {
    return { state: null, diagnostics: [error('Cannot move this migration', `The ${OFFICIAL_TYPE} state has no cluster_id (its import does not set one). Remove it from the state and import the migration with \`terraform import dodb_online_migration.<name> <cluster UUID>\` instead.`)] };
  }
  return {
    state: {
      id: old.id,
      cluster_id: old.cluster_id,
      status: old.status ?? null,
      created_at: old.created_at ?? null,
      source: [],
      disable_ssl: null,
      ignore_dbs: null,
      wait_for: 'syncing',
      allow_overwrite_after_cutover: null,
      timeouts: null,
    },
    diagnostics: [],
    private: { adopt: true } satisfies MigrationPrivate,
  };
}
