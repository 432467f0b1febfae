import { DoClient } from '../api/client';
import { ApiError } from '../api/errors';
import { type WaitTarget, WaitError, waitForStatus } from '../api/wait';
import type { StartMigrationRequest } from '../../generated/types';
import { type Diagnostic, error, warning } from '../tfplugin/diagnostics';
import { parseDuration } from '../tfplugin/duration';
import type { ApplyResult, Context, MoveRequest, ResourceType } from '../tfplugin/provider';
import { type ObjectValue, asObject, knownString } from '../tfplugin/values';
import { apiDiagnostic } from './api-diagnostics';
import { type ProviderData, clientOf } from './config';

const ACTIVE = new Set(['running', 'syncing']);
const ENDED = new Set(['canceled', 'error', 'done']);
const OFFICIAL_PROVIDER = 'registry.terraform.io/digitalocean/digitalocean';
const OFFICIAL_TYPE = 'digitalocean_database_online_migration';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `dodb_online_migration`: create starts the migration (one PUT) and waits for `wait_for`, read
 * follows its status and never restarts it, delete stops it while it runs.
 */
export const onlineMigrationResource: ResourceType<ProviderData> = {
  adoptsConfig: (prior) => Array.isArray(prior.source) && prior.source.length === 0,

  async create(planned, config, ctx) {
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return { state: null, diagnostics: [client] };
    const clusterId = planned.cluster_id as string;
    let state: ObjectValue;
    try {
      const { migration, adopted } = await client.startMigration(clusterId, startRequest(planned, config), { signal: ctx.signal });
      ctx.log.log('info', 'started online migration', { cluster_id: clusterId, migration_id: migration.id, adopted });
      state = { ...planned, id: migration.id, status: migration.status, created_at: migration.created_at };
    } catch (thrown) {
      return { state: null, diagnostics: [apiDiagnostic('Could not start the online migration', thrown)] };
    }
    const target = (knownString(planned.wait_for) ?? 'syncing') as WaitTarget | 'none';
    if (target === 'none') return { state };
    return waitUntil(client, state, target, ctx);
  },

  async read(state, ctx) {
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return { state, diagnostics: [client] };
    const clusterId = state.cluster_id as string;
    const id = state.id as string;
    let latest;
    try {
      latest = await client.findMigration(clusterId, { signal: ctx.signal });
    } catch (thrown) {
      return { state, diagnostics: [apiDiagnostic('Could not read the online migration', thrown)] };
    }
    if (!latest) {
      return { state: null, diagnostics: [warning('Online migration not found', `Cluster ${clusterId} has no online migration any more (or the cluster is gone), so migration ${id} was removed from the state.`)] };
    }
    if (latest.id !== id) {
      return {
        state: null,
        diagnostics: [warning('Online migration superseded', `Cluster ${clusterId} now reports migration ${latest.id}, started outside Terraform, instead of ${id}. Migration ${id} was removed from the state; adopt the other one with \`terraform import\` if you want to manage it.`)],
      };
    }
    const refreshed = { ...state, status: latest.status, created_at: latest.created_at };
    if (!ENDED.has(latest.status)) return { state: refreshed };
    return {
      state: refreshed,
      diagnostics: [warning(`Online migration ${latest.status}`, `Migration ${id} on cluster ${clusterId} is "${latest.status}". dodb never restarts a migration by itself, since replicating the old source after a cutover would overwrite new data. To start a new one, run \`terraform apply -replace=<address>\`; to stop tracking it, \`terraform state rm <address>\`.`)],
    };
  },

  async delete(prior, ctx) {
    const status = knownString(prior.status);
    if (status !== undefined && !ACTIVE.has(status)) {
      ctx.log.log('info', 'online migration already ended: nothing to stop', { migration_id: prior.id, status });
      return [];
    }
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return [client];
    const timeout = AbortSignal.timeout(durationOf(prior, 'delete', '5m'));
    try {
      await client.stopMigration(prior.cluster_id as string, prior.id as string, { signal: AbortSignal.any([ctx.signal, timeout]) });
      return [];
    } catch (thrown) {
      return [apiDiagnostic('Could not stop the online migration', thrown)];
    }
  },

  async import(id, ctx) {
    if (!UUID.test(id)) {
      return { state: null, diagnostics: [error('Invalid import ID', `Import a migration by its target cluster's UUID, such as 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30; got "${id}".`)] };
    }
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return { state: null, diagnostics: [client] };
    try {
      const migration = await client.getMigration(id, { signal: ctx.signal });
      return {
        state: {
          id: migration.id, cluster_id: id, status: migration.status, created_at: migration.created_at,
          source: [], disable_ssl: null, ignore_dbs: null, wait_for: null, timeouts: null,
        },
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

/** Poll until the migration reaches `target`; a failed wait still returns the started migration. */
async function waitUntil(client: DoClient, state: ObjectValue, target: WaitTarget, ctx: Context<ProviderData>): Promise<ApplyResult> {
  const timeoutMs = durationOf(state, 'create', '30m');
  try {
    const reached = await waitForStatus(client, state.cluster_id as string, state.id as string, target, {
      timeoutMs,
      signal: ctx.signal,
      onStatus: (m) => ctx.log.log('info', 'online migration status', { migration_id: m.id, status: m.status }),
    });
    return { state: { ...state, status: reached.status } };
  } catch (thrown) {
    const kept = `Migration ${state.id} was started and is kept in the state (tainted): \`terraform destroy\` stops it, and the next apply replaces it.`;
    if (thrown instanceof WaitError) {
      const status = thrown.migration?.id === state.id ? thrown.migration.status : state.status;
      return { state: { ...state, status }, diagnostics: [waitDiagnostic(thrown, target, kept)] };
    }
    const diagnostic = apiDiagnostic(`Could not follow the online migration to "${target}"`, thrown);
    return { state, diagnostics: [{ ...diagnostic, detail: `${diagnostic.detail}\n\n${kept}` }] };
  }
}

function waitDiagnostic(thrown: WaitError, target: string, kept: string): Diagnostic {
  const summaries = {
    timeout: `Online migration did not reach "${target}" in time`,
    failed: `Online migration failed before reaching "${target}"`,
    canceled: 'Stopped waiting for the online migration',
    superseded: 'Online migration superseded while waiting',
  };
  const hint = thrown.code === 'timeout' ? ' Raise `timeouts.create` or set `wait_for = "running"` to return sooner.' : '';
  return error(summaries[thrown.code], `${thrown.message}.${hint}\n\n${kept}`);
}

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

function durationOf(state: ObjectValue, which: 'create' | 'delete', fallback: string): number {
  const configured = knownString(asObject(state.timeouts)?.[which]);
  return parseDuration(configured ?? fallback) ?? parseDuration(fallback)!;
}

/**
 * `moved {}` from the official provider's resource: same names, so a running migration changes
 * hands without an API call.
 */
function moveFromOfficialProvider(request: MoveRequest): { state: Record<string, unknown> | null; diagnostics: Diagnostic[] } {
  if (request.sourceProviderAddress !== OFFICIAL_PROVIDER || request.sourceTypeName !== OFFICIAL_TYPE) {
    return { state: null, diagnostics: [error('Unsupported move', `dodb_online_migration can be moved only from ${OFFICIAL_PROVIDER}'s ${OFFICIAL_TYPE}, not from ${request.sourceProviderAddress}'s ${request.sourceTypeName}.`)] };
  }
  const old = (request.sourceState ?? {}) as Record<string, unknown>;
  if (typeof old.cluster_id !== 'string' || typeof old.id !== 'string') {
    return { state: null, diagnostics: [error('Cannot move this migration', `The ${OFFICIAL_TYPE} state has no cluster_id (its import does not set one). Remove it from the state and import the migration with \`terraform import dodb_online_migration.<name> <cluster UUID>\` instead.`)] };
  }
  const source = (Array.isArray(old.source) ? old.source[0] : undefined) as Record<string, unknown> | undefined;
  return {
    state: {
      id: old.id,
      cluster_id: old.cluster_id,
      status: old.status ?? null,
      created_at: old.created_at ?? null,
      source: source ? [{ host: source.host, port: source.port, db_name: source.db_name ?? null, username: source.username ?? null, password: source.password ?? null }] : [],
      disable_ssl: old.disable_ssl ?? false,
      ignore_dbs: old.ignore_dbs ?? null,
      wait_for: 'syncing',
      timeouts: null,
    },
    diagnostics: [],
  };
}
