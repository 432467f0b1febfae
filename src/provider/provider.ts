import type { ProviderConfig } from '../../generated/types';
import { error } from '../tfplugin/framework/diagnostics';
import type { ProviderDefinition } from '../tfplugin/framework/provider';
import { type ProviderData, configureProvider } from './config';
import { onlineMigrationDataSource } from './online-migration/data-source';
import { onlineMigrationResource } from './online-migration';
import { providerSchema } from './schema';

const fallback = (name: string) => providerSchema.rules[name]?.fallback;

/** The dodb provider: the generated schema and rules, and one module per resource and data source. */
export const dodbProvider: ProviderDefinition<ProviderConfig, ProviderData> = {
  name: 'dodb',
  ...providerSchema,
  validate(config) {
    // An unset wait is its fallback: a minimum of 40 with the maximum left at 30 is as wrong as both set.
    const min = config.http_retry_wait_min ?? fallback('http_retry_wait_min');
    const max = config.http_retry_wait_max ?? fallback('http_retry_wait_max');
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      const path = config.http_retry_wait_min === null ? ['http_retry_wait_max'] : ['http_retry_wait_min'];
      return [
        error(
          'Invalid retry waits',
          `http_retry_wait_min (${min}) must not be larger than http_retry_wait_max (${max}).`,
          path,
        ),
      ];
    }
    return [];
  },
  async configure({ config, unknown }, ctx) {
    return { data: configureProvider(config, unknown, ctx.env, ctx.log) };
  },
  resources: [onlineMigrationResource],
  dataSources: [onlineMigrationDataSource],
};
