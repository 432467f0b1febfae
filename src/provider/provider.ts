import providerSchemas from '../../generated/provider-schema.json';
import planRules from '../../generated/plan-rules.json';
import { error } from '../tfplugin/framework/diagnostics';
import type { ProviderDefinition } from '../tfplugin/framework/provider';
import type { TerraformProviderSchemas } from '../tfplugin/wire/schema';
import type { ProviderRules } from '../tfplugin/framework/rules';
import { type ProviderData, configureProvider } from './config';
import { onlineMigrationDataSource } from './online-migration-data-source';
import { onlineMigrationResource } from './online-migration-resource';

const schemas = (providerSchemas as unknown as TerraformProviderSchemas).provider_schemas['registry.terraform.io/dodb/dodb']!;

/** The dodb provider: the generated schema and rules, and one module per resource and data source. */
export const dodbProvider: ProviderDefinition<ProviderData> = {
  name: 'dodb',
  schemas: {
    provider: schemas.provider,
    resources: schemas.resource_schemas ?? {},
    dataSources: schemas.data_source_schemas ?? {},
  },
  rules: planRules as ProviderRules,
  validate(config) {
    const { http_retry_wait_min: min, http_retry_wait_max: max } = config;
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      return [error('Invalid retry waits', `http_retry_wait_min (${min}) must not be larger than http_retry_wait_max (${max}).`, ['http_retry_wait_min'])];
    }
    return [];
  },
  async configure(config, ctx) {
    return { data: configureProvider(config, process.env, ctx.log) };
  },
  resources: { dodb_online_migration: onlineMigrationResource },
  dataSources: { dodb_online_migration: onlineMigrationDataSource },
};
