import type { OnlineMigrationDataState } from '../../../generated/types';
import { defineDataSource } from '../../tfplugin/framework/provider';
import { apiDiagnostic } from '../api-diagnostics';
import { type ProviderData, clientOf } from '../config';
import { clusterNotFound } from './messages';
import { dataSourceSchema } from '../schema';

/**
 * `data "dodb_online_migration"`: the cluster's most recent migration; all null for a cluster
 * that has never had one (that is data, not an error), an error for a cluster that does not exist.
 */
export const onlineMigrationDataSource = defineDataSource<OnlineMigrationDataState, ProviderData>({
  ...dataSourceSchema('dodb_online_migration'),

  async read(config, ctx) {
    const client = clientOf(ctx);
    const clusterId = config.cluster_id;
    try {
      const migration = await client.findMigration(clusterId, { signal: ctx.signal });
      if (migration)
        return {
          state: { ...config, id: migration.id, status: migration.status, created_at: migration.created_at ?? null },
        };
      if (await client.clusterExists(clusterId, { signal: ctx.signal }))
        return { state: { ...config, id: null, status: null, created_at: null } };
      return { state: null, diagnostics: [clusterNotFound(clusterId)] };
    } catch (thrown) {
      return { state: null, diagnostics: [apiDiagnostic('Could not read the online migration', thrown)] };
    }
  },
});
