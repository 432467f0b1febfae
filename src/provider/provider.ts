import type { ProviderConfig } from '../../generated/types';
import { error } from '../tfplugin/framework/diagnostics';
import type { ProviderDefinition } from '../tfplugin/framework/provider';
import { type ProviderData, configureProvider } from './config';
import { onlineMigrationDataSource } from './online-migration-data-source';
import { onlineMigrationResource } from './online-migration-resource';
import { providerSchema } from './schema';

/** The dodb provider: the generated schema and rules, and one module per resource and data source. */
export const dodbProvider: ProviderDefinition<ProviderConfig, ProviderData> = {
  name: 'dodb',
  ...providerSchema,
  validate({ http_retry_wait_min: min, http_retry_wait_max: max }) {
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      return [error('Invalid retry waits', `http_retry_wait_min (${min}) must not be larger than http_retry_wait_max (${max}).`, ['http_retry_wait_min'])];
    }
    return [];
  },
  async configure(config, ctx) {
    return { data: configureProvider(config, process.env, ctx.log) };
  },
  resources: [onlineMigrationResource],
  dataSources: [onlineMigrationDataSource],
};
