import { DoClient } from '../api/client';
import { error } from '../tfplugin/framework/diagnostics';
import type { Context, DataSourceType } from '../tfplugin/framework/provider';
import type { ObjectValue } from '../tfplugin/wire/values';
import { apiDiagnostic } from './api-diagnostics';
import { type ProviderData, clientOf } from './config';

/**
 * `data "dodb_online_migration"`: the cluster's most recent migration; all null for a cluster
 * that has never had one (that is data, not an error), an error for a cluster that does not exist.
 */
export const onlineMigrationDataSource: DataSourceType<ProviderData> = {
  async read(config: ObjectValue, ctx: Context<ProviderData>) {
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return { state: null, diagnostics: [client] };
    const clusterId = config.cluster_id as string;
    try {
      const migration = await client.findMigration(clusterId, { signal: ctx.signal });
      if (migration) return { state: { ...config, id: migration.id, status: migration.status, created_at: migration.created_at } };
      if (await client.clusterExists(clusterId, { signal: ctx.signal })) return { state: { ...config, id: null, status: null, created_at: null } };
      return { state: null, diagnostics: [error('Database cluster not found', `Cluster ${clusterId} does not exist (GET /v2/databases/${clusterId} answered 404); check the cluster UUID and the token's team.`, ['cluster_id'])] };
    } catch (thrown) {
      return { state: null, diagnostics: [apiDiagnostic('Could not read the online migration', thrown)] };
    }
  },
};
