import { ApiError } from '../../api/errors';
import type { OnlineMigrationState, StartMigrationRequest } from '../../../generated/types';
import { isUuid } from '../../vocabulary/formats';
import { defineResource } from '../../tfplugin/framework/provider';
import { apiDiagnostic } from '../api-diagnostics';
import { type ProviderData, clientOf } from '../config';
import * as message from './messages';
import { cutOver, cutOverAfterStart, planCutover } from './cutover';
import { cutoverDue, stopsOnDelete, updateAction, whenNoneShown, whenShown } from './lifecycle';
import { moveFromOfficialProvider } from './move';
import { noteInState, planMigration } from './plan';
import {
  type MigrationPrivate,
  type MigrationState,
  adopted,
  durationOf,
  isMigrationPrivate,
  migrationSchema,
  upgradeMigrationState,
  withOrigin,
  withoutResume,
} from './state';
import { waitUntil } from './wait';

/**
 * `dodb_online_migration`: create looks at the cluster, starts the migration (one PUT) and waits
 * for `wait_for`; read follows its status and never restarts it; delete stops it while it runs.
 */
export const onlineMigrationResource = defineResource<OnlineMigrationState, ProviderData, MigrationPrivate>({
  ...migrationSchema,
  isPrivate: isMigrationPrivate,
  upgradeState: upgradeMigrationState,
  modifyPlan: async (request, ctx) => planCutover(request, await planMigration(request, ctx)),
  loaded: (state) => noteInState(state.id),

  async create({ planned, config }, ctx) {
    const client = clientOf(ctx);
    const clusterId = planned.cluster_id;
    const deadline = Date.now() + durationOf(planned, 'create');
    let started;
    try {
      started = await client.startMigration(clusterId, startRequest(planned, config), {
        signal: ctx.signal,
        deadline,
        afterCutover: planned.allow_overwrite_after_cutover === true,
      });
    } catch (thrown) {
      return { state: null, diagnostics: [message.startFailed(thrown, clusterId)] };
    }
    const { migration, adopted } = started;
    ctx.log.log('info', 'started online migration', { cluster_id: clusterId, migration_id: migration.id, adopted });
    const state = { ...planned, id: migration.id, status: migration.status, created_at: migration.created_at ?? null };
    const waited = withOrigin(await waitUntil(client, state, migration.id, deadline, ctx), client.origin);
    return cutoverDue(null, planned) ? cutOverAfterStart(client, waited, ctx) : waited;
  },

  async read({ state, private: priv }, ctx) {
    const client = clientOf(ctx);
    const { cluster_id: clusterId, id } = state;
    try {
      const latest = await client.findMigration(clusterId, { signal: ctx.signal });
      if (!latest) {
        const exists = await client.clusterExists(clusterId, { signal: ctx.signal });
        // Only the endpoint and token that started it may say that the cluster is gone.
        const unseen = whenNoneShown(state, exists, priv?.origin === client.origin);
        if (unseen === 'drop') return { state: null, diagnostics: [message.clusterGone(clusterId, id)] };
        if (unseen === 'kept') return { state, diagnostics: [] };
        const warning = unseen === 'not_shown' ? message.notShown(clusterId, id) : message.notFoundHere(clusterId, id);
        return { state, diagnostics: [warning] };
      }
      const seen = whenShown(state, latest);
      if (seen.superseded) {
        return { state, private: withoutResume(priv), diagnostics: [message.superseded(clusterId, id, latest)] };
      }
      const refreshed = { ...state, status: latest.status, created_at: latest.created_at ?? null };
      // The API that shows this migration is the one that follows it (this also stamps a state written before origins).
      const followed = { ...(seen.waitOver ? (withoutResume(priv) ?? priv) : priv), origin: client.origin };
      const diagnostics = seen.warnEnded ? [message.ended(clusterId, id, latest.status)] : [];
      return { state: refreshed, private: followed, diagnostics };
    } catch (thrown) {
      return { state, diagnostics: [apiDiagnostic('Could not read the online migration', thrown)] };
    }
  },

  // Every argument but the source's changes in place with no API call, but two: `cutover` turning true
  // (the cutover), and a wait promised after a failed or interrupted one (`resumeWait`), which waits again.
  async update({ prior, planned, private: priv }, ctx) {
    const action = updateAction(prior, planned, priv);
    if (action === 'cutover') return withOrigin(await cutOver(clientOf(ctx), prior, planned, ctx), priv?.origin);
    const state = { ...planned, status: prior.status };
    if (action === 'in_place') return withOrigin({ state, private: null }, priv?.origin);
    ctx.log.log('info', 'waiting again for the online migration', { migration_id: prior.id });
    const deadline = Date.now() + durationOf(planned, 'create');
    return withOrigin(await waitUntil(clientOf(ctx), state, prior.id!, deadline, ctx), priv?.origin);
  },

  // The client stops only what the cluster shows running now: a state that says "syncing" may be
  // stale (-refresh=false), and a migration cut over since must not be stopped, nor count as stopped here.
  async delete({ prior }, ctx) {
    if (!stopsOnDelete(prior)) {
      ctx.log.log('info', 'online migration already ended: nothing to stop', {
        migration_id: prior.id,
        status: prior.status,
      });
      return [];
    }
    const client = clientOf(ctx);
    const timeoutMs = durationOf(prior, 'delete');
    try {
      const stopped = await client.stopMigration(prior.cluster_id, prior.id!, {
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]),
        deadline: Date.now() + timeoutMs,
      });
      return stopped ? [] : [message.notStopped(prior.cluster_id, prior.id!)];
    } catch (thrown) {
      return [apiDiagnostic('Could not stop the online migration', thrown)];
    }
  },

  async import(id, ctx) {
    if (!isUuid(id)) return { state: null, diagnostics: [message.invalidImportId(id)] };
    const client = clientOf(ctx);
    try {
      const migration = await client.getMigration(id, { signal: ctx.signal });
      return { state: adopted(id, migration, null), private: { adopt: true, origin: client.origin } };
    } catch (thrown) {
      if (thrown instanceof ApiError && thrown.code === 'not_found') {
        return { state: null, diagnostics: [message.nothingToImport(id)] };
      }
      return { state: null, diagnostics: [apiDiagnostic('Could not import the online migration', thrown)] };
    }
  },

  move: moveFromOfficialProvider,
});

/** The PUT body: the write-only password comes from the configuration, since the plan never holds it. */
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
