import type { DoClient } from '../api/client';
import { ApiError, StartRefusedError } from '../api/errors';
import { type WaitTarget, hasReached, isActive, isMigrationStatus } from '../api/status';
import { WaitError, waitForStatus } from '../api/wait';
import type { Migration, OnlineMigrationState, StartMigrationRequest } from '../../generated/types';
import { type Diagnostic, error, warning } from '../tfplugin/framework/diagnostics';
import { parseDuration } from '../tfplugin/framework/duration';
import { isUuid } from '../tfplugin/framework/formats';
import {
  type ApplyResult,
  type Context,
  type MoveRequest,
  type PlanRequest,
  type PlanResponse,
  type State,
  defineResource,
} from '../tfplugin/framework/provider';
import { type PathStep, UNKNOWN, known } from '../tfplugin/wire/values';
import { apiDiagnostic } from './api-diagnostics';
import { type ProviderData, clientOf } from './config';
import { resourceSchema } from './schema';

const OFFICIAL_PROVIDER = 'registry.terraform.io/digitalocean/digitalocean';
const OFFICIAL_TYPE = 'digitalocean_database_online_migration';
/** Node's timers hold at most 2^31-1 ms (about 24 days). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

type MigrationState = State<OnlineMigrationState>;
type Result = ApplyResult<OnlineMigrationState, MigrationPrivate>;

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
const UNOBSERVED = new Set<PathStep>(['source', 'disable_ssl', 'ignore_dbs']);

const schema = resourceSchema('dodb_online_migration');
/** `wait_for` when unset: the schema's default, planned for every configured migration (not for an imported one). */
const DEFAULT_WAIT = schema.rules.wait_for!.default as WaitTarget;

/**
 * `dodb_online_migration`: create looks at the cluster, starts the migration (one PUT) and waits
 * for `wait_for`; read follows its status and never restarts it; delete stops it while it runs.
 */
export const onlineMigrationResource = defineResource<OnlineMigrationState, ProviderData, MigrationPrivate>({
  ...schema,
  modifyPlan: planMigration,

  async create({ planned, config }, ctx) {
    const client = clientOf(ctx);
    const clusterId = planned.cluster_id;
    const deadline = Date.now() + durationOf(planned, 'create');
    let migration: Migration;
    try {
      const started = await client.startMigration(clusterId, startRequest(planned, config), {
        signal: ctx.signal,
        deadline,
        afterCutover: planned.allow_overwrite_after_cutover === true,
      });
      migration = started.migration;
      ctx.log.log('info', 'started online migration', {
        cluster_id: clusterId,
        migration_id: migration.id,
        adopted: started.adopted,
      });
    } catch (thrown) {
      return { state: null, diagnostics: [startDiagnostic(thrown, clusterId)] };
    }
    const state = { ...planned, id: migration.id, status: migration.status, created_at: migration.created_at };
    return waitUntil(client, state, migration.id, deadline, ctx);
  },

  async read({ state, private: priv }, ctx) {
    const client = clientOf(ctx);
    const { cluster_id: clusterId, id } = state;
    try {
      const latest = await client.findMigration(clusterId, { signal: ctx.signal });
      if (!latest) {
        if (await client.clusterExists(clusterId, { signal: ctx.signal })) {
          return {
            state,
            diagnostics: [
              warning(
                'Online migration not shown by the API',
                `The API shows no online migration on cluster ${clusterId}, which exists, so migration ${id} stays in the state and nothing is started or stopped. Check api_endpoint (or DIGITALOCEAN_API_URL); if the migration is really gone, remove it with \`terraform state rm\`.`,
              ),
            ],
          };
        }
        return {
          state: null,
          diagnostics: [
            warning(
              'Database cluster not found',
              `Cluster ${clusterId} no longer exists, so online migration ${id} was removed from the state.`,
            ),
          ],
        };
      }
      if (latest.id !== id) {
        return {
          state,
          private: withoutResume(priv),
          diagnostics: [
            warning(
              'Online migration superseded',
              `Cluster ${clusterId} now reports migration ${latest.id} ("${latest.status}"), started outside Terraform, instead of ${id}. Migration ${id} stays in the state so that no apply starts a migration over the other one. To manage ${latest.id} instead, run \`terraform state rm\` and \`terraform import\` for this resource with ID ${clusterId}.`,
            ),
          ],
        };
      }
      const refreshed = { ...state, status: latest.status, created_at: latest.created_at };
      const target = state.wait_for ?? DEFAULT_WAIT;
      if (isActive(latest.status))
        return {
          state: refreshed,
          private: target === 'none' || hasReached(latest.status, target) ? withoutResume(priv) : undefined,
        };
      return {
        state: refreshed,
        private: withoutResume(priv),
        diagnostics: [
          warning(
            `Online migration ${latest.status}`,
            `Migration ${id} on cluster ${clusterId} is "${latest.status}". dodb never restarts a migration by itself, since replicating the old source after a cutover would overwrite new data. To start a new one, run \`terraform apply -replace=<address>\`; to stop tracking it, \`terraform state rm <address>\`.`,
          ),
        ],
      };
    } catch (thrown) {
      return { state, diagnostics: [apiDiagnostic('Could not read the online migration', thrown)] };
    }
  },

  async update({ prior, planned, private: priv }, ctx) {
    const state = { ...planned, status: prior.status };
    if (!priv?.resumeWait || !prior.id) return { state, private: null };
    ctx.log.log('info', 'waiting again for the online migration', { migration_id: prior.id });
    return waitUntil(clientOf(ctx), state, prior.id, Date.now() + durationOf(planned, 'create'), ctx);
  },

  async delete({ prior }, ctx) {
    if (!prior.id || (prior.status !== null && !isActive(prior.status))) {
      ctx.log.log('info', 'online migration already ended: nothing to stop', {
        migration_id: prior.id,
        status: prior.status,
      });
      return [];
    }
    const client = clientOf(ctx);
    const timeoutMs = durationOf(prior, 'delete');
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      await client.stopMigration(prior.cluster_id, prior.id, {
        signal: AbortSignal.any([ctx.signal, timeout]),
        deadline: Date.now() + timeoutMs,
      });
      return [];
    } catch (thrown) {
      return [apiDiagnostic('Could not stop the online migration', thrown)];
    }
  },

  async import(id, ctx) {
    if (!isUuid(id)) {
      return {
        state: null,
        diagnostics: [
          error(
            'Invalid import ID',
            `Import a migration by its target cluster's UUID, such as 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30; got "${id}".`,
          ),
        ],
      };
    }
    const client = clientOf(ctx);
    try {
      const migration = await client.getMigration(id, { signal: ctx.signal });
      return { state: adopted(id, migration, null), private: { adopt: true } };
    } catch (thrown) {
      if (thrown instanceof ApiError && thrown.code === 'not_found') {
        return {
          state: null,
          diagnostics: [
            error('Nothing to import', `Cluster ${id} does not exist or has never had an online migration.`),
          ],
        };
      }
      return { state: null, diagnostics: [apiDiagnostic('Could not import the online migration', thrown)] };
    }
  },

  move: moveFromOfficialProvider,
});

/** A migration this configuration did not start: what the API shows, and nothing it cannot show. */
function adopted(
  clusterId: string,
  migration: Pick<MigrationState, 'id' | 'status' | 'created_at'>,
  waitFor: MigrationState['wait_for'],
): MigrationState {
  return {
    ...migration,
    cluster_id: clusterId,
    source: [],
    disable_ssl: null,
    ignore_dbs: null,
    wait_for: waitFor,
    allow_overwrite_after_cutover: null,
    timeouts: null,
  };
}

/**
 * The declared plan, adjusted where the rules depend on the prior state: after an import or a
 * move the unobserved arguments are adopted from the configuration; a first `password_wo_version`
 * (switching from `password`) or its removal is no new password; an untainted migration whose
 * wait failed is waited for again.
 */
function planMigration({
  prior,
  planned,
  requiresReplace,
  private: priv,
}: PlanRequest<OnlineMigrationState, MigrationPrivate>): PlanResponse<OnlineMigrationState, MigrationPrivate> {
  if (!prior) return { planned, requiresReplace };
  const priorVersion = prior.source[0]?.password_wo_version ?? null;
  const plannedVersion = known(known(planned.source)?.[0] ?? null)?.password_wo_version ?? null;
  const replace = requiresReplace.filter((path) => {
    if (priv?.adopt && UNOBSERVED.has(path[0]!)) return false;
    return !(isVersionPath(path) && (priorVersion === null || plannedVersion === null));
  });
  const target = known(planned.wait_for) ?? DEFAULT_WAIT;
  const resume =
    priv?.resumeWait &&
    replace.length === 0 &&
    target !== 'none' &&
    isActive(prior.status) &&
    !hasReached(prior.status, target);
  return { planned: resume ? { ...planned, status: UNKNOWN } : planned, requiresReplace: replace };
}

const isVersionPath = (path: PathStep[]) => path[0] === 'source' && path[2] === 'password_wo_version';

function withoutResume(priv: MigrationPrivate | null): MigrationPrivate | undefined {
  if (!priv?.resumeWait) return undefined;
  const { resumeWait: _, ...rest } = priv;
  return rest;
}

/**
 * Poll until the migration reaches `wait_for`. Never throws: whatever goes wrong, the started
 * migration is returned with the diagnostic, so Terraform keeps it (tainted after a create).
 */
async function waitUntil(
  client: DoClient,
  state: MigrationState,
  id: string,
  deadline: number,
  ctx: Context<ProviderData>,
): Promise<Result> {
  const target = state.wait_for ?? DEFAULT_WAIT;
  if (target === 'none') return { state, private: null };
  try {
    const reached = await waitForStatus(client, state.cluster_id, id, target, {
      timeoutMs: Math.min(LONGEST_TIMER_MS, Math.max(0, deadline - Date.now())),
      signal: ctx.signal,
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
    const last = thrown instanceof WaitError && thrown.migration?.id === id ? thrown.migration.status : state.status;
    const healthy = isActive(last);
    const resume = healthy ? { resumeWait: true as const } : null;
    if (healthy && thrown instanceof WaitError && thrown.code === 'canceled') {
      // Ctrl-C stops the waiting, not the migration: it stays in state as it is, and the next apply waits again.
      return { state: { ...state, status: last }, diagnostics: [interruptedWarning(id, target)], private: resume };
    }
    return {
      state: { ...state, status: last },
      diagnostics: [waitDiagnostic(thrown, target, id, healthy)],
      private: resume,
    };
  }
}

function interruptedWarning(id: string, target: string): Diagnostic {
  return warning(
    'Stopped waiting for the online migration',
    `Terraform was interrupted while migration ${id} was on its way to "${target}". The migration goes on and is kept in the state; the next \`terraform apply\` waits for "${target}" again and starts nothing. \`terraform destroy\` stops it.`,
  );
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
  const hint =
    thrown.code === 'timeout' ? ' Raise `timeouts.create` or set `wait_for = "running"` to return sooner.' : '';
  return error(summaries[thrown.code], `${thrown.message}.${hint}\n\n${kept}`);
}

function startDiagnostic(thrown: unknown, clusterId: string): Diagnostic {
  if (thrown instanceof StartRefusedError) {
    const detail =
      thrown.reason === 'active'
        ? `${capitalize(thrown.message)}. To manage it with this resource, import it: \`terraform import <address> ${clusterId}\` (or an \`import\` block). To start a new one instead, stop it first (\`dodb migration stop --cluster ${clusterId}\`).`
        : `${capitalize(thrown.message)}. Nothing was started. If replicating the source over the cluster again is what you want, set \`allow_overwrite_after_cutover = true\`.`;
    return error(
      thrown.reason === 'active' ? 'Cluster already has an online migration' : 'Cluster was cut over',
      detail,
      ['cluster_id'],
    );
  }
  if (thrown instanceof ApiError && thrown.code === 'start_unknown') {
    return error(
      'Could not tell whether the online migration started',
      `${thrown.message}\n\nIf \`dodb migration status --cluster ${clusterId}\` shows a new migration, adopt it with \`terraform import <address> ${clusterId}\`; a plain apply will not start a second one while it runs.`,
      ['cluster_id'],
    );
  }
  return apiDiagnostic('Could not start the online migration', thrown);
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function startRequest(planned: MigrationState, config: MigrationState): StartMigrationRequest {
  const source = planned.source[0]!;
  const password = config.source[0]?.password_wo ?? source.password;
  return {
    source: {
      host: source.host,
      port: source.port,
      ...(source.db_name ? { dbname: source.db_name } : {}),
      ...(source.username ? { username: source.username } : {}),
      ...(password ? { password } : {}),
    },
    disable_ssl: planned.disable_ssl === true,
    ...(planned.ignore_dbs ? { ignore_dbs: planned.ignore_dbs } : {}),
  };
}

/**
 * A timeout in ms: the configured one (validation has bounded it), else the schema's fallback. The
 * clamp only guards a state edited by hand, so that no timer can throw after a start.
 */
function durationOf(state: MigrationState, which: 'create' | 'delete'): number {
  const fallback = String(schema.rules[`timeouts.${which}`]!.fallback);
  const ms = parseDuration(state.timeouts?.[which] ?? fallback) ?? parseDuration(fallback)!;
  return Math.min(LONGEST_TIMER_MS, ms);
}

/**
 * `moved {}` from the official provider's resource: same names, so a running migration changes
 * hands without an API call. Its state holds the source (password in clear) as it was configured,
 * not as the API shows it (it cannot): the move keeps none of it, and the next plan adopts the
 * configuration's in place.
 */
function moveFromOfficialProvider(request: MoveRequest): {
  state: MigrationState | null;
  diagnostics: Diagnostic[];
  private?: MigrationPrivate;
} {
  if (request.sourceProviderAddress !== OFFICIAL_PROVIDER || request.sourceTypeName !== OFFICIAL_TYPE) {
    return {
      state: null,
      diagnostics: [
        error(
          'Unsupported move',
          `dodb_online_migration can be moved only from ${OFFICIAL_PROVIDER}'s ${OFFICIAL_TYPE}, not from ${request.sourceProviderAddress}'s ${request.sourceTypeName}.`,
        ),
      ],
    };
  }
  const old: Record<string, unknown> =
    typeof request.sourceState === 'object' && request.sourceState !== null ? { ...request.sourceState } : {};
  if (typeof old.cluster_id !== 'string' || typeof old.id !== 'string') {
    return {
      state: null,
      diagnostics: [
        error(
          'Cannot move this migration',
          `The ${OFFICIAL_TYPE} state has no cluster_id (its import does not set one). Remove it from the state and import the migration with \`terraform import dodb_online_migration.<name> <cluster UUID>\` instead.`,
        ),
      ],
    };
  }
  const status = isMigrationStatus(old.status) ? old.status : null;
  const createdAt = typeof old.created_at === 'string' ? old.created_at : null;
  return {
    state: adopted(old.cluster_id, { id: old.id, status, created_at: createdAt }, DEFAULT_WAIT),
    diagnostics: [],
    private: { adopt: true },
  };
}
