import { DoClient } from '../api/client';
import { ApiError } from '../api/errors';
import { error } from '../tfplugin/diagnostics';
import type { Context, DataSourceType } from '../tfplugin/provider';
import type { ObjectValue } from '../tfplugin/values';
import { apiDiagnostic } from './api-diagnostics';
import { type ProviderData, clientOf } from './config';

/** `data "dodb_online_migration"`: the cluster's most recent migration. */
export const onlineMigrationDataSource: DataSourceType<ProviderData> = {
  async read(config: ObjectValue, ctx: Context<ProviderData>) {
    const client = clientOf(ctx);
    if (!(client instanceof DoClient)) return { state: null, diagnostics: [client] };
    const clusterId = config.cluster_id as string;
    try {
      const migration = await client.getMigration(clusterId, { signal: ctx.signal });
      return { state: { ...config, id: migration.id, status: migration.status, created_at: migration.created_at } };
    } catch (thrown) {
      if (thrown instanceof ApiError && thrown.code === 'not_found') {
        return { state: null, diagnostics: [error('No online migration found', `Cluster ${clusterId} does not exist or has never had an online migration.`, ['cluster_id'])] };
      }
      return { state: null, diagnostics: [apiDiagnostic('Could not read the online migration', thrown)] };
    }
  },
};
